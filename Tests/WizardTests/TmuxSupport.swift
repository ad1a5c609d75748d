import Foundation
import TestSupport
import Testing

/// The real binary in a tmux session: send keys, read the screen, wait for text with a deadline.
final class TmuxSession {
    let name: String
    private(set) var alive = true

    static var available: Bool { which("tmux") != nil }

    static func which(_ program: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// The joget-cluster binary built with the tests.
    static var binary: String? { BuiltBinary.path }

    @discardableResult
    static func tmux(_ args: [String]) -> (status: Int32, out: String) {
        let r = Program.run([which("tmux") ?? "/usr/bin/tmux"] + args)
        return (r.status, r.output)
    }

    /// Starts `command` (argv) in a detached session of `width`x`height`, with `env` added.
    init(_ command: [String], width: Int = 120, height: Int = 40, env: [String: String] = [:]) {
        name = "jcwiz-\(getpid())-\(UUID().uuidString.prefix(6))"
        var args = ["new-session", "-d", "-x", String(width), "-y", String(height), "-s", name]
        for (k, v) in env.sorted(by: { $0.key < $1.key }) { args += ["-e", "\(k)=\(v)"] }
        let quoted = command.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        args.append(quoted)
        TmuxSession.tmux(args)
    }

    deinit { kill() }

    func kill() {
        if alive { TmuxSession.tmux(["kill-session", "-t", name]) }
        alive = false
    }

    /// Keys by tmux name: "Enter", "Tab", "BTab", "Escape", "F10", "C-u", "Up", "Left", "Space".
    func send(_ keys: String...) {
        for k in keys {
            TmuxSession.tmux(["send-keys", "-t", name, k])
            Thread.sleep(forTimeInterval: 0.03)
        }
    }

    /// Types text literally.
    func type(_ text: String) {
        TmuxSession.tmux(["send-keys", "-t", name, "-l", text])
        Thread.sleep(forTimeInterval: 0.05)
    }

    /// The screen as text (`escapes`: with colour and attribute sequences).
    func capture(escapes: Bool = false) -> String {
        TmuxSession.tmux(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", name]).out
    }

    var isRunning: Bool { TmuxSession.tmux(["has-session", "-t", name]).status == 0 }

    func resize(_ w: Int, _ h: Int) {
        TmuxSession.tmux(["resize-window", "-t", name, "-x", String(w), "-y", String(h)])
    }

    /// Polls the screen until `predicate` holds, or records an issue with the last screen at the deadline.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 15, sourceLocation: SourceLocation = #_sourceLocation,
                 _ predicate: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = capture()
            if predicate(screen) { return screen }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting for \(what); the screen was:\n\(screen)", sourceLocation: sourceLocation)
        return screen
    }

    @discardableResult
    func waitFor(_ text: String, timeout: Double = 15, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        waitFor("\"\(text)\"", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// Waits until the session has ended (the program exited).
    func waitForExit(timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !isRunning { alive = false; return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }
}

/// The loopback sshd fixture (Tests/support/sshd-fixture.sh): started once, its env lines read.
enum SSHFixture {
    static let env: [String: String]? = {
        guard getuid() == 0 else { return nil }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("support/sshd-fixture.sh").path
        func run(_ arg: String) -> (Int32, String) {
            let r = Program.run(["/bin/bash", script, arg])
            return (r.status, r.output)
        }
        guard run("start").0 == 0 else { return nil }
        let (status, out) = run("env")
        guard status == 0 else { return nil }
        var env: [String: String] = [:]
        for line in out.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            env[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return env
    }()
}
