import ClusterCore
import ClusterEngine
import TermUI

extension RunScreen {
    struct Layout {
        var overall: Rect
        var status: Rect
        /// Header row plus the step list.
        var steps: Rect
        /// Header row (tabs) plus the log view; the split grid uses all of it.
        var logs: Rect
    }

    /// Rows of the step list: a layer's header, then its steps.
    enum ListRow: Hashable { case layer(Layer), step(Int) }

    func layout(_ area: Rect) -> Layout {
        let bands = area.rows(.fixed(1), .fixed(1), .fill)
        let rest = bands[2]
        let wanted = listRows().count + 1
        let stepsHeight = min(max(4, rest.height * 2 / 5), max(3, wanted))
        let parts = rest.rows(.fixed(min(stepsHeight, max(0, rest.height - 4))), .fill)
        return Layout(overall: bands[0], status: bands[1], steps: parts[0], logs: parts[1])
    }

    /// Finished layers fold into their header line, unless the step list has focus.
    func listRows() -> [ListRow] {
        var rows: [ListRow] = []
        for layer in layers {
            rows.append(.layer(layer))
            let members = steps.indices.filter { steps[$0].layer == layer }
            let folded = focus != .steps && members.allSatisfy { steps[$0].state.isSettled }
            if !folded { rows += members.map { .step($0) } }
        }
        return rows
    }

    /// The panes of the split view: as many hosts as fit (at least 4 rows each), around the focused one.
    func splitPanes(in rect: Rect) -> [(host: Int, rect: Rect)] {
        let n = hostNames.count
        guard n > 0, !rect.isEmpty else { return [] }
        let cols = rect.width >= 100 && n > 1 ? 2 : 1
        let gridRows = min((n + cols - 1) / cols, max(1, rect.height / 4))
        let visible = min(n, gridRows * cols)
        let start = min(max(0, selectedHost - (visible - 1) / 2), n - visible)
        let columns = rect.columns(Array(repeating: Constraint.fill, count: cols), spacing: 1)
        let usedRows = (visible + cols - 1) / cols
        var out: [(Int, Rect)] = []
        let cells = columns.map { $0.rows(Array(repeating: Constraint.fill, count: usedRows)) }
        for k in 0..<visible { out.append((start + k, cells[k % cols][k / cols])) }
        return out
    }

    // MARK: Rendering

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.clear(area, style: theme[.normal])
        if let v = viewer {
            renderViewer(v, in: area, into: &buffer, theme: theme)
            return
        }
        let l = layout(area)
        renderOverall(l.overall, into: &buffer, theme: theme)
        renderStatus(l.status, into: &buffer, theme: theme)
        renderSteps(l.steps, into: &buffer, theme: theme)
        if logLayout == .tabs { renderTabs(l.logs, into: &buffer, theme: theme) } else { renderSplit(l.logs, into: &buffer, theme: theme) }
        if let f = failure { renderFailure(f, in: area, into: &buffer, theme: theme) }
        if let q = quitConfirm { q.render(area, into: &buffer, theme: theme) }
    }

    var spinnerFrame: Int { Int(elapsed.components.seconds * 10 + elapsed.components.attoseconds / 100_000_000_000_000_000) }

    func renderOverall(_ r: Rect, into buffer: inout Buffer, theme: Theme) {
        let p = progress()
        let started = runStartedAt != nil
        ProgressBar(fraction: p.fraction, label: "Overall \(p.settled)/\(p.total)",
                    elapsed: started ? runElapsed : nil, estimatedTotal: estimatedTotal())
            .render(r.inset(left: 1, right: 1), into: &buffer, theme: theme)
    }

    func renderStatus(_ r: Rect, into buffer: inout Buffer, theme: Theme) {
        let (text, role) = statusLine
        buffer.writeLine(text, in: r.inset(left: 1, right: 1), style: theme[role], ellipsis: theme.symbols.ellipsis)
    }

    /// The sentence under the overall bar.
    var statusLine: (String, Role) {
        if let message { return (message, .warning) }
        let p = progress()
        if case .idle(let s) = runState {
            if s.succeeded {
                let already = p.trusted + steps.filter { $0.state == .finished(.alreadyDone) && !$0.fromJournal }.count
                let note = already > 0 ? " (\(already) already in place)" : ""
                return ("All \(p.total) steps done\(note) in \(LineOutput.seconds(runElapsed)). Press Enter to verify the cluster.", .ok)
            }
            if s.stopped {
                return ("Stopped: running steps were interrupted, the rest kept. Start again (or joget-cluster resume) to go on.", .warning)
            }
            let blocked = steps.filter { if case .finished(.blocked) = $0.state { true } else { false } }.count
            let waiting = failureQueue.isEmpty ? "" : ": press f to decide (Retry, Skip, Abort)"
            return ("\(p.failed) failed" + (blocked > 0 ? ", \(blocked) blocked" : "") + "\(waiting).", .error)
        }
        if let n = notices.last { return ("Note: " + n, .warning) }
        if runState == .waiting { return ("Connecting to the hosts…", .muted) }
        let busy = hostNames.filter { h in steps.contains { $0.host == h && $0.state.isRunning } }
        var parts: [String] = []
        if !busy.isEmpty { parts.append("Working on " + busy.joined(separator: ", ")) }
        if p.failed > 0 { parts.append("\(p.failed) failed (f)") }
        let left = p.total - p.settled - p.running - p.failed
        if left > 0 { parts.append("\(left) to go") }
        return (parts.joined(separator: " · "), p.failed > 0 ? .error : .muted)
    }

    /// A separator line with a title: `─ Steps ─────`.
    func renderRule(_ r: Rect, title: [Span], into buffer: inout Buffer, theme: Theme) {
        guard !r.isEmpty else { return }
        let h = theme.symbols.border.horizontal
        for x in r.x..<r.right { buffer.write(h, x: x, y: r.y, style: theme[.border], clip: r) }
        buffer.writeLine([Span(h + " ", style: theme[.border])] + title + [Span(" ", style: theme[.border])],
                         in: r, ellipsis: theme.symbols.ellipsis)
    }

    // MARK: Steps

    func renderSteps(_ r: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !r.isEmpty else { return }
        let p = progress()
        var title = [Span("Steps", style: theme[focus == .steps ? .focused : .title])]
        title.append(Span("  \(p.settled)/\(p.total)", style: theme[.muted]))
        if p.failed > 0 { title.append(Span("  \(p.failed) failed", style: theme[.error])) }
        renderRule(r.row(0), title: title, into: &buffer, theme: theme)
        let list = r.inset(top: 1)
        guard !list.isEmpty else { return }
        let rows = listRows()
        let anchor = (focus == .steps ? selectedStep : anchorStep).flatMap { rows.firstIndex(of: .step($0)) } ?? 0
        let h = list.height
        var top = 0
        if rows.count > h { top = min(max(0, anchor - h / 3), rows.count - h) }
        var shown = Array(rows[top..<min(rows.count, top + h)])
        if top > 0, case .step(let i) = shown.first {
            shown = [.layer(steps[i].layer)] + shown.dropLast()   // keep the layer's name in sight
        }
        let hostWidth = min(12, hostNames.map { TextWidth.of($0) }.max() ?? 4)
        let content = rows.count > h ? list.inset(right: 1) : list
        for (k, row) in shown.enumerated() {
            let line = content.row(k)
            switch row {
            case .layer(let layer): renderLayerRow(layer, in: line, into: &buffer, theme: theme)
            case .step(let i): renderStepRow(i, hostWidth: hostWidth, in: line, into: &buffer, theme: theme)
            }
        }
        if rows.count > h {
            let x = list.right - 1
            if top > 0 { buffer.write(theme.symbols.moreAbove, x: x, y: list.y, style: theme[.muted], clip: list) }
            if top + h < rows.count { buffer.write(theme.symbols.moreBelow, x: x, y: list.bottom - 1, style: theme[.muted], clip: list) }
        }
    }

    func mark(_ state: StepState, symbols s: Symbols) -> (String, Role) {
        switch state {
        case .pending: return (s.pending, .muted)
        case .running: return (s.spinner.isEmpty ? s.running : s.spinner[spinnerFrame % s.spinner.count], .title)
        case .finished(.done): return (s.done, .ok)
        case .finished(.alreadyDone): return (s.skipped, .muted)
        case .finished(.skipped): return (s.skipped, .warning)
        case .finished(.interrupted): return ("!", .warning)
        case .finished(.failed): return (s.failed, .error)
        case .finished(.blocked): return ("-", .warning)
        }
    }

    func renderLayerRow(_ layer: Layer, in r: Rect, into buffer: inout Buffer, theme: Theme) {
        let p = progress(of: layer)
        let s = theme.symbols
        let icon: (String, Role)
        if p.isComplete { icon = (s.done, .ok) }
        else if p.failed > 0 { icon = (s.failed, .error) }
        else if p.running > 0 { icon = mark(.running(.apply), symbols: s) }
        else { icon = (s.pending, .muted) }
        let titleWidth = min(24, max(8, r.width / 3))
        let counts = "\(p.settled)/\(p.total)"
        buffer.write(icon.0, x: r.x + 1, y: r.y, style: theme[icon.1], clip: r)
        buffer.writeLine(layer.title, in: Rect(x: r.x + 3, y: r.y, width: titleWidth, height: 1),
                         style: theme[.title], ellipsis: s.ellipsis)
        let countsRect = Rect(x: r.x + 3 + titleWidth, y: r.y, width: 7, height: 1)
        buffer.writeLine(counts, in: countsRect, style: theme[.muted], alignment: .right)
        // The time in a column of its own, so the bars line up from layer to layer.
        let spent = layerElapsed(layer)
        let time = ProgressBar(fraction: 0, elapsed: spent > .zero ? spent : nil, estimatedTotal: estimatedTotal(of: layer)).timeText
        let timeWidth = r.width >= 60 ? 17 : 0
        let barArea = Rect(x: countsRect.right + 2, y: r.y, width: max(0, r.right - countsRect.right - 2 - timeWidth), height: 1)
        ProgressBar(fraction: p.fraction).render(barArea, into: &buffer, theme: theme)
        if timeWidth > 0 {
            buffer.writeLine(time, in: Rect(x: r.right - timeWidth + 1, y: r.y, width: timeWidth - 1, height: 1),
                             style: theme[.muted], alignment: .right)
        }
    }

    /// What a step row says on its right: `apply 12s`, `done 3.2s`, `passed 0.1s` (a probe),
    /// `already done`, `FAILED 2.0s`.
    func statusText(_ row: StepRow) -> (String, Role) {
        let took = row.duration.map { " " + LineOutput.seconds($0) } ?? ""
        switch row.state {
        case .pending: return ("", .muted)
        case .running(let phase):
            return ("\(phase.rawValue) \(ProgressBar.format(row.shownDuration(now: elapsed) ?? .zero))", .title)
        case .finished(.done): return (row.fromJournal ? "done earlier" : (row.readOnly ? "passed" : "done") + took, .ok)
        case .finished(.alreadyDone): return ("already done", .muted)
        case .finished(.skipped): return ("skipped", .warning)
        case .finished(.interrupted): return ("interrupted", .warning)
        case .finished(.failed): return ("FAILED" + took, .error)
        case .finished(.blocked): return ("blocked", .warning)
        }
    }

    func renderStepRow(_ i: Int, hostWidth: Int, in r: Rect, into buffer: inout Buffer, theme: Theme) {
        let row = steps[i]
        let selected = focus == .steps && i == selectedStep
        let base = theme[selected ? .selection : .normal]
        if selected { buffer.fill(r, style: base) }
        let (icon, role) = mark(row.state, symbols: theme.symbols)
        let (status, statusRole) = statusText(row)
        let statusWidth = 13
        buffer.write(icon, x: r.x + 3, y: r.y, style: selected ? base : theme[role], clip: r)
        let hostRect = Rect(x: r.x + 5, y: r.y, width: hostWidth, height: 1)
        buffer.writeLine(row.host, in: hostRect, style: selected ? base : theme[.label], ellipsis: theme.symbols.ellipsis)
        var title = row.title
        if case .finished(.blocked(let by)) = row.state { title += " (needs \(by))" }
        let titleRect = Rect(x: hostRect.right + 2, y: r.y, width: max(0, r.right - hostRect.right - 2 - statusWidth - 1), height: 1)
        buffer.writeLine(title, in: titleRect, style: base, ellipsis: theme.symbols.ellipsis)
        buffer.writeLine(status, in: Rect(x: r.right - statusWidth, y: r.y, width: statusWidth, height: 1),
                         style: selected ? base : theme[statusRole], alignment: .right)
    }

    // MARK: Logs

    func hostMark(_ h: Int, symbols s: Symbols) -> (String, Role) {
        let name = hostNames[h]
        var running = false, failed = false, trouble = false, all = true, any = false
        for st in steps where st.host == name {
            any = true
            switch st.state {
            case .running: running = true; all = false
            case .finished(.failed): failed = true; all = false
            case .finished(.interrupted), .finished(.blocked): trouble = true; all = false
            case .pending: all = false
            default: break
            }
        }
        if failed { return (s.failed, .error) }
        if running { return mark(.running(.apply), symbols: s) }
        if trouble { return ("!", .warning) }
        if any && all { return (s.done, .ok) }
        return (s.pending, .muted)
    }

    func renderTabs(_ r: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !r.isEmpty else { return }
        let header = r.row(0)
        let h = theme.symbols.border.horizontal
        for x in header.x..<header.right { buffer.write(h, x: x, y: header.y, style: theme[.border], clip: header) }
        // Tabs: ` 1 files ✓ ` and `[2 db ⠹]` for the shown one; a window around it when they do not fit.
        var tabs: [[Span]] = []
        for i in hostNames.indices {
            let (icon, role) = hostMark(i, symbols: theme.symbols)
            let number = i < 9 ? "\(i + 1) " : ""
            let selected = i == selectedHost
            let style = selected ? theme[focus == .log ? .focused : .title] : theme[.normal]
            tabs.append([Span(selected ? "[" : " ", style: style), Span(number + hostNames[i] + " ", style: style),
                         Span(icon, style: selected ? style : theme[role]), Span(selected ? "]" : " ", style: style)])
        }
        let widths = tabs.map { $0.reduce(0) { $0 + $1.width } }
        let lead = [Span(h + " ", style: theme[.border]), Span("Log", style: theme[.title]), Span(" ", style: theme[.border])]
        let room = header.width - 6 - 2
        var first = 0
        func used(_ a: Int, _ b: Int) -> Int { a > b ? 0 : widths[a...b].reduce(0, +) }
        if !tabs.isEmpty {
            while first < selectedHost && used(first, selectedHost) > room { first += 1 }
        }
        var spans = lead
        if first > 0 { spans.append(Span("<", style: theme[.muted])) }
        var total = 0
        var last = first - 1
        for i in first..<tabs.count {
            if total + widths[i] > room { break }
            spans += tabs[i]
            total += widths[i]
            last = i
        }
        if last < tabs.count - 1 { spans.append(Span(">", style: theme[.muted])) }
        spans.append(Span(" ", style: theme[.border]))
        buffer.writeLine(spans, in: header, ellipsis: theme.symbols.ellipsis)
        guard hostNames.indices.contains(selectedHost) else { return }
        let pane = panes[selectedHost]
        var view = pane.view
        if let problem = hostProblems[hostNames[selectedHost]], pane.lines.isEmpty {
            buffer.writeLine(problem, in: r.row(1).inset(left: 1), style: theme[.error], ellipsis: theme.symbols.ellipsis)
            return
        }
        if pane.lines.isEmpty {
            buffer.writeLine("No output from \(hostNames[selectedHost]) yet.", in: r.row(1).inset(left: 1),
                             style: theme[.muted], ellipsis: theme.symbols.ellipsis)
            view.showsStatusLine = false
        }
        view.render(r.inset(top: 1), into: &buffer, source: pane.lines, theme: theme)
    }

    func renderSplit(_ r: Rect, into buffer: inout Buffer, theme: Theme) {
        let h = theme.symbols.border.horizontal
        let shown = splitPanes(in: r)
        for (i, rect) in shown {
            let header = rect.row(0)
            let selected = i == selectedHost
            for x in header.x..<header.right { buffer.write(h, x: x, y: header.y, style: theme[.border], clip: header) }
            let (icon, role) = hostMark(i, symbols: theme.symbols)
            let style = theme[selected ? (focus == .log ? .focused : .title) : .label]
            let number = i < 9 ? "\(i + 1) " : ""
            buffer.writeLine([Span(h + " ", style: theme[.border]), Span((selected ? "[" : "") + number + hostNames[i] + " ", style: style),
                              Span(icon, style: selected ? style : theme[role]), Span(selected ? "]" : "", style: style),
                              Span(" ", style: theme[.border])],
                             in: header, ellipsis: theme.symbols.ellipsis)
            if selected && shown.count < hostNames.count {
                let note = " \(shown.count) of \(hostNames.count) hosts: Left/Right for others "
                buffer.writeLine(note, in: header.inset(left: 20, right: 2), style: theme[.muted], alignment: .right)
            }
            let pane = panes[i]
            var view = pane.view
            view.showsStatusLine = selected && rect.height >= 5
            let body = rect.inset(top: 1)
            if pane.lines.isEmpty {
                let text = hostProblems[hostNames[i]] ?? "No output yet."
                buffer.writeLine(text, in: body.row(0).inset(left: 1), style: theme[hostProblems[hostNames[i]] == nil ? .muted : .error],
                                 ellipsis: theme.symbols.ellipsis)
                continue
            }
            view.render(body, into: &buffer, source: pane.lines, theme: theme)
        }
    }

    func renderViewer(_ v: RunLogViewer, in area: Rect, into buffer: inout Buffer, theme: Theme) {
        var head = [Span("Full log  ", style: theme[.title]), Span(v.path, style: theme[.normal])]
        if v.droppedLines > 0 { head.append(Span("  (last \(v.lines.count) lines; \(v.droppedLines) earlier not shown)", style: theme[.muted])) }
        buffer.writeLine(head, in: area.row(0).inset(left: 1, right: 1), ellipsis: theme.symbols.ellipsis)
        let body = area.inset(top: 1)
        if let error = v.error {
            buffer.writeLine(error, in: body.row(0).inset(left: 1), style: theme[.error], ellipsis: theme.symbols.ellipsis)
            return
        }
        v.view.render(body, into: &buffer, source: v.lines, theme: theme)
    }
}
