// A scrollable, searchable view over many lines.

/// Finds a query in lines, case-insensitively unless the query has an upper-case letter (smart case).
/// Works on UTF-8 bytes without copying or lower-casing lines.
public struct TextMatcher: Hashable, Sendable {
    public let query: String
    let needle: [UInt8]
    let foldCase: Bool

    public init(_ query: String) {
        self.query = query
        foldCase = !query.contains(where: { $0.isUppercase })
        needle = foldCase ? query.utf8.map(TextMatcher.fold) : Array(query.utf8)
    }

    @inline(__always) static func fold(_ b: UInt8) -> UInt8 { (b >= 65 && b <= 90) ? b + 32 : b }

    /// Byte ranges (UTF-8 offsets) of non-overlapping matches in `line`, at most `limit` of them.
    public func ranges(in line: String, limit: Int = .max) -> [Range<Int>] {
        guard !needle.isEmpty, limit > 0 else { return [] }
        var line = line
        return line.withUTF8 { hay -> [Range<Int>] in
            var out: [Range<Int>] = []
            let n = needle.count
            guard hay.count >= n else { return out }
            let first = needle[0]
            var i = 0
            let last = hay.count - n
            while i <= last {
                let b = foldCase ? TextMatcher.fold(hay[i]) : hay[i]
                if b == first {
                    var k = 1
                    while k < n {
                        let h = foldCase ? TextMatcher.fold(hay[i + k]) : hay[i + k]
                        if h != needle[k] { break }
                        k += 1
                    }
                    if k == n {
                        out.append(i..<(i + n))
                        if out.count >= limit { break }
                        i += n
                        continue
                    }
                }
                i += 1
            }
            return out
        }
    }

    public func matches(_ line: String) -> Bool { !ranges(in: line, limit: 1).isEmpty }
}

/// A scrollable view over a ``LineSource`` (e.g. a ``RingBuffer`` of log lines), with follow mode and search.
///
/// Only the visible lines are read when rendering, so the source can be huge. Keys (see
/// ``handle(_:source:viewHeight:)``): Up/Down (or `k`/`j`), PgUp/PgDn, Home/End (`g`/`G`), Left/Right scroll sideways,
/// `/` starts a search (type, Enter to find, Esc to cancel), `n`/`N` jump to the next/previous match,
/// Esc clears the search. A found match stops follow mode; End (or scrolling to the bottom) turns it back on.
///
/// The view stores stable line indices, so it stays on the same lines while a ring buffer drops old ones.
public struct LogView: Hashable, Sendable {
    public struct Search: Hashable, Sendable {
        public var editor = LineEditor()
        /// The query is being typed.
        public var isEditing = true
        /// The query of the last search run.
        public var query = ""
        /// Stable index of the line with the current match.
        public var matchLine: Int?
        /// The last search found nothing.
        public var notFound = false
    }

    public var title: String?
    /// Stick to the bottom as lines arrive.
    public var follow: Bool
    /// Stable index of the first visible line (used when not following).
    public var top: Int
    /// Columns scrolled to the right.
    public var horizontalOffset: Int
    public var search: Search?
    public var showsScrollbar: Bool
    /// A bottom line with the position, follow state and search prompt.
    public var showsStatusLine: Bool
    /// Columns Left/Right scroll by.
    public var horizontalStep: Int

    public init(title: String? = nil, follow: Bool = true, showsScrollbar: Bool = true, showsStatusLine: Bool = true) {
        self.title = title
        self.follow = follow
        self.top = 0
        self.horizontalOffset = 0
        self.showsScrollbar = showsScrollbar
        self.showsStatusLine = showsStatusLine
        self.horizontalStep = 8
    }

    // MARK: Geometry

    /// Rows of text shown when the view is rendered `viewHeight` rows tall (title and status line excluded).
    public func textRows(viewHeight: Int) -> Int {
        var h = max(0, viewHeight)
        if title != nil && h >= 2 { h -= 1 }
        if showsStatusLine && h >= 2 { h -= 1 }
        return h
    }

    /// The stable index of the first line shown.
    public func visibleTop(source: some LineSource, rows: Int) -> Int {
        let r = source.lineIndices
        let maxTop = max(r.lowerBound, r.upperBound - max(0, rows))
        if follow { return maxTop }
        return min(max(top, r.lowerBound), maxTop)
    }

    // MARK: Keys

    /// Applies a key. `viewHeight` is the height of the rectangle the view is rendered into (for paging).
    /// Returns `true` when the key was used.
    public mutating func handle(_ key: Key, source: some LineSource, viewHeight: Int) -> Bool {
        if var s = search, s.isEditing {
            switch key {
            case .enter:
                s.isEditing = false
                s.query = s.editor.value
                search = s
                if s.query.isEmpty { search = nil; return true }
                jump(source: source, viewHeight: viewHeight, forward: true, includingStart: true)
                return true
            case .escape:
                search = nil
                return true
            case .backspace where s.editor.characters.isEmpty:
                search = nil
                return true
            default:
                _ = s.editor.handle(key)
                search = s
                return true   // typing a query swallows every key
            }
        }
        let rows = max(1, textRows(viewHeight: viewHeight))
        let r = source.lineIndices
        let maxTop = max(r.lowerBound, r.upperBound - rows)
        let current = visibleTop(source: source, rows: rows)
        func scroll(to t: Int) {
            top = min(max(t, r.lowerBound), maxTop)
            follow = top >= maxTop
        }
        switch key {
        case .up, .char("k"): scroll(to: current - 1); follow = false
        case .down, .char("j"): scroll(to: current + 1)
        case .pageUp: scroll(to: current - max(1, rows - 1)); follow = false
        case .pageDown: scroll(to: current + max(1, rows - 1))
        case .home, .char("g"): top = r.lowerBound; follow = false
        case .end, .char("G"): follow = true
        case .left: horizontalOffset = max(0, horizontalOffset - horizontalStep)
        case .right: horizontalOffset += horizontalStep
        case .char("/"): search = Search()
        case .char("n"), .char("N"):
            guard search?.query.isEmpty == false else { return false }
            jump(source: source, viewHeight: viewHeight, forward: key == .char("n"), includingStart: false)
        case .escape:
            guard search != nil else { return false }
            search = nil
        default:
            return false
        }
        return true
    }

    /// Moves to the next (or previous) line matching the search query, wrapping around once.
    mutating func jump(source: some LineSource, viewHeight: Int, forward: Bool, includingStart: Bool) {
        guard var s = search, !s.query.isEmpty else { return }
        let rows = max(1, textRows(viewHeight: viewHeight))
        let start = s.matchLine ?? visibleTop(source: source, rows: rows)
        if let found = LogView.find(TextMatcher(s.query), in: source, from: start, forward: forward,
                                    includingStart: includingStart || s.matchLine == nil) {
            s.matchLine = found
            s.notFound = false
            // Stop following so the match stays put while lines arrive; scroll only if it is not on screen.
            let t = visibleTop(source: source, rows: rows)
            follow = false
            top = t
            if found < t || found >= t + rows {
                let r = source.lineIndices
                top = min(max(r.lowerBound, found - rows / 3), max(r.lowerBound, r.upperBound - rows))
            }
        } else {
            s.notFound = true
        }
        search = s
    }

    /// Linear search for a line matching `matcher`, starting at stable index `start`, wrapping around once.
    /// Reads one line at a time; never copies the source.
    public static func find(_ matcher: TextMatcher, in source: some LineSource, from start: Int, forward: Bool,
                            includingStart: Bool) -> Int? {
        let r = source.lineIndices
        guard !r.isEmpty else { return nil }
        let n = r.count
        let s = min(max(start, r.lowerBound), r.upperBound - 1) - r.lowerBound
        for step in (includingStart ? 0 : 1)...n {
            let offset = forward ? (s + step) % n : ((s - step) % n + n) % n
            let index = r.lowerBound + offset
            if matcher.matches(source.line(at: index)) { return index }
        }
        return nil
    }

    // MARK: Rendering

    /// Draws the view over `source` into `area`.
    public func render(_ area: Rect, into buffer: inout Buffer, source: some LineSource, theme: Theme) {
        guard !area.isEmpty else { return }
        let s = theme.symbols
        var body = area
        if let title, body.height >= 2 {
            buffer.writeLine(title, in: body.row(0), style: theme[.title], ellipsis: s.ellipsis)
            body = body.inset(top: 1)
        }
        var status: Rect?
        if showsStatusLine && body.height >= 2 {
            status = body.row(body.height - 1)
            body = body.inset(bottom: 1)
        }
        let rows = body.height
        let r = source.lineIndices
        let t = visibleTop(source: source, rows: rows)
        let bar = showsScrollbar && r.count > rows && body.width >= 4
        let text = bar ? body.inset(right: 1) : body
        let matcher = search.flatMap { $0.query.isEmpty ? nil : TextMatcher($0.query) }
        for i in 0..<rows {
            let index = t + i
            guard index < r.upperBound else { break }
            let line = source.line(at: index)
            var spans = LogView.spans(line, matcher: matcher,
                                      style: theme[.normal],
                                      matchStyle: theme[index == search?.matchLine ? .selection : .warning])
            if horizontalOffset > 0 { spans = LogView.drop(columns: horizontalOffset, from: spans) }
            buffer.writeLine(spans, in: text.row(i), ellipsis: s.ellipsis)
        }
        if bar {
            let x = body.right - 1
            let thumb = max(1, rows * rows / max(1, r.count))
            let range = max(1, r.count - rows)
            let pos = (t - r.lowerBound) * (rows - thumb) / range
            for i in 0..<rows {
                let on = i >= pos && i < pos + thumb
                buffer.write(on ? s.scrollThumb : s.scrollTrack, x: x, y: body.y + i,
                             style: theme[on ? .normal : .muted], clip: body)
            }
        }
        if let status { renderStatus(status, into: &buffer, top: t, rows: rows, source: source, theme: theme) }
    }

    func renderStatus(_ row: Rect, into buffer: inout Buffer, top t: Int, rows: Int, source: some LineSource, theme: Theme) {
        let r = source.lineIndices
        let last = min(t + rows, r.upperBound)
        var right = r.isEmpty ? "empty" : "\(t + 1)-\(last)/\(r.upperBound)"
        if follow { right += " FOLLOW" }
        else if r.count > rows { right += " \((t - r.lowerBound) * 100 / max(1, r.count - rows))%" }
        // The left part (search prompt or result) wins over the position when the line is short.
        var left: [Span] = []
        if let s = search {
            if s.isEditing {
                left = [Span("/"), Span(s.editor.value + " ", style: theme[.input])]
            } else if s.notFound {
                left = [Span("Not found: \(s.query)", style: theme[.error])]
            } else {
                left = [Span("/\(s.query)", style: theme[.normal]), Span("  n next  N previous", style: theme[.muted])]
            }
        }
        let leftWidth = left.reduce(0) { $0 + $1.width }
        if leftWidth + 1 + TextWidth.of(right) > row.width && !left.isEmpty { right = "" }
        let rightWidth = min(TextWidth.of(right), row.width)
        let leftArea = Rect(x: row.x, y: row.y, width: max(0, row.width - rightWidth - (right.isEmpty ? 0 : 1)), height: 1)
        if let s = search, s.isEditing {
            buffer.write("/", x: leftArea.x, y: row.y, style: theme[.normal], clip: leftArea)
            let input = leftArea.inset(left: 1)
            let cx = LineEditor.draw(s.editor.characters, cursor: s.editor.cursor, in: input, into: &buffer, style: theme[.input])
            if !input.isEmpty { buffer.cursor = Position(x: min(cx, input.right - 1), y: row.y) }
        } else if !left.isEmpty {
            buffer.writeLine(left, in: leftArea, ellipsis: theme.symbols.ellipsis)
        }
        if !right.isEmpty {
            buffer.writeLine(right, in: row, style: theme[.muted], alignment: .right, ellipsis: theme.symbols.ellipsis)
        }
    }

    /// Splits a line into plain and highlighted spans.
    static func spans(_ line: String, matcher: TextMatcher?, style: Style, matchStyle: Style) -> [Span] {
        guard let matcher else { return [Span(line, style: style)] }
        let ranges = matcher.ranges(in: line)
        guard !ranges.isEmpty else { return [Span(line, style: style)] }
        var out: [Span] = []
        let utf8 = line.utf8
        var pos = 0
        for m in ranges {
            let a = utf8.index(utf8.startIndex, offsetBy: pos)
            let b = utf8.index(utf8.startIndex, offsetBy: m.lowerBound)
            let c = utf8.index(utf8.startIndex, offsetBy: m.upperBound)
            if pos < m.lowerBound { out.append(Span(String(line[a..<b]), style: style)) }
            out.append(Span(String(line[b..<c]), style: matchStyle))
            pos = m.upperBound
        }
        if pos < utf8.count { out.append(Span(String(line[utf8.index(utf8.startIndex, offsetBy: pos)...]), style: style)) }
        return out
    }

    /// Removes the first `columns` display columns from a list of spans.
    static func drop(columns: Int, from spans: [Span]) -> [Span] {
        var left = columns
        var out: [Span] = []
        for span in spans {
            if left <= 0 { out.append(span); continue }
            let w = span.width
            if w <= left { left -= w; continue }
            out.append(Span(String(TextLayout.dropPrefix(span.text, columns: left)), style: span.style))
            left = 0
        }
        return out
    }
}

/// A read-only scrollable text (help, summaries): a ``LogView`` that starts at the top instead of following.
public typealias TextView = LogView

extension LogView {
    /// A view for static text: starts at the top, no follow mode.
    public static func textView(title: String? = nil) -> LogView { LogView(title: title, follow: false) }
}

/// A ``LogView`` paired with its source, usable wherever a ``Widget`` is expected.
public struct BoundLogView<Source: LineSource>: Widget {
    public var view: LogView
    public var source: Source
    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        view.render(area, into: &buffer, source: source, theme: theme)
    }
}

extension LogView {
    /// This view over `source`, as a ``Widget``.
    public func bound<S: LineSource>(to source: S) -> BoundLogView<S> { BoundLogView(view: self, source: source) }
}
