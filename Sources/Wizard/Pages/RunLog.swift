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

/// The recent lines of one host, bounded by the ring's capacity however much a step prints.
struct HostLines: LineSource, Sendable {
    var ring: RingBuffer<PaneLine>

    init(capacity: Int) { ring = RingBuffer(capacity: capacity) }

    var lineIndices: Range<Int> { ring.stableIndices }
    func line(at index: Int) -> String { ring.element(atStable: index)?.text ?? "" }
    func entry(at index: Int) -> PaneLine? { ring.element(atStable: index) }

    mutating func append(_ line: PaneLine) { ring.append(line) }

    /// The last `count` output lines of step `step`, oldest first, looking back at most `scan` lines.
    func lastOutput(of step: Int32, count: Int, scan: Int = 5_000) -> [String] {
        var found: [String] = []
        var i = ring.stableIndices.upperBound - 1
        let stop = max(ring.stableIndices.lowerBound, ring.stableIndices.upperBound - scan)
        while i >= stop, found.count < count {
            if let e = ring.element(atStable: i), e.step == step, !e.isMarker { found.append(e.text) }
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
