import ClusterEngine

extension RunScreen {
    /// Takes in a batch of the runner's events, noting first what the inbox left out of each host.
    public mutating func apply(_ events: [RunEvent], linesLeftOut: [String: Int]) {
        for (host, n) in linesLeftOut.sorted(by: { $0.key < $1.key }) { noteLinesLeftOut(host: host, count: n) }
        apply(contentsOf: events)
    }

    /// Appends a batch's lines to pane `h` (the pane keeps the batch: no line is decoded here).
    mutating func applyOutput(_ o: OutputBatch, pane h: Int) {
        panes[h].lines.append(o, step: Int32(stepIndex[o.stepID] ?? -1))
    }

    /// Notes in a host's pane that `count` lines were not shown (the app fell behind a flood).
    public mutating func noteLinesLeftOut(host: String, count: Int) {
        guard count > 0, let h = hostIndex[host] else { return }
        linesLeftOut += count
        panes[h].lines.append(PaneLine(step: -1, isMarker: true,
                                       text: "... \(count) lines not shown here: the step's full log has them (o)"))
    }
}
