import ClusterCore
import Foundation
import Testing
import TestSupport

/// With several clusters in the state folder and no --state-dir, the headless commands ask which
/// on a terminal, instead of refusing; without one they still refuse, naming the clusters.
@Suite(.serialized) struct ClusterPickerTmuxTests {
    static func stateHome() throws -> String {
        let home = NSTemporaryDirectory() + "jc-picker-\(UUID().uuidString.prefix(6))"
        for name in ["alpha", "beta"] {
            var a = try AnswersFile.decode(Assets.text("assets/examples/two-node.yaml")!)
            a.cluster = name
            let dir = home + "/joget-cluster/" + name
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try AnswersFile.save(a, to: dir + "/answers.yaml")
        }
        return home
    }

    @Test(.enabled(if: TmuxSession.available && TmuxSession.binary != nil, "tmux or the binary is missing"))
    func statusAsksWhichClusterOnATerminal() throws {
        let home = try Self.stateHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        // The shell keeps the pane open after the command, to read its last words and status.
        let s = TmuxSession(["/bin/sh", "-c", "\"$0\" status; echo \"exit $?\"; sleep 60", TmuxSession.binary!],
                            width: 80, height: 24, env: ["XDG_STATE_HOME": home])
        defer { s.kill() }
        let screen = s.waitFor("Which one? [1-2]")
        #expect(screen.contains("1  alpha  (answers saved, not installed yet)") && screen.contains("2  beta  (answers saved, not installed yet)"))
        s.type("3")
        s.send("Enter")
        s.waitFor("\"3\" is not one of 1-2")
        s.type("2")
        s.send("Enter")
        let after = s.waitFor("exit 0")
        #expect(after.contains("No run recorded in \(home)/joget-cluster/beta yet."))

        let piped = Program.run([TmuxSession.binary!, "status"], environment: ["XDG_STATE_HOME": home, "PATH": "/usr/bin:/bin"], mergeErrors: true)
        #expect(piped.status == 2)
        #expect(piped.output.contains("several clusters") && piped.output.contains("alpha, beta"))
    }

    /// Welcome lists every cluster of the state folder, the open one marked; Enter on another opens
    /// it (its own choices below), and the one before is left as it was.
    @Test(.enabled(if: TmuxSession.available && TmuxSession.binary != nil, "tmux or the binary is missing"))
    func welcomeListsEveryClusterAndOpensThePickedOne() throws {
        let home = try Self.stateHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let beta = home + "/joget-cluster/beta"
        try FileManager.default.copyItem(atPath: beta + "/answers.yaml", toPath: beta + "/installed.yaml")
        // beta is the newest: the wizard opens it.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)],
                                              ofItemAtPath: home + "/joget-cluster/alpha/answers.yaml")
        let before = try String(contentsOfFile: beta + "/answers.yaml", encoding: .utf8)
        let s = TmuxSession([TmuxSession.binary!], width: 80, height: 24, env: ["XDG_STATE_HOME": home])
        defer { s.kill() }
        var screen = s.waitFor("Change this cluster")
        #expect(screen.contains("Clusters in \(home)/joget-cluster:"))
        #expect(screen.contains("alpha  answers saved, not installed yet"))
        #expect(screen.contains("beta   installed: 2 nodes (node01, node02)  (open)"))
        s.send("Up")
        s.send("Up")
        s.waitFor("Enter Open")
        s.send("Enter")
        screen = s.waitFor("Continue where you left off")
        #expect(screen.contains("cluster: alpha"))
        #expect(screen.contains("alpha  answers saved, not installed yet  (open)"))
        #expect(!screen.contains("Change this cluster"))
        #expect(try String(contentsOfFile: beta + "/answers.yaml", encoding: .utf8) == before)
    }
}
