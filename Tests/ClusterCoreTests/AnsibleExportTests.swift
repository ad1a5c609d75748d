import Foundation
import Testing
@testable import ClusterCore

/// `export ansible`: the project's shape, the order of its tasks, its secrets (variables only,
/// quoted as the engine quotes them, hidden by no_log), and, where ansible-core is installed,
/// what ansible itself says of it.
@Suite struct AnsibleExportTests {
    static let hostile = "a'b\"c$(touch /tmp/jc-canary)`id`\\n\\\\d; x=:#! é😀 {{ y }}{% z %}\ttab\nline"

    static func project(_ a: Answers) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try AnsibleExport.project(a).map { ($0.path, $0.text) })
    }

    /// Where ansible-core is: ANSIBLE_VENV, the venv scripts/install-deps.sh makes, or the system.
    static let ansibleBin: String? = {
        var dirs = ["/tmp/jc-ansible-venv/bin", "/usr/local/bin", "/usr/bin"]
        if let v = ProcessInfo.processInfo.environment["ANSIBLE_VENV"] { dirs.insert(v + "/bin", at: 0) }
        return dirs.first { FileManager.default.isExecutableFile(atPath: $0 + "/ansible-playbook") }
    }()
    static let noAnsible = Comment(rawValue: "not run: ansible-playbook not installed (scripts/install-deps.sh test makes /tmp/jc-ansible-venv)")

    @Test(arguments: Fixtures.all.map(\.0))
    func projectHasEveryPieceAndEveryStep(_ name: String) throws {
        let a = try #require(Fixtures.all.first { $0.0 == name }?.1)
        let files = try Self.project(a)
        for path in ["ansible.cfg", "inventory.yml", "site.yml", "README.md", "secrets.example.yml",
                     "group_vars/all/joget.yml", "group_vars/all/secret_encodings.yml"] {
            #expect(files[path] != nil, "\(path) is missing")
        }
        let plan = Fixtures.plan(a)
        let site = try #require(files["site.yml"])
        for step in plan.steps {
            #expect(files["steps/\(step.id)/apply.sh"] != nil, "\(step.id) has no apply.sh")
            #expect((files["steps/\(step.id)/check.sh"] != nil) == (step.check != nil))
            #expect(site.contains("step: \"\(step.id)\""), "\(step.id) is not in the playbook")
            for f in step.files { #expect(files["files/\(step.host)\(f.path)"] != nil, "\(f.path) is not rendered") }
        }
        // One play per layer, in the wizard's order.
        let titles = Layer.allCases.filter { l in plan.steps.contains { $0.layer == l } }.map(\.title)
        let positions = titles.map { site.range(of: "- name: \"\($0)\"\n")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        // Groups by role.
        let inventory = try #require(files["inventory.yml"])
        for role in ["files", "db", "app", "lb"] { #expect(inventory.contains("\n    \(role):\n")) }
        for host in a.usedHosts { #expect(inventory.contains("    \"\(host)\":\n      ansible_")) }
        // What copy places holds no secret variable: such files are written by their step only.
        for line in site.split(separator: "\n") where line.contains("- {src: ") {
            let src = String(line.split(separator: "\"")[1])
            #expect(!(files[src] ?? "").contains("jc_secret"), "\(src) is copied with a secret in it")
        }
        // Only ansible.builtin modules.
        let modules = site.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("ansible.") }
        #expect(!modules.isEmpty && modules.allSatisfy { $0.hasPrefix("ansible.builtin.") })
    }

    /// Each layer's groups: a step's dependencies run in earlier groups, each host keeps plan order,
    /// and the same kind of step on several hosts is one group.
    @Test(arguments: Fixtures.all.map(\.0))
    func groupsHonourDependenciesAndPlanOrder(_ name: String) throws {
        let a = try #require(Fixtures.all.first { $0.0 == name }?.1)
        let plan = Fixtures.plan(a)
        var done = Set<String>()
        for layer in Layer.allCases {
            let steps = plan.steps.filter { $0.layer == layer }
            guard !steps.isEmpty else { continue }
            let groups = try AnsibleExport.merge(steps, before: done)
            #expect(groups.flatMap(\.steps).map(\.id).sorted() == steps.map(\.id).sorted())
            for g in groups {
                for s in g.steps { #expect(s.dependsOn.allSatisfy(done.contains), "\(s.id) runs before what it waits for") }
                #expect(Set(g.steps.map(\.host)).count == g.steps.count)
                done.formUnion(g.steps.map(\.id))
            }
            for host in Set(steps.map(\.host)) {
                let order = groups.flatMap(\.steps).filter { $0.host == host }.map(\.id)
                #expect(order == steps.filter { $0.host == host }.map(\.id), "\(host)'s steps left plan order")
            }
        }
        if name == "eight-node-static" {
            let packages = try AnsibleExport.merge(plan.steps.filter { $0.layer == .hosts }, before: []).first { $0.key == "hosts.packages" }
            #expect(packages?.steps.count == 11, "the packages of all eleven hosts are one group")
        }
    }

    /// The exported word of a script (values quoted, secrets as quoted expansions of variables the
    /// playbook sets with Jinja's quote) is the engine's word, byte for byte, for a hostile secret.
    @Test func exportedScriptsGiveTheEnginesWords() throws {
        for (_, a) in Fixtures.all {
            let plan = Fixtures.plan(a)
            let secrets = Fixtures.secrets(plan, value: Self.hostile)
            var probe = Script()
            var prelude = ""
            var seen = Set<String>()
            for step in plan.steps {
                for (_, script) in Fixtures.scripts(step) {
                    var word: [Script.Part] = []
                    func flush() {
                        if !word.isEmpty { probe += "printf '<%s>\\n' " + Script(word) + "\n" }
                        word = []
                    }
                    for part in script.parts {
                        switch part {
                        case .code: flush()
                        case .value, .secret:
                            word.append(part)
                            if case .secret(let n, let e) = part, seen.insert(AnsibleText.encoded(n, e)).inserted {
                                // Jinja's quote is shlex.quote: one single-quoted word.
                                prelude += AnsibleText.encoded(n, e) + "=" + "'" + e.encode(Self.hostile).replacingOccurrences(of: "'", with: #"'"'"'"#) + "'\n"
                            }
                        }
                    }
                    flush()
                }
            }
            // On stdin: the probe is longer than argv may be.
            let engine = try Run.program("/bin/sh", ["-s"], input: try probe.executable(with: secrets))
            let exported = try Run.program("/bin/sh", ["-s"], input: prelude + AnsibleText.shell(probe))
            #expect(engine.status == 0 && exported.status == 0, "\(engine.output.suffix(300)) | \(exported.output.suffix(300))")
            #expect(engine.output == exported.output)
            #expect(engine.output.contains(SecretEncoding.sqlString.encode(Self.hostile)))
        }
    }

    /// No value of a secret is written: the export never takes one. Every secret in a script is a
    /// variable set only on the script's stdin, and every task that handles one has no_log.
    @Test(arguments: Fixtures.all.map(\.0))
    func secretsAreVariablesAndHiddenFromTheLog(_ name: String) throws {
        let a = try #require(Fixtures.all.first { $0.0 == name }?.1)
        let files = try Self.project(a)
        for (path, text) in files {
            #expect(!text.contains("jc-canary"), "\(path)")
        }
        let site = try #require(files["site.yml"])
        let groups = site.components(separatedBy: "\n    - name: ").dropFirst()
        var secretGroups = 0
        for group in groups {
            let handlesSecret = group.contains("jc_secret") || group.contains("assert:")
            guard handlesSecret else { continue }
            secretGroups += 1
            let tasks = group.components(separatedBy: "\n        - name: ").dropFirst()
            let singles = group.contains("block:") ? Array(tasks) : [group]
            for task in singles {
                #expect(task.contains("no_log: true"), "a task handling a secret logs: \(task.prefix(200))")
            }
        }
        #expect(secretGroups >= 3)
        // A script names its secret as a variable, never as a value.
        let plan = Fixtures.plan(a)
        for step in plan.steps where !step.secrets.isEmpty {
            let text = try #require(files["steps/\(step.id)/apply.sh"] ?? files["steps/\(step.id)/check.sh"])
            #expect(text.contains("\"$jc_secret_"), "\(step.id)")
        }
        // Logins: a sudo password is a variable of the inventory.
        if name == "eight-node-static" {
            #expect(try #require(files["inventory.yml"]).contains("ansible_become_password: \"{{ sudo_db }}\""))
        }
    }

    /// Files sent from the controller: the bundle is its variable, a TLS key keeps its path; each is
    /// compared by checksum first, sent 0600, and never shown as a diff.
    @Test func uploadsComeFromTheControllerAsTheEngineSendsThem() throws {
        var a = Fixtures.twoNode
        a.loadBalancer.tls = LoadBalancer.TLS(certificate: "/home/ops/joget.pem", key: "/home/ops/joget.key", filesOn: .local)
        let site = try #require(try Self.project(a)["site.yml"])
        #expect(site.contains("upload: {src: \"{{ joget_bundle }}\""))
        #expect(site.contains("upload: {src: \"/home/ops/joget.key\", dest: \"/etc/joget-cluster/tls/jwsite.key\""))
        let copies = site.components(separatedBy: "ansible.builtin.copy:").dropFirst()
            .map { $0.components(separatedBy: "\n        - name:")[0] }.filter { $0.contains("upload.src") }
        #expect(!copies.isEmpty)
        for copy in copies {
            #expect(copy.contains("mode: \"0600\"") && copy.contains("diff: false") && copy.contains("jc_there.stat.checksum != jc_here.stat.checksum"))
        }
    }

    @Test func twoSecretsThatWouldBeOneVariableAreRefused() throws {
        var a = Fixtures.twoNode
        a.database.passwordSecret = SecretName("db_password")
        a.database.admin = .password
        a.database.adminPasswordSecret = SecretName("db-password")
        #expect(throws: AnsibleExport.ExportError.self) { try AnsibleExport.project(a) }
    }

    // MARK: with ansible-core

    static func write(_ files: [String: String], to dir: String) throws {
        for (path, text) in files {
            let url = URL(fileURLWithPath: dir).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    @Test(.enabled(if: ansibleBin != nil, noAnsible), arguments: Fixtures.all.map(\.0))
    func ansibleAcceptsThePlaybookAndTheInventory(_ name: String) throws {
        let bin = try #require(Self.ansibleBin)
        let a = try #require(Fixtures.all.first { $0.0 == name }?.1)
        let dir = try Run.tempDir("ansible-export")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.write(try Self.project(a), to: dir)
        let env = ["ANSIBLE_CONFIG": dir + "/ansible.cfg", "HOME": dir, "PATH": bin + ":/usr/bin:/bin", "ANSIBLE_LOCAL_TEMP": dir + "/tmp"]
        let syntax = try Run.program(bin + "/ansible-playbook", ["--syntax-check", "site.yml"], environment: env, directory: dir)
        #expect(syntax.status == 0, "\(syntax.output)")
        let inventory = try Run.program(bin + "/ansible-inventory", ["--list"], environment: env, directory: dir)
        #expect(inventory.status == 0, "\(inventory.output)")
        let listed = inventory.output.drop { $0 != "{" }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [String: Any])
        let app = try #require(json["app"] as? [String: Any])
        #expect(Set(app["hosts"] as? [String] ?? []) == Set(a.appHosts))
    }

    /// Jinja's encodings of a hostile secret, computed by ansible itself, are the engine's.
    @Test(.enabled(if: ansibleBin != nil, noAnsible))
    func ansibleEncodesSecretsAsTheEngine() throws {
        let bin = try #require(Self.ansibleBin)
        let dir = try Run.tempDir("ansible-encodings")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var vars = ""
        var expected = ""
        var shown = ""
        for e in [SecretEncoding.plain, .sqlString, .optionFile, .javaProperties] {
            let v = AnsibleText.encoded(SecretName("db-password"), e)
            vars += "\(v): \(AnsibleText.yaml(AnsibleText.jinja(e, of: "db_password")))\n"
            expected += e.encode(Self.hostile) + "\n--\n"
            shown += "{{ \(v) }}\n--\n"
        }
        let playbook = """
            - hosts: localhost
              gather_facts: false
              vars_files: [encodings.yml]
              tasks:
                - ansible.builtin.copy:
                    dest: \(AnsibleText.yaml(dir + "/out.txt"))
                    content: \(AnsibleText.yaml(shown))
            """
        try Self.write(["encodings.yml": vars, "p.yml": playbook,
                        "secrets.yml": "db_password: !unsafe \(AnsibleText.yaml(Self.hostile))\n"], to: dir)
        let env = ["HOME": dir, "PATH": bin + ":/usr/bin:/bin", "ANSIBLE_LOCAL_TEMP": dir + "/tmp"]
        let r = try Run.program(bin + "/ansible-playbook", ["-c", "local", "-i", "localhost,", "-e", "ansible_python_interpreter=" + bin + "/python",
                                                            "-e", "@secrets.yml", "p.yml"], environment: env, directory: dir)
        #expect(r.status == 0, "\(r.output)")
        let got = try String(contentsOfFile: dir + "/out.txt", encoding: .utf8)
        #expect(got == expected)
    }
}
