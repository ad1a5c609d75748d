/// The files of an exported Ansible project around the playbook: its settings, the inventory from
/// the answers' hosts, the variables, and its README.
enum AnsibleProject {
    static let config = """
        # Exported by joget-cluster.
        [defaults]
        inventory = inventory.yml
        interpreter_python = auto_silent
        display_skipped_hosts = false
        forks = 20
        # Each step's tasks say which hosts run them; a host outside them skips quietly.

        [ssh_connection]
        # Modules (and the scripts they carry on stdin, with their secrets) go over the SSH
        # connection's stdin instead of a temporary file on the host.
        pipelining = true

        """

    /// Hosts with their login and become settings, and a group per role: files, db, app, lb.
    static func inventory(_ a: Answers) -> String {
        let y = AnsibleText.yaml
        var out = "# Exported by joget-cluster from the answers of cluster \(a.cluster).\nall:\n  hosts:\n"
        for name in a.usedHosts {
            guard let h = a.host(named: name) else { continue }
            out += "    \(y(name)):\n"
            if h.auth == .local {
                out += "      ansible_connection: local\n"
            } else {
                out += "      ansible_host: \(y(h.address))\n      ansible_port: \(h.port)\n      ansible_user: \(y(h.user))\n"
            }
            if h.auth == .key, let key = h.keyFile { out += "      ansible_ssh_private_key_file: \(y(key))\n" }
            if let s = h.sshPasswordSecret { out += "      ansible_password: \(y("{{ \(AnsibleText.variable(s)) }}"))\n" }
            switch h.effectiveSudo {
            case .root:
                out += "      ansible_become: false\n"
            case .nopasswd:
                out += "      ansible_become: true\n      ansible_become_method: sudo\n"
            case .password:
                out += "      ansible_become: true\n      ansible_become_method: sudo\n"
                out += "      ansible_become_password: \(y("{{ \(AnsibleText.variable(.sudoPassword(host: name))) }}"))\n"
            }
        }
        out += "  children:\n"
        var roles: [(String, [String])] = []
        if a.sharedFiles.provider == .nfs, let server = a.sharedFiles.server { roles.append(("files", [server])) } else { roles.append(("files", [])) }
        roles.append(("db", [a.database.host]))
        roles.append(("app", a.appHosts))
        roles.append(("lb", [a.loadBalancer.host]))
        for (role, hosts) in roles {
            out += "    \(role):\n"
            out += hosts.isEmpty ? "      hosts: {}\n" : "      hosts:\n" + hosts.map { "        \(y($0)): {}\n" }.joined()
        }
        return out
    }

    static func settings(_ a: Answers) -> String {
        let y = AnsibleText.yaml
        var out = "# Exported by joget-cluster. Settings a controller may change without exporting again.\n"
        if a.appServers.bundleOn == .local {
            out += "# The Joget bundle on the controller, copied to each app host (skipped when the same file is there).\n"
            out += "joget_bundle: \(y(a.appServers.bundle))\n"
        }
        out += "# Where the controller keeps what passes between hosts (the schema, from jw.war to the database host).\n"
        out += "jc_transfer_dir: \"{{ playbook_dir }}/transfer\"\n"
        return out
    }

    /// Each secret as it lands (escaped for SQL, a MySQL option file, a .properties file), computed
    /// on the controller from the secret's variable: the same encodings as the wizard's.
    static func encodings(_ plan: Plan) -> String {
        var uses = Set<AnsibleText.SecretUse>()
        for s in plan.steps { for script in [s.check, s.apply, s.verify] { uses.formUnion(AnsibleText.secretUses(script)) } }
        var out = "# Exported by joget-cluster. Derived from the secret variables; no secret is written here.\n"
        if uses.isEmpty { out += "{}\n" }
        for u in uses.sorted() {
            out += "\(AnsibleText.encoded(u.name, u.encoding)): \(AnsibleText.yaml(AnsibleText.jinja(u.encoding, of: AnsibleText.variable(u.name))))\n"
        }
        return out
    }

    static func secretsExample(_ names: [SecretName]) -> String {
        var out = "# The secrets the playbook needs, by the names of the answers file. Copy to secrets.yml,\n"
        out += "# fill in, and encrypt it: ansible-vault encrypt secrets.yml. `!unsafe` keeps a value\n"
        out += "# holding {{ or {% from being read as a template.\n"
        for n in names { out += "\(AnsibleText.variable(n)): !unsafe \"\"   # \(n.rawValue)\n" }
        if names.isEmpty { out += "{}\n" }
        return out
    }

    /// A first play that stops before anything changes when a secret is not given.
    static func preflight(_ names: [SecretName]) -> String {
        guard !names.isEmpty else { return "" }
        var out = "\n- name: \"The secrets are given\"\n  hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n"
        out += "    - name: \"Every secret the plan needs is a variable (-e @secrets.yml or ansible-vault)\"\n"
        out += "      ansible.builtin.assert:\n        that:\n"
        for n in names { out += "          - \(AnsibleText.variable(n)) is defined\n" }
        out += "        fail_msg: \(AnsibleText.yaml("a secret is missing: give " + names.map { AnsibleText.variable($0) }.joined(separator: ", ") + " (see secrets.example.yml)"))\n"
        out += "        quiet: true\n      no_log: true\n"
        return out
    }

    static func readme(_ a: Answers, _ plan: Plan, _ names: [SecretName]) -> String {
        let vars = names.map { "`\(AnsibleText.variable($0))` (`\($0.rawValue)`)" }.joined(separator: ", ")
        return """
            # Cluster \(a.cluster): the joget-cluster plan as an Ansible project

            Exported by `joget-cluster export ansible`. It runs the same \(plan.steps.count) steps as the wizard, with
            ansible-core alone (only `ansible.builtin` modules).

            ```sh
            cp secrets.example.yml secrets.yml && $EDITOR secrets.yml && ansible-vault encrypt secrets.yml
            ansible-playbook site.yml -e @secrets.yml --ask-vault-pass
            ansible-playbook site.yml -e @secrets.yml --ask-vault-pass --check --diff   # what would change
            ```

            Secrets: \(vars.isEmpty ? "none" : vars). Nothing secret is written in this folder.

            | path | what |
            |---|---|
            | `inventory.yml` | the hosts, their logins and become settings; groups `files`, `db`, `app`, `lb` |
            | `site.yml` | one play per layer, in the wizard's order |
            | `steps/<step>/{check,apply,verify}.sh` | each step's scripts, as the playbook feeds them to `sh -s` |
            | `files/<host>/<path>` | every file the plan writes, rendered (a secret shown as its variable) |
            | `group_vars/all/joget.yml` | the bundle's path on the controller, where transfers are kept |
            | `group_vars/all/secret_encodings.yml` | each secret escaped as it lands (SQL, option file, properties) |

            Each step: its check runs first and changes nothing (also under `--check`); where it fails, the
            upload, the apply and the verify run, then the files are held to the plan by `copy` (owner,
            group, mode). Files in the shared folder are written by their step as the service user only.
            Steps without a check run every time and, as in the wizard's dry run, are not counted as changes.
            A play runs its hosts in parallel; a step that waits for a step of another host comes after it.

            Not here, and still in the wizard: the network checks (`joget-cluster check` before a run), the
            live log panes, resuming from the journal, the license checklist, retiring nodes and upgrades. The wizard reads the same answers file:
            `joget-cluster verify --answers answers.yaml` and `joget-cluster licenses` work on a cluster this
            playbook installed.

            """
    }
}
