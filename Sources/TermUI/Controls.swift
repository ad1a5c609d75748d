// Buttons, dialogs and progress bars.

/// A row of buttons: `[ Back ]  [ Next ]`. Left/Right move, Enter or Space activates.
public struct ButtonRow: Widget, Hashable, Sendable {
    public var buttons: [String]
    /// The button the keyboard is on.
    public var focused: Int
    /// Whether the row itself has keyboard focus (the focused button is highlighted only then).
    public var isFocused: Bool
    public var alignment: Alignment

    public init(_ buttons: [String], focused: Int = 0, isFocused: Bool = true, alignment: Alignment = .center) {
        self.buttons = buttons
        self.focused = min(max(0, focused), max(0, buttons.count - 1))
        self.isFocused = isFocused
        self.alignment = alignment
    }

    /// Returns `.action(index)` when a button is activated.
    public mutating func handle(_ key: Key) -> KeyResult<Int> {
        guard !buttons.isEmpty else { return .ignored }
        switch key {
        case .left:
            guard focused > 0 else { return .ignored }
            focused -= 1
            return .handled
        case .right:
            guard focused < buttons.count - 1 else { return .ignored }
            focused += 1
            return .handled
        case .enter, .space:
            return .action(min(max(0, focused), buttons.count - 1))
        default:
            return .ignored
        }
    }

    /// Columns the row needs.
    public var width: Int { buttons.reduce(0) { $0 + TextWidth.of($1) + 4 } + max(0, buttons.count - 1) * 2 }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty, !buttons.isEmpty else { return }
        var spans: [Span] = []
        for (i, b) in buttons.enumerated() {
            if i > 0 { spans.append(Span("  ")) }
            let style = isFocused && i == focused ? theme[.focused] : theme[.normal]
            spans.append(Span("[ \(b) ]", style: style))
        }
        buffer.writeLine(spans, in: area.row(0), alignment: alignment, ellipsis: theme.symbols.ellipsis)
    }
}

/// A centred box with a title, message and buttons, drawn over whatever is below it (render it last).
/// It hides the cursor of any field drawn before it.
///
/// `handle` returns `.action(index)` when a button is activated; Esc activates ``cancelIndex`` if set.
public struct Dialog: Widget, Hashable, Sendable {
    public var title: String
    public var message: String
    public var buttons: ButtonRow
    /// The button Esc presses (`nil`: Esc is not consumed).
    public var cancelIndex: Int?
    /// Style role of the border, e.g. `.error` for an error dialog.
    public var borderRole: Role
    /// Widest the box gets, border included.
    public var maxWidth: Int

    public init(title: String, message: String, buttons: [String] = ["OK"], focused: Int = 0,
                cancelIndex: Int? = nil, borderRole: Role = .border, maxWidth: Int = 64) {
        self.title = title
        self.message = message
        self.buttons = ButtonRow(buttons, focused: focused, isFocused: true, alignment: .center)
        self.cancelIndex = cancelIndex
        self.borderRole = borderRole
        self.maxWidth = maxWidth
    }

    public mutating func handle(_ key: Key) -> KeyResult<Int> {
        if key == .escape, let cancelIndex { return .action(cancelIndex) }
        switch key {
        case .tab, .backTab:
            let n = buttons.buttons.count
            guard n > 0 else { return .ignored }
            buttons.focused = (buttons.focused + (key == .tab ? 1 : n - 1)) % n
            return .handled
        default: return buttons.handle(key)
        }
    }

    /// The box's rectangle inside `area`: sized to the content, centred, never larger than `area`.
    public func frame(in area: Rect) -> Rect {
        let natural = max(TextWidth.of(title) + 4,
                          message.split(separator: "\n").map { TextWidth.of($0) }.max() ?? 0,
                          buttons.width)
        let width = min(natural + 6, maxWidth, area.width)
        let lines = TextLayout.wrap(message, width: max(1, width - 6))
        let height = min(lines.count + 6, area.height)   // border, padding, message, blank, buttons, padding, border
        return area.centered(width: width, height: height)
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        let box = frame(in: area)
        guard !box.isEmpty else { return }
        buffer.cursor = nil   // modal: a text field underneath must not show its cursor
        buffer.clear(box, style: theme[.normal])
        Block(title: title, borderRole: borderRole).render(box, into: &buffer, theme: theme)
        let inner = box.inset(horizontal: 3, vertical: 1)
        guard !inner.isEmpty else { return }
        let buttonRow = inner.height >= 3 ? inner.row(inner.height - 2) : inner.row(inner.height - 1)
        let messageArea = Rect(x: inner.x, y: inner.y + (inner.height >= 5 ? 1 : 0), width: inner.width,
                               height: max(0, buttonRow.y - inner.y - (inner.height >= 5 ? 2 : 1)))
        Paragraph(message).render(messageArea, into: &buffer, theme: theme)
        buttons.render(buttonRow, into: &buffer, theme: theme)
    }
}

/// A one-line progress bar: `Copying  [#####-----] 50%  1m20s / ~2m40s`.
///
/// Parts are dropped when narrow: first the times, then the label, then the percentage.
public struct ProgressBar: Widget, Hashable, Sendable {
    /// 0…1; other values (and NaN) are clamped.
    public var fraction: Double
    public var label: String
    public var elapsed: Duration?
    /// Estimated total time, shown as `~2m40s`.
    public var estimatedTotal: Duration?

    public init(fraction: Double, label: String = "", elapsed: Duration? = nil, estimatedTotal: Duration? = nil) {
        self.fraction = fraction
        self.label = label
        self.elapsed = elapsed
        self.estimatedTotal = estimatedTotal
    }

    var clamped: Double { fraction.isNaN ? 0 : min(max(fraction, 0), 1) }

    /// `45s`, `1m20s`, `1h02m`.
    public static func format(_ d: Duration) -> String {
        let total = max(0, Int(d.components.seconds))
        if total < 60 { return "\(total)s" }
        if total < 3600 {
            let s = total % 60
            return "\(total / 60)m\(s < 10 ? "0" : "")\(s)s"
        }
        let m = (total % 3600) / 60
        return "\(total / 3600)h\(m < 10 ? "0" : "")\(m)m"
    }

    /// The time part, e.g. `1m20s / ~2m40s`.
    public var timeText: String {
        switch (elapsed, estimatedTotal) {
        case let (e?, t?): return "\(ProgressBar.format(e)) / ~\(ProgressBar.format(t))"
        case let (e?, nil): return ProgressBar.format(e)
        case let (nil, t?): return "~\(ProgressBar.format(t))"
        default: return ""
        }
    }

    public var percentText: String { "\(Int(clamped * 100))%" }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        let r = area.row(0)
        let minBar = 5
        var labelText = label
        var time = timeText
        var percent = percentText
        func need() -> Int {
            (labelText.isEmpty ? 0 : min(TextWidth.of(labelText), r.width / 3) + 2) + minBar
                + (percent.isEmpty ? 0 : 5) + (time.isEmpty ? 0 : TextWidth.of(time) + 2)
        }
        if need() > r.width { time = "" }
        if need() > r.width { labelText = "" }
        if need() > r.width { percent = "" }
        var x = r.x
        if !labelText.isEmpty {
            let lw = min(TextWidth.of(labelText), r.width / 3)
            buffer.writeLine(labelText, in: Rect(x: x, y: r.y, width: lw, height: 1), style: theme[.label],
                             ellipsis: theme.symbols.ellipsis)
            x += lw + 2
        }
        let tail = (percent.isEmpty ? 0 : 5) + (time.isEmpty ? 0 : TextWidth.of(time) + 2)
        let barWidth = max(0, r.right - x - tail)
        if barWidth >= 3 {
            let cells = barWidth - 2
            let filled = Int((Double(cells) * clamped).rounded(.down))
            buffer.write("[", x: x, y: r.y, style: theme[.normal], clip: r)
            for i in 0..<cells {
                let on = i < filled
                buffer.write(on ? theme.symbols.progressFilled : theme.symbols.progressEmpty, x: x + 1 + i, y: r.y,
                             style: theme[on ? .progressFill : .muted], clip: r)
            }
            buffer.write("]", x: x + barWidth - 1, y: r.y, style: theme[.normal], clip: r)
        } else if barWidth > 0 {
            buffer.writeLine(percentText, in: Rect(x: x, y: r.y, width: barWidth, height: 1), style: theme[.normal],
                             ellipsis: "")
        }
        x += barWidth
        if !percent.isEmpty {
            buffer.writeLine(percent, in: Rect(x: x + 1, y: r.y, width: 4, height: 1), style: theme[.normal], alignment: .right)
            x += 5
        }
        if !time.isEmpty {
            buffer.writeLine(time, in: Rect(x: x + 2, y: r.y, width: r.right - x - 2, height: 1), style: theme[.muted])
        }
    }
}
