import ClusterCore
import ClusterEngine
import TermUI

/// The Verify page: the guide's checks of the finished cluster, one row per check grouped by
/// layer, each with pass or fail and its evidence, or not run (its probes could not run) and why.
/// Rows fill in as outcomes arrive (``VerifyController`` feeds them); Enter shows a check's evidence whole.
///
/// Requests: `.checkAgain` (run the checks again: ``VerifyController/perform(_:)``),
/// `.next` (go on: licenses, summary), `.back` (Esc: back to the Run page), `.quit`.
public struct VerifyScreen: Screen, Sendable {
    public struct Row: Equatable, Sendable {
        public let id: String
        public let layer: Layer
        public let title: String
        public internal(set) var outcome: CheckOutcome?

        public init(id: String, layer: Layer, title: String, outcome: CheckOutcome? = nil) {
            self.id = id; self.layer = layer; self.title = title; self.outcome = outcome
        }
    }

    public enum Phase: Hashable, Sendable { case waiting, running, finished }
    public enum Focus: Hashable, Sendable { case list, buttons }

    public internal(set) var rows: [Row]
    public internal(set) var phase: Phase = .waiting
    public internal(set) var selected = 0
    public var focus: Focus = .list
    public internal(set) var buttons = ButtonRow(["Run again", "Next"], focused: 1, isFocused: false, alignment: .right)
    /// The evidence of one check, shown whole.
    public internal(set) var detail: (title: String, view: LogView, lines: [String])?
    public internal(set) var elapsed: Duration = .zero
    /// The rectangle the app renders into, for paging keys.
    public var area = Rect(x: 0, y: 1, width: 80, height: 22)

    public init(rows: [Row]) { self.rows = rows }

    /// Rows for these checks, all waiting.
    public init(checks: [ClusterCheck]) {
        self.init(rows: checks.map { Row(id: $0.id, layer: $0.layer, title: $0.title) })
    }

    // MARK: Feeding

    public mutating func apply(_ event: VerifyEvent) {
        switch event {
        case .started(let list):
            rows = list
            phase = .running
            selected = min(selected, max(0, rows.count - 1))
        case .outcome(let o):
            if let i = rows.firstIndex(where: { $0.id == o.id }) { rows[i].outcome = o } else {
                // A host that cannot be logged in to: at the top, in the order they come, before the
                // checks it keeps from running. Anything else new goes last in its layer.
                let login = o.id.hasPrefix(Verifier.loginID(""))
                let at = rows.firstIndex {
                    login ? !$0.id.hasPrefix(Verifier.loginID("")) : $0.layer > o.layer
                } ?? rows.endIndex
                rows.insert(Row(id: o.id, layer: o.layer, title: o.title, outcome: o), at: at)
                if at <= selected, rows.count > 1 { selected += 1 }
            }
        case .finished:
            phase = .finished
        }
    }

    public mutating func apply<S: Sequence>(contentsOf events: S) where S.Element == VerifyEvent {
        for e in events { apply(e) }
    }

    public mutating func tick(elapsed: Duration) { self.elapsed = max(self.elapsed, elapsed) }

    // MARK: Reading

    public var passed: Int { rows.filter { $0.outcome?.verdict.passed == true }.count }
    public var failed: Int { rows.filter { $0.outcome?.verdict.failed == true }.count }
    /// Checks whose probes could not run: neither passed nor failed.
    public var notRun: Int { rows.filter { $0.outcome?.verdict.notRun == true }.count }
    public var done: Int { rows.filter { $0.outcome != nil }.count }
    /// The check being run now: the first without an outcome while running.
    public var current: Int? { phase == .running ? rows.firstIndex { $0.outcome == nil } : nil }

    // MARK: Screen

    public var title: String {
        switch phase {
        case .waiting: "Verify the cluster"
        case .running: "Verifying the cluster"
        case .finished:
            failed > 0 ? "Verify: \(failed) check\(failed == 1 ? "" : "s") failed"
                : notRun > 0 ? "Verify: \(notRun) check\(notRun == 1 ? "" : "s") not run" : "Cluster verified"
        }
    }

    public var legend: [KeyLegend.Item] {
        if detail != nil { return [.init("PgUp/PgDn", "Scroll"), .init("Esc", "Close")] }
        return [.init("Up/Down", "Check"), .init("Enter", focus == .list ? "Evidence" : "Press"),
                .init("r", "Run again"), .init("n", "Next"), .init("Esc", "Back"), .init("F10", "Quit")]
    }

    public var help: String? {
        """
        These are the checks of Joget's clustering guide, run on the hosts over SSH, and one per host that it \
        comes back after a reboot (its services enabled, the shared directory mounted at boot): the shared directory is \
        mounted and shared, every app server reaches the database with the app user, each Tomcat answers and \
        sees its peers, and the balancer spreads requests and keeps sessions on their node.

        Each row says pass or fail with the evidence, or not run when its probes could not run (a host that \
        cannot be logged in to, a timeout) with the reason; Enter shows a check's evidence whole. r runs the checks \
        again (after a fix); the same checks run headless with: joget-cluster verify.
        """
    }

    public mutating func handle(_ key: Key) -> ScreenRequest {
        if var d = detail {
            if d.view.search?.isEditing != true, key == .escape || key == .enter || key == .char("q") {
                detail = nil
                return .none
            }
            _ = d.view.handle(key, source: d.lines, viewHeight: max(1, area.height - 2))
            detail = d
            return .none
        }
        switch key {
        case .tab, .backTab:
            focus = focus == .list ? .buttons : .list
            buttons.isFocused = focus == .buttons
            return .none
        case .char("r"): return .checkAgain
        case .char("n"): return .next
        case .escape: return .back
        case .f(10), .char("q"): return .quit
        default: break
        }
        if focus == .buttons {
            switch buttons.handle(key) {
            case .action(0): return .checkAgain
            case .action: return .next
            case .handled: return .none
            case .ignored: return .ignored
            }
        }
        guard !rows.isEmpty else { return .ignored }
        let page = max(1, area.height / 3)
        switch key {
        case .up, .char("k"): selected = max(0, selected - 1)
        case .down, .char("j"): selected = min(rows.count - 1, selected + 1)
        case .pageUp: selected = max(0, selected - page)
        case .pageDown: selected = min(rows.count - 1, selected + page)
        case .home: selected = 0
        case .end: selected = rows.count - 1
        case .enter: openDetail(selected)
        default: return .ignored
        }
        return .none
    }

    mutating func openDetail(_ i: Int) {
        guard rows.indices.contains(i) else { return }
        let r = rows[i]
        var lines = ["Check:    \(r.title)", "Layer:    \(r.layer.title)", "Id:       \(r.id)"]
        if let o = r.outcome {
            lines.append("Result:   \(o.verdict.word) in \(LineOutput.seconds(o.duration))")
            lines.append("")
            lines.append(o.verdict.notRun ? "Why:" : "Evidence:")
            let width = max(20, area.width - 6)
            for para in o.verdict.evidence.split(separator: "\n", omittingEmptySubsequences: false) {
                lines += TextLayout.wrap(String(para), width: width).map { "  " + $0 }
            }
        } else {
            lines.append("Result:   not run yet")
        }
        detail = (r.title, LogView.textView(), lines)
    }

    // MARK: Rendering

    enum Line { case layer(Layer), check(Int), evidence(Int, String) }

    /// Where a row's title and evidence start: after the icon and a word as wide as `NOT RUN`.
    static let textColumn = 11

    /// How a row's outcome is drawn: icon, role and word.
    static func look(_ v: Verdict, _ s: Symbols) -> (icon: String, role: Role, word: String) {
        switch v.status {
        case .pass: (s.done, .ok, v.word)
        case .fail: (s.failed, .error, v.word)
        case .notRun: ("?", .warning, v.word)
        }
    }

    /// The list as drawn at `width`: layer rules, check rows, up to two lines of evidence each.
    func lines(width: Int) -> [Line] {
        var out: [Line] = []
        var last: Layer?
        for (i, r) in rows.enumerated() {
            if r.layer != last { out.append(.layer(r.layer)); last = r.layer }
            out.append(.check(i))
            if let o = r.outcome, !o.verdict.evidence.isEmpty {
                let text = o.verdict.evidence.replacingOccurrences(of: "\n", with: " / ")
                var wrapped = TextLayout.wrap(text, width: max(1, width - Self.textColumn - 1))
                if wrapped.count > 2 {
                    wrapped = Array(wrapped.prefix(2))
                    wrapped[1] = TextLayout.truncate(wrapped[1] + " …", to: max(1, width - Self.textColumn - 1), ellipsis: "…")
                }
                out += wrapped.map { .evidence(i, $0) }
            }
        }
        return out
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.clear(area, style: theme[.normal])
        let s = theme.symbols
        if let d = detail {
            buffer.writeLine([Span("Evidence  ", style: theme[.title]), Span(d.title, style: theme[.normal])],
                             in: area.row(0).inset(left: 1, right: 1), ellipsis: s.ellipsis)
            d.view.render(area.inset(top: 1), into: &buffer, source: d.lines, theme: theme)
            return
        }
        let bands = area.rows(.fixed(1), .fixed(1), .fill, .fixed(1))
        let total = rows.count
        let label = phase == .finished ? "Checks \(passed)/\(total) passed" : "Checks \(done)/\(total)"
        ProgressBar(fraction: total == 0 ? 0 : Double(done) / Double(total), label: label)
            .render(bands[0].inset(left: 1, right: 1), into: &buffer, theme: theme)
        let (status, role): (String, Role)
        switch phase {
        case .waiting: (status, role) = ("Connecting to the hosts…", .muted)
        case .running:
            let cur = current.map { "Checking: " + rows[$0].title } ?? "Checking…"
            var so = [failed > 0 ? "\(failed) failed" : "", notRun > 0 ? "\(notRun) not run" : ""].filter { !$0.isEmpty }.joined(separator: ", ")
            if !so.isEmpty { so += " so far · " }
            (status, role) = (so + cur, failed > 0 ? .error : notRun > 0 ? .warning : .muted)
        case .finished:
            let unrun = notRun > 0 ? "\(notRun) not run" : ""
            if failed > 0 {
                (status, role) = ("\(failed) of \(total) checks failed\(unrun.isEmpty ? "" : ", " + unrun): Enter shows the evidence, r runs them again.", .error)
            } else if notRun > 0 {
                (status, role) = ("\(passed) of \(total) checks passed, \(unrun): Enter shows why, r runs them again.", .warning)
            } else {
                (status, role) = ("All \(total) checks passed. n: next (license activation), r: run again.", .ok)
            }
        }
        buffer.writeLine(status, in: bands[1].inset(left: 1, right: 1), style: theme[role], ellipsis: s.ellipsis)
        renderList(bands[2], into: &buffer, theme: theme)
        buttons.render(bands[3].inset(right: 1), into: &buffer, theme: theme)
    }

    func renderList(_ r: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !r.isEmpty else { return }
        let s = theme.symbols
        let all = lines(width: r.width)
        let anchor = all.firstIndex { if case .check(let i) = $0 { i == selected } else { false } } ?? 0
        var top = 0
        if all.count > r.height {
            // Keep the selected check and its evidence in view, with its layer's rule when there is room.
            top = min(max(0, anchor - r.height / 3), all.count - r.height)
        }
        let content = all.count > r.height ? r.inset(right: 1) : r
        let spin = Int(elapsed.components.seconds * 10 + elapsed.components.attoseconds / 100_000_000_000_000_000)
        for (k, line) in all[top..<min(all.count, top + r.height)].enumerated() {
            let row = content.row(k)
            switch line {
            case .layer(let layer):
                let h = s.border.horizontal
                for x in row.x..<row.right { buffer.write(h, x: x, y: row.y, style: theme[.border], clip: row) }
                let p = rows.filter { $0.layer == layer }
                let failedHere = p.filter { $0.outcome?.verdict.failed == true }.count
                let notRunHere = p.filter { $0.outcome?.verdict.notRun == true }.count
                var spans = [Span(h + " ", style: theme[.border]), Span(layer.title, style: theme[.title])]
                spans.append(Span("  \(p.filter { $0.outcome?.verdict.passed == true }.count)/\(p.count) passed", style: theme[.muted]))
                if failedHere > 0 { spans.append(Span(", \(failedHere) failed", style: theme[.error])) }
                if notRunHere > 0 { spans.append(Span(", \(notRunHere) not run", style: theme[.warning])) }
                spans.append(Span(" ", style: theme[.border]))
                buffer.writeLine(spans, in: row, ellipsis: s.ellipsis)
            case .check(let i):
                let item = rows[i]
                let isSel = i == selected && focus == .list
                let base = theme[isSel ? .selection : .normal]
                if isSel { buffer.fill(row, style: base) }
                let (icon, role, word): (String, Role, String)
                if let o = item.outcome {
                    (icon, role, word) = Self.look(o.verdict, s)
                } else if current == i {
                    (icon, role, word) = (s.spinner.isEmpty ? s.running : s.spinner[spin % s.spinner.count], .title, "")
                } else {
                    (icon, role, word) = (s.pending, .muted, "")
                }
                buffer.write(icon, x: row.x + 1, y: row.y, style: isSel ? base : theme[role], clip: row)
                buffer.writeLine(word, in: Rect(x: row.x + 3, y: row.y, width: Self.textColumn - 4, height: 1), style: isSel ? base : theme[role])
                let time = item.outcome.map { LineOutput.seconds($0.duration) } ?? ""
                let tc = Self.textColumn
                buffer.writeLine(item.title, in: Rect(x: row.x + tc, y: row.y, width: max(0, row.width - tc - 8), height: 1),
                                 style: base, ellipsis: s.ellipsis)
                buffer.writeLine(time, in: Rect(x: row.right - 7, y: row.y, width: 7, height: 1),
                                 style: isSel ? base : theme[.muted], alignment: .right)
            case .evidence(let i, let text):
                let status = rows[i].outcome?.verdict.status
                let role: Role = status == .fail ? .error : status == .notRun ? .warning : .muted
                buffer.writeLine(text, in: row.inset(left: Self.textColumn), style: theme[role], ellipsis: s.ellipsis)
            }
        }
        if all.count > r.height {
            if top > 0 { buffer.write(s.moreAbove, x: r.right - 1, y: r.y, style: theme[.muted], clip: r) }
            if top + r.height < all.count { buffer.write(s.moreBelow, x: r.right - 1, y: r.bottom - 1, style: theme[.muted], clip: r) }
        }
    }
}

/// What the Verify page is fed.
public enum VerifyEvent: Sendable {
    /// A run of the checks began: these rows, none judged yet.
    case started([VerifyScreen.Row])
    case outcome(CheckOutcome)
    case finished
}
