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
    var marker: [UInt8]? = nil
    private var buffer: [UInt8] = []
    private var heldEmpty = false

    init() {}

    /// Starts a new command: everything before it is forgotten.
    mutating func begin(marker: String) {
        self.marker = Array(marker.utf8)
        buffer.removeAll(keepingCapacity: true)
        heldEmpty = false
    }

    mutating func feed(_ bytes: some Collection<UInt8>, into events: inout [Event]) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { feed(contiguous: $0, into: &events) }
        if done == nil { Array(bytes).withUnsafeBufferPointer { feed(contiguous: $0, into: &events) } }
    }

    /// Lines are framed straight from the chunk; only a line left unfinished at its end is copied
    /// (into `buffer`, completed by the next chunk).
    private mutating func feed(contiguous chunk: UnsafeBufferPointer<UInt8>, into events: inout [Event]) {
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return }
        var from = 0
        if !buffer.isEmpty {
            // Finish the pending line: move the chunk's bytes up to its first newline (all of them
            // without one) behind it, and frame that.
            let newline = memchr(base, 0x0A, chunk.count).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) }
            from = newline.map { $0 + 1 } ?? chunk.count
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[..<from]))
            var pending = buffer
            buffer = []
            let framed = pending.withUnsafeBufferPointer { frame($0, into: &events) }
            pending.removeFirst(framed)
            buffer = pending
            guard buffer.isEmpty else { return }   // still unfinished: the chunk is all in it
        }
        let rest = UnsafeBufferPointer(rebasing: chunk[from...])
        let framed = frame(rest, into: &events)
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: rest[framed...]))
    }

    /// Frames the complete lines of `bytes` (and cuts a line without a newline every `maxLine`
    /// bytes); returns how many bytes it used. The rest is an unfinished line.
    private mutating func frame(_ bytes: UnsafeBufferPointer<UInt8>, into events: inout [Event]) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let count = bytes.count
        var start = 0
        while start < count {
            let found = memchr(base + start, 0x0A, count - start)
            let newline = found.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) }
            if let newline, newline - start <= StreamFramer.maxLine {
                var end = newline
                if end > start, base[end - 1] == 0x0D { end -= 1 }
                complete(UnsafeBufferPointer(rebasing: bytes[start..<end]), into: &events)
                start = newline + 1
            } else if count - start > StreamFramer.maxLine {
                var cut = start + StreamFramer.maxLine
                // Do not split a UTF-8 sequence: back up over continuation bytes (at most 3).
                var back = 0
                while back < 3, cut > start, base[cut] & 0xC0 == 0x80 { cut -= 1; back += 1 }
                if cut == start { cut = start + StreamFramer.maxLine }
                emit(UnsafeBufferPointer(rebasing: bytes[start..<cut]), into: &events)
                start = cut
            } else {
                break
            }
        }
        return start
    }

    /// What is left when the stream ends without a marker (a lost connection).
    mutating func flush(into events: inout [Event]) {
        if heldEmpty { heldEmpty = false; if marker != nil { events.append(.line("")) } }
        if !buffer.isEmpty {
            var rest = buffer
            buffer = []
            if rest.last == 0x0D { rest.removeLast() }
            rest.withUnsafeBufferPointer { emit($0, into: &events) }
        }
    }

    private mutating func complete(_ line: UnsafeBufferPointer<UInt8>, into events: inout [Event]) {
        if let marker, let status = StreamFramer.status(of: line, marker: marker) {
            heldEmpty = false  // the newline before the marker was the wrapper's
            events.append(.marker(status: status))
            self.marker = nil
            return
        }
        if line.isEmpty {
            if heldEmpty, marker != nil { events.append(.line("")) }
            heldEmpty = true
            return
        }
        emit(line, into: &events)
    }

    private mutating func emit(_ bytes: UnsafeBufferPointer<UInt8>, into events: inout [Event]) {
        guard marker != nil else { heldEmpty = false; return }
        if heldEmpty { heldEmpty = false; events.append(.line("")) }
        events.append(.line(String(decoding: bytes, as: UTF8.self)))
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
}
