import Foundation
import Testing
@testable import ClusterCore

/// Every script the plan holds, filled with hostile secrets, must still be one valid sh script, and
/// a secret must arrive as data, never as code.
@Suite(.serialized) struct PlanScriptTests {
    static let canary = "/tmp/joget-cluster-PWNED-\(getpid())"
    static var hostile: [String] {
        [
            "a'b\"c$(touch \(canary))",
            "`touch \(canary)`;\\ $HOME ${x} %s %% \\n",
            " lead: = # ! \\ é\ttab'\"'",
            "'; touch \(canary); echo '",
            "-n",
            "",
        ]
    }

    @Test(arguments: Fixtures.all.map(\.0))
    func everyScriptParsesWithHostileSecrets(_ name: String) throws {
        let plan = Fixtures.plan(Fixtures.all.first { $0.0 == name }!.1)
        let dir = try Run.tempDir("sh-n")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var count = 0
        for (v, value) in Self.hostile.enumerated() {
            let secrets = Fixtures.secrets(plan, value: value)
            for step in plan.steps {
                for (role, script) in Fixtures.scripts(step) {
                    let text = try script.executable(with: secrets)
                    let path = "\(dir)/\(step.id.replacingOccurrences(of: "/", with: "_"))-\(role)-\(v).sh"
                    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                    let r = try Run.program("/bin/sh", ["-n", path])
                    #expect(r.status == 0, "sh -n rejects the \(role) script of \(step.id) with secret #\(v): \(r.output)")
                    count += 1
                }
            }
        }
        #expect(count > 100)
        #expect(!FileManager.default.fileExists(atPath: Self.canary))
    }

    @Test func secretsNeverShowInDisplays() throws {
        for (_, a) in Fixtures.all {
            let plan = Fixtures.plan(a)
            let value = "joget-secret-value-\(UUID().uuidString)"
            let secrets = Fixtures.secrets(plan, value: value)
            var used = 0
            for step in plan.steps {
                for (_, script) in Fixtures.scripts(step) {
                    #expect(!script.display.contains(value))
                    if try script.executable(with: secrets).contains(value) { used += 1 }
                }
                for f in step.files { #expect(!f.content.display.contains(value)) }
                for n in step.notes { #expect(!n.contains(value)) }
                #expect(!step.title.contains(value))
            }
            #expect(used > 0, "no script uses the secrets at all")
            #expect(!Planner.describe(plan).contains(value))
        }
    }

    /// `printf '%s' WORD` for every text the plan writes with secrets in it (files, SQL, option files):
    /// run for real, it must print exactly the text with the secret encoded, and run nothing.
    @Test func secretBearingTextsArriveExactly() throws {
        var texts: [FileContent] = []
        for (_, a) in Fixtures.all {
            let plan = Fixtures.plan(a)
            texts += plan.steps.flatMap(\.files).map(\.content)
            let c = Cluster(a)
            texts.append(Planner.userSQL(c))
        }
        #expect(texts.contains { !$0.secrets.isEmpty })
        for value in Self.hostile {
            for content in texts {
                var secrets = SecretValues()
                for n in content.secrets { secrets[n] = value }
                let script: Script = "printf '%s' \(content: content)"
                let r = try Run.program("/bin/sh", ["-c", try script.executable(with: secrets)])
                let want = content.parts.map { part -> String in
                    switch part {
                    case .text(let t): t
                    case .secret(_, let encoding): encoding.encode(value)
                    }
                }.joined()
                #expect(r.status == 0)
                #expect(r.output == want)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: Self.canary))
    }

    /// The /etc/hosts rewrite, run on sample files.
    @Test func hostsFileFix() throws {
        func fix(_ hosts: String, real: String = "10.1.2.3", name: String = "app1.example.com") throws -> String {
            let short = String(name.split(separator: ".").first!)
            let r = try Run.program("/usr/bin/awk", ["-v", "real=\(real)", "-v", "name=\(name)", "-v", "short=\(short)", Planner.hostsAwk],
                                    input: hosts)
            #expect(r.status == 0)
            return r.output
        }
        let debian = "127.0.0.1\tlocalhost\n127.0.1.1\tapp1.example.com\tapp1\n\n# IPv6\n::1     localhost ip6-localhost ip6-loopback\n"
        #expect(try fix(debian) == "127.0.0.1\tlocalhost\n10.1.2.3 app1.example.com app1\n\n# IPv6\n::1     localhost ip6-localhost ip6-loopback\n")
        // Already right: unchanged.
        let good = "127.0.0.1 localhost\n10.1.2.3 app1.example.com app1\n"
        #expect(try fix(good) == good)
        // The name on the 127.0.0.1 line is taken off it; the real line gets the names.
        #expect(try fix("127.0.0.1 localhost app1 # set by hand\n10.1.2.3 other\n")
                == "127.0.0.1 localhost # set by hand\n10.1.2.3 other app1.example.com app1\n")
        // Nothing for the host at all: a line is added.
        #expect(try fix("127.0.0.1 localhost\n", name: "app1") == "127.0.0.1 localhost\n10.1.2.3 app1\n")
        // Another host's 127.0.1.1 line (a container's) is left alone.
        #expect(try fix("127.0.1.1 builder\n") == "127.0.1.1 builder\n10.1.2.3 app1.example.com app1\n")
    }
}
