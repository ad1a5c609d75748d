import ClusterCore
import ClusterEngine
import Foundation
import TermUI

/// The dialog the Run page opens when a step fails: what failed and why, its last output lines,
/// the exact ssh command to open a shell on that host, where the full log is, and the choices
/// Retry, Skip (optional steps only), View log and Abort. Meanwhile the runner goes on with work
/// that does not depend on the failed step: the page keeps applying events under the dialog.
public struct FailureDialog: Hashable, Sendable {
    public enum Choice: Int, CaseIterable, Sendable {
        case retry, skip, viewLog, abort
        public var label: String {
            switch self {
            case .retry: "Retry"
            case .skip: "Skip"
            case .viewLog: "View log"
            case .abort: "Abort"
            }
        }
    }

    public let stepID: String
    /// The buttons shown: Skip only for a step that may be skipped (`s` still says why not).
    public let choices: [Choice]
    public var buttons: ButtonRow
    /// Why the last choice was refused (Skip on a required step), shown in the dialog.
    public internal(set) var refusal: String?

    public init(stepID: String, optional: Bool = true) {
        self.stepID = stepID
        choices = Choice.allCases.filter { optional || $0 != .skip }
        buttons = ButtonRow(choices.map(\.label), focused: 0, isFocused: true, alignment: .center)
    }

    public var focusedChoice: Choice { choices.indices.contains(buttons.focused) ? choices[buttons.focused] : .retry }

    /// Puts the focus on a choice's button, when it is shown.
    mutating func focus(_ choice: Choice) {
        if let i = choices.firstIndex(of: choice) { buttons.focused = i }
    }

    /// The command that opens a shell on the host as the install reaches it:
    /// `ssh -p 22 -i ~/.ssh/key admin@10.0.0.5`. Nil for hosts run on this machine.
    public static func shellCommand(for host: ClusterCore.Host, knownHostsFile: String? = nil) -> String? {
        if host.auth == .local { return nil }
        var parts = ["ssh", "-p", String(host.port)]
        if host.auth == .key, let key = host.keyFile { parts += ["-i", quotePath(key)] }
        if let knownHostsFile { parts += ["-o", Shell.quote("UserKnownHostsFile=" + knownHostsFile)] }
        parts.append(Shell.quote(host.user + "@" + host.address))
        return parts.joined(separator: " ")
    }

    /// Quoted for a shell, keeping a leading `~/` outside the quotes so it still expands.
    static func quotePath(_ path: String) -> String {
        if path.hasPrefix("~/") { return "~/" + Shell.quote(String(path.dropFirst(2))) }
        return Shell.quote(path)
    }
}

extension RunScreen {
    /// The shell hint for a host: the ssh command, or where it runs.
    public func shellHint(host name: String) -> String {
        if name == Step.localHost { return "this machine: the step runs here, in a local shell" }
        guard let host = hosts[name] else { return "ssh to \(name) as the install does" }
        return FailureDialog.shellCommand(for: host, knownHostsFile: knownHostsFile)
            ?? "this machine: \(name) runs in a local shell"
    }

    // MARK: Keys

    mutating func handleFailure(_ key: Key) -> ScreenRequest {
        guard var dialog = failure else { return .none }
        let choice: FailureDialog.Choice?
        switch key {
        case .escape:
            failureDeferred = true
            failure = nil
            message = "The failed step waits for you: press f to decide. Other work goes on."
            return .none
        case .tab, .right:
            dialog.buttons.focused = (dialog.buttons.focused + 1) % dialog.choices.count
            choice = nil
        case .backTab, .left:
            let n = dialog.choices.count
            dialog.buttons.focused = (dialog.buttons.focused + n - 1) % n
            choice = nil
        case .char("r"): choice = .retry
        case .char("s"): choice = .skip
        case .char("v"), .char("l"), .char("o"): choice = .viewLog
        case .char("a"): choice = .abort
        case .enter, .space: choice = dialog.focusedChoice
        case .f(10), .char("q"):
            failure = dialog
            return askToStop()
        default:
            return .none   // modal: other keys do nothing
        }
        guard let choice else { failure = dialog; return .none }
        if choice != .viewLog { dialog.focus(choice) }
        let id = dialog.stepID
        switch choice {
        case .retry:
            failure = nil
            failureQueue.removeAll { $0 == id }
            showNextFailure()
            return .run(.retry(step: id))
        case .skip:
            guard let s = step(id), s.optional else {
                dialog.focus(.retry)
                dialog.refusal = "Skip refused: this step is required, not optional: the steps after it need what it "
                    + "sets up. Fix the cause (shell above) and Retry, or Abort and resume later."
                failure = dialog
                return .none
            }
            failure = nil
            failureQueue.removeAll { $0 == id }
            showNextFailure()
            return .run(.skip(step: id))
        case .viewLog:
            failure = dialog
            guard let path = logPath(of: id) else {
                message = "No log folder is known to this page."
                return .none
            }
            return .openLog(path: path)
        case .abort:
            failure = nil
            aborted = true
            return .run(.abort)
        }
    }

    /// Quit while steps run: ask first, and stop the runner cleanly so the next start offers Resume.
    mutating func askToStop() -> ScreenRequest {
        guard isRunning else { return .quit }
        quitConfirm = Dialog(
            title: "Stop the install?",
            message: "Running steps are stopped and recorded as interrupted; everything done is kept. "
                + "Start the wizard again (or joget-cluster resume) to go on from there.",
            buttons: ["Stop and quit", "Keep running"], focused: 1, cancelIndex: 1, borderRole: .warning)
        return .none
    }

    mutating func handleQuitConfirm(_ key: Key) -> ScreenRequest {
        guard var d = quitConfirm else { return .none }
        let result = d.handle(key)
        quitConfirm = d
        switch result {
        case .action(0):
            quitConfirm = nil
            return .run(.stopAndQuit)
        case .action:
            quitConfirm = nil
            return .none
        default:
            return .none
        }
    }

    // MARK: Drawing

    func renderFailure(_ dialog: FailureDialog, in area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard let s = step(dialog.stepID) else { return }
        let width = min(area.width - 2, 100)
        guard width >= 20, area.height >= 8 else { return }
        let inner = width - 4
        var reason = ""
        if case .finished(.failed(let why)) = s.state { reason = why }
        let took = s.duration.map { " after \(LineOutput.seconds($0))" } ?? ""
        let attempt = s.attempts > 1 ? " (attempt \(s.attempts))" : ""
        let others = steps.filter { $0.state.isRunning && $0.host != s.host }.count
        let meanwhile = others == 0 ? "Nothing else is running now."
            : "Meanwhile \(others) step\(others == 1 ? "" : "s") on other hosts keep\(others == 1 ? "s" : "") running."
        let path = logPath(of: s.id) ?? "(no log folder)"

        struct Line { var text: String; var role: Role; var indent = 0 }
        func wrap(_ text: String, _ role: Role, indent: Int = 0) -> [Line] {
            TextLayout.wrap(text, width: max(1, inner - indent)).map { Line(text: $0, role: role, indent: indent) }
        }
        var head = wrap(s.title, .title)
        head += wrap("\(s.layer.title), host \(s.host): \(s.id) failed\(took)\(attempt).", .normal)
        head += wrap(reason, .error, indent: 2)
        var tail: [Line] = [Line(text: "", role: .normal)]
        tail += wrap("Shell on \(s.host):", .normal) + wrap(shellHint(host: s.host), .normal, indent: 2)
        tail += wrap("Full log:  \(path)", .muted)
        tail += wrap(meanwhile, .muted)
        if let r = dialog.refusal { tail += [Line(text: "", role: .normal)] + wrap(r, .error) }
        // Room for output lines: border 2, padding 2, blank + buttons 2.
        let fixed = head.count + tail.count + 6
        let room = min(4, area.height - fixed - 2)
        var output: [Line] = []
        if room >= 1, let h = hostIndex[s.host] {
            let last = panes[h].lines.lastOutput(of: Int32(stepIndex[s.id] ?? -1), count: room)
            if !last.isEmpty {
                // Wrapped, and the end kept: a message's remedy usually comes last.
                let wrapped = last.flatMap { wrap($0, .muted, indent: 2) }
                output = [Line(text: "", role: .normal), Line(text: "Last output:", role: .label)] + wrapped.suffix(room)
            }
        }
        let lines = head + output + tail
        let height = min(area.height, lines.count + 6)
        let box = area.centered(width: width, height: height)
        buffer.cursor = nil
        buffer.clear(box, style: theme[.normal])
        let more = failureQueue.count > 1 ? " (1 of \(failureQueue.count))" : ""
        Block(title: "Step failed\(more)", borderRole: .error, titleRole: .error).render(box, into: &buffer, theme: theme)
        let body = box.inset(horizontal: 2, vertical: 2)
        let buttonRow = Rect(x: body.x, y: box.bottom - 3, width: body.width, height: 1)
        for (i, line) in lines.enumerated() {
            let y = body.y + i
            guard y < buttonRow.y - 1 else { break }
            buffer.writeLine(line.text, in: Rect(x: body.x + line.indent, y: y, width: body.width - line.indent, height: 1),
                             style: theme[line.role], ellipsis: theme.symbols.ellipsis)
        }
        dialog.buttons.render(buttonRow, into: &buffer, theme: theme)
    }
}
