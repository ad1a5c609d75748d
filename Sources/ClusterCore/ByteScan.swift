/// Whole-line tests on raw output bytes, sixteen bytes at a time, for the output path's fast case:
/// a line of printable ASCII with no secret's first byte in it is copied as it is.
///
/// Only lane-wise additions and bit operations are used (`SIMD16<UInt8>`'s comparisons compile to
/// a loop over the lanes here; these compile to SSE2 or NEON). For a lane `b` with its top bit
/// clear, `b &+ 0x60` has its top bit set exactly when `b >= 0x20`, and `b &+ 1` exactly when
/// `b == 0x7F`; `zero(t)` has its top bit set exactly when `t == 0`.
enum ByteScan {
    typealias Lanes = SIMD16<UInt8>

    @inline(__always)
    static func zero(_ t: Lanes) -> Lanes { ~(t | (t &+ Lanes(repeating: 0x7F))) }

    @inline(__always)
    static func anyTopBit(_ v: Lanes) -> Bool {
        let w = unsafeBitCast(v & Lanes(repeating: 0x80), to: SIMD2<UInt64>.self)
        return (w[0] | w[1]) != 0
    }

    /// Top bit set in the lanes that are not printable ASCII or a tab (or a newline, with `newlines`).
    /// For a lane `b` below 0x80, `b &+ (0x80 - lo)` has its top bit set exactly when `b >= lo`, and
    /// `b &+ (0x7F - hi)` exactly when `b > hi`: `b` is in `lo...hi` when the first has it and the
    /// second not. A lane from 0x80 up has its own top bit set.
    @inline(__always)
    static func notPlain(_ b: Lanes, newlines: Bool) -> Lanes {
        let printable = (b &+ Lanes(repeating: 0x60)) & ~(b &+ Lanes(repeating: 0x01))                    // 0x20...0x7E
        let blank = (b &+ Lanes(repeating: 0x77)) & ~(b &+ Lanes(repeating: newlines ? 0x75 : 0x76))      // 0x09...0x0A or 0x09
        return b | ~(printable | blank)
    }

    /// Every byte is printable ASCII (0x20...0x7E) or a tab: what `Redactor.sanitize` keeps as it
    /// is, with no carriage return, escape, other control, DEL or byte of a multi-byte character.
    /// With `newlines`, newlines are allowed too: every line of a read's bytes is plain.
    static func isPlainASCII(_ bytes: UnsafeBufferPointer<UInt8>, newlines: Bool = false) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        var i = 0
        // 128 bytes a turn, one test of the top bits for all of them: the test and its branch cost
        // more than the lanes' arithmetic.
        while n &- i >= 128 {
            var bad = notPlain(raw.loadUnaligned(fromByteOffset: i, as: Lanes.self), newlines: newlines)
            for k in stride(from: 16, to: 128, by: 16) {
                bad |= notPlain(raw.loadUnaligned(fromByteOffset: i &+ k, as: Lanes.self), newlines: newlines)
            }
            if anyTopBit(bad) { return false }
            i &+= 128
        }
        while n &- i >= 16 {
            if anyTopBit(notPlain(raw.loadUnaligned(fromByteOffset: i, as: Lanes.self), newlines: newlines)) { return false }
            i &+= 16
        }
        while i < n {
            let b = base[i]
            if !(b >= 0x20 && b < 0x7F || b == 0x09 || newlines && b == 0x0A) { return false }
            i &+= 1
        }
        return true
    }

    /// Whether any byte of `bytes` is one of `set` (at most a few values; an empty set finds nothing).
    static func containsAny(of set: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, !set.isEmpty else { return false }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        var i = 0
        while n &- i >= 16 {
            let b = raw.loadUnaligned(fromByteOffset: i, as: Lanes.self)
            var hit = Lanes(repeating: 0)
            for v in set { hit |= zero(b ^ Lanes(repeating: v)) }
            if anyTopBit(hit) { return true }
            i &+= 16
        }
        while i < n {
            if set.contains(base[i]) { return true }
            i &+= 1
        }
        return false
    }
}
