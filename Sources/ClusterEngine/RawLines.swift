import Foundation

/// Output lines as read, not yet cleaned: what one read of a stream held (or any batch of lines),
/// kept as the bytes that came, each line a range of them, so that nothing is decoded or copied
/// line by line before the runner cleans them (`Redactor.appendCleanOutputLine`).
public struct RawLines: Sendable {
    /// The bytes the ranges point into (lines need not be back to back: the newlines are left in).
    public private(set) var bytes: [UInt8]
    /// Each line's bytes, in order, without its newline (and without the `\r` before it).
    public private(set) var ranges: [Range<Int>]
    private var streams: [OutputLine.Stream]
    /// When the lines came (one read: one time).
    public var time: Date

    /// Lines of one stream within `bytes`.
    init(stream: OutputLine.Stream, bytes: [UInt8], ranges: [Range<Int>], time: Date) {
        self.bytes = bytes
        self.ranges = ranges
        self.streams = [stream]
        self.time = time
    }

    /// Lines given as text (a transport that hands lines over one by one, tests).
    public init(_ lines: [OutputLine]) {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.text.utf8.count })
        ranges.reserveCapacity(lines.count)
        for line in lines {
            let start = bytes.count
            bytes.append(contentsOf: line.text.utf8)
            ranges.append(start..<bytes.count)
        }
        self.bytes = bytes
        self.ranges = ranges
        let kinds = lines.map(\.stream)
        streams = kinds.allSatisfy { $0 == kinds.first } ? Array(kinds.prefix(1)) : kinds
        time = lines.first?.time ?? Date()
    }

    public var count: Int { ranges.count }
    public var isEmpty: Bool { ranges.isEmpty }

    /// The stream of line `i`.
    public func stream(_ i: Int) -> OutputLine.Stream { streams.count == 1 ? streams[0] : streams[i] }

    /// Line `i` as text (invalid UTF-8 repaired, as `String(decoding:as:)` does).
    public func text(_ i: Int) -> String { bytes.withUnsafeBufferPointer { String(decoding: $0[ranges[i]], as: UTF8.self) } }

    /// The lines as text.
    public var lines: [OutputLine] { (0..<count).map { OutputLine(stream: stream($0), text: text($0), time: time) } }

    /// Calls `body` with each line's bytes and stream, in order.
    public func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, OutputLine.Stream) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { all in
            for i in ranges.indices { try body(UnsafeBufferPointer(rebasing: all[ranges[i]]), stream(i)) }
        }
    }

    /// The bytes from the first line's start to the last one's end, when the lines lie in order
    /// within them (what a read gives: the lines and the newlines between them).
    var region: Range<Int>? {
        guard let first = ranges.first, let last = ranges.last, first.lowerBound <= last.upperBound else { return nil }
        var at = first.lowerBound
        for r in ranges {
            guard r.lowerBound >= at else { return nil }
            at = r.upperBound
        }
        return first.lowerBound..<last.upperBound
    }

    /// The lines at these indices, in the order given (the same bytes).
    func selecting(_ indices: [Int]) -> RawLines {
        var copy = self
        copy.ranges = indices.map { ranges[$0] }
        if streams.count > 1 { copy.streams = indices.map { streams[$0] } }
        return copy
    }
}
