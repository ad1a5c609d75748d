// Row-based widgets: ListEditor, StatusList, KeyLegend.

/// First visible index so that `selected` stays inside a window of `height` rows.
func scrollTop(selected: Int, count: Int, height: Int) -> Int {
    guard height > 0, count > height else { return 0 }
    let sel = min(max(0, selected), count - 1)
    return min(max(0, sel - height + 1), count - height)
}

/// A list of rows with a selection, for lists the user edits (hosts, nodes, mounts…).
///
/// The widget does not edit rows itself: keys become ``Action``s and the app opens an editor,
/// confirms a removal, and so on. Keys: Up/Down/PgUp/PgDn/Home/End move; `a` or Insert → ``Action/add``;
/// Enter or `e` → ``Action/edit(_:)``; Delete or `d` → ``Action/remove(_:)``.
public struct ListEditor: Widget, Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        case add
        case edit(Int)
        case remove(Int)
    }

    public var title: String?
    /// Column headings; `nil` for none.
    public var headers: [String]?
    /// Each row is a list of column texts; columns are aligned.
    public var rows: [[String]]
    /// The selected row; kept inside `rows` when read through ``selection``.
    public var selectedIndex: Int
    public var isFocused: Bool
    /// Shown when there are no rows.
    public var emptyText: String
    /// Rows moved by PgUp/PgDn.
    public var pageSize: Int

    public init(title: String? = nil, headers: [String]? = nil, rows: [[String]] = [], selectedIndex: Int = 0,
                emptyText: String = "Nothing here yet. Press a to add.", isFocused: Bool = false, pageSize: Int = 10) {
        self.title = title
        self.headers = headers
        self.rows = rows
        self.selectedIndex = selectedIndex
        self.emptyText = emptyText
        self.isFocused = isFocused
        self.pageSize = pageSize
    }

    /// Convenience for one-column lists.
    public init(title: String? = nil, items: [String], selectedIndex: Int = 0,
                emptyText: String = "Nothing here yet. Press a to add.", isFocused: Bool = false) {
        self.init(title: title, rows: items.map { [$0] }, selectedIndex: selectedIndex, emptyText: emptyText,
                  isFocused: isFocused)
    }

    /// The selected row index, or `nil` when the list is empty.
    public var selection: Int? { rows.isEmpty ? nil : min(max(0, selectedIndex), rows.count - 1) }

    public mutating func handle(_ key: Key) -> KeyResult<Action> {
        switch key {
        case .char("a"), .insert: return .action(.add)
        default: break
        }
        guard let sel = selection else { return .ignored }
        switch key {
        case .up:
            guard sel > 0 else { return .ignored }
            selectedIndex = sel - 1
        case .down:
            guard sel < rows.count - 1 else { return .ignored }
            selectedIndex = sel + 1
        case .pageUp: selectedIndex = max(0, sel - max(1, pageSize))
        case .pageDown: selectedIndex = min(rows.count - 1, sel + max(1, pageSize))
        case .home: selectedIndex = 0
        case .end: selectedIndex = rows.count - 1
        case .enter, .char("e"): return .action(.edit(sel))
        case .delete, .char("d"): return .action(.remove(sel))
        default: return .ignored
        }
        return .handled
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        let s = theme.symbols
        var body = area
        if let title {
            buffer.writeLine(title, in: body.row(0), style: theme[.title], ellipsis: s.ellipsis)
            body = body.inset(top: 1)
        }
        // Column widths: natural widths, last column takes the rest.
        let columnCount = max(headers?.count ?? 0, rows.map(\.count).max() ?? 0)
        var widths = Array(repeating: 0, count: columnCount)
        for row in rows + (headers.map { [$0] } ?? []) {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], TextWidth.of(cell)) }
        }
        let gutter = 2
        func spans(_ cells: [String], style: Style) -> [Span] {
            var out: [Span] = []
            for (i, cell) in cells.enumerated() {
                let isLast = i == cells.count - 1
                out.append(Span(isLast ? cell : TextLayout.pad(cell, to: widths[i]) + "  ", style: style))
            }
            return out
        }
        if let headers, !body.isEmpty {
            let r = body.row(0).inset(left: gutter)
            buffer.writeLine(spans(headers, style: theme[.label].bold()), in: r, ellipsis: s.ellipsis)
            body = body.inset(top: 1)
        }
        guard !body.isEmpty else { return }
        guard let sel = selection else {
            buffer.writeLine(emptyText, in: body.row(0).inset(left: gutter), style: theme[.muted], ellipsis: s.ellipsis)
            return
        }
        let top = scrollTop(selected: sel, count: rows.count, height: body.height)
        let indicator = rows.count > body.height && body.width > 3
        let content = indicator ? body.inset(right: 1) : body
        for line in 0..<min(body.height, rows.count - top) {
            let index = top + line
            let r = content.row(line)
            let isSel = index == sel
            let style = isSel && isFocused ? theme[.selection] : theme[.normal]
            if isSel && isFocused { buffer.fill(r, style: style) }
            if isSel { buffer.write(s.focusMarker, x: r.x, y: r.y, style: style, clip: r) }
            buffer.writeLine(spans(rows[index], style: style), in: r.inset(left: gutter), ellipsis: s.ellipsis)
        }
        if indicator {
            let x = body.right - 1
            if top > 0 { buffer.write(s.moreAbove, x: x, y: body.y, style: theme[.muted], clip: body) }
            if top + body.height < rows.count {
                buffer.write(s.moreBelow, x: x, y: body.bottom - 1, style: theme[.muted], clip: body)
            }
        }
    }
}

/// Rows with state icons: check lists (`[x] Shared files`, `[!] Database: 2 fields missing`)
/// and step lists (`✓ Install Java`, `> Copy files`, `· Start nodes`).
public struct StatusList: Widget, Hashable, Sendable {
    public enum Mark: Hashable, Sendable {
        // Step states.
        case pending, running, done, skipped, failed
        // Check-list states.
        case checked, unchecked, attention
    }

    public struct Row: Hashable, Sendable {
        public var mark: Mark
        public var text: String
        /// Extra text after the main text, dimmed (or in the error style for failed/attention rows).
        public var detail: String?
        public init(_ mark: Mark, _ text: String, detail: String? = nil) {
            self.mark = mark
            self.text = text
            self.detail = detail
        }
    }

    public var rows: [Row]
    /// A highlighted row (e.g. the current step), kept visible when the list scrolls.
    public var selected: Int?
    public var isFocused: Bool
    /// When set, running rows show this frame of the spinner instead of the running mark; bump it on every tick.
    public var spinnerFrame: Int?

    public init(_ rows: [Row], selected: Int? = nil, isFocused: Bool = false, spinnerFrame: Int? = nil) {
        self.rows = rows
        self.selected = selected
        self.isFocused = isFocused
        self.spinnerFrame = spinnerFrame
    }

    /// The icon for a mark in the given symbol set.
    public func icon(_ mark: Mark, symbols s: Symbols) -> String {
        switch mark {
        case .pending: return s.pending
        case .running:
            if let f = spinnerFrame, !s.spinner.isEmpty { return s.spinner[((f % s.spinner.count) + s.spinner.count) % s.spinner.count] }
            return s.running
        case .done: return s.done
        case .skipped: return s.skipped
        case .failed: return s.failed
        case .checked: return s.checkOn
        case .unchecked: return s.checkOff
        case .attention: return s.checkAttention
        }
    }

    static func role(_ mark: Mark) -> Role {
        switch mark {
        case .done, .checked: return .ok
        case .failed: return .error
        case .attention: return .warning
        case .running: return .title
        case .pending, .skipped, .unchecked: return .muted
        }
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        let top = scrollTop(selected: selected ?? 0, count: rows.count, height: area.height)
        for line in 0..<min(area.height, max(0, rows.count - top)) {
            let row = rows[top + line]
            let r = area.row(line)
            let isSel = selected == top + line
            let textStyle = isSel ? theme[isFocused ? .selection : .title] : theme[.normal]
            if isSel && isFocused { buffer.fill(r, style: textStyle) }
            var spans = [Span(icon(row.mark, symbols: theme.symbols), style: isSel && isFocused ? textStyle : theme[StatusList.role(row.mark)]),
                         Span(" " + row.text, style: textStyle)]
            if let d = row.detail, !d.isEmpty {
                let dRole: Role = (row.mark == .failed || row.mark == .attention) ? .error : .muted
                spans.append(Span("  " + d, style: isSel && isFocused ? textStyle : theme[dRole]))
            }
            buffer.writeLine(spans, in: r, ellipsis: theme.symbols.ellipsis)
        }
    }
}

/// The bottom line of key hints: `Enter Next  Esc Back  F1 Help  F10 Quit`.
///
/// When the line is too narrow, hints are dropped from the end (an ellipsis shows some are hidden).
public struct KeyLegend: Widget, Hashable, Sendable {
    public struct Item: Hashable, Sendable {
        public var key: String
        public var action: String
        public init(_ key: String, _ action: String) { self.key = key; self.action = action }
        public init(_ key: Key, _ action: String) { self.init(key.description, action) }
    }

    public var items: [Item]
    public init(_ items: [Item]) { self.items = items }
    /// `KeyLegend([("Enter", "Next"), ("Esc", "Back")])`
    public init(_ pairs: [(String, String)]) { self.items = pairs.map { Item($0.0, $0.1) } }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        let r = area.row(0)
        let ellipsis = theme.symbols.ellipsis
        func spans(_ item: Item, first: Bool) -> [Span] {
            [Span(first ? "" : "  "), Span(item.key, style: theme[.keyLegend]), Span(" " + item.action, style: theme[.normal])]
        }
        var line: [Span] = []
        var used = 0
        for (i, item) in items.enumerated() {
            let s = spans(item, first: i == 0)
            let w = s.reduce(0) { $0 + $1.width }
            let isLast = i == items.count - 1
            let reserve = isLast ? 0 : 2 + TextWidth.of(ellipsis)
            if used + w + reserve > r.width {
                if i == 0 {
                    buffer.writeLine(s, in: r, ellipsis: ellipsis)   // not even one fits: cut it
                    return
                }
                line.append(Span("  " + ellipsis, style: theme[.muted]))
                break
            }
            line += s
            used += w
        }
        buffer.writeLine(line, in: r, ellipsis: ellipsis)
    }
}
