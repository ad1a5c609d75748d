import ClusterCore
@testable import ClusterEngine
import Foundation
import Synchronization
import Testing
import Wizard

/// The runner against real `/bin/sh` processes: three "hosts" (folders in a temp dir), five steps each.
@Suite struct RunnerIntegrationTests {
    static let secret = "pa55-W0rd'quote"

    /// Counts the scripts each host ran, around any transport.
    final class Counting: Sendable {
        let scripts = Mutex<[String]>([])
        func wrap(_ t: any Transport) -> any Transport { CountingTransport(inner: t, counter: self) }
    }
    struct CountingTransport: Transport {
        let inner: any Transport
        let counter: Counting
        var hostName: String { inner.hostName }
        func connect() async throws { try await inner.connect() }
        func run(_ script: String, timeout: Duration, onLine: @escaping @Sendable (OutputLine) -> Void) async -> CommandResult {
            counter.scripts.withLock { $0.append(script) }
            return await inner.run(script, timeout: timeout, onLine: onLine)
        }
        func upload(localPath: String, remotePath: String, mode: Int) async throws -> UploadOutcome {
            try await inner.upload(localPath: localPath, remotePath: remotePath, mode: mode)
        }
        func download(remotePath: String, localPath: String) async throws { try await inner.download(remotePath: remotePath, localPath: localPath) }
        func close() async { await inner.close() }
    }

    static func plan(root: String) -> Plan {
        let hosts = ["h1", "h2", "h3"]
        var steps: [Step] = []
        for (i, h) in hosts.enumerated() {
            let r = root + "/hosts/" + h
            steps.append(Step(id: "hosts.dirs@\(h)", layer: .hosts, host: h, title: "folders",
                              check: "test -d \(r + "/etc")", apply: "mkdir -p \(r + "/etc") && echo made \(r)"))
            steps.append(Step(id: "files.config@\(h)", layer: .sharedFiles, host: h, title: "config",
                              check: "test -f \(r + "/etc/app.conf")",
                              apply: "printf 'name=%s\\n' \(h) > \(r + "/etc/app.conf")",
                              verify: "grep -q '^name=\(raw: h)$' \(r + "/etc/app.conf")",
                              transfer: .download(remote: r + "/etc/app.conf", local: "fetched/\(h).conf")))
            steps.append(Step(id: "db.bundle@\(h)", layer: .database, host: h, title: "bundle",
                              check: "test -f \(r + "/bundle.txt")",
                              apply: "wc -c < \(r + "/bundle.txt") && echo '\u{1B}[32mgreen\u{1B}[0m text'",
                              transfer: .upload(local: "bundle.txt", remote: r + "/bundle.txt")))
            let peer = hosts[(i + 1) % hosts.count]
            steps.append(Step(id: "app.peer@\(h)", layer: .appServers, host: h, title: "peer",
                              check: "test -f \(r + "/peer.conf")",
                              apply: "cp \(root + "/hosts/" + peer + "/etc/app.conf") \(r + "/peer.conf")",
                              dependsOn: ["files.config@\(peer)"]))
            steps.append(Step(id: "lb.secret@\(h)", layer: .loadBalancer, host: h, title: "secret",
                              check: "test -f \(r + "/secret")",
                              apply: "printf '%s' \(secret: SecretName("db-password")) > \(r + "/secret") && echo the password is \(secret: SecretName("db-password")) && echo \(secret: SecretName("db-password")) >&2"))
        }
        return Plan(steps: steps)
    }

    static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
    }

    enum Kind: String, CaseIterable, Sendable { case localTransport, testShell }
    static func transport(_ kind: Kind, _ host: String) -> any Transport {
        switch kind {
        case .localTransport: LocalTransport(name: host)
        case .testShell: ShellTestTransport(hostName: host)
        }
    }

    @Test(arguments: Kind.allCases)
    func threeHostsFiveStepsThenResumeAndRerun(kind: Kind) async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let plan = Self.plan(root: dir.path)
        let state = try StateDir(path: dir.path + "/state")
        try StateDir.makePrivateDirectory(state.workPath)
        try Data("bundle-bytes".utf8).write(to: URL(fileURLWithPath: state.workPath + "/bundle.txt"))
        let secrets = SecretValues([SecretName("db-password"): Self.secret])
        let counter = Counting()
        let runner = try Runner(plan: plan, secrets: secrets, stateDir: state, answersHash: "A") { host in
            counter.wrap(Self.transport(kind, host))
        }
        let events = EventLog(runner)
        let summary = await runner.run()
        await runner.close()
        #expect(summary.succeeded, "\(summary.outcomes.filter { !$0.status.satisfiesDependents })")
        #expect(summary.outcomes.count == 15)
        for h in ["h1", "h2", "h3"] {
            let r = dir.path + "/hosts/" + h
            #expect(try String(contentsOfFile: r + "/etc/app.conf", encoding: .utf8) == "name=\(h)\n")
            #expect(try String(contentsOfFile: r + "/secret", encoding: .utf8) == Self.secret)
            #expect(try String(contentsOfFile: r + "/bundle.txt", encoding: .utf8) == "bundle-bytes")
            #expect(FileManager.default.fileExists(atPath: r + "/peer.conf"))
            #expect(try String(contentsOfFile: state.workPath + "/fetched/\(h).conf", encoding: .utf8) == "name=\(h)\n")
        }
        // Output arrived, cleaned: colour codes stripped, the secret masked.
        let texts = events.outputs.map(\.text)
        #expect(texts.contains("green text"))
        #expect(texts.contains("the password is ****"))
        #expect(events.outputs.contains { $0.stream == .stderr && $0.text == "****" })
        #expect(!texts.contains { $0.contains(Self.secret) || $0.contains("\u{1B}") })
        try assertNoSecretUnder(state.path, secret: Self.secret)
        let firstCount = counter.scripts.withLock { $0.count }
        #expect(firstCount == 15 * 2 + 3)  // check + apply each, verify on the three config steps

        // Resume from the journal: nothing runs again.
        let journal = try Journal.load(stateDir: state)
        #expect(journal.runFinished && journal.runComplete)
        #expect(ResumeReport(plan: plan, journal: journal, answersHash: "A").isComplete)
        let resumed = try Runner(plan: plan, secrets: secrets, stateDir: state, answersHash: "A", resume: journal) { host in
            counter.wrap(Self.transport(kind, host))
        }
        let again = await resumed.run()
        await resumed.close()
        #expect(again.succeeded && again.outcomes.allSatisfy(\.fromJournal))
        #expect(counter.scripts.withLock { $0.count } == firstCount)

        // A fresh run without the journal: every check passes, nothing is applied.
        let fresh = try Runner(plan: plan, secrets: secrets, stateDir: state, answersHash: "A") { host in
            counter.wrap(Self.transport(kind, host))
        }
        let third = await fresh.run()
        await fresh.close()
        #expect(third.outcomes.allSatisfy { $0.status == .alreadyDone })
        #expect(counter.scripts.withLock { $0.count } == firstCount + 15)

        let status = LineOutput.statusTable(try Journal.load(stateDir: state), plan: plan)
        #expect(status.contains("lb.secret@h3") && status.contains("already done"))
    }

    @Test(arguments: Kind.allCases)
    func realTimeoutAndStop(kind: Kind) async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let state = try StateDir(path: dir.path + "/state")
        let steps = [
            Step(id: "slow@a", layer: .hosts, host: "a", title: "t", check: nil, apply: "sleep 5", timeoutSeconds: 1),
            Step(id: "long@b", layer: .hosts, host: "b", title: "t", check: nil,
                 apply: "echo started; sleep 30 & echo $! > \(dir.path + "/pid"); wait"),
        ]
        let runner = try Runner(plan: Plan(steps: steps), secrets: SecretValues(), stateDir: state, answersHash: nil) {
            Self.transport(kind, $0)
        }
        let task = Task { await runner.run() }
        try await waitFor { FileManager.default.fileExists(atPath: dir.path + "/pid") }
        // Stop once the slow step has timed out on its own.
        for _ in 0..<500 {
            if case .finished? = await runner.state(of: "slow@a") { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        runner.stop()
        let s = await task.value
        guard case .failed(let reason)? = s.status("slow@a") else { Issue.record("not failed: \(String(describing: s.status("slow@a")))"); return }
        #expect(reason.contains("timed out"))
        #expect(s.status("long@b") == .interrupted)
        let pid = Int32(try String(contentsOfFile: dir.path + "/pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))!
        // The step's process (a child of its shell) is gone: killed with its process group.
        // (A zombie still answers kill(0) until it is reaped, so look at its state.)
        try await waitFor { kill(pid, 0) != 0 || Self.isZombie(pid) }
        #expect(kill(pid, 0) != 0 || Self.isZombie(pid), "the stopped step's process is gone")
        await runner.close()
    }

    @Test func secretsAndEscapesNeverReachFilesOrEvents() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let secret = "Xy-9!s3cr3t"
        let world = FakeWorld()
        world.on("apply", FakeBehavior(exit: 1, lines: [(.stdout, "value=\(secret)"), (.stderr, "\u{1B}]0;title\u{07}\u{1B}[2Jerr \(secret)"),
                                                       (.stdout, "progress 10%\r\(secret)\r")],
                                      echoScript: true))
        world.on("check s2", FakeBehavior(connectionLost: "peer said \(secret)"))
        world.failConnect("db3", .authenticationFailed(host: "db3", detail: "denied for \u{1B}[1m\(secret)"))
        let steps = [
            Step(id: "s1", layer: .database, host: "db", title: "t", check: "check s1",
                 apply: "apply --password \(secret: SecretName("pw"), as: .optionFile)"),
            Step(id: "s2", layer: .database, host: "db2", title: "t", check: "check s2", apply: "apply"),
            Step(id: "s3", layer: .database, host: "db3", title: "t", check: "check s3", apply: "apply"),
        ]
        let state = try StateDir(path: dir.path + "/state")
        let runner = try Runner(plan: Plan(steps: steps), secrets: SecretValues([SecretName("pw"): secret]),
                                stateDir: state, answersHash: "h") { world.transport($0) }
        let events = EventLog(runner)
        let lines = Mutex<[String]>([])
        let output = LineOutput(plan: Plan(steps: steps))
        let s = await runner.run()
        await runner.close()
        for e in events.all { lines.withLock { $0 += output.format(e) } }
        // The transport did get the real value.
        #expect(world.scripts.contains { $0.contains(secret) })
        #expect(s.status("s1") == .failed("apply exited with status 1"))
        #expect(s.status("s2") == .failed("connection to db2 lost during check: peer said ****"))
        #expect(s.status("s3") == .failed("db3: login failed: denied for ****"))
        let problems = events.all.compactMap { if case .hostProblem(_, let e) = $0 { e.description } else { nil } }
        #expect(problems == ["db3: login failed: denied for ****"])
        let texts = events.outputs.map(\.text)
        #expect(texts.contains("value=****") && texts.contains("err ****") && texts.contains("****"))
        for text in texts + lines.withLock({ $0 }) {
            #expect(!text.contains(secret) && !text.contains("\u{1B}") && !text.contains("\u{07}"), "\(text)")
        }
        try assertNoSecretUnder(state.path, secret: secret)
    }
}

/// Every file under `path` is free of the secret and of escape characters.
func assertNoSecretUnder(_ path: String, secret: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let files = FileManager.default.enumerator(atPath: path)!.compactMap { $0 as? String }
    var checked = 0
    for f in files {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path + "/" + f, isDirectory: &isDir), !isDir.boolValue else { continue }
        if f.hasPrefix("work/") { continue }  // transferred files are the operator's own
        let data = try Data(contentsOf: URL(fileURLWithPath: path + "/" + f))
        checked += 1
        #expect(data.range(of: Data(secret.utf8)) == nil, "\(f) holds the secret", sourceLocation: sourceLocation)
        #expect(!data.contains(0x1B), "\(f) holds an escape", sourceLocation: sourceLocation)
    }
    #expect(checked >= 2, sourceLocation: sourceLocation)
}
