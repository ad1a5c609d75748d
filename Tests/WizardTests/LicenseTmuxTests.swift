import ClusterCore
@testable import ClusterEngine
import Foundation
import Testing
@testable import Wizard

/// `joget-cluster licenses` on a terminal, days after the install: the real binary in tmux over a
/// prepared licenses.json. No key here reads a node (no `r`, `k` is refused before it would), so
/// no host is contacted; the answers' addresses are loopback ones all the same.
@Suite("License page in tmux", .serialized, .enabled(if: TmuxSession.available && TmuxSession.binary != nil))
struct LicenseTmuxTests {
    typealias F = LicenseFixtures

    struct Cluster {
        var answersFile: String
        var stateDir: String
    }

    func prepare(nodes: Int, stages: [F.Stage]) throws -> Cluster {
        let dir = F.tempDir("t")
        let a = F.answers(nodes: nodes)
        let answersFile = dir + "/answers.yaml"
        try AnswersFile.save(a, to: answersFile)
        let state = dir + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        _ = try F.stateDir(a, stages: stages, in: state)
        return Cluster(answersFile: answersFile, stateDir: state)
    }

    /// The command in tmux; once it ends the pane stays a while, showing what it printed.
    func start(_ c: Cluster, width: Int = 80, height: Int = 24) -> TmuxSession {
        let script = #"env LANG=C.UTF-8 TERM=xterm-256color "$0" licenses --state-dir "$1" --answers "$2"; echo "[exit $?]"; sleep 60"#
        return TmuxSession(["/bin/sh", "-c", script, TmuxSession.binary!, c.stateDir, c.answersFile], width: width, height: height)
    }

    @Test func twoNodesReadWellAndEscLeavesWithTheWayBack() throws {
        let c = try prepare(nodes: 2, stages: F.two)
        let t = start(c)
        defer { t.kill() }
        var screen = t.waitFor("License activation: 0 of 2 nodes activated")
        #expect(screen.contains("> node01  127.0.1.11:8080"))
        #expect(screen.contains("license entered"))
        #expect(screen.contains("node02  127.0.1.12:8080  -"))
        #expect(screen.contains("key needed"))
        #expect(screen.contains("http://127.0.1.11:8080/jw/web/console/home"), "the whole URL in the detail")
        #expect(screen.contains("Do it later: joget-cluster licenses --state-dir \(c.stateDir)"))
        #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 80 })

        // The second node, and its key dialog refusing the first node's key.
        t.send("Down")
        screen = t.waitFor("node02 (2 of 2)")
        #expect(screen.contains("System key   not recorded yet"))
        t.send("k")
        t.waitFor("System key of node02")
        t.type(F.systemKey(1))
        t.send("Enter")
        screen = t.waitFor("is also node01's")
        #expect(screen.contains("node02 system key:"))
        t.send("Escape")
        t.waitFor("the dialog closed") { !$0.contains("System key of node02") }

        // Esc: do it later, with the command to come back.
        t.send("Escape")
        screen = t.waitFor("Come back to it")
        #expect(screen.contains("joget-cluster licenses --state-dir \(c.stateDir)"))
        t.send("Enter")
        let printed = t.waitFor("[exit 0]")
        #expect(printed.contains("Left to do:\n  node01  license entered\n  node02  key needed\n"))
        screen = printed.replacingOccurrences(of: "\n", with: "")
        #expect(screen.contains("Come back to it with: joget-cluster licenses --state-dir \(c.stateDir)"))
        #expect(!screen.contains("--answers"), "the answers were saved beside the checklist")
        #expect(FileManager.default.fileExists(atPath: c.stateDir + "/answers.yaml"))
        let saved = try #require(try LicenseStore(directory: c.stateDir).load())
        #expect(saved.row("node02")?.status == .keyNeeded, "the refused key was not recorded")
    }

    @Test func eightNodesScrollAndF10Leaves() throws {
        let c = try prepare(nodes: 8, stages: F.eight)
        let t = start(c)
        defer { t.kill() }
        var screen = t.waitFor("2 of 8 nodes activated, 1 needs re-activation")
        #expect(screen.contains("node06"))
        #expect(!screen.contains("node08 "), "six rows fit at 80x24; the rest scroll")
        #expect(screen.contains("▼"))

        for _ in 0..<7 { t.send("Down") }
        screen = t.waitFor("node08 (8 of 8)")
        #expect(screen.contains("> node08  127.0.1.18:8080"))
        #expect(screen.contains("▲"))
        #expect(!screen.contains("node01  127.0.1.11"), "scrolled past the first rows")

        // The re-activation reason in the detail.
        for _ in 0..<4 { t.send("Up") }
        screen = t.waitFor("node04 (4 of 8)")
        #expect(screen.contains("needs re-activation: MAC 02:00:00:00:01:14 → 02:00:00:00:09:99"))

        // Wider: the legend says more.
        t.resize(120, 40)
        screen = t.waitFor("k System key")
        #expect(screen.contains("node08"), "all eight rows at 120x40")

        t.send("F10")
        t.waitFor("Come back to it")
        t.send("Enter")
        screen = t.waitFor("[exit 0]").replacingOccurrences(of: "\n", with: "")
        #expect(screen.contains("Come back to it with: joget-cluster licenses --state-dir \(c.stateDir)"))
    }
}
