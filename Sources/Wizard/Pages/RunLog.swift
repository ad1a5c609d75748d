import ClusterEngine
import Foundation
import TermUI

/// One line of a host's log pane: its text and the step it came from. Full text is on disk
/// (`logs/<host>/<step>.log`); a pane only keeps the last lines.
struct PaneLine: Sendable {
    /// Index of the step in the page's step list, or -1.
    var step: Int32
    /// A line the page wrote itself (a step's start or end), not the step's output.
    var isMarker: Bool
    var text: String
}

/// The recent lines of one host, bounded by its capacity however much a step prints.
///
/// Output comes in batches (``OutputBatch``, a read's lines in one buffer): a pane keeps the batches
/// themselves, and a line is decoded only when it is read (the lines on screen, a search). Taking
/// a batch in costs the same whatever its size, so a flood's lines that are pushed out before
/// they are ever shown cost nothing here. What stays alive is the batches that still have a line
/// kept: their bytes, the kept lines' and at most the rest of the oldest batch.
struct HostLines: LineSource, Sendable {
    private enum Part: Sendable {
        case marker(PaneLine)
        /// Lines `first ..< first + count` of `batch`.
        case output(step: Int32, batch: OutputBatch, first: Int, count: Int)

        var count: Int {
            switch self {
            case .marker: 1
            case .output(_, _, _, let n): n
            }
        }
    }

    let capacity: Int
    /// The parts kept, oldest first, from `head` on (the ones before it were dropped).
    private var parts: [Part] = []
    /// The stable index of each part's first line.
    private var starts: [Int] = []
    private var head = 0
    /// Lines kept.
    private(set) var count = 0
    /// Lines ever taken in.
    private(set) var totalAppended = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var isEmpty: Bool { count == 0 }
    var lineIndices: Range<Int> { (totalAppended - count)..<totalAppended }
    func line(at index: Int) -> String { entry(at: index)?.text ?? "" }

    /// The line at a stable index, decoded.
    func entry(at index: Int) -> PaneLine? {
        guard lineIndices.contains(index) else { return nil }
        // The last part that starts at or before the index.
        var lo = head, hi = parts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= index { lo = mid } else { hi = mid - 1 }
        }
        switch parts[lo] {
        case .marker(let line): return line
        case .output(let step, let batch, let first, let n):
            let offset = index - starts[lo]
            guard offset < n else { return nil }
            return PaneLine(step: step, isMarker: false, text: batch.text(first + offset))
        }
    }

    /// The kept lines' texts, oldest first.
    var texts: [String] { lineIndices.map { line(at: $0) } }

    /// A line the page writes itself.
    mutating func append(_ line: PaneLine) { take(.marker(line)) }

    /// A batch's lines, as lines of step `step`.
    mutating func append(_ batch: OutputBatch, step: Int32) {
        guard !batch.isEmpty else { return }
        take(.output(step: step, batch: batch, first: 0, count: batch.count))
    }

    private mutating func take(_ part: Part) {
        parts.append(part)
        starts.append(totalAppended)
        totalAppended += part.count
        count += part.count
        trim()
    }

    /// Drops the oldest lines beyond the capacity: whole parts, then the front of the oldest one.
    private mutating func trim() {
        while count > capacity {
            let extra = count - capacity
            let n = parts[head].count
            if n <= extra {
                parts[head] = .marker(PaneLine(step: -1, isMarker: true, text: ""))   // let go of its batch
                head += 1
                count -= n
            } else if case .output(let step, let batch, let first, let n) = parts[head] {
                parts[head] = .output(step: step, batch: batch, first: first + extra, count: n - extra)
                starts[head] += extra
                count -= extra
            }
        }
        // The dropped parts' slots, once they are most of the array.
        if head > 64 && head * 2 > parts.count {
            parts.removeFirst(head)
            starts.removeFirst(head)
            head = 0
        }
    }

    /// The last `count` output lines of step `step`, oldest first, looking back at most `scan` lines.
    func lastOutput(of step: Int32, count: Int, scan: Int = 5_000) -> [String] {
        var found: [String] = []
        var i = lineIndices.upperBound - 1
        let stop = max(lineIndices.lowerBound, lineIndices.upperBound - scan)
        while i >= stop, found.count < count {
            if let e = entry(at: i), e.step == step, !e.isMarker { found.append(e.text) }
            i -= 1
        }
        return found.reversed()
    }
}

/// One host's pane: its lines and the scroll/follow/search state of its view.
struct HostPane: Sendable {
    let name: String
    var lines: HostLines
    var view = LogView(title: nil, follow: true, showsScrollbar: true, showsStatusLine: true)

    init(name: String, capacity: Int) {
        self.name = name
        lines = HostLines(capacity: capacity)
    }
}

/// A whole log file shown in the page, for when the app cannot hand the terminal to `less`:
/// the last `maxLines` lines of the file (a step's log can be huge), scrollable and searchable.
public struct RunLogViewer: Sendable {
    public let path: String
    public internal(set) var lines: RingBuffer<String>
    /// Lines of the file not kept (the viewer keeps the end).
    public internal(set) var droppedLines: Int
    public var view: LogView
    public internal(set) var error: String?

    /// Reads the file's last `maxLines` lines; streaming, so memory stays bounded whatever its size.
    public init(path: String, maxLines: Int = 20_000) {
        self.path = path
        lines = RingBuffer(capacity: max(1, maxLines))
        droppedLines = 0
        view = LogView(title: nil, follow: true, showsScrollbar: true, showsStatusLine: true)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            error = "Cannot open \(path): \(String(cString: strerror(errno)))"
            return
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 16) ?? Data() } catch {
                self.error = "Cannot read \(path): \(error)"
                break
            }
            if chunk.isEmpty { break }
            var start = chunk.startIndex
            for i in chunk.indices where chunk[i] == UInt8(ascii: "\n") {
                pending.append(contentsOf: chunk[start..<i])
                lines.append(String(decoding: pending, as: UTF8.self))
                pending.removeAll(keepingCapacity: true)
                start = i + 1
            }
            pending.append(contentsOf: chunk[start...])
        }
        if !pending.isEmpty { lines.append(String(decoding: pending, as: UTF8.self)) }
        droppedLines = lines.totalAppended - lines.count
        // Opens at the end, where a failed step says why; Home goes to the top.
    }
}
