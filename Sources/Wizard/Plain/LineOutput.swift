import ClusterCore
import ClusterEngine
import Foundation

/// Formats run events as plain lines for the headless commands:
/// ```
/// [db] db create-database: done (1.2s)
///     | Query OK, 1 row affected
/// ```
/// A step is named by its id without the `<layer-tag>.` prefix and `@<host>` suffix the line already
/// shows; the summary table names full ids (what `retry` and `skip` take). Output of steps running in
/// parallel interleaves: a header line names the step whenever the output switches to another one.
/// Not thread-safe: feed it from one task.
public final class LineOutput {
    public struct Options: Sendable {
        public var color: Bool
        /// Print each step's output lines (`    | text`).
        public var showOutput: Bool
        /// Print a line when a step's apply, verify or transfer starts (checks are quiet).
        public var showStarts: Bool
        public init(color: Bool = false, showOutput: Bool = true, showStarts: Bool = true) {
            self.color = color; self.showOutput = showOutput; self.showStarts = showStarts
        }
    }

    public let options: Options
    private var layers: [String: Layer] = [:]
    private var readOnly: Set<String> = []
    private var lastOutputStep: String? = nil

    public init(plan: Plan, options: Options = Options()) {
        self.options = options
        for step in plan.steps { layers[step.id] = step.layer }
        readOnly = plan.readOnlyStepIDs
    }

    /// Colour when stdout is a terminal and `NO_COLOR` is unset (or empty), as no-color.org asks.
    public static func shouldColor(fileDescriptor: Int32 = STDOUT_FILENO,
                                   environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        if let v = environment["NO_COLOR"], !v.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isatty(fileDescriptor) == 1
    }

    /// The lines to print for one event (often none or one; an output batch, one per line).
    public func format(_ event: RunEvent) -> [String] {
        switch event {
        case .runStarted(let plan, let hash):
            lastOutputStep = nil
            var line = "Running \(plan.stepCount) steps on \(plan.hosts.count) host\(plan.hosts.count == 1 ? "" : "s"): \(plan.hosts.joined(separator: ", "))"
            if plan.trustedFromJournal > 0 { line += "; \(plan.trustedFromJournal) already recorded done" }
            if let hash { line += " (answers \(hash.prefix(12)))" }
            return [paint(line, .bold)]
        case .notice(let text):
            return [paint("note: ", .yellow) + text]
        case .stepStarted(let id, let host, let phase):
            guard options.showStarts, phase != .check else { return [] }
            lastOutputStep = id
            return ["\(prefix(id, host)): \(phase.rawValue)..."]
        case .output(let o):
            guard options.showOutput, !o.isEmpty else { return [] }
            var lines: [String] = []
            if lastOutputStep != o.stepID {
                lastOutputStep = o.stepID
                lines.append(paint("\(prefix(o.stepID, o.host)) (\(o.phase.rawValue)):", .dim))
            }
            for line in o.lines { lines.append("    | " + line.text) }
            return lines
        case .hostProblem:
            return []   // the failing steps say it
        case .stepFinished(let o):
            if lastOutputStep == o.stepID { lastOutputStep = nil }
            var line = "\(prefix(o.stepID, o.host)): \(statusText(o.status))"
            if o.fromJournal {
                line += " (recorded earlier)"
            } else if o.attempt > 0 {
                line += " (\(LineOutput.seconds(o.duration)))"
            }
            return [line]
        case .runFinished(let summary):
            lastOutputStep = nil
            return [""] + summaryTable(summary).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// A table of every finished step plus the counts, the steps left, and what to do next.
    public func summaryTable(_ summary: RunSummary) -> String {
        var rows: [[String]] = [["STEP", "HOST", "STATUS", "TIME"]]
        var colors: [Color?] = [nil]
        for o in summary.outcomes {
            rows.append([o.stepID, o.host, o.status.description,
                         o.fromJournal ? "earlier" : LineOutput.seconds(o.duration)])
            colors.append(color(for: o.status))
        }
        for id in summary.remaining {
            rows.append([id, hostOf(id) ?? "", "not run", ""])
            colors.append(.dim)
        }
        var out = LineOutput.table(rows, colors: colors, paint: paint)
        let counts = ["done", "alreadyDone", "failed", "blocked", "skipped", "interrupted"].compactMap { name -> String? in
            let n = summary.count(name)
            return n == 0 ? nil : "\(n) \(name == "alreadyDone" ? "already done" : name)"
        }
        var totals = counts.joined(separator: ", ")
        if !summary.remaining.isEmpty { totals += (totals.isEmpty ? "" : ", ") + "\(summary.remaining.count) not run" }
        out += "\n" + totals + " in \(LineOutput.seconds(summary.duration))"
        if summary.stopped { out += "\n" + paint("Stopped before the end: resume to go on.", .yellow) }
        if summary.succeeded {
            out += "\n" + paint("All steps done.", .green)
            // Say how much of what ran only read the hosts (on a re-run, usually nearly all of it).
            let ran = summary.outcomes.filter { $0.status == .done && !$0.fromJournal }
            let others = ran.filter { !readOnly.contains($0.stepID) }.map(\.stepID).sorted()
            if !ran.isEmpty && others.isEmpty {
                out += " Nothing changed: the \(ran.count) that ran only read the hosts (checks and tests)."
            } else if others.count < ran.count && others.count <= 5 {
                out += " Of the \(ran.count) steps that ran, \(ran.count - others.count) only read the hosts; "
                    + "the others: \(others.joined(separator: ", "))."
            }
        } else if !summary.failed.isEmpty {
            out += "\n" + paint("Failed: ", .red) + summary.failed.map(\.stepID).joined(separator: ", ")
                + ". Logs: logs/<host>/<step>.log in the state folder."
        }
        return out
    }

    /// The `status` table from the journal: step, host, status, duration, time. With a plan, its steps
    /// in order (those the journal never names show "not run"); without, the journal's order.
    public static func statusTable(_ state: JournalState, plan: Plan? = nil, color: Bool = false) -> String {
        let out = LineOutput(plan: plan ?? Plan(steps: []), options: Options(color: color))
        var rows: [[String]] = [["STEP", "HOST", "STATUS", "TIME", "WHEN"]]
        var colors: [Color?] = [nil]
        let ids = plan.map { p in p.steps.map(\.id) + state.order.filter { p.step($0) == nil } } ?? state.order
        for id in ids {
            if let e = state.steps[id] {
                let time = e.durationMs.map { LineOutput.seconds(.milliseconds($0)) } ?? ""
                let when = e.time.map(LineOutput.when) ?? ""
                var status = e.status.description
                if plan != nil, plan?.step(id) == nil { status += " (not in this plan)" }
                rows.append([id, e.host, status, time, when])
                colors.append(out.color(for: e.status))
            } else {
                rows.append([id, plan?.step(id)?.host ?? "", "not run", "", ""])
                colors.append(.dim)
            }
        }
        var text = table(rows, colors: colors, paint: out.paint)
        if state.runs == 0 {
            text += "\nNo run recorded yet."
        } else {
            var last = "Last run"
            if let d = state.lastRunStarted { last += " started \(when(d))" }
            last += state.runFinished ? (state.runComplete ? ", finished: all done." : ", ended with steps left.")
                : ", did not finish (stopped or killed)."
            text += "\n" + last
        }
        return text
    }

    /// `status`'s first lines: the cluster, then a row per fact, those that need the operator marked
    /// `!` (yellow with colour). With `width` (a terminal's), a long row wraps under its own text;
    /// without, each row stays on one line, for grep.
    public static func overview(_ rows: [ClusterOverview.Row], cluster: String, stateDir: String, color: Bool = false,
                                width: Int? = nil) -> String {
        let out = LineOutput(plan: Plan(steps: []), options: Options(color: color))
        let lines = OverviewLines.lines(rows, width: width, withCommands: true)
        return (["Cluster \(cluster) (state folder \(stateDir))"] + lines.map { $0.needsAttention ? out.paint($0.text, .yellow) : $0.text })
            .joined(separator: "\n")
    }

    /// The terminal's width when standard output is one, else nil.
    public static func terminalWidth(fileDescriptor: Int32 = STDOUT_FILENO) -> Int? {
        guard isatty(fileDescriptor) == 1 else { return nil }
        var size = winsize()
        guard ioctl(fileDescriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    // MARK: helpers

    enum Color: String { case red = "31", green = "32", yellow = "33", dim = "2", bold = "1" }

    func paint(_ text: String, _ color: Color?) -> String {
        guard options.color, let color, !text.isEmpty else { return text }
        return "\u{1B}[\(color.rawValue)m" + text + "\u{1B}[0m"
    }

    func color(for status: StepStatus) -> Color? {
        switch status {
        case .done: .green
        case .alreadyDone: .dim
        case .failed: .red
        case .skipped, .interrupted, .blocked: .yellow
        }
    }

    private func statusText(_ status: StepStatus) -> String {
        switch status {
        case .failed(let reason): paint("FAILED", .red) + ": " + reason
        default: paint(status.description, color(for: status))
        }
    }

    private func hostOf(_ id: String) -> String? {
        guard let at = id.lastIndex(of: "@") else { return nil }
        return String(id[id.index(after: at)...])
    }

    /// `[db] db create-database`
    func prefix(_ id: String, _ host: String) -> String {
        let layer = layers[id]
        var name = id
        if name.hasSuffix("@" + host) { name.removeLast(host.count + 1) }
        if let tag = layer?.tag, name.hasPrefix(tag + "."), name.count > tag.count + 1 { name.removeFirst(tag.count + 1) }
        let tag = layer.map { "[\($0.tag)] " } ?? ""
        return paint(tag, .dim) + host + " " + name
    }

    /// `0.4s`, `12.0s`, `3m05s`, `1h02m`.
    public static func seconds(_ d: Duration) -> String { TimeText.seconds(d) }

    /// Local time, `2025-01-02 03:04:05`.
    static func when(_ date: Date) -> String { TimeText.local(date) }

    /// Columns padded to their widest cell (by characters), two spaces apart; last column unpadded.
    static func table(_ rows: [[String]], colors: [Color?], paint: (String, Color?) -> String) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.enumerated().map { r, row in
            let text = row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
            let trimmed = String(text.reversed().drop(while: { $0 == " " }).reversed())
            return r == 0 ? paint(trimmed, .bold) : paint(trimmed, colors[r])
        }.joined(separator: "\n")
    }

    /// Prints every event of a stream to stdout until the stream ends or `until` says stop
    /// (by default at the first `runFinished`).
    public func print(_ events: AsyncStream<RunEvent>, until: @escaping (RunEvent) -> Bool = {
        if case .runFinished = $0 { true } else { false }
    }) async {
        for await event in events {
            for line in format(event) { Swift.print(line) }
            fflush(nil)
            if until(event) { break }
        }
    }
}
