import ClusterCore
@testable import ClusterEngine
import Foundation
import Synchronization
import Testing

/// The Verifier over fake hosts: what it does with probes that could not run, and the record it keeps.
/// The ids of the checks whose judge was called, in order.
final class JudgeCalls: Sendable {
    private let ids = Mutex<[String]>([])
    func add(_ id: String) { ids.withLock { $0.append(id) } }
    var all: [String] { ids.withLock { $0 } }
}

@Suite struct VerifierTests {
    /// A check with one probe per host whose judge passes and notes that it was called.
    static func check(_ id: String, on hosts: [String], judged: JudgeCalls) -> ClusterCheck {
        ClusterCheck(id: id, layer: .appServers, title: "\(id): works",
                     probes: hosts.map { Probe(host: $0, script: Script("probe \(id)")) }) { _ in
            judged.add(id)
            return .pass("resolves to nothing local")
        }
    }

    static func verifier(_ world: FakeWorld, record: StateDir? = nil) -> Verifier {
        Verifier(secrets: SecretValues(), timeout: .seconds(2), record: record) { world.transport($0) }
    }

    /// A probe that could not run (its connection dropped, it timed out) proves nothing: the judge
    /// is not asked, and the check is not run with the reason, never a pass.
    @Test func probesThatCouldNotRunAreNotJudged() async {
        let world = FakeWorld()
        world.on("probe lost", FakeBehavior(connectionLost: "host key verification failed"))
        world.on("probe slow", .hang)
        let judged = JudgeCalls()
        let checks = [Self.check("lost", on: ["app1"], judged: judged), Self.check("slow", on: ["app1"], judged: judged),
                      Self.check("fine", on: ["app1"], judged: judged),
                      Self.check("half", on: ["app1", "app2"], judged: judged)]
        world.on("probe half", host: "app2", FakeBehavior(connectionLost: "reset by peer"))
        let outcomes = await Self.verifier(world).run(checks)
        #expect(judged.all == ["fine"])
        #expect(outcomes.map(\.verdict.status) == [Verdict.Status.notRun, .notRun, .pass, .notRun])
        #expect(outcomes[0].verdict.evidence.contains("host key verification failed"))
        #expect(outcomes[1].verdict.evidence.contains("timed out"))
        #expect(outcomes[3].verdict.evidence.contains("app2") && outcomes[3].verdict.evidence.contains("reset by peer"))
            }

    /// A host that cannot be logged in to is said once, with the reason; every check with a probe on
    /// it is not run for that reason, without trying its probes (nor the host) again.
    @Test func aHostThatCannotBeReachedIsSaidOnce() async {
        let world = FakeWorld()
        world.failConnect("app1", .unknownHostKey(host: "app1", fingerprint: "SHA256:abc", keyType: "ED25519"))
        let judged = JudgeCalls()
        let checks = [Self.check("one", on: ["app1"], judged: judged), Self.check("two", on: ["app2"], judged: judged),
                      Self.check("both", on: ["app2", "app1"], judged: judged), Self.check("again", on: ["app1"], judged: judged)]
        let seen = Mutex<[String]>([])
        let outcomes = await Self.verifier(world).run(checks) { o in seen.withLock { $0.append(o.id) } }
        #expect(outcomes.map(\.id) == ["login@app1", "one", "two", "both", "again"])
        #expect(seen.withLock { $0 } == outcomes.map(\.id), "each outcome is handed over as it comes")
        let login = outcomes[0]
        #expect(login.title == "app1: cannot log in" && login.layer == .hosts && login.verdict.notRun)
        #expect(login.verdict.evidence.hasPrefix("unknown host key ED25519 SHA256:abc"), "\(login.verdict.evidence)")
        for o in outcomes where ["one", "both", "again"].contains(o.id) {
            #expect(o.verdict == .notRun("cannot log in to app1"), "\(o.id): \(o.verdict)")
        }
        #expect(outcomes[2].verdict.passed)
        #expect(judged.all == ["two"])
        #expect(world.connects("app1") == 1, "app1 is tried once")
        #expect(world.scripts(on: "app1").isEmpty)
    }

    /// verify.json keeps the not-run state and its reason; a file written before there was one
    /// (only `passed`) still reads.
    @Test func recordKeepsNotRun() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let state = try StateDir(path: dir.path + "/state")
        try StateDir.makePrivateDirectory(state.path)
        let outcomes = [CheckOutcome(id: "a", layer: .hosts, title: "A", verdict: .pass("ok"), duration: .seconds(1)),
                        CheckOutcome(id: "b", layer: .database, title: "B", verdict: .fail("no"), duration: .seconds(1)),
                        CheckOutcome(id: "c", layer: .appServers, title: "C", verdict: .notRun("cannot log in to app1"), duration: .zero)]
        try VerifyRecord(outcomes: outcomes, time: Date(timeIntervalSince1970: 1_790_000_000)).save(to: state)
        let text = try String(contentsOfFile: state.verifyPath, encoding: .utf8)
        #expect(text.contains("\"status\" : \"not-run\""))
        #expect(VerifyRecord.load(from: state)?.outcomes.map(\.verdict) == outcomes.map(\.verdict))

        let old = """
            {"time": "2026-09-21T10:00:00Z", "checks": [
              {"id": "a", "layer": 1, "title": "A", "passed": true, "evidence": "ok", "seconds": 0.5},
              {"id": "b", "layer": 2, "title": "B", "passed": false, "evidence": "no", "seconds": 1}]}
            """
        try Data(old.utf8).write(to: URL(fileURLWithPath: state.verifyPath))
        let read = try #require(VerifyRecord.load(from: state))
        #expect(read.outcomes.map(\.verdict) == [.pass("ok"), .fail("no")])
    }
}
