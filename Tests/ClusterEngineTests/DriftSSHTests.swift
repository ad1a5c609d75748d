@testable import ClusterCore
@testable import ClusterEngine
import Foundation
import TestSupport
import Testing

/// `apply --dry-run` over real OpenSSH (the private loopback sshd fixture, sudo without a password):
/// apply, edit a file by hand, and the dry run names that step, leaving the file and the journal
/// as they were; then the binary itself, its output and its exit codes.
@Suite(.serialized, .enabled(if: SSHFixture.available, "needs root and the sshd fixture"))
struct DriftSSHTests {
    static func sha256(_ path: String) -> String {
        Program.run(["/usr/bin/sha256sum", path]).output.split(separator: " ").first.map(String.init) ?? ""
    }

    @Test func aHandEditedFileIsNamedAndLeftAlone() async throws {
        let dir = SSHFixture.tempDir("drift")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let host = SSHFixture.keyHost(name: "loop")
        let path = dir + "/conf/server.xml"
        let file = PlannedFile(path: path, content: FileContent([.text("<Server port=\"8005\">\n  <!-- secret: "),
                                                               .secret(SecretName("db-password"), .plain), .text(" -->\n</Server>\n")]),
                               mode: 0o640, owner: "root:root")
        let plan = Plan(steps: [
            Step(id: "app.folder@loop", layer: .appServers, host: "loop", title: "folder",
                 check: Sh.require("[ -d \(dir + "/conf") ]", because: "\(dir)/conf does not exist") + "\n",
                 apply: "mkdir -p \(dir + "/conf")\n"),
            Step(id: "app.server-xml@loop", layer: .appServers, host: "loop", title: "server.xml",
                 check: Sh.matches(file) + "\n", apply: Sh.strict + Sh.write(file), files: [file], dependsOn: ["app.folder@loop"]),
            Step(id: "app.probe@loop", layer: .appServers, host: "loop", title: "probe", check: nil, apply: "true\n", readOnly: true),
        ])
        let secret = "drift-'secret-\(UUID().uuidString.prefix(6))"
        let secrets = SecretValues([SecretName("db-password"): secret])
        let state = try StateDir(path: dir + "/state")
        let transports = { @Sendable (name: String) -> any Transport in
            Transports.make(host: host, secrets: secrets, options: SSHFixture.options())
        }

        let runner = try Runner(plan: plan, secrets: secrets, stateDir: state, answersHash: "A", transports: transports)
        let applied = await runner.run()
        await runner.close()
        #expect(applied.succeeded, "\(applied.outcomes)")
        let journal = try Data(contentsOf: URL(fileURLWithPath: state.journalPath))

        // Untouched: nothing would change.
        var report = await DriftCheck(plan: plan, secrets: secrets, transports: transports).run()
        #expect(report.exitCode == 0, "\(report.findings)")
        #expect(report.summary == "0 steps would change; 2 in place; 0 could not be checked; 1 without a check (they run on every apply, not counted)")

        // Edited by hand: named, with its reason; the file and the journal stay as they are.
        try FileManager.default.removeItem(atPath: path)
        try Data("<Server port=\"9005\"/>\n".utf8).write(to: URL(fileURLWithPath: path))
        let before = Self.sha256(path)
        report = await DriftCheck(plan: plan, secrets: secrets, transports: transports).run()
        #expect(report.exitCode == 3)
        #expect(report.lines(quiet: true) == ["would change  app.server-xml@loop  loop  \(path) differs from the plan"])
        #expect(Self.sha256(path) == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: state.journalPath)) == journal)
        #expect(try Journal.load(stateDir: state).runComplete)

        // Put back with the wrong mode: the reason says which.
        try FileManager.default.removeItem(atPath: path)
        try Data(file.content.parts.map { if case .text(let t) = $0 { t } else { secret } }.joined().utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        report = await DriftCheck(plan: plan, secrets: secrets, transports: transports).run()
        #expect(report.lines(quiet: true) == ["would change  app.server-xml@loop  loop  \(path) is mode 600 owner root:root, the plan says 640 root:root"])
        #expect(!report.lines().joined().contains(secret))
    }

    // MARK: the binary

    /// The joget-cluster binary built with the tests.
    static var binary: String? { BuiltBinary.path }

    /// One host, every role, on the fixture; every folder of the plan in `dir`.
    static func answers(_ dir: String) -> Answers {
        var a = Answers()
        a.cluster = "drift-e2e"
        a.hosts = [SSHFixture.keyHost(name: "box")]
        a.sharedFiles.provider = .existing
        a.sharedFiles.mountPoint = dir + "/shared"
        a.database.host = "box"
        a.appServers.installDir = dir + "/opt"
        a.appServers.bundle = dir + "/joget-enterprise-linux-8.1.6.tar.gz"
        a.appServers.bundleOn = .server
        a.appServers.nodes = [Node(name: "node01", host: "box", httpPort: 28080)]
        a.loadBalancer.host = "box"
        a.loadBalancer.serverName = "joget.test"
        a.loadBalancer.httpPort = 28000
        return a
    }

    @Test(.enabled(if: binary != nil, "the joget-cluster binary is not built"))
    func theCommandListsWhatWouldChangeAndExitsThree() throws {
        let dir = SSHFixture.tempDir("drift-cli")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = Self.answers(dir)
        try AnswersFile.save(a, to: dir + "/answers.yaml")
        let secretsFile = dir + "/secrets"
        try Data("db-password: cli-secret-Q9\n".utf8).write(to: URL(fileURLWithPath: secretsFile))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretsFile)
        let state = dir + "/state"
        let argv = [Self.binary!, "apply", "--dry-run", "--answers", dir + "/answers.yaml", "--state-dir", state,
                    "--secrets", secretsFile, "--known-hosts", SSHFixture.env!.knownHosts]

        let r = Program.run(argv)
        let lines = r.output.split(separator: "\n").map(String.init)
        #expect(r.status == 3, "exit \(r.status): \(r.output)\n\(r.errors)")
        #expect(lines.first?.hasPrefix("Checking ") == true && lines.first?.hasSuffix(" on box (dry run: nothing is changed)") == true)
        let xml = dir + "/opt/node01/conf/server.xml"
        #expect(lines.contains { $0.hasPrefix("would change  app.server-xml@box#node01  ") && $0.hasSuffix("  box  \(xml) does not exist (after: app.install@box#node01 changes)") },
                "\(r.output)")
        #expect(lines.contains { $0.hasPrefix("probe ") && $0.contains("hosts.os@box") })
        #expect(lines.contains { $0.hasPrefix("no check ") && $0.contains("db.create-user@box") })
        #expect(lines.last?.contains(" steps would change on box; ") == true && lines.last?.contains("; 0 could not be checked;") == true,
                "\(lines.last ?? "")")
        #expect(!r.output.contains("cli-secret-Q9") && !r.errors.contains("cli-secret-Q9"))
        // Nothing recorded: no journal, no logs, no answers saved; the planned files were not written.
        for f in ["journal.jsonl", "logs", "answers.yaml", "work"] {
            #expect(!FileManager.default.fileExists(atPath: state + "/" + f), "\(f) was written")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/opt"))

        let quiet = Program.run(argv + ["--quiet"])
        #expect(quiet.status == 3)
        #expect(!quiet.output.contains("\nprobe ") && !quiet.output.contains("\nno check "))

        // Another run holds the state folder: refused, exit 1.
        let lock = try StateDirLock(StateDir(path: state))
        let busy = Program.run(argv)
        lock.release()
        #expect(busy.status == 1)
        #expect(busy.errors.contains("another joget-cluster run is using"), "\(busy.errors)")

        let help = Program.run([Self.binary!, "apply", "--help"])
        #expect(help.output.contains("--dry-run") && help.output.contains("3 something would change"))
    }
}
