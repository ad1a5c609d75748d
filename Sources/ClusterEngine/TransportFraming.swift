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
        buffer.append(contentsOf: bytes)
        var start = 0
        while true {
            let newline = buffer[start...].firstIndex(of: 0x0A)
            if let newline, newline - start <= StreamFramer.maxLine {
                var end = newline
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                complete(buffer[start..<end], into: &events)
                start = newline + 1
            } else if buffer.count - start > StreamFramer.maxLine {
                var cut = start + StreamFramer.maxLine
                // Do not split a UTF-8 sequence: back up over continuation bytes (at most 3).
                var back = 0
                while back < 3, cut > start, buffer[cut] & 0xC0 == 0x80 { cut -= 1; back += 1 }
                if cut == start { cut = start + StreamFramer.maxLine }
                emit(buffer[start..<cut], into: &events)
                start = cut
            } else {
                break
            }
        }
        if start > 0 { buffer.removeFirst(start) }
    }

    /// What is left when the stream ends without a marker (a lost connection).
    mutating func flush(into events: inout [Event]) {
        if heldEmpty { heldEmpty = false; if marker != nil { events.append(.line("")) } }
        if !buffer.isEmpty {
            var end = buffer.count
            if buffer[end - 1] == 0x0D { end -= 1 }
            emit(buffer[0..<end], into: &events)
            buffer.removeAll()
        }
    }

    private mutating func complete(_ line: ArraySlice<UInt8>, into events: inout [Event]) {
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

    private mutating func emit(_ bytes: ArraySlice<UInt8>, into events: inout [Event]) {
        guard marker != nil else { heldEmpty = false; return }
        if heldEmpty { heldEmpty = false; events.append(.line("")) }
        events.append(.line(String(decoding: bytes, as: UTF8.self)))
    }

    /// `<marker> <digits>` exactly.
    static func status(of line: ArraySlice<UInt8>, marker: [UInt8]) -> Int32? {
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
