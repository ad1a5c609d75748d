import ClusterCore
import ClusterEngine
import TermUI

extension RunScreen {
    public var title: String {
        switch runState {
        case .waiting: return "Install: starting"
        case .running: return "Installing"
        case .idle(let s):
            if s.succeeded { return "Install finished" }
            if s.stopped { return "Install stopped" }
            return "Install: waiting for you"
        }
    }

    public var legend: [KeyLegend.Item] {
        if viewer != nil {
            return [.init("PgUp/PgDn", "Scroll"), .init("/", "Search"), .init("Home/End", "Top/End"), .init("Esc", "Close log")]
        }
        if quitConfirm != nil { return [.init("Enter", "Choose"), .init("Esc", "Keep running")] }
        if failure != nil {
            var items: [KeyLegend.Item] = [.init("Enter", "Choose"), .init("r", "Retry"), .init("v", "View log"),
                                           .init("a", "Abort"), .init("Esc", "Later")]
            if failure?.choices.contains(.skip) == true { items.insert(.init("s", "Skip"), at: 2) }
            return items
        }
        var items: [KeyLegend.Item] = []
        if succeeded { items.append(.init("Enter", "Verify")) }
        if !failureQueue.isEmpty { items.append(.init("f", "Failed step")) }
        if focus == .steps {
            items += [.init("Up/Down", "Step"), .init("Enter", "Full log"), .init("Tab", "Log")]
        } else {
            items += [.init("1-9", "Host"), .init("PgUp", "Scroll"), .init("/", "Search"), .init("o", "Full log")]
            // Room at 80 columns: the view keys only when no main key leads the line.
            if items.count == 4 { items += [.init("s", logLayout == .tabs ? "Split" : "Tabs"), .init("Tab", "Steps")] }
        }
        items.append(.init("F10", isRunning ? "Stop" : "Quit"))
        return items
    }

    public var help: String? {
        """
        The install runs step by step: each host's steps in order, hosts in parallel, a layer's steps after what \
        they need. Each step is checked first and skipped (= already done) when its result is in place.

        Left/Right or 1-9 choose the host whose log is shown; s shows several hosts' logs side by side. \
        The log follows new lines; PgUp/PgDn/Home scroll back (End follows again), / searches, n and N jump \
        between matches, < and > scroll sideways, o opens the shown step's full log.

        Tab moves to the step list: Up/Down choose a step, Enter opens its full log.

        When a step fails, a dialog offers Retry, Skip (only for optional steps), View log, the ssh command for \
        a shell on that host, and Abort. Other hosts' work that does not need the failed step goes on meanwhile.

        F10 stops the install (asking first): running steps are recorded as interrupted and the next start \
        offers to resume. Full logs: logs/<host>/<step>.log in the state folder.
        """
    }

    public mutating func handle(_ key: Key) -> ScreenRequest {
        message = nil
        if viewer != nil { return handleViewer(key) }
        if quitConfirm != nil { return handleQuitConfirm(key) }
        if failure != nil { return handleFailure(key) }
        if focus == .log, hostNames.indices.contains(selectedHost), panes[selectedHost].view.search?.isEditing == true {
            return logKey(key)
        }
        switch key {
        case .f(10), .char("q"):
            return askToStop()
        case .resize:
            return .ignored
        case .tab, .backTab:
            focus = focus == .log ? .steps : .log
            if focus == .steps { selectedStep = anchorStep ?? 0 }
            return .none
        case .char("s"):
            logLayout = logLayout == .tabs ? .split : .tabs
            return .none
        case .left:
            if selectedHost > 0 { selectHost(selectedHost - 1) }
            return .none
        case .right:
            if selectedHost + 1 < hostNames.count { selectHost(selectedHost + 1) }
            return .none
        case .char(let c) where c.isASCII && c.isNumber && c != "0":
            let i = Int(String(c))! - 1
            if i < hostNames.count { selectHost(i) }
            return .none
        case .char("f"):
            guard !failureQueue.isEmpty else { message = "No failed step waits for a decision."; return .none }
            failureDeferred = false
            aborted = false
            showNextFailure()
            return .none
        case .char("o"):
            return openLog(ofStep: focus == .steps ? selectedStep : shownStep)
        case .char("/") where focus == .steps:
            focus = .log
            return logKey(key)
        case .enter:
            if focus == .steps { return openLog(ofStep: selectedStep) }
            if succeeded { return .next }
            return .none
        case .escape where focus == .steps:
            focus = .log
            return .none
        default:
            break
        }
        return focus == .steps ? stepKey(key) : logKey(key)
    }

    mutating func selectHost(_ i: Int) {
        guard hostNames.indices.contains(i) else { return }
        selectedHost = i
    }

    /// Keys for the shown (or focused) log pane.
    mutating func logKey(_ key: Key) -> ScreenRequest {
        guard hostNames.indices.contains(selectedHost) else { return .ignored }
        let mapped: Key
        switch key {
        case .char("<"): mapped = .left
        case .char(">"): mapped = .right
        default: mapped = key
        }
        let height = logViewHeight
        let source = panes[selectedHost].lines
        return panes[selectedHost].view.handle(mapped, source: source, viewHeight: height) ? .none : .ignored
    }

    mutating func stepKey(_ key: Key) -> ScreenRequest {
        guard !steps.isEmpty else { return .ignored }
        let page = max(1, layout(area).steps.height - 2)
        switch key {
        case .up, .char("k"): selectedStep = max(0, selectedStep - 1)
        case .down, .char("j"): selectedStep = min(steps.count - 1, selectedStep + 1)
        case .pageUp: selectedStep = max(0, selectedStep - page)
        case .pageDown: selectedStep = min(steps.count - 1, selectedStep + page)
        case .home, .char("g"): selectedStep = 0
        case .end, .char("G"): selectedStep = steps.count - 1
        default: return .ignored
        }
        if let h = hostIndex[steps[selectedStep].host] { selectedHost = h }
        return .none
    }

    mutating func openLog(ofStep index: Int?) -> ScreenRequest {
        guard let index, steps.indices.contains(index) else {
            message = "No step has written to this log yet."
            return .none
        }
        guard let path = logPath(of: steps[index].id) else {
            message = "No log folder is known to this page."
            return .none
        }
        return .openLog(path: path)
    }

    mutating func handleViewer(_ key: Key) -> ScreenRequest {
        guard var v = viewer else { return .none }
        let editing = v.view.search?.isEditing == true
        if !editing && (key == .char("q") || key == .f(10) || (key == .escape && v.view.search == nil)) {
            viewer = nil
            return .none
        }
        let height = max(1, area.height - 1)
        _ = v.view.handle(key, source: v.lines, viewHeight: height)
        viewer = v
        return .none
    }

    // MARK: Which step

    /// The step the page points at: a failed step waiting, else the first running, else the first
    /// pending, else the last.
    var anchorStep: Int? {
        if let id = failureQueue.first, let i = stepIndex[id] { return i }
        if let i = steps.firstIndex(where: { $0.state.isRunning }) { return i }
        if let i = steps.firstIndex(where: { $0.state == .pending }) { return i }
        return steps.isEmpty ? nil : steps.count - 1
    }

    /// The step whose output is at the bottom of the shown log pane (or the host's latest step).
    var shownStep: Int? {
        guard hostNames.indices.contains(selectedHost) else { return nil }
        let pane = panes[selectedHost]
        let rows = max(1, pane.view.textRows(viewHeight: logViewHeight))
        let top = pane.view.visibleTop(source: pane.lines, rows: rows)
        var i = min(top + rows, pane.lines.lineIndices.upperBound) - 1
        while i >= pane.lines.lineIndices.lowerBound {
            if let e = pane.lines.entry(at: i), e.step >= 0 { return Int(e.step) }
            i -= 1
        }
        let host = hostNames[selectedHost]
        return steps.lastIndex { $0.host == host && $0.state != .pending }
    }

    /// Height of the focused log view in the current layout.
    var logViewHeight: Int {
        let l = layout(area)
        if logLayout == .tabs { return max(1, l.logs.height - 1) }
        return splitPanes(in: l.logs).first { $0.host == selectedHost }.map { max(1, $0.rect.height - 1) } ?? max(1, l.logs.height - 1)
    }
}
