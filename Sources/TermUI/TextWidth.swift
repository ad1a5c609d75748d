// Display width of text in terminal columns, truncation and wrapping.

/// Terminal column widths of Unicode text.
///
/// East Asian wide and fullwidth characters and emoji take 2 columns, combining marks and other
/// zero-width scalars 0, control characters 0 (the ``Buffer`` never draws them), everything else 1.
public enum TextWidth {
    /// Column width of one user-perceived character (grapheme cluster).
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        // Fast path for ASCII.
        if first.value < 0x7F && scalars.count == 1 {
            return first.value < 0x20 ? 0 : 1
        }
        var base = of(first)
        if base == 0 {
            // A cluster that starts with a zero-width scalar: use the first visible one.
            for s in scalars.dropFirst() where of(s) > 0 { base = of(s); break }
            if base == 0 { return 0 }
        }
        if base == 1 && scalars.count > 1 {
            // Emoji presentation selector or a keycap/flag sequence makes a narrow emoji wide.
            for s in scalars.dropFirst() {
                if s.value == 0xFE0F && first.properties.isEmoji { return 2 }
                if s.value == 0x20E3 { return 2 }
            }
            if isRegionalIndicator(first) { return 2 }
        }
        return base
    }

    /// Column width of one Unicode scalar on its own.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }        // C0/C1 controls, DEL
        if v < 0x300 { return 1 }                                   // Latin, fast path
        if isCommonNarrow(v) { return 1 }                           // box drawing and friends, fast path
        return byProperties(scalar)
    }

    /// The width of a scalar from 0x300 on, from its properties (`of` without its fast paths).
    static func byProperties(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if isZeroWidth(v) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if isWide(v) { return 2 }
        if scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// Total column width of a string.
    public static func of<S: StringProtocol>(_ text: S) -> Int {
        // ASCII: a column per printable byte (every ASCII character is one scalar, but CR LF, whose
        // two controls are 0 wide either way).
        if let ascii = text.utf8.withContiguousStorageIfAvailable(asciiWidth), let ascii { return ascii }
        var total = 0
        for ch in text { total += of(ch) }
        return total
    }

    /// Symbols the widgets draw all the time, each one column (box drawing, block elements,
    /// geometric shapes but the two wide ones, arrows, the ellipsis, braille for spinners): the
    /// answer of the full lookup below, without the Unicode property tables.
    static func isCommonNarrow(_ v: UInt32) -> Bool {
        (v >= 0x2500 && v <= 0x25FC) || (v >= 0x2190 && v <= 0x21FF) || v == 0x2026 || (v >= 0x2800 && v <= 0x28FF)
    }

    /// The width of ASCII text (bytes 0x20...0x7E count 1, controls and DEL 0); nil when a byte is not ASCII.
    static func asciiWidth(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var n = 0
        for b in bytes {
            if b >= 0x80 { return nil }
            if b >= 0x20 && b != 0x7F { n &+= 1 }
        }
        return n
    }

    static func isRegionalIndicator(_ s: Unicode.Scalar) -> Bool { s.value >= 0x1F1E6 && s.value <= 0x1F1FF }

    static func isZeroWidth(_ v: UInt32) -> Bool {
        switch v {
        case 0x0300...0x036F,   // combining diacritical marks
             0x0483...0x0489,
             0x1AB0...0x1AFF, 0x1DC0...0x1DFF,
             0x200B...0x200F,   // zero width space, joiners, direction marks
             0x2028...0x202E, 0x2060...0x2064,
             0x20D0...0x20FF,   // combining marks for symbols
             0xFE00...0xFE0F,   // variation selectors
             0xFE20...0xFE2F,
             0x1160...0x11FF,   // Hangul medial vowels and final consonants
             0x1F3FB...0x1F3FF, // emoji skin tone modifiers (inside a cluster)
             0xE0000...0xE0FFF: // tags, variation selectors supplement
            return true
        default:
            return false
        }
    }

    /// East Asian Wide/Fullwidth blocks and the common emoji blocks.
    static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        switch v {
        case 0x1100...0x115F,   // Hangul Jamo initial consonants
             0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1,
             0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA,
             0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A...0x270B, 0x2728,
             0x274C, 0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF,
             0x2B1B...0x2B1C, 0x2B50, 0x2B55,
             0x2E80...0x303E,   // CJK radicals, Kangxi, CJK symbols and punctuation
             0x3041...0x33FF,   // Hiragana, Katakana, Bopomofo, Hangul compatibility, CJK compatibility
             0x3400...0x4DBF,   // CJK extension A
             0x4E00...0x9FFF,   // CJK unified ideographs
             0xA000...0xA4CF,   // Yi
             0xA960...0xA97F,   // Hangul Jamo extended A
             0xAC00...0xD7A3,   // Hangul syllables
             0xF900...0xFAFF,   // CJK compatibility ideographs
             0xFE10...0xFE19, 0xFE30...0xFE6F, // vertical forms, CJK compatibility forms, small forms
             0xFF00...0xFF60, 0xFFE0...0xFFE6, // fullwidth forms
             0x16FE0...0x16FE4, 0x17000...0x18AFF, 0x1B000...0x1B2FF,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A,
             0x1F1E6...0x1F1FF, // regional indicators (flags come in pairs)
             0x1F200...0x1F2FF,
             0x1F300...0x1F64F, // misc symbols and pictographs, emoticons
             0x1F680...0x1F6FF, // transport and map
             0x1F7E0...0x1F7EB,
             0x1F90C...0x1F9FF, // supplemental symbols and pictographs
             0x1FA70...0x1FAFF, // symbols and pictographs extended A
             0x20000...0x2FFFD, 0x30000...0x3FFFD: // CJK extensions B and beyond
            return true
        default:
            return false
        }
    }
}

extension String {
    /// Width of the string in terminal columns. See ``TextWidth``.
    public var displayWidth: Int { TextWidth.of(self) }
}

/// Text helpers shared by the widgets.
public enum TextLayout {
    /// Returns `text` cut to at most `width` columns, ending in `ellipsis` when something was cut.
    ///
    /// When even the ellipsis does not fit, the text is cut without one.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if TextWidth.of(text) <= width { return text }
        let ew = TextWidth.of(ellipsis)
        if ew >= width { return prefix(text, width: width) }
        var head = prefix(text, width: width - ew)
        while head.last == " " { head.removeLast() }
        return head + ellipsis
    }

    /// The longest prefix of `text` that fits in `width` columns (a wide character that would straddle the edge is left out).
    public static func prefix(_ text: String, width: Int) -> String {
        var used = 0
        var out = ""
        for ch in text {
            let w = TextWidth.of(ch)
            if used + w > width { break }
            used += w
            out.append(ch)
        }
        return out
    }

    /// The part of `text` after the first `columns` display columns.
    public static func dropPrefix(_ text: String, columns: Int) -> Substring {
        guard columns > 0 else { return text[...] }
        var used = 0
        var idx = text.startIndex
        while idx < text.endIndex, used < columns {
            used += TextWidth.of(text[idx])
            idx = text.index(after: idx)
        }
        return text[idx...]
    }

    /// Word-wraps `text` to lines of at most `width` columns. Existing newlines are kept;
    /// words longer than a line are broken.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            var emitted = false
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                var w = String(word)
                var ww = TextWidth.of(w)
                if lineWidth > 0 && lineWidth + 1 + ww <= width {
                    line += " " + w
                    lineWidth += 1 + ww
                    continue
                }
                if lineWidth > 0 { lines.append(line); line = ""; lineWidth = 0; emitted = true }
                while ww > width {
                    var head = prefix(w, width: width)
                    if head.isEmpty, let first = w.first { head = String(first) } // a wide char in a 1-column line
                    lines.append(head)
                    emitted = true
                    w = String(w.dropFirst(head.count))
                    ww = TextWidth.of(w)
                }
                line = w
                lineWidth = ww
            }
            if !line.isEmpty || !emitted { lines.append(line) }
        }
        return lines
    }

    /// Pads with spaces (or cuts) to exactly `width` columns.
    public static func pad(_ text: String, to width: Int) -> String {
        let fitted = prefix(text, width: max(0, width))
        return fitted + String(repeating: " ", count: max(0, width - TextWidth.of(fitted)))
    }

    /// Removes ANSI/VT escape sequences (colours, cursor movement, OSC titles) from program output.
    public static func strippingEscapes(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value == 0x1B || $0.value == 0x9B }) else { return text }
        var out = String.UnicodeScalarView()
        var it = text.unicodeScalars.makeIterator()
        while let s = it.next() {
            guard s.value == 0x1B || s.value == 0x9B else { out.append(s); continue }
            let next: Unicode.Scalar? = s.value == 0x9B ? "[" : it.next()
            if next == "[" {                     // CSI: parameters then a final byte 0x40-0x7E
                while let c = it.next() { if c.value >= 0x40 && c.value <= 0x7E { break } }
            } else if next == "]" {              // OSC: until BEL or ESC \
                while let c = it.next() {
                    if c.value == 0x07 { break }
                    if c.value == 0x1B { _ = it.next(); break }
                }
            }                                    // otherwise a two-character escape: both dropped
        }
        return String(out)
    }
}
