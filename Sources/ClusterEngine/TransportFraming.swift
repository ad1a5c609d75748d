import Foundation

/// Splits one output stream of the long-lived shell into lines and finds the end-of-command marker.
///
/// The wrapper ends every command by printing `"\n<marker> <status>\n"` on the stream. The leading
/// newline ends a last line that had none; when the output did end with a newline, it makes an
/// empty line of its own, which is dropped. To know which case it is, an empty line is held back
/// until the next line shows whether the marker follows (an empty line carries no news, so holding
/// it costs a viewer nothing). Lines are split on `\n`, a trailing `\r` is trimmed, and a line
/// without a newline is cut every `maxLine` bytes (at a UTF-8 boundary) so memory stays bounded.
struct StreamFramer {
    enum Event: Equatable {
        case line(String)
        case marker(status: Int32)
    }

    static let maxLine = 64 * 1024

    /// The marker of the command now running (`nil`: output between commands is dropped).
    var marker: [UInt8]? = nil {
        didSet { running = marker != nil; markerFirst = marker?.first; markerCount = marker?.count ?? 0 }
    }
    /// Whether there is a marker, its first byte and its length: looked at for every line, before
    /// the marker itself is.
    private var running = false
    private var markerFirst: UInt8? = nil
    private var markerCount = 0
    private var buffer: [UInt8] = []
    private var heldEmpty = false

    init() {}

    /// Starts a new command: everything before it is forgotten.
    mutating func begin(marker: String) {
        self.marker = Array(marker.utf8)
        buffer.removeAll(keepingCapacity: true)
        heldEmpty = false
    }

    /// Frames the next bytes of the stream; lines come out as text (tests, and whoever wants text).
    mutating func feed(_ bytes: some Collection<UInt8>, into events: inout [Event]) {
        var pieces: [Piece] = []
        let status = feed(Array(bytes), into: &pieces)
        for piece in pieces {
            piece.bytes.withUnsafeBufferPointer { all in
                for r in piece.lines { events.append(.line(String(decoding: UnsafeBufferPointer(rebasing: all[r]), as: UTF8.self))) }
            }
        }
        if let status { events.append(.marker(status: status)) }
    }

    /// Lines framed from the stream, as ranges of `bytes`, not decoded.
    struct Piece {
        var bytes: [UInt8]
        var lines: [Range<Int>]
    }

    /// Frames the next bytes of the stream without decoding them, in at most two pieces: the line
    /// the last chunk left unfinished, completed by this chunk's bytes up to its first newline (a
    /// small copy), then the chunk's own lines as ranges of the chunk itself (no copy). Returns the
    /// status when this command's marker came (nothing after it is a line of this command).
    mutating func feed(_ chunk: [UInt8], into pieces: inout [Piece]) -> Int32? {
        guard !chunk.isEmpty else { return nil }
        var status: Int32? = nil
        var from = 0
        if !buffer.isEmpty {
            let newline = chunk.withUnsafeBufferPointer { c in
                memchr(c.baseAddress!, 0x0A, c.count).map { UnsafeRawPointer($0) - UnsafeRawPointer(c.baseAddress!) }
            }
            from = newline.map { $0 + 1 } ?? chunk.count
            var head = buffer
            buffer = []
            head.append(contentsOf: chunk[..<from])
            var lines: [Range<Int>] = []
            let used = head.withUnsafeBufferPointer { frame($0, from: 0, lines: &lines, status: &status) }
            if used < head.count { buffer = Array(head[used...]) }
            if !lines.isEmpty { pieces.append(Piece(bytes: head, lines: lines)) }
            guard buffer.isEmpty else { return status }   // still unfinished: the chunk is all in it
        }
        guard from < chunk.count else { return status }
        var lines: [Range<Int>] = []
        lines.reserveCapacity(chunk.count / 64)
        let used = chunk.withUnsafeBufferPointer { frame($0, from: from, lines: &lines, status: &status) }
        if used < chunk.count { buffer.append(contentsOf: chunk[used...]) }
        if !lines.isEmpty { pieces.append(Piece(bytes: chunk, lines: lines)) }
        return status
    }

    /// Frames the complete lines of `bytes` from `from` on (and cuts a line without a newline every
    /// `maxLine` bytes); returns where it stopped. The rest is an unfinished line.
    private mutating func frame(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, lines: inout [Range<Int>], status: inout Int32?) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let count = bytes.count
        var start = from
        while start < count {
            let found = memchr(base + start, 0x0A, count - start)
            let newline = found.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) }
            if let newline, newline - start <= StreamFramer.maxLine {
                var end = newline
                if end > start, base[end - 1] == 0x0D { end -= 1 }
                complete(start..<end, in: bytes, lines: &lines, status: &status)
                start = newline + 1
            } else if count - start > StreamFramer.maxLine {
                var cut = start + StreamFramer.maxLine
                // Do not split a UTF-8 sequence: back up over continuation bytes (at most 3).
                var back = 0
                while back < 3, cut > start, base[cut] & 0xC0 == 0x80 { cut -= 1; back += 1 }
                if cut == start { cut = start + StreamFramer.maxLine }
                emit(start..<cut, lines: &lines)
                start = cut
            } else {
                break
            }
        }
        return start
    }

    /// What is left when the stream ends without a marker (a lost connection).
    mutating func flush(into events: inout [Event]) {
        var ranges: [Range<Int>] = []
        let data = flush(lines: &ranges)
        for r in ranges { events.append(.line(String(decoding: data[r], as: UTF8.self))) }
    }

    /// The same, as ranges of the returned bytes.
    mutating func flush(lines: inout [Range<Int>]) -> [UInt8] {
        if heldEmpty { heldEmpty = false; if marker != nil { lines.append(0..<0) } }
        var rest = buffer
        buffer = []
        if !rest.isEmpty {
            if rest.last == 0x0D { rest.removeLast() }
            emit(0..<rest.count, lines: &lines)
        }
        return rest
    }

    private mutating func complete(_ line: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>, lines: inout [Range<Int>],
                                   status: inout Int32?) {
        if running, line.count > markerCount, markerFirst.map({ bytes[line.lowerBound] == $0 }) ?? true, let marker,
           let found = StreamFramer.status(of: UnsafeBufferPointer(rebasing: bytes[line]), marker: marker) {
            heldEmpty = false  // the newline before the marker was the wrapper's
            status = found
            self.marker = nil
            return
        }
        if line.isEmpty {
            if heldEmpty, marker != nil { lines.append(line) }
            heldEmpty = true
            return
        }
        emit(line, lines: &lines)
    }

    private mutating func emit(_ line: Range<Int>, lines: inout [Range<Int>]) {
        guard running else { heldEmpty = false; return }
        if heldEmpty { heldEmpty = false; lines.append(line.lowerBound..<line.lowerBound) }
        lines.append(line)
    }

    /// `<marker> <digits>` exactly.
    static func status(of line: UnsafeBufferPointer<UInt8>, marker: [UInt8]) -> Int32? {
        guard line.count > marker.count + 1, line.starts(with: marker) else { return nil }
        let rest = line.dropFirst(marker.count)
        guard rest.first == 0x20 else { return nil }
        let digits = rest.dropFirst()
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int32(String(decoding: digits, as: UTF8.self))
    }
}

/// Finds a byte string in a growing buffer (for handshake markers that may come without a newline).
struct ByteSearch {
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int = 0) -> Int? {
        guard !needle.isEmpty, haystack.count - from >= needle.count else { return nil }
        let first = needle[0]
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// The last place the needle starts.
    static func findLast(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var i = haystack.count - needle.count
        while i >= 0 {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }
}
