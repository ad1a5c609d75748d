/// The install plan as a standard Ansible project (`joget-cluster export ansible`): the same steps,
/// scripts and files, run by ansible-core with only `ansible.builtin` modules.
///
/// Each layer is one play over the hosts it touches, in the wizard's order. A play's tasks are the
/// plan's steps merged across hosts: the same kind of step on several hosts is one group of tasks
/// that runs on them in parallel, and a group starts only after every step it waits for (Ansible's
/// linear strategy finishes a task on every host before the next). Each host keeps its plan order.
/// A group keeps the step's contract: its check first (read-only, never failing, run in check mode
/// too), then the upload, the apply and the verify only where the check failed, then the files held
/// to the plan by `copy`, then the download. Secrets stay variables named as in the answers.
public enum AnsibleExport {
    public struct File: Sendable, Equatable {
        public var path: String   // relative to the project
        public var text: String
        public init(path: String, text: String) { self.path = path; self.text = text }
    }

    public enum ExportError: Error, CustomStringConvertible, Equatable {
        case variableClash(SecretName, SecretName, String)
        case localStep(String)
        case cycle([String])

        public var description: String {
            switch self {
            case .variableClash(let a, let b, let v): "the secrets \(a) and \(b) would both be the Ansible variable \(v): rename one in the answers"
            case .localStep(let id): "step \(id) runs on this machine, which the export cannot translate"
            case .cycle(let ids): "the steps \(ids.joined(separator: ", ")) wait on each other"
            }
        }
    }

    /// One task group: one kind of step on the hosts that have it, each host its own step.
    struct Group {
        var key: String
        var steps: [Step]   // at most one per host
    }

    /// The project's files for valid answers.
    public static func project(_ answers: Answers) throws -> [File] {
        let plan = try Planner.plan(answers)
        if let local = plan.steps.first(where: { $0.host == Step.localHost }) { throw ExportError.localStep(local.id) }
        let secrets = try secretNames(answers, plan)

        var files: [File] = []
        files.append(File(path: "ansible.cfg", text: AnsibleProject.config))
        files.append(File(path: "inventory.yml", text: AnsibleProject.inventory(answers)))
        files.append(File(path: "group_vars/all/joget.yml", text: AnsibleProject.settings(answers)))
        files.append(File(path: "group_vars/all/secret_encodings.yml", text: AnsibleProject.encodings(plan)))
        files.append(File(path: "secrets.example.yml", text: AnsibleProject.secretsExample(secrets)))

        var playbook = "# The install plan of cluster \(answers.cluster), exported by joget-cluster: one play per layer.\n"
        playbook += "# Run: ansible-playbook site.yml -e @secrets.yml (see README.md).\n"
        playbook += AnsibleProject.preflight(secrets)
        for layer in Layer.allCases {
            let steps = plan.steps.filter { $0.layer == layer }
            guard !steps.isEmpty else { continue }
            let groups = try merge(steps, before: Set(plan.steps.filter { $0.layer < layer }.map(\.id)))
            playbook += play(layer, steps, groups, shared: answers.sharedFiles.mountPoint, bundle: answers.appServers.bundle)
        }
        files.append(File(path: "site.yml", text: playbook))

        for step in plan.steps {
            for (phase, script) in [("check", step.check), ("apply", step.apply), ("verify", step.verify)] {
                guard let script else { continue }
                files.append(File(path: scriptPath(step, phase), text: scriptFile(step, phase, script)))
            }
            for file in step.files {
                files.append(File(path: renderedPath(step, file), text: rendered(file.content)))
            }
        }
        files.append(File(path: "README.md", text: AnsibleProject.readme(answers, plan, secrets)))
        return files
    }

    /// The variable of every secret the plan and the logins need, by answers name.
    static func secretNames(_ answers: Answers, _ plan: Plan) throws -> [SecretName] {
        var names = Set(plan.steps.flatMap(\.secrets))
        for host in answers.usedHosts { names.formUnion(answers.host(named: host)?.loginSecrets ?? []) }
        var byVariable: [String: SecretName] = [:]
        for name in names.sorted() {
            let v = AnsibleText.variable(name)
            if let other = byVariable[v] { throw ExportError.variableClash(other, name, v) }
            byVariable[v] = name
        }
        return names.sorted()
    }

    // MARK: grouping

    /// `app.setenv#1`: the step's layer and action, and for a node's step which node of its host it is.
    static func key(_ step: Step, _ plan: [Step]) -> String {
        let action = Planner.action(of: step)
        let tag = step.layer.tag
        guard let hash = action.firstIndex(of: "#") else { return tag + "." + action }
        let node = String(action[action.index(after: hash)...])
        let sameKind = plan.filter { $0.host == step.host && Planner.action(of: $0).hasPrefix(action[..<hash] + "#") }
        let index = (sameKind.firstIndex { Planner.action(of: $0).hasSuffix("#" + node) } ?? 0) + 1
        return tag + "." + action[..<hash] + "#" + String(index)
    }

    /// The layer's steps as groups in run order: at each turn, of the steps first in their host's
    /// queue whose dependencies have all run, the earliest in the plan, with every other such step
    /// of the same kind.
    static func merge(_ steps: [Step], before: Set<String>) throws -> [Group] {
        var queues: [String: [Step]] = [:]
        var hosts: [String] = []
        for s in steps {
            if queues[s.host] == nil { hosts.append(s.host) }
            queues[s.host, default: []].append(s)
        }
        let order = Dictionary(uniqueKeysWithValues: steps.enumerated().map { ($1.id, $0) })
        var done = before
        var groups: [Group] = []
        while hosts.contains(where: { !(queues[$0] ?? []).isEmpty }) {
            let ready = hosts.compactMap { queues[$0]?.first }.filter { $0.dependsOn.allSatisfy(done.contains) }
            guard let first = ready.min(by: { order[$0.id]! < order[$1.id]! }) else {
                throw ExportError.cycle(hosts.compactMap { queues[$0]?.first?.id })
            }
            let k = key(first, steps)
            let members = ready.filter { key($0, steps) == k }.sorted { order[$0.id]! < order[$1.id]! }
            for m in members { queues[m.host]?.removeFirst(); done.insert(m.id) }
            groups.append(Group(key: k, steps: members))
        }
        return groups
    }

    // MARK: the playbook

    static func play(_ layer: Layer, _ steps: [Step], _ groups: [Group], shared: String, bundle: String) -> String {
        var hosts: [String] = []
        for s in steps where !hosts.contains(s.host) { hosts.append(s.host) }
        var out = "\n- name: \(AnsibleText.yaml(layer.title))\n"
        out += "  hosts: [\(hosts.map(AnsibleText.yaml).joined(separator: ", "))]\n"
        out += "  gather_facts: false\n"
        out += "  any_errors_fatal: true\n"
        out += "  tasks:\n"
        for group in groups { out += tasks(group, shared: shared, bundle: bundle) }
        return out
    }

    static func scriptDir(_ step: Step) -> String { "steps/" + step.id }
    static func scriptPath(_ step: Step, _ phase: String) -> String { scriptDir(step) + "/" + phase + ".sh" }
    static func renderedPath(_ step: Step, _ file: PlannedFile) -> String {
        "files/" + step.host + "/" + String(file.path.drop { $0 == "/" })
    }

    /// Files in the shared folder are written by their step as the service user (root may be
    /// squashed by NFS there, and Ansible's copy cannot act as another user without sudo or ACLs on
    /// the host), and so is a file holding a secret (its rendered copy shows the variable, not the
    /// value); the others are held to the plan by `copy`, as root.
    static func copied(_ step: Step, shared: String) -> [PlannedFile] {
        step.files.filter { !$0.path.hasPrefix(shared + "/") && $0.content.secrets.isEmpty }
    }

    static func tasks(_ group: Group, shared: String, bundle: String) -> String {
        let first = group.steps[0]
        let sameTitle = group.steps.allSatisfy { $0.title == first.title }
        let ids = group.steps.map(\.id).joined(separator: ", ")
        let title = ids + ": " + first.title + (sameTitle ? "" : " (each host its own)")
        // What Ansible prints for each task (it does not print a block's name): `app.setenv@app1#node01,app2#node02`.
        let kind = first.layer.tag + "." + (Planner.action(of: first).split(separator: "#").first.map(String.init) ?? "")
        let label = kind + "@" + group.steps.map { s in s.host + (Planner.action(of: s).firstIndex(of: "#").map { String(Planner.action(of: s)[$0...]) } ?? "") }
            .joined(separator: ",")
        let uses = Array(Set(group.steps.flatMap { s in [s.check, s.apply, s.verify].flatMap(AnsibleText.secretUses) })).sorted()
        let secret = !uses.isEmpty
        let hasCheck = first.check != nil
        let optional = first.optional
        let timeout = group.steps.map(\.timeoutSeconds).max() ?? 600

        var out = "\n    - name: \(AnsibleText.yaml(title))\n"
        out += "      when: inventory_hostname in jc_steps\n"
        out += "      vars:\n        jc_steps:\n"
        for s in group.steps {
            out += "          \(AnsibleText.yaml(s.host)):\n            step: \(AnsibleText.yaml(s.id))\n"
            let files = copied(s, shared: shared)
            if !files.isEmpty { out += "            files:\n" }
            for f in files {
                let (owner, grp) = ownerGroup(f.owner)
                out += "              - {src: \(AnsibleText.yaml(renderedPath(s, f))), dest: \(AnsibleText.yaml(f.path)), owner: \(AnsibleText.yaml(owner)), group: \(AnsibleText.yaml(grp)), mode: \(AnsibleText.yaml("0" + String(f.mode, radix: 8)))}\n"
            }
            switch s.transfer {
            case .upload(let local, let remote)?:
                out += "            upload: {src: \(AnsibleText.yaml(controllerPath(local, bundle: bundle))), dest: \(AnsibleText.yaml(remote)), dir: \(AnsibleText.yaml(parent(remote)))}\n"
            case .download(let remote, let local)?:
                out += "            download: {src: \(AnsibleText.yaml(remote)), dest: \(AnsibleText.yaml(controllerPath(local, bundle: bundle)))}\n"
            case nil: break
            }
        }
        if secret {
            let lines = uses.map { "\(AnsibleText.encoded($0.name, $0.encoding))={{ \(AnsibleText.encoded($0.name, $0.encoding)) | quote }}\n" }.joined()
            out += "        jc_secret_lines: \(AnsibleText.yaml(lines))\n"
        }
        out += "      block:\n"

        func script(_ phase: String) -> String {
            let stdin = "{{ " + (secret ? "jc_secret_lines ~ " : "")
                + "lookup('ansible.builtin.file', 'steps/' ~ jc_steps[inventory_hostname].step ~ '/\(phase).sh', rstrip=false) }}"
            return "          ansible.builtin.command:\n            argv: [/bin/sh, -s]\n            stdin: \(AnsibleText.yaml(stdin))\n            stdin_add_newline: false\n"
        }
        func common(_ extra: String = "") -> String {
            (secret ? "          no_log: true\n" : "") + (optional ? "          ignore_errors: true\n" : "") + extra
        }
        let failed = "jc_check.rc | default(0) != 0"
        var when = ""
        if hasCheck {
            out += "        - name: \(AnsibleText.yaml(label + " " + "check"))\n" + script("check")
            out += "          register: jc_check\n          changed_when: false\n          failed_when: false\n          check_mode: false\n"
            out += "          timeout: \(timeout)\n" + common()
            out += "        - name: \(AnsibleText.yaml(label + " " + "would change (check mode)"))\n          ansible.builtin.debug:\n"
            out += "            msg: \(AnsibleText.yaml("{{ jc_check.stderr_lines[-1] if jc_check.stderr_lines else 'the check failed' }}"))\n"
            out += "          changed_when: true\n          when: ansible_check_mode and \(failed)\n" + common()
            when = "          when: \(failed)\n"
        }
        if group.steps.contains(where: { if case .upload? = $0.transfer { true } else { false } }) {
            // As the engine: skipped when the host has the same bytes, else sent with mode 0600
            // (the apply sets the final mode), never shown as a diff (it may be a private key).
            let upload = "jc_steps[inventory_hostname].upload is defined" + (when.isEmpty ? "" : " and \(failed)")
            let differs = upload + " and (not jc_there.stat.exists or jc_there.stat.checksum != jc_here.stat.checksum)"
            out += "        - name: \(AnsibleText.yaml(label + " upload, what the host has"))\n          ansible.builtin.stat:\n"
            out += "            path: \"{{ jc_steps[inventory_hostname].upload.dest }}\"\n            checksum_algorithm: sha1\n"
            out += "          register: jc_there\n          check_mode: false\n          when: \(upload)\n" + common()
            out += "        - name: \(AnsibleText.yaml(label + " upload, what the controller has"))\n          ansible.builtin.stat:\n"
            out += "            path: \"{{ jc_steps[inventory_hostname].upload.src }}\"\n            checksum_algorithm: sha1\n"
            out += "          delegate_to: localhost\n          become: false\n          register: jc_here\n          check_mode: false\n"
            out += "          failed_when: not jc_here.stat.exists\n          when: \(upload)\n" + common()
            out += "        - name: \(AnsibleText.yaml(label + " upload, the folder"))\n          ansible.builtin.file:\n"
            out += "            path: \"{{ jc_steps[inventory_hostname].upload.dir }}\"\n            state: directory\n"
            out += "          when: \(differs)\n" + common()
            out += "        - name: \(AnsibleText.yaml(label + " upload"))\n          ansible.builtin.copy:\n"
            out += "            src: \"{{ jc_steps[inventory_hostname].upload.src }}\"\n            dest: \"{{ jc_steps[inventory_hostname].upload.dest }}\"\n            mode: \"0600\"\n"
            out += "          diff: false\n          when: \(differs)\n          timeout: \(timeout)\n" + common()
        }
        out += "        - name: \(AnsibleText.yaml(label + (first.readOnly ? " probe" : " apply")))\n" + script("apply") + when
        if first.readOnly {
            // A probe only reads: it runs in check mode too, and changes nothing.
            out += "          changed_when: false\n          check_mode: false\n"
        } else {
            // A step without a check runs every time (its apply is idempotent): as the dry run, it
            // is not counted as a change.
            out += "          changed_when: \(hasCheck ? "true" : "false")\n"
        }
        out += "          timeout: \(timeout)\n" + common()
        if first.verify != nil {
            out += "        - name: \(AnsibleText.yaml(label + " " + "verify"))\n" + script("verify") + when + "          changed_when: false\n          timeout: \(timeout)\n" + common()
        }
        if group.steps.contains(where: { !copied($0, shared: shared).isEmpty }) {
            out += "        - name: \(AnsibleText.yaml(label + " " + "files, as the plan says"))\n          ansible.builtin.copy:\n"
            out += "            src: \"{{ item.src }}\"\n            dest: \"{{ item.dest }}\"\n            owner: \"{{ item.owner }}\"\n"
            out += "            group: \"{{ item.group }}\"\n            mode: \"{{ item.mode }}\"\n"
            out += "          loop: \"{{ jc_steps[inventory_hostname].files | default([]) }}\"\n          loop_control:\n            label: \"{{ item.dest }}\"\n"
            out += when + common()
        }
        if group.steps.contains(where: { if case .download? = $0.transfer { true } else { false } }) {
            out += "        - name: \(AnsibleText.yaml(label + " " + "download"))\n          ansible.builtin.fetch:\n"
            out += "            src: \"{{ jc_steps[inventory_hostname].download.src }}\"\n            dest: \"{{ jc_steps[inventory_hostname].download.dest }}\"\n            flat: true\n"
            out += "          when: jc_steps[inventory_hostname].download is defined\n" + common()
        }
        return out
    }

    static func ownerGroup(_ owner: String) -> (String, String) {
        let p = owner.split(separator: ":", maxSplits: 1).map(String.init)
        return (p[0], p.count > 1 ? p[1] : p[0])
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// A transfer's path on the controller: the bundle is a variable; files the engine keeps in
    /// its state folder are kept in `jc_transfer_dir`; any other file is where the answers say.
    static func controllerPath(_ local: String, bundle: String) -> String {
        if local == bundle { return "{{ joget_bundle }}" }
        return local.hasPrefix("/") || local.hasPrefix("~") ? local : "{{ jc_transfer_dir }}/" + local
    }

    /// A step's script as the playbook feeds it to `sh -s`: the engine's PATH and folder, then the
    /// script in a subshell reading /dev/null (so no command can read the script itself).
    static func scriptFile(_ step: Step, _ phase: String, _ script: Script) -> String {
        let uses = AnsibleText.secretUses(script)
        var out = "# \(step.id), \(phase): \(step.title)\n"
        out += "# Exported by joget-cluster; the playbook runs it as `sh -s` on \(step.host), as root.\n"
        if !uses.isEmpty {
            out += "# Before this text the playbook puts one line per secret, its value quoted by Jinja's quote:\n"
            for u in uses { out += "#   \(AnsibleText.encoded(u.name, u.encoding))=<\(AnsibleText.variable(u.name)), \(AnsibleText.suffix(u.encoding))>\n" }
        }
        out += "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}; export PATH; cd / || :\n"
        var body = AnsibleText.shell(script)
        if !body.hasSuffix("\n") { body += "\n" }
        return out + "(\n" + body + ") </dev/null\n"
    }

    /// A rendered file; a secret in it is shown as the Jinja of its variable, for the reader.
    static func rendered(_ content: FileContent) -> String {
        content.parts.map { part in
            switch part {
            case .text(let t): t
            case .secret(let n, let e): "{{ \(AnsibleText.encoded(n, e)) }}"
            }
        }.joined()
    }
}
