import ClusterCore
import Foundation
import Testing
import TestSupport

/// The rough edges as a new user meets them: the real binary in tmux, at 80x24.
@Suite("Rough edges in tmux", .serialized, .enabled(if: TmuxSession.available && TmuxSession.binary != nil))
struct RoughEdgesTmuxTests {
    func tempDir() -> String {
        let path = NSTemporaryDirectory() + "edges-tmux-" + UUID().uuidString.prefix(8)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The wizard in tmux; `env` goes through env(1), since tmux sets TERM for its panes itself.
    func start(_ args: [String], dir: String, width: Int = 80, height: Int = 24, env: [String: String] = [:]) -> TmuxSession {
        var e = ["LANG": "C.UTF-8", "TERM": "xterm-256color", "HOME": dir]
        for (k, v) in env { e[k] = v }
        let assignments = e.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return TmuxSession(["/usr/bin/env"] + assignments + [TmuxSession.binary!] + args, width: width, height: height)
    }

    /// The SGR parameters of the escape sequences right before `text` on the escaped screen
    /// (tmux writes `ESC[0;2m ESC[39m ESC[49m` before a dim run).
    static func attributes(before text: String, in escaped: String) -> String? {
        guard let at = escaped.range(of: text) else { return nil }
        var head = escaped[..<at.lowerBound]
        var params: [String] = []
        while head.hasSuffix("m"), let esc = head.range(of: "\u{1b}[", options: .backwards) {
            let body = head[esc.upperBound...].dropLast()
            guard body.allSatisfy({ $0.isNumber || $0 == ";" }) else { break }
            params.insert(String(body), at: 0)
            head = head[..<esc.lowerBound]
        }
        return params.joined(separator: ";")
    }

    @Test(arguments: [false, true])
    func aPlaceholderDoesNotReadAsAValue(noColor: Bool) throws {
        let dir = tempDir()
        let a = try AnswersFile.decode(Assets.text("assets/examples/two-node.yaml")!)
        try AnswersFile.save(a, to: dir + "/answers.yaml")
        let t = start(["--answers", dir + "/answers.yaml", "--state-dir", dir + "/state"], dir: dir, env: noColor ? ["NO_COLOR": "1"] : [:])
        defer { t.kill() }
        t.waitFor("Continue with these answers")
        t.send("Enter")
        t.waitFor("[x] 4 Load balancer")
        t.send("Down", "Down", "Enter")          // the database layer
        t.waitFor("4/7 Database")
        t.send("Tab", "Tab", "Tab", "C-u")       // Database name, emptied
        let screen = t.waitFor("[e.g. jwedb")
        let row = screen.split(separator: "\n").first { $0.contains("Database name") } ?? ""
        #expect(row.contains("[e.g. jwedb"), "an example, not a value: \(row)")
        // Dim and not underlined, as typed text is.
        let escaped = t.capture(escapes: true)
        let sgr = Self.attributes(before: "e.g. jwedb", in: escaped) ?? ""
        let codes = sgr.split(separator: ";")
        #expect(codes.contains("2"), "dim: \(sgr)")
        #expect(!codes.contains("4"), "not underlined: \(sgr)")
        let value = Self.attributes(before: "joget ", in: escaped) ?? ""
        #expect(value.split(separator: ";").contains("4"), "a value is underlined: \(value)")
    }

    @Test func f10WhileTooSmallOpensNoInvisibleDialog() {
        let dir = tempDir()
        let t = start(["--state-dir", dir + "/state"], dir: dir, width: 60, height: 20)
        defer { t.kill() }
        t.waitFor("Terminal too small")
        t.send("F10")
        Thread.sleep(forTimeInterval: 0.3)
        t.resize(80, 24)
        let screen = t.waitFor("> New install")
        #expect(!screen.contains("Quit?"))
        #expect(t.isRunning)
        t.send("F10")
        t.waitFor("Quit? Your answers are kept.")
    }

    @Test func questionMarkIsHelpButTypesInATextField() {
        let dir = tempDir()
        let t = start(["--state-dir", dir + "/state"], dir: dir)
        defer { t.kill() }
        t.waitFor("> New install")
        t.type("?")
        t.waitFor("Keys: Tab/Shift-Tab")
        t.send("Enter")
        t.waitFor("the help to close") { !$0.contains("Keys: Tab/Shift-Tab") }
        t.send("Enter")
        t.waitFor("Cluster name")
        t.send("C-u")
        t.type("a?")
        let screen = t.waitFor("[a?")
        #expect(!screen.contains("Keys: Tab/Shift-Tab"))
    }

    @Test func theChecklistOfAClusterNeverInstalledSaysSo() throws {
        let dir = tempDir()
        let a = try AnswersFile.decode(Assets.text("assets/examples/two-node.yaml")!)
        try AnswersFile.save(a, to: dir + "/answers.yaml")
        let t = start(["licenses", "--tui", "--answers", dir + "/answers.yaml", "--state-dir", dir + "/state"], dir: dir)
        defer { t.kill() }
        let screen = t.waitFor("is not installed yet")
        #expect(!screen.contains("key needed"))
        #expect(screen.contains("Community Edition does not"))
        #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 80 })
        t.send("Escape")
        #expect(t.waitForExit())
    }
}
