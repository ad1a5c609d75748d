import Foundation
import Testing
@testable import ClusterCore

/// The paths `check` tests between hosts, and how it judges what the hosts printed.
@Suite struct NetworkChecksTests {
    @Test func everyPathTheClusterNeedsIsTestedFromItsClients() {
        let paths = NetworkChecks.paths(for: Fixtures.twoNode)
        let shown = paths.map { "\($0.clients.joined(separator: ",")) > \($0.target):\($0.port)" }
        #expect(shown == [
            "app1,app2 > files:2049", "app1,app2 > files:111", "app1,app2 > db:3306",
            "app2 > app1:4000", "app1 > app2:4000",
            "lb > app1:8080", "lb > app2:8080",
        ])
        // Static membership, a MySQL host, TLS: no NFS server to reach when the folder is mounted already.
        let eight = NetworkChecks.paths(for: Fixtures.eightNodeStatic)
        #expect(eight.filter { $0.port == 2049 }.count == (Fixtures.eightNodeStatic.sharedFiles.provider == .nfs ? 1 : 0))
        #expect(eight.allSatisfy { !$0.clients.contains($0.target) }, "a host never tests a path to itself")
        #expect(NetworkChecks.checks(for: Fixtures.eightNodeStatic, word: "w").allSatisfy { !$0.id.hasPrefix("multicast") })
        let multicast = NetworkChecks.checks(for: Fixtures.twoNode, word: "w").filter { $0.id.hasPrefix("multicast") }
        #expect(multicast.map(\.title) == ["A multicast datagram from app1 to 228.0.0.4 arrives on app2"])
    }

    static func result(_ lines: String...) -> ProbeResult { ProbeResult(exitCode: 0, output: lines) }

    @Test func aBlockedPortFailsNamingTheClientTheTargetAndTheRuleToAdd() throws {
        let a = Fixtures.twoNode
        let db = try #require(NetworkChecks.checks(for: a, word: "w").first { $0.id == "reach.db:3306" })
        #expect(db.probes.map(\.host) == ["db", "app1", "app2", "db"])
        let blocked = db.judge([Self.result("JC listener=started"), Self.result("JC reach=ok"),
                                Self.result("JC reach=Connection timed out"), Self.result("JC stopped=yes")])
        #expect(blocked.failed)
        #expect(blocked.evidence.contains("app2 cannot reach db:3306 at 192.168.1.21 (Connection timed out)"))
        #expect(blocked.evidence.contains("ufw allow from 192.168.1.11 to any port 3306"))
        #expect(!blocked.evidence.contains("app1 cannot"))
        let open = db.judge([Self.result("JC listener=service"), Self.result("JC reach=ok"), Self.result("JC reach=ok"), Self.result("JC stopped=yes")])
        #expect(open.passed && open.evidence.contains("the service there answered"))
    }

    @Test func aTestThatCouldNotRunIsNotRunNeverAPass() throws {
        let db = try #require(NetworkChecks.checks(for: Fixtures.twoNode, word: "w").first { $0.id == "reach.db:3306" })
        // No listener line: perl missing, or the shell died.
        #expect(db.judge([Self.result("sh: perl: not found"), Self.result("JC reach=ok"), Self.result("JC reach=ok"), Self.result()]).notRun)
        #expect(db.judge([Self.result("JC listener=cannot fork: x"), Self.result("JC reach=ok"), Self.result("JC reach=ok"), Self.result()]).notRun)
        // A client that printed nothing proves nothing, even when the other reached.
        #expect(db.judge([Self.result("JC listener=started"), Self.result("JC reach=ok"), Self.result(), Self.result()]).notRun)

        let mc = try #require(NetworkChecks.checks(for: Fixtures.twoNode, word: "w").first { $0.id.hasPrefix("multicast") })
        #expect(mc.judge([Self.result("JC receiver=started"), Self.result("JC sent=yes"), Self.result("JC received=yes")]).passed)
        let dropped = mc.judge([Self.result("JC receiver=started"), Self.result("JC sent=yes"), Self.result("JC received=no")])
        #expect(dropped.failed && dropped.evidence.contains("membership: static"))
        #expect(mc.judge([Self.result("JC receiver=started"), Self.result("JC sent=yes"), Self.result()]).notRun)
    }

    /// listen.sh, reach.sh and unlisten.sh on this machine, by dash: a stand-in listener answers,
    /// a port already taken counts as its service, and after unlisten nothing answers.
    @Test func theStandInListenerAnswersUntilStopped() throws {
        let port = Net.freePortPair()   // free when chosen: a taken port would read as "service"
        func run(_ path: String, _ values: KeyValuePairs<String, ScriptFile.Value>) throws -> String {
            try Run.program("/bin/dash", ["-c", ScriptFile.load(path, values).executable(with: SecretValues())]).output
        }
        #expect(try run("check/listen.sh", ["port": .number(port), "seconds": .number(20)]) == "JC listener=started\n")
        #expect(try run("check/listen.sh", ["port": .number(port), "seconds": .number(20)]) == "JC listener=service\n")
        #expect(try run("check/reach.sh", ["target": .value("127.0.0.1"), "port": .number(port)]) == "JC reach=ok\n")
        #expect(try run("check/unlisten.sh", ["port": .number(port)]) == "JC stopped=yes\n")
        #expect(try run("check/reach.sh", ["target": .value("127.0.0.1"), "port": .number(port)]) == "JC reach=Connection refused\n")
    }
}
