import ClusterCore
import ClusterEngine
import TermUI

/// The "Check for changes" page, opened from the Welcome page of an installed cluster: the dry run
/// of an install (`joget-cluster apply --dry-run`). Every step's read-only check runs on its host
/// and nothing else; the list fills in as verdicts arrive: each step that would change with its
/// check's reason, and once per host and reason the steps that could not be checked. A summary
/// line ends it. ``DriftController`` feeds it.
///
/// Requests: `.checkAgain`, `.back` (Esc: the Welcome page); q goes to the app (quit).
public struct DriftScreen: Screen, Sendable {
    public enum Phase: Sendable {
        case checking
        case finished(DriftReport)
        /// The checks could not start (another run holds the state folder...).
        case failed(String)
    }

    /// One line of the list: a step that would change, or steps of a host that could not be checked.
    public struct Entry: Equatable, Sendable {
        public var changes: Bool
        public var host: String
        /// The step's title, or `21 steps` for steps not checked for one reason.
        public var what: String
        public var reason: String
    }

    public internal(set) var phase: Phase = .checking
    /// The plan's steps: their titles and order.
    let steps: [Step]
    let order: [String: Int]
    /// Verdicts heard so far, by step id (while checking).
    public internal(set) var heard: [String: DriftFinding] = [:]
    /// The first line of the list on screen.
    public internal(set) var top = 0
    public internal(set) var elapsed: Duration = .zero
    /// The rectangle the app renders into, for paging keys.
    public var area = Rect(x: 0, y: 1, width: 80, height: 22)

    public init(plan: Plan) {
        steps = plan.steps
        var order: [String: Int] = [:]
        for (i, s) in plan.steps.enumerated() { order[s.id] = i }
        self.order = order
    }

    /// The hosts checked, in plan order.
    public var hosts: [String] {
        var seen: [String] = []
        for s in steps where s.host != Step.localHost && !seen.contains(s.host) { seen.append(s.host) }
        return seen
    }

    // MARK: Feeding

    public mutating func apply(_ event: DriftEvent) {
        switch event {
        case .started:
            phase = .checking
            heard = [:]
            top = 0
            elapsed = .zero
        case .finding(let f): heard[f.stepID] = f
        case .finished(let report): phase = .finished(report)
        case .failed(let why): phase = .failed(why)
        }
    }

    public mutating func apply<S: Sequence>(contentsOf events: S) where S.Element == DriftEvent {
        for e in events { apply(e) }
    }

    /// The time since the checks started; it stops with them.
    public mutating func tick(elapsed: Duration) {
        if case .checking = phase { self.elapsed = elapsed }
    }

    // MARK: Reading

    /// What the list shows: the steps that could not be checked, once per host and reason, then the
    /// steps that would change, in plan order; from the report once finished (its steps marked with
    /// the changes they wait for), from the verdicts heard so far before.
    public var entries: [Entry] {
        var findings: [DriftFinding]
        switch phase {
        case .finished(let report): findings = report.findings
        case .failed: findings = []
        case .checking:
            findings = heard.values.sorted { (order[$0.stepID] ?? 0) < (order[$1.stepID] ?? 0) }
        }
        var unchecked: [Entry] = [], changes: [Entry] = []
        var group: [String: (index: Int, count: Int)] = [:]   // "host\nreason"
        for f in findings {
            switch f.verdict {
            case .wouldChange(let why):
                changes.append(Entry(changes: true, host: f.host, what: title(of: f.stepID), reason: why + DriftReport.afterMark(f.after)))
            case .notChecked(let why):
                let key = f.host + "\n" + why
                if let g = group[key] {
                    group[key] = (g.index, g.count + 1)
                    unchecked[g.index].what = "\(g.count + 1) steps"
                } else {
                    group[key] = (unchecked.count, 1)
                    unchecked.append(Entry(changes: false, host: f.host, what: title(of: f.stepID), reason: why))
                }
            default: break
            }
        }
        return unchecked + changes
    }

    func title(of id: String) -> String { order[id].map { steps[$0].title } ?? id }

    /// Steps judged so far.
    public var checked: Int {
        if case .finished(let r) = phase { return r.findings.count }
        return heard.count
    }

    // MARK: Screen

    public var title: String { "Check for changes" }

    public var legend: [KeyLegend.Item] {
        [.init("Up/Down", "Scroll"), .init("r", "Check again"), .init("Esc", "Back")]
    }

    public var help: String? {
        """
        Each step of the install has a read-only check; here every check runs on its host, and nothing else: \
        nothing is installed, written or restarted, and no journal is kept. The list shows each step an install \
        would change, with its check's reason, and first the steps that could not be checked (a host that cannot \
        be reached, a timeout) once per host and reason. A host whose key is not known yet is accepted by its \
        connection test on the Hosts page (Change this cluster). A step marked "after: ..." may fail its check \
        only because a step it waits for would change.

        The same check runs headless with: joget-cluster apply --dry-run (exit 0: nothing would change).
        r checks again; Esc goes back to the Welcome page.
        """
    }

    public mutating func handle(_ key: Key) -> ScreenRequest {
        let page = max(1, listHeight - 1)
        switch key {
        case .char("r"): return .checkAgain
        case .escape: return .back
        case .up, .char("k"): top -= 1
        case .down, .char("j"): top += 1
        case .pageUp: top -= page
        case .pageDown, .space: top += page
        case .home: top = 0
        case .end: top = Int.max / 2
        default: return .ignored
        }
        top = min(max(0, top), max(0, lines(width: area.width).count - listHeight))
        return .none
    }

    // MARK: Rendering

    /// The bar, two lines of status, a blank line, then the list.
    static let headerHeight = 4
    var listHeight: Int { max(1, area.height - Self.headerHeight) }

    /// The width of the verdict column: ` would change  `.
    static let wordWidth = 15

    /// Where a reason starts: under the step, after the verdict and the host.
    static func reasonColumn(_ entries: [Entry]) -> Int {
        wordWidth + (entries.map { TextWidth.of($0.host) }.max() ?? 0) + 2
    }

    enum Line: Equatable {
        case entry(Int)
        case reason(Int, String)
        case text(String, Role)
    }

    func lines(width: Int) -> [Line] {
        let all = entries
        var out: [Line] = []
        let indent = Self.reasonColumn(all)
        for (i, e) in all.enumerated() {
            out.append(.entry(i))
            // Why a host could not be checked says what to do: it gets a line more.
            let most = e.changes ? 2 : 3
            var wrapped = TextLayout.wrap(e.reason, width: max(10, width - indent - 1))
            if wrapped.count > most {
                wrapped = Array(wrapped.prefix(most))
                wrapped[most - 1] = TextLayout.truncate(wrapped[most - 1] + " …", to: max(10, width - indent - 1), ellipsis: "…")
            }
            out += wrapped.map { .reason(i, $0) }
        }
        if case .finished(let report) = phase, out.isEmpty, report.unchecked.isEmpty {
            out.append(.text("Nothing would change: every step's check passed.", .ok))
        }
        return out
    }

    /// The status under the bar, and how to show it.
    var status: (String, Role) {
        switch phase {
        case .checking:
            let changes = entries.filter(\.changes).count
            let so = changes > 0 ? "\(changes) would change so far · " : ""
            return (so + "Checking on " + hosts.joined(separator: ", ")
                    + ". Nothing is changed on the hosts.", .muted)
        case .finished(let report):
            let role: Role = report.exitCode == 0 ? .ok : report.exitCode == 3 ? .warning : .error
            return (report.summary + ".", role)
        case .failed(let why): return ("Not checked: " + why, .error)
        }
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.clear(area, style: theme[.normal])
        let s = theme.symbols
        let total = steps.count
        let finished: Bool
        if case .checking = phase { finished = false } else { finished = true }
        let label = finished ? "Checked \(checked)/\(total) steps" : "Checking \(checked)/\(total) steps"
        ProgressBar(fraction: total == 0 ? 1 : Double(checked) / Double(total), label: label, elapsed: elapsed)
            .render(area.row(0).inset(left: 1, right: 1), into: &buffer, theme: theme)
        let (text, role) = status
        for (i, line) in TextLayout.wrap(text, width: max(1, area.width - 2)).prefix(2).enumerated() {
            buffer.writeLine(line, in: area.row(1 + i).inset(left: 1, right: 1), style: theme[role], ellipsis: s.ellipsis)
        }
        let list = area.inset(top: Self.headerHeight)
        guard !list.isEmpty else { return }
        let all = lines(width: list.width)
        let first = min(top, max(0, all.count - list.height))
        let content = all.count > list.height ? list.inset(right: 1) : list
        let entries = self.entries
        let hostWidth = entries.map { TextWidth.of($0.host) }.max() ?? 0
        let indent = Self.reasonColumn(entries)
        for (k, line) in all.dropFirst(first).prefix(list.height).enumerated() {
            let row = content.row(k)
            switch line {
            case .entry(let i):
                let e = entries[i]
                buffer.writeLine([Span(TextLayout.pad(" " + (e.changes ? "would change" : "not checked"), to: Self.wordWidth),
                                       style: theme[e.changes ? .warning : .error]),
                                  Span(TextLayout.pad(e.host, to: hostWidth) + "  ", style: theme[.label]),
                                  Span(e.what)],
                                 in: row, ellipsis: s.ellipsis)
            case .reason(let i, let text):
                buffer.writeLine(text, in: row.inset(left: indent), style: theme[entries[i].changes ? .muted : .error],
                                 ellipsis: s.ellipsis)
            case .text(let text, let role):
                buffer.writeLine(" " + text, in: row, style: theme[role], ellipsis: s.ellipsis)
            }
        }
        if all.count > list.height {
            if first > 0 { buffer.write(s.moreAbove, x: list.right - 1, y: list.y, style: theme[.muted], clip: list) }
            if first + list.height < all.count {
                buffer.write(s.moreBelow, x: list.right - 1, y: list.bottom - 1, style: theme[.muted], clip: list)
            }
        }
    }
}

/// What the "Check for changes" page is fed.
public enum DriftEvent: Sendable {
    /// A check of every step began.
    case started
    /// One step's verdict (before the report marks the changes it waits for).
    case finding(DriftFinding)
    case finished(DriftReport)
    case failed(String)
}
