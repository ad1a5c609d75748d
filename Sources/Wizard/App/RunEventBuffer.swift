import ClusterEngine

/// A run's events waiting in the app's inbox, with output lines bounded per host.
struct RunEventBuffer {
    let keep: Int
    private(set) var events: [RunEvent] = []
    private var outputs = 0           // output lines pending
    private var threshold: Int
    private var leftOut: [String: Int] = [:]

    init(keep: Int) {
        self.keep = keep
        threshold = max(4 * keep, 20_000)
    }

    mutating func push(_ event: RunEvent) {
        events.append(event)
        if case .output(let batch) = event {
            outputs += batch.count
            if outputs > threshold { compact() }
        }
    }

    /// Drops the oldest pending output lines of each host beyond `keep` (a batch across the limit
    /// keeps its newest lines). Amortised O(1) per line: the next compaction waits until the inbox
    /// doubled again.
    mutating func compact() {
        var kept: [String: Int] = [:]
        var out: [RunEvent] = []
        out.reserveCapacity(events.count)
        for e in events.reversed() {
            if case .output(var batch) = e {
                let k = kept[batch.host, default: 0]
                let room = max(0, keep - k)
                if batch.count > room {
                    leftOut[batch.host, default: 0] += batch.count - room
                    if room == 0 { continue }
                    batch.removeFirst(batch.count - room)
                }
                kept[batch.host] = k + batch.count
                out.append(.output(batch))
            } else {
                out.append(e)
            }
        }
        events = out.reversed()
        outputs = kept.values.reduce(0, +)
        threshold = max(4 * keep, 20_000, 2 * outputs)
    }

    mutating func take() -> ([RunEvent], [String: Int]) {
        defer {
            events = []
            outputs = 0
            leftOut = [:]
        }
        return (events, leftOut)
    }
}
