// The cell grid every widget renders into.

/// One screen cell: a grapheme, its style and its column width.
///
/// A wide (2-column) grapheme occupies its own cell plus a *continuation* cell to its right,
/// which has an empty symbol and width 0. Backends skip continuation cells when drawing.
public struct Cell: Hashable, Sendable {
    public var symbol: String
    public var style: Style
    /// 1 for ordinary cells, 2 for the first cell of a wide grapheme, 0 for its continuation.
    public var width: UInt8

    public init(_ symbol: String = " ", style: Style = .plain, width: UInt8 = 1) {
        self.symbol = symbol
        self.style = style
        self.width = width
    }

    public static let blank = Cell()
    public var isContinuation: Bool { width == 0 }
}

/// A run of text in one style, for writing mixed-style lines.
public struct Span: Hashable, Sendable {
    public var text: String
    public var style: Style
    public init(_ text: String, style: Style = .plain) { self.text = text; self.style = style }
    public var width: Int { TextWidth.of(text) }
}

/// Horizontal placement of a line inside a rectangle.
public enum Alignment: Hashable, Sendable { case left, center, right }

/// One changed cell, as produced by ``Buffer/diff(from:)``.
public struct CellChange: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cell: Cell
    public init(x: Int, y: Int, cell: Cell) { self.x = x; self.y = y; self.cell = cell }
}

/// A `width`×`height` grid of ``Cell``s, plus where the terminal cursor should be.
///
/// Widgets write into a buffer; a ``Backend`` draws the difference from the previous frame.
/// All writes are clipped to the buffer (and to an optional clip rectangle), so no coordinate can crash it.
public struct Buffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    private var cells: [Cell]
    /// Where to show the terminal cursor after drawing (a focused text field sets it); `nil` hides it.
    /// Positions outside the buffer are dropped.
    public var cursor: Position? {
        didSet { if let c = cursor, !(c.x >= 0 && c.y >= 0 && c.x < width && c.y < height) { cursor = nil } }
    }

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
    }

    public init(size: Size) { self.init(width: size.width, height: size.height) }

    /// The whole buffer as a rectangle at the origin.
    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }
    public var size: Size { Size(width: width, height: height) }

    /// The cell at a position; out-of-range reads give a blank cell, out-of-range writes are ignored.
    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, y >= 0, x < width, y < height else { return .blank }
            return cells[y * width + x]
        }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            place(newValue.symbol, width: Int(max(1, min(2, newValue.width))), style: newValue.style, x: x, y: y)
        }
    }

    // MARK: Writing

    /// Writes a single line of text starting at `(x, y)`, clipped to `clip` (and the buffer). Characters that
    /// do not fit are dropped; tabs become spaces; control characters are skipped. Returns the column after the text.
    @discardableResult
    public mutating func write(_ text: some StringProtocol, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil) -> Int {
        let bounds = clip.map { $0.intersection(area) } ?? area
        guard y >= bounds.y, y < bounds.bottom else { return x + TextWidth.of(text) }
        // Printable ASCII (most of what is drawn): a cell per byte, no grapheme breaking.
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
            var cx = x
            for b in bytes {
                if cx >= bounds.right { break }
                if cx >= bounds.x { place(Buffer.asciiSymbols[Int(b)], width: 1, style: style, x: cx, y: y) }
                cx += 1
            }
            return cx
        }
        if let ascii, let ascii { return ascii }
        var cx = x
        for ch in text {
            if ch == "\t" {
                let next = x + ((cx - x) / 8 + 1) * 8
                while cx < next {
                    if cx >= bounds.x && cx < bounds.right { place(" ", width: 1, style: style, x: cx, y: y) }
                    cx += 1
                }
                continue
            }
            let w = TextWidth.of(ch)
            if w == 0 { continue }
            if cx >= bounds.right { break }
            if cx >= bounds.x {
                if cx + w > bounds.right { break }
                place(String(ch), width: w, style: style, x: cx, y: y)
            } else if cx + w > bounds.x {
                // A wide character cut by the left edge: show the visible half as a space.
                place(" ", width: 1, style: style, x: bounds.x, y: y)
            }
            cx += w
        }
        return cx
    }

    /// Writes styled spans one after another; returns the column after the last one.
    @discardableResult
    public mutating func write(_ spans: [Span], x: Int, y: Int, clip: Rect? = nil) -> Int {
        var cx = x
        for span in spans { cx = write(span.text, x: cx, y: y, style: span.style, clip: clip) }
        return cx
    }

    /// Writes `text` on the first row of `rect`, aligned, cut with `ellipsis` when too long.
    @discardableResult
    public mutating func writeLine(_ text: String, in rect: Rect, style: Style = .plain,
                                   alignment: Alignment = .left, ellipsis: String = "…") -> Int {
        writeLine([Span(text, style: style)], in: rect, alignment: alignment, ellipsis: ellipsis)
    }

    /// Writes styled spans on the first row of `rect`, aligned, cut with `ellipsis` when too long.
    @discardableResult
    public mutating func writeLine(_ spans: [Span], in rect: Rect, alignment: Alignment = .left,
                                   ellipsis: String = "…") -> Int {
        guard !rect.isEmpty else { return rect.x }
        let fitted = Buffer.fit(spans, width: rect.width, ellipsis: ellipsis)
        let w = fitted.reduce(0) { $0 + $1.width }
        let x: Int
        switch alignment {
        case .left: x = rect.x
        case .center: x = rect.x + (rect.width - w) / 2
        case .right: x = rect.right - w
        }
        return write(fitted, x: x, y: rect.y, clip: rect)
    }

    /// Cuts spans to `width` columns, ending in `ellipsis` (in the last kept span's style) when something was cut.
    public static func fit(_ spans: [Span], width: Int, ellipsis: String = "…") -> [Span] {
        guard width > 0 else { return [] }
        let total = spans.reduce(0) { $0 + $1.width }
        if total <= width { return spans }
        let ew = TextWidth.of(ellipsis)
        let room = ew >= width ? width : width - ew
        var out: [Span] = []
        var used = 0
        for span in spans {
            let left = room - used
            if left <= 0 { break }
            if span.width <= left { out.append(span); used += span.width; continue }
            var cut = TextLayout.prefix(span.text, width: left)
            if ew < width { while cut.last == " " { cut.removeLast() } }
            out.append(Span(cut, style: span.style))
            used += TextWidth.of(cut)
            break
        }
        if ew < width { out.append(Span(ellipsis, style: out.last?.style ?? spans.first?.style ?? .plain)) }
        return out
    }

    /// Sets every cell of `rect` to `symbol` in `style`.
    public mutating func fill(_ rect: Rect, symbol: Character = " ", style: Style = .plain) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        let cell = Cell(TextWidth.of(symbol) == 1 ? String(symbol) : " ", style: style, width: 1)
        for y in r.y..<r.bottom {
            let row = y * width
            // A wide character cut by the rectangle's edge loses its other half, as `place` does it;
            // every cell inside is simply replaced (a frame fills most of its cells: this is hot).
            if cells[row + r.x].width == 0, r.x > 0, cells[row + r.x - 1].width == 2 {
                cells[row + r.x - 1] = Cell(" ", style: cells[row + r.x - 1].style)
            }
            let last = row + r.right - 1
            if cells[last].width == 2, r.right < width { cells[last + 1] = Cell(" ", style: cells[last + 1].style) }
            for i in (row + r.x)...last { cells[i] = cell }
        }
    }

    /// Blanks `rect` (the whole buffer by default) with spaces in `style`.
    public mutating func clear(_ rect: Rect? = nil, style: Style = .plain) {
        fill(rect ?? area, symbol: " ", style: style)
    }

    /// Replaces the style of every cell in `rect`, keeping the symbols.
    public mutating func setStyle(_ rect: Rect, _ style: Style) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.bottom { for x in r.x..<r.right { cells[y * width + x].style = style } }
    }

    /// Lays `style` over the style of every cell in `rect` (see ``Style/patched(with:)``).
    public mutating func patchStyle(_ rect: Rect, _ style: Style) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.bottom {
            for x in r.x..<r.right { cells[y * width + x].style = cells[y * width + x].style.patched(with: style) }
        }
    }

    /// Draws a box border around the edge of `rect`. Rectangles thinner than 2 cells get a plain line.
    public mutating func drawBorder(_ rect: Rect, borders: BorderSet, style: Style = .plain) {
        let r = rect
        guard !r.isEmpty else { return }
        if r.height == 1 {
            for x in r.x..<r.right { write(borders.horizontal, x: x, y: r.y, style: style, clip: r) }
            return
        }
        if r.width == 1 {
            for y in r.y..<r.bottom { write(borders.vertical, x: r.x, y: y, style: style, clip: r) }
            return
        }
        for x in (r.x + 1)..<(r.right - 1) {
            write(borders.horizontal, x: x, y: r.y, style: style, clip: r)
            write(borders.horizontal, x: x, y: r.bottom - 1, style: style, clip: r)
        }
        for y in (r.y + 1)..<(r.bottom - 1) {
            write(borders.vertical, x: r.x, y: y, style: style, clip: r)
            write(borders.vertical, x: r.right - 1, y: y, style: style, clip: r)
        }
        write(borders.topLeft, x: r.x, y: r.y, style: style, clip: r)
        write(borders.topRight, x: r.right - 1, y: r.y, style: style, clip: r)
        write(borders.bottomLeft, x: r.x, y: r.bottom - 1, style: style, clip: r)
        write(borders.bottomRight, x: r.right - 1, y: r.bottom - 1, style: style, clip: r)
    }

    /// Draws a horizontal separator across a bordered box at row `y`, joining its sides with tees (`├──┤`).
    public mutating func drawSeparator(_ rect: Rect, y: Int, borders: BorderSet, style: Style = .plain) {
        guard rect.width >= 2, y >= rect.y, y < rect.bottom else { return }
        for x in (rect.x + 1)..<(rect.right - 1) { write(borders.horizontal, x: x, y: y, style: style, clip: rect) }
        write(borders.teeLeft, x: rect.x, y: y, style: style, clip: rect)
        write(borders.teeRight, x: rect.right - 1, y: y, style: style, clip: rect)
    }

    /// Places one grapheme, keeping wide characters whole: a wide character that is partly overwritten is blanked.
    /// The one-byte strings, by byte.
    static let asciiSymbols: [String] = (0..<128).map { String(Character(Unicode.Scalar(UInt8($0)))) }

    private mutating func place(_ symbol: String, width w: Int, style: Style, x: Int, y: Int) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let w = (w == 2 && x + 1 < width) ? 2 : 1
        let sym = (w == 1 && TextWidth.of(symbol) == 2) ? " " : symbol
        let i = y * width + x
        // Overwriting the right half of a wide character: blank its left half.
        if cells[i].width == 0, x > 0, cells[i - 1].width == 2 {
            cells[i - 1] = Cell(" ", style: cells[i - 1].style)
        }
        // Overwriting the left half of a wide character with a narrow one: blank its right half.
        if cells[i].width == 2, w == 1, x + 1 < width {
            cells[i + 1] = Cell(" ", style: cells[i + 1].style)
        }
        if w == 2 {
            // The right half we are about to cover may itself start a wide character.
            if cells[i + 1].width == 2, x + 2 < width { cells[i + 2] = Cell(" ", style: cells[i + 2].style) }
            cells[i] = Cell(sym, style: style, width: 2)
            cells[i + 1] = Cell("", style: style, width: 0)
        } else {
            cells[i] = Cell(sym, style: style, width: 1)
        }
    }

    // MARK: Reading

    /// The cells that differ from `old`. When the sizes differ, every cell is reported.
    /// Continuation cells are reported too; backends skip them (the wide cell before them draws both columns).
    public func diff(from old: Buffer) -> [CellChange] {
        var changes: [CellChange] = []
        let sameSize = old.width == width && old.height == height
        for y in 0..<height {
            for x in 0..<width {
                let c = cells[y * width + x]
                if !sameSize || old.cells[y * width + x] != c { changes.append(CellChange(x: x, y: y, cell: c)) }
            }
        }
        return changes
    }

    /// The text of each row (continuation cells skipped), with trailing spaces trimmed unless asked otherwise.
    public func lines(trimmingTrailingSpaces: Bool = true) -> [String] {
        (0..<height).map { y in
            var s = ""
            for x in 0..<width {
                let c = cells[y * width + x]
                if c.width > 0 { s += c.symbol }
            }
            if trimmingTrailingSpaces { while s.last == " " { s.removeLast() } }
            return s
        }
    }

    /// All rows joined with newlines; handy in test failure messages.
    public var text: String { lines().joined(separator: "\n") }

    /// The screen position of the first occurrence of `text` (searched row by row), or `nil`.
    public func position(of text: String) -> Position? {
        guard !text.isEmpty else { return nil }
        for y in 0..<height {
            var symbols: [(x: Int, s: String)] = []
            for x in 0..<width where cells[y * width + x].width > 0 { symbols.append((x, cells[y * width + x].symbol)) }
            let row = symbols.map(\.s).joined()
            guard row.contains(text) else { continue }
            // Find the starting cell by matching symbol runs.
            for start in symbols.indices {
                var joined = ""
                var k = start
                while k < symbols.count && joined.count < text.count { joined += symbols[k].s; k += 1 }
                if joined.hasPrefix(text) { return Position(x: symbols[start].x, y: y) }
            }
        }
        return nil
    }
}
