import ClusterCore
import ClusterEngine
import TermUI

/// "Check hosts and network": the checkup of `joget-cluster check`, live. The hosts' keys come first
/// (an unknown one is asked about, as the Hosts page's test does; a changed one stops everything),
/// then a line per check as it is known. Before an install (`purpose == .install`) a FAIL stops
/// here with the lines on screen: `a` installs anyway, Esc goes back to the Review.
public struct CheckPage: Screen {
    public enum Purpose: Sendable, Equatable {
        /// Opened from the Review: look, then Esc.
        case check
        /// Install was pressed: nothing has run; the install starts when nothing failed.
        case install
    }

    public enum Phase: Sendable, Equatable {
        case scanningKeys
        /// Unknown keys being asked about, or accepted ones being written.
        case keys
        case checking
        case finished
    }

    /// An unknown key to ask about.
    public struct KeyQuestion: Sendable, Equatable {
        public var host: String
        public var fingerprint: String
        public var keyType: String
    }

    /// Work the page wants done; the app turns it into effects.
    public enum Work: Sendable, Equatable {
        case accept(KeyQuestion)
        case start
    }

    public var purpose: Purpose
    public var context: HostedContext
    public var phase: Phase = .scanningKeys
    public var lines: [Checkup.Line] = []
    /// Still to ask; the first is in `dialog`.
    public var questions: [KeyQuestion] = []
    /// Accepted keys being written to known_hosts.
    public var recording: Set<String> = []
    /// Why nothing runs (a changed key, a service that could not start).
    public var problem: String?
    public var dialog: Dialog?
    /// First line shown; nil follows the end while lines come in.
    public var top: Int?
    /// Rows of the body, set by the app from the terminal size (for paging).
    public var bodyHeight = 20
    var work: [Work] = []

    public init(purpose: Purpose, context: HostedContext) {
        self.purpose = purpose
        self.context = context
    }

    public var failed: Bool { lines.contains { $0.status == .fail } }
    /// "Install anyway" is offered: lines were checked and one failed. A changed key never offers it.
    public var offersInstallAnyway: Bool { purpose == .install && phase == .finished && problem == nil && failed }
    /// Nothing failed, but a line warned or did not run: the install waits for Enter, so the
    /// operator reads them first.
    public var offersInstallAfterWarnings: Bool {
        purpose == .install && phase == .finished && problem == nil && !failed && lines.contains { $0.status != .pass }
    }

    public mutating func takeWork() -> [Work] {
        defer { work = [] }
        return work
    }

    // MARK: Messages

    /// The scan's result: a changed key stops; unknown ones are asked about one at a time.
    public mutating func take(_ scans: [HostKeyScan]) {
        var changed: [String] = []
        for scan in scans {
            switch scan.status {
            case .changed(let fp): changed.append("\(scan.host) now offers \(fp)")
            case .unknown(let fp, let type): questions.append(KeyQuestion(host: scan.host, fingerprint: fp, keyType: type))
            case .known, .failed: break   // an unreachable host is the checkup's login line
            }
        }
        if !changed.isEmpty {
            questions = []
            phase = .finished
            problem = "A host key CHANGED since it was accepted: " + changed.joined(separator: "; ")
                + ". Nothing was run. Check the server (was it reinstalled?), then remove the old key from "
                + context.knownHostsFile + "."
            return
        }
        phase = .keys
        askOrGoOn()
    }

    public mutating func recorded(host: String, error: String?) {
        recording.remove(host)
        if let error {
            phase = .finished
            problem = "The key of \(host) could not be recorded: \(error). Nothing was run."
            dialog = nil
            questions = []
            return
        }
        askOrGoOn()
    }

    public mutating func cannotStart(_ why: String) {
        phase = .finished
        problem = why
    }

    /// Starts the checkup again from scratch.
    public mutating func restart() {
        lines = []
        top = nil
        problem = nil
        phase = .checking
        work.append(.start)
    }

    public mutating func append(_ line: Checkup.Line) { lines.append(line) }

    public mutating func finish() { phase = .finished }

    mutating func askOrGoOn() {
        guard phase == .keys else { return }
        if let q = questions.first {
            if dialog == nil { dialog = CheckPage.keyDialog(q, context: context) }
            return
        }
        guard recording.isEmpty else { return }
        phase = .checking
        work.append(.start)
    }

    /// The question the Hosts page's test asks, with the command to compare on the server's console.
    static func keyDialog(_ q: KeyQuestion, context: HostedContext) -> Dialog {
        let h = context.answers.host(named: q.host)
        let where_ = h.map { "\($0.address) port \($0.port)" } ?? q.host
        return Dialog(title: "Unknown host key: \(q.host)",
                      message: "\(where_) is not known yet. It offers this \(q.keyType) key:\n\n  \(q.fingerprint)\n\n"
                        + "Compare it with what this prints on the server's console before accepting:\n\n"
                        + "  ssh-keygen -lf /etc/ssh/ssh_host_\(q.keyType.lowercased())_key.pub\n\n"
                        + "Refuse goes back to the Review; nothing runs.",
                      buttons: ["Accept", "Refuse"], focused: 1, cancelIndex: 1, maxWidth: 76)
    }

    // MARK: Screen

    public var title: String { purpose == .install ? "Check before installing" : HostedPage.check.title }

    public var legend: [KeyLegend.Item] {
        if dialog != nil { return [.init("Enter", "Choose"), .init("Esc", "Refuse")] }
        var items: [KeyLegend.Item] = [.init("Up/Down", "Scroll")]
        if offersInstallAnyway { items.append(.init("a", "Install anyway")) }
        if offersInstallAfterWarnings { items.append(.init("Enter", "Install")) }
        if phase == .finished, !isKeyStop { items.append(.init("r", "Check again")) }
        items.append(.init("Esc", "Back"))
        return items
    }

    public var help: String? {
        "The checks of `joget-cluster check`, read-only, from the hosts themselves: SSH login, root access, OS, disk, Java, the ports each layer listens on, clock, CPUs and memory on each host; then whether app servers reach the database and the NFS server, the balancer reaches every node, nodes reach each other, and the clocks agree. A FAIL line says what to open and where.\n\nBefore an install, a FAIL stops it here, before anything changes: fix what the line says and press r, or a to install anyway."
    }

    public mutating func handle(_ key: Key) -> ScreenRequest {
        if var d = dialog {
            let r = d.handle(key)
            dialog = d
            guard case .action(let index) = r, let q = questions.first else { return .none }
            dialog = nil
            guard index == 0 else { return .back }   // refused: nothing ran
            questions.removeFirst()
            recording.insert(q.host)
            work.append(.accept(q))
            askOrGoOn()
            return .none
        }
        let last = max(0, lines.count - 1)
        let current = top ?? max(0, lines.count - max(1, bodyHeight - 4))
        switch key {
        case .escape: return .back
        case .char("a") where offersInstallAnyway: return .install
        case .enter where offersInstallAfterWarnings: return .install
        case .char("r") where phase == .finished && !isKeyStop: return .checkAgain
        case .up: top = max(0, current - 1)
        case .down: top = min(last, current + 1)
        case .pageUp: top = max(0, current - max(1, bodyHeight - 5))
        case .pageDown: top = min(last, current + max(1, bodyHeight - 5))
        case .home: top = 0
        case .end: top = nil
        default: return .ignored
        }
        return .none
    }

    /// The stop is about host keys (nothing to check again until the operator fixes known_hosts).
    var isKeyStop: Bool { problem?.contains("host key") == true || problem?.contains("could not be recorded") == true }

    // MARK: Drawing

    /// The line's status word and its role.
    static func word(_ status: Checkup.Line.Status) -> (String, Role) {
        switch status {
        case .pass: ("PASS", .ok)
        case .warn: ("WARN", .warning)
        case .fail: ("FAIL", .error)
        case .notRun: ("NOT RUN", .muted)
        }
    }

    /// The state in a line, then what to do about it.
    var statusText: [(String, Role)] {
        switch phase {
        case .scanningKeys: return [("Reading the hosts' keys...", .muted)]
        case .keys: return [(questions.isEmpty ? "Recording the accepted keys..." : "A host's key is not known yet.", .muted)]
        case .checking: return [("Checking... \(lines.count) line\(lines.count == 1 ? "" : "s") so far", .muted)]
        case .finished:
            if problem != nil { return [("Stopped.", .error)] }
            let summary = Checkup.summary(lines) + "."
            if failed {
                return [(summary, .error),
                        (purpose == .install
                         ? "Nothing was installed. Fix what the FAIL lines say and press r to check again, or a to install anyway."
                         : "Fix what the FAIL lines say, then r to check again.", .normal)]
            }
            if offersInstallAfterWarnings {
                return [(summary, .warning),
                        ("Nothing is installed yet. Read the lines below, then Enter to install.", .normal)]
            }
            return [(summary, lines.contains { $0.status != .pass } ? .warning : .ok)]
        }
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        let s = theme.symbols
        buffer.clear(area, style: theme[.normal])
        let intro = purpose == .install
            ? "Install checks the hosts first (read-only): nothing has changed on them yet."
            : "The checks of `joget-cluster check`, from the hosts themselves (read-only)."
        buffer.writeLine(intro, in: area.row(0), style: theme[.muted], ellipsis: s.ellipsis)
        var y = area.y + 1
        for (i, (text, role)) in statusText.enumerated() {
            for line in PageText.wrap(text, width: max(1, area.width)).prefix(2) {
                buffer.writeLine(line, in: Rect(x: area.x, y: y, width: area.width, height: 1),
                                 style: i == 0 ? theme[role].bold() : theme[role], ellipsis: s.ellipsis)
                y += 1
            }
        }
        if let problem {
            y += 1
            for line in PageText.wrap(problem, width: max(1, area.width)) where y < area.bottom {
                buffer.writeLine(line, in: Rect(x: area.x, y: y, width: area.width, height: 1), style: theme[.error], ellipsis: s.ellipsis)
                y += 1
            }
        }
        y += 1
        let list = Rect(x: area.x, y: y, width: area.width, height: max(0, area.bottom - y))
        if list.height > 0 { renderLines(list, into: &buffer, theme: theme) }
        if let d = dialog { d.render(area, into: &buffer, theme: theme) }
    }

    /// The lines: the status word in its colour, the title, the evidence wrapped under it.
    func renderLines(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        let textWidth = max(10, area.width - 10)
        func rows(_ line: Checkup.Line) -> [String] {
            PageText.wrap(line.title + (line.evidence.isEmpty ? "" : "  — " + line.evidence), width: textWidth)
        }
        // The first line shown: the one asked for, or (following) the first that lets the last fit.
        var first = min(top ?? lines.count, max(0, lines.count - 1))
        if top == nil {
            var used = 0
            first = lines.count
            while first > 0 {
                let h = rows(lines[first - 1]).count
                if used + h > area.height { break }
                used += h
                first -= 1
            }
            // Once finished, the first failure stays in view rather than the end.
            if phase == .finished, let fail = lines.firstIndex(where: { $0.status == .fail }) { first = min(first, fail) }
        }
        var y = area.y
        var shown = first
        for line in lines.dropFirst(first) {
            guard y < area.bottom else { break }
            shown += 1
            let (word, role) = CheckPage.word(line.status)
            buffer.writeLine([Span(TextLayout.pad(word, to: 8), style: theme[role].bold())],
                             in: Rect(x: area.x + 1, y: y, width: 9, height: 1), alignment: .left, ellipsis: theme.symbols.ellipsis)
            for text in rows(line) where y < area.bottom {
                buffer.writeLine(text, in: Rect(x: area.x + 10, y: y, width: textWidth, height: 1),
                                 style: theme[line.status == .pass ? .normal : role], ellipsis: theme.symbols.ellipsis)
                y += 1
            }
        }
        if first > 0 { buffer.write(theme.symbols.moreAbove, x: area.right - 1, y: area.y, style: theme[.muted]) }
        if shown < lines.count {
            buffer.write(theme.symbols.moreBelow, x: area.right - 1, y: area.bottom - 1, style: theme[.muted])
        }
    }
}
