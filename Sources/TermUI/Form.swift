// A vertical form of labelled fields with focus movement, errors and scrolling.

/// A line of explanatory text inside a ``Form``; never takes focus.
public struct Note: FormControl, Hashable, Sendable {
    public var label = ""
    public var text: String
    public var role: Role
    public var error: String? = nil
    public var isFocused = false
    public var preferredWidth: Int { TextWidth.of(text) }
    public init(_ text: String, role: Role = .muted) { self.text = text; self.role = role }
    public mutating func handle(_ key: Key) -> Bool { false }
    public func renderControl(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        Paragraph(text, role: role).render(area, into: &buffer, theme: theme)
    }
}

/// A vertical list of labelled fields with aligned labels.
///
/// - Tab/Down move focus to the next field, Shift-Tab/Up to the previous one (after the focused field has had
///   the key: a horizontal ``Choice`` uses Left/Right, a vertical one Up/Down until its ends).
///   At the first/last field the key is not consumed (unless ``wrapsFocus``), so the app can move focus
///   to, say, its ``ButtonRow``.
/// - The focused field has a `>` marker and its label in the focused style (reverse in monochrome).
/// - A field's error is drawn beside it, or under it when there is no room, in the error style.
/// - When the fields do not fit, the form scrolls to keep the focused field visible and shows ▲/▼.
///
/// ```swift
/// var form = Form([
///     .text("host", "Host name", placeholder: "db.example.org"),
///     .text("port", "Port", value: "3306", filter: .digits, width: 8),
///     .password("pass", "Password"),
///     .choice("engine", "Engine", options: ["MySQL", "MariaDB"]),
/// ])
/// form.setError("host", "required")
/// _ = form.handle(.tab)
/// form.value("port")   // "3306"
/// ```
public struct Form: Widget, Hashable, Sendable {
    /// The kinds of field a form holds.
    public enum Control: Hashable, Sendable {
        case text(TextField)
        case password(PasswordField)
        case choice(Choice)
        case note(Note)

        /// The control as the common protocol (for reading and rendering).
        public var base: any FormControl {
            switch self {
            case .text(let c): return c
            case .password(let c): return c
            case .choice(let c): return c
            case .note(let c): return c
            }
        }

        public var isFocusable: Bool { if case .note = self { return false } else { return true } }

        mutating func update(_ body: (inout any FormControl) -> Void) {
            var b = base
            body(&b)
            switch b {
            case let c as TextField: self = .text(c)
            case let c as PasswordField: self = .password(c)
            case let c as Choice: self = .choice(c)
            case let c as Note: self = .note(c)
            default: break
            }
        }
    }

    public struct Field: Hashable, Sendable {
        /// A key for the app to find the field by.
        public var id: String
        public var control: Control

        public init(id: String, _ control: Control) { self.id = id; self.control = control }

        public var label: String { control.base.label }
        public var error: String? {
            get { control.base.error }
            set { control.update { $0.error = newValue } }
        }

        public static func text(_ id: String, _ label: String, value: String = "", placeholder: String = "",
                                maxLength: Int? = nil, filter: InputFilter = .any, width: Int = 32) -> Field {
            Field(id: id, .text(TextField(label: label, value: value, placeholder: placeholder, maxLength: maxLength,
                                          filter: filter, width: width)))
        }
        public static func password(_ id: String, _ label: String, value: String = "", placeholder: String = "",
                                    maxLength: Int? = nil, width: Int = 32) -> Field {
            Field(id: id, .password(PasswordField(label: label, value: value, placeholder: placeholder,
                                                  maxLength: maxLength, width: width)))
        }
        public static func choice(_ id: String, _ label: String, options: [String], selected: Int? = 0,
                                  orientation: Choice.Orientation = .horizontal) -> Field {
            Field(id: id, .choice(Choice(label: label, options: options, selected: selected, orientation: orientation)))
        }
        public static func note(_ text: String, id: String = "", role: Role = .muted) -> Field {
            Field(id: id, .note(Note(text, role: role)))
        }
    }

    public var fields: [Field]
    /// Index of the focused field in ``fields``.
    public var focusIndex: Int
    /// Whether the form has keyboard focus at all (when `false`, no field is drawn focused).
    public var hasFocus: Bool
    /// Tab past the last field goes back to the first (and the other way round).
    public var wrapsFocus: Bool
    /// Enter moves to the next field instead of being left to the app.
    public var enterMovesFocus: Bool
    /// Width of the label column; `nil` fits the longest label.
    public var labelWidth: Int?

    public init(_ fields: [Field], hasFocus: Bool = true, wrapsFocus: Bool = false, enterMovesFocus: Bool = false,
                labelWidth: Int? = nil) {
        self.fields = fields
        self.focusIndex = fields.firstIndex(where: { $0.control.isFocusable }) ?? 0
        self.hasFocus = hasFocus
        self.wrapsFocus = wrapsFocus
        self.enterMovesFocus = enterMovesFocus
        self.labelWidth = labelWidth
    }

    // MARK: Access by id

    public func index(of id: String) -> Int? { fields.firstIndex { $0.id == id } }

    public subscript(id: String) -> Field? {
        get { index(of: id).map { fields[$0] } }
        set {
            guard let i = index(of: id), let newValue else { return }
            fields[i] = newValue
        }
    }

    /// The field's text (text and password fields) or selected option (choices).
    public func value(_ id: String) -> String? {
        guard let f = self[id] else { return nil }
        switch f.control {
        case .text(let c): return c.value
        case .password(let c): return c.value
        case .choice(let c): return c.selectedOption
        case .note: return nil
        }
    }

    /// Sets a text/password field's text, or selects the choice option with that text.
    public mutating func setValue(_ id: String, _ value: String) {
        guard let i = index(of: id) else { return }
        switch fields[i].control {
        case .text(var c): c.value = value; fields[i].control = .text(c)
        case .password(var c): c.value = value; fields[i].control = .password(c)
        case .choice(var c):
            if let k = c.options.firstIndex(of: value) { c.selected = k; c.highlighted = k }
            fields[i].control = .choice(c)
        case .note: break
        }
    }

    /// Sets (or clears, with `nil`) the error shown next to a field.
    public mutating func setError(_ id: String, _ error: String?) {
        guard let i = index(of: id) else { return }
        fields[i].error = error
    }

    public mutating func clearErrors() {
        for i in fields.indices { fields[i].error = nil }
    }

    /// Focuses the first field with an error; returns `false` when there is none.
    @discardableResult
    public mutating func focusFirstError() -> Bool {
        guard let i = fields.firstIndex(where: { ($0.error ?? "").isEmpty == false }) else { return false }
        focusIndex = i
        return true
    }

    /// Focuses a field by id.
    public mutating func focus(_ id: String) {
        if let i = index(of: id), fields[i].control.isFocusable { focusIndex = i }
    }

    public var focusedID: String? { fields.indices.contains(focusIndex) ? fields[focusIndex].id : nil }

    // MARK: Keys

    /// Gives the key to the focused field, then handles focus movement. Returns `true` when consumed.
    public mutating func handle(_ key: Key) -> Bool {
        if fields.indices.contains(focusIndex) {
            var used = false
            fields[focusIndex].control.update { used = $0.handle(key) }
            if used { return true }
        }
        switch key {
        case .tab, .down: return moveFocus(by: 1)
        case .backTab, .up: return moveFocus(by: -1)
        case .enter where enterMovesFocus: return moveFocus(by: 1)
        default: return false
        }
    }

    /// Moves focus to the next (`+1`) or previous (`-1`) focusable field. Returns `false` at an end (unless wrapping).
    @discardableResult
    public mutating func moveFocus(by step: Int) -> Bool {
        guard !fields.isEmpty else { return false }
        var i = focusIndex
        for _ in 0..<fields.count {
            i += step
            if i < 0 || i >= fields.count {
                guard wrapsFocus else { return false }
                i = (i + fields.count) % fields.count
            }
            if fields[i].control.isFocusable { focusIndex = i; return true }
        }
        return false
    }

    // MARK: Layout and rendering

    /// Each field's row offset and height at a given width.
    public func layout(width: Int) -> [(y: Int, height: Int)] {
        let lw = effectiveLabelWidth(width: width)
        var y = 0
        var out: [(Int, Int)] = []
        for f in fields {
            let c = f.control.base
            let h: Int
            if case .note(let n) = f.control {
                h = max(1, TextLayout.wrap(n.text, width: max(1, width - 2)).count)
            } else {
                let probe = FieldLayout.make(in: Rect(x: 0, y: 0, width: max(0, width - 2), height: 2), labelWidth: lw,
                                             inputWidth: c.preferredWidth, error: c.error)
                h = max(1, c.preferredHeight) + (probe.height > 1 ? 1 : 0)
            }
            out.append((y, h))
            y += h
        }
        return out
    }

    func effectiveLabelWidth(width: Int) -> Int {
        let natural = labelWidth ?? ((fields.filter { $0.control.isFocusable }.map { TextWidth.of($0.label) }.max() ?? 0) + 2)
        return min(natural, max(0, (width - 2) / 2))
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty, !fields.isEmpty else { return }
        let rows = layout(width: area.width)
        let total = (rows.last.map { $0.y + $0.height }) ?? 0
        let lw = effectiveLabelWidth(width: area.width)
        // Draw everything into a scratch buffer as tall as the content, then copy the visible window.
        var content = Buffer(width: area.width, height: total)
        let s = theme.symbols
        for (i, f) in fields.enumerated() {
            let focused = hasFocus && i == focusIndex && f.control.isFocusable
            var c = f.control.base
            c.isFocused = focused
            let rowRect = Rect(x: 2, y: rows[i].y, width: max(0, area.width - 2), height: rows[i].height)
            if focused {
                content.write(s.focusMarker, x: 0, y: rowRect.y, style: theme[.focused])
            }
            if case .note = f.control {
                c.renderControl(rowRect, into: &content, theme: theme)
                continue
            }
            // Same probe as `layout(width:)`: two rows decide beside-or-below; below means under the whole input.
            let layout = FieldLayout.make(in: Rect(x: rowRect.x, y: rowRect.y, width: rowRect.width, height: 2),
                                          labelWidth: lw, inputWidth: c.preferredWidth, error: c.error)
            if !c.label.isEmpty {
                content.writeLine(c.label, in: layout.label.inset(right: 1), style: theme[focused ? .focused : .label],
                                  ellipsis: s.ellipsis)
            }
            let inputRect = Rect(x: layout.input.x, y: layout.input.y, width: layout.input.width,
                                 height: max(1, c.preferredHeight))
            c.renderControl(inputRect, into: &content, theme: theme)
            if var e = layout.error, let error = c.error {
                if e.y > rowRect.y { e.y = rowRect.y + max(1, c.preferredHeight) }
                content.writeLine(error, in: e, style: theme[.error], ellipsis: s.ellipsis)
            }
        }
        // Scroll so the focused field is fully visible.
        var top = 0
        if total > area.height, rows.indices.contains(focusIndex) {
            let fb = rows[focusIndex].y + rows[focusIndex].height
            if fb > area.height { top = min(fb - area.height, total - area.height) }
            if rows[focusIndex].y < top { top = rows[focusIndex].y }
        }
        buffer.copy(from: content, source: Rect(x: 0, y: top, width: area.width, height: area.height),
                    to: Position(x: area.x, y: area.y))
        if let c = content.cursor, c.y >= top, c.y < top + area.height {
            buffer.cursor = Position(x: area.x + c.x, y: area.y + c.y - top)
        }
        if total > area.height && area.width >= 3 {
            let x = area.right - 1
            if top > 0 { buffer.write(s.moreAbove, x: x, y: area.y, style: theme[.muted]) }
            if top + area.height < total { buffer.write(s.moreBelow, x: x, y: area.bottom - 1, style: theme[.muted]) }
        }
    }
}

extension Buffer {
    /// Copies the cells of `source` (a rectangle of `other`) so that its top-left lands at `origin`. Clipped to both buffers.
    public mutating func copy(from other: Buffer, source: Rect, to origin: Position) {
        let src = source.intersection(other.area)
        guard !src.isEmpty else { return }
        for y in src.y..<src.bottom {
            for x in src.x..<src.right {
                let cell = other[x, y]
                if cell.isContinuation { continue }
                let tx = origin.x + x - source.x, ty = origin.y + y - source.y
                // A wide cell whose right half would fall outside the copied area is blanked.
                if cell.width == 2 && x + 1 >= src.right {
                    self[tx, ty] = Cell(" ", style: cell.style)
                } else {
                    self[tx, ty] = cell
                }
            }
        }
    }
}
