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
        #expect(screen.contains("1  alpha  (not installed yet)") && screen.contains("2  beta  (not installed yet)"))
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
}
