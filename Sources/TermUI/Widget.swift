// The widget protocol and small shared pieces.

/// Anything that can draw itself into part of a ``Buffer``.
///
/// Rendering is pure: it reads the widget's state and writes cells inside `area` only.
/// Every widget copes with any area, including 0×0 and 1×1.
public protocol Widget {
    func render(_ area: Rect, into buffer: inout Buffer, theme: Theme)
}

extension Buffer {
    /// Renders `widget` into `area` of this buffer.
    public mutating func render(_ widget: some Widget, in area: Rect, theme: Theme) {
        widget.render(area, into: &self, theme: theme)
    }
}

/// What a widget did with a key: nothing, something internal, or something the app must act on.
public enum KeyResult<Action> {
    /// Not for this widget; pass it on (e.g. to the form or the app).
    case ignored
    /// The widget used the key; nothing for the app to do beyond redrawing.
    case handled
    /// The widget used the key and asks the app to act.
    case action(Action)

    /// `true` unless ``ignored``.
    public var consumed: Bool {
        if case .ignored = self { return false }
        return true
    }

    /// The action, if any.
    public var actionValue: Action? {
        if case .action(let a) = self { return a }
        return nil
    }
}

extension KeyResult: Equatable where Action: Equatable {}
extension KeyResult: Sendable where Action: Sendable {}

/// A static text block: lines, optionally word-wrapped, in one role's style.
public struct Paragraph: Widget, Sendable {
    public var text: String
    public var role: Role
    public var alignment: Alignment
    /// Wrap long lines at word boundaries; otherwise cut them with an ellipsis.
    public var wrap: Bool

    public init(_ text: String, role: Role = .normal, alignment: Alignment = .left, wrap: Bool = true) {
        self.text = text
        self.role = role
        self.alignment = alignment
        self.wrap = wrap
    }

    /// The lines this paragraph takes at `width`.
    public func lines(width: Int) -> [String] {
        wrap ? TextLayout.wrap(text, width: width) : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        for (i, line) in lines(width: area.width).prefix(area.height).enumerated() {
            buffer.writeLine(line, in: area.row(i), style: theme[role], alignment: alignment, ellipsis: theme.symbols.ellipsis)
        }
    }
}

/// A bordered box with an optional title in the top edge. Use ``inner(_:)`` for the content area.
public struct Block: Widget, Sendable {
    public var title: String?
    public var borderRole: Role
    public var titleRole: Role

    public init(title: String? = nil, borderRole: Role = .border, titleRole: Role = .title) {
        self.title = title
        self.borderRole = borderRole
        self.titleRole = titleRole
    }

    /// The area inside the border (empty when the box is too small to have an inside).
    public func inner(_ area: Rect) -> Rect { area.inset(1) }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.drawBorder(area, borders: theme.symbols.border, style: theme[borderRole])
        if let title, !title.isEmpty, area.width > 4 {
            let room = Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: 1)
            let text = TextLayout.truncate(title, to: room.width - 2, ellipsis: theme.symbols.ellipsis)
            buffer.writeLine(" \(text) ", in: room, style: theme[titleRole])
        }
    }
}

/// Screen-size guard: the app needs `minimum`; below it, render this notice instead of the UI.
///
/// Draws `Terminal too small: 60x15, need 80x24` centred (word-wrapped when narrow); safe down to 0×0.
public struct TooSmallNotice: Widget, Sendable {
    public var current: Size
    public var minimum: Size

    public init(current: Size, minimum: Size = Size(width: 80, height: 24)) {
        self.current = current
        self.minimum = minimum
    }

    /// `true` when the screen is smaller than the minimum and the notice should be shown.
    public var isNeeded: Bool { !current.fits(minimum) }

    public var message: String { "Terminal too small: \(current), need \(minimum)" }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.clear(area, style: theme[.normal])
        let lines = TextLayout.wrap(message, width: area.width)
        let shown = Array(lines.prefix(area.height))
        let top = area.y + (area.height - shown.count) / 2
        for (i, line) in shown.enumerated() {
            buffer.writeLine(line, in: Rect(x: area.x, y: top + i, width: area.width, height: 1),
                             style: theme[.warning], alignment: .center, ellipsis: theme.symbols.ellipsis)
        }
    }
}
