import ClusterEngine

extension RunScreen {
    /// Takes in a batch of the runner's events, noting first what the inbox left out of each host.
    ///
    /// A pane keeps its last ``ringCapacity`` lines: an output line followed in this batch by at
    /// least that many more lines of its host would be pushed out before anything is drawn, so it
    /// is only counted (no text is made of it). The pane ends as if every line had been appended.
    public mutating func apply(_ events: [RunEvent], linesLeftOut: [String: Int]) {
        for (host, n) in linesLeftOut.sorted(by: { $0.key < $1.key }) { noteLinesLeftOut(host: host, count: n) }
        var outputs = Array(repeating: 0, count: panes.count)
        for case .output(let o) in events { if let h = hostIndex[o.host] { outputs[h] += o.count } }
        var skip = outputs.map { max(0, $0 - ringCapacity) }
        for e in events {
            if case .output(let o) = e, let h = hostIndex[o.host] {
                applyOutput(o, pane: h, skipping: &skip[h])
            } else {
                apply(e)
            }
        }
    }

    /// Appends a batch's lines to pane `h`, the first `skip` of them only counted (see above).
    mutating func applyOutput(_ o: OutputBatch, pane h: Int, skipping skip: inout Int) {
        let step = Int32(stepIndex[o.stepID] ?? -1)
        let skipped = min(skip, o.count)
        skip -= skipped
        panes[h].lines.ring.skip(skipped)
        for i in skipped..<o.count { panes[h].lines.append(PaneLine(step: step, isMarker: false, text: o.text(i))) }
    }

    /// Notes in a host's pane that `count` lines were not shown (the app fell behind a flood).
    public mutating func noteLinesLeftOut(host: String, count: Int) {
        guard count > 0, let h = hostIndex[host] else { return }
        linesLeftOut += count
        panes[h].lines.append(PaneLine(step: -1, isMarker: true,
                                       text: "... \(count) lines not shown here: the step's full log has them (o)"))
    }
}
