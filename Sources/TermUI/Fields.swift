// Labelled input fields: TextField, PasswordField, Choice.

/// A focusable input with a label and an optional error, as used by ``Form``.
///
/// Each control draws its input part with ``renderControl(_:into:theme:)``; the label and error are
/// placed around it by ``FieldLayout`` (standalone ``Widget/render(_:into:theme:)``) or by ``Form``.
public protocol FormControl: Widget {
    var label: String { get set }
    /// An error shown next to (or under) the field in the error style; `nil` for none.
    var error: String? { get set }
    /// A focused control shows a cursor or highlight; the form sets this.
    var isFocused: Bool { get set }
    /// Columns the input part would like (the layout may give less).
    var preferredWidth: Int { get }
    /// Rows the input part would like (1 for most controls).
    var preferredHeight: Int { get }
    /// Applies a key; `true` when it was used (so the form does not move focus on it).
    mutating func handle(_ key: Key) -> Bool
    /// Draws only the input part (no label, no error) into a one-row area.
    func renderControl(_ area: Rect, into buffer: inout Buffer, theme: Theme)
}

/// Where the label, input and error of one field go.
public struct FieldLayout: Hashable, Sendable {
    public var label: Rect
    public var input: Rect
    /// `nil` when there is no error or no room for it.
    public var error: Rect?
    /// Rows used: 1, or 2 when the error sits under the input.
    public var height: Int

    /// Lays out a field in `area`: label column of `labelWidth`, input up to `inputWidth`,
    /// error beside the input when it fits, else on the next row under the input (if `area` has two rows).
    public static func make(in area: Rect, labelWidth: Int, inputWidth: Int, error: String?) -> FieldLayout {
        let lw = min(max(0, labelWidth), area.width)
        let label = Rect(x: area.x, y: area.y, width: lw, height: min(1, area.height))
        let inputX = area.x + lw
        let iw = min(max(0, inputWidth), area.right - inputX)
        let input = Rect(x: inputX, y: area.y, width: iw, height: min(1, area.height))
        guard let error, !error.isEmpty, !area.isEmpty else {
            return FieldLayout(label: label, input: input, error: nil, height: area.isEmpty ? 0 : 1)
        }
        let besideRoom = area.right - input.right - 2
        let ew = TextWidth.of(error)
        if besideRoom >= min(ew, 14) && besideRoom > 0 {
            return FieldLayout(label: label, input: input,
                               error: Rect(x: input.right + 2, y: area.y, width: besideRoom, height: 1), height: 1)
        }
        if area.height >= 2 {
            let x = min(inputX, max(area.x, area.right - ew))
            return FieldLayout(label: label, input: input,
                               error: Rect(x: x, y: area.y + 1, width: area.right - x, height: 1), height: 2)
        }
        return FieldLayout(label: label, input: input,
                           error: besideRoom > 0 ? Rect(x: input.right + 2, y: area.y, width: besideRoom, height: 1) : nil,
                           height: 1)
    }
}

extension FormControl {
    public var preferredHeight: Int { 1 }

    /// Draws label, input and error into `area`. `labelWidth` defaults to the label's width plus one space.
    public func renderField(_ area: Rect, into buffer: inout Buffer, theme: Theme, labelWidth: Int? = nil) {
        guard !area.isEmpty else { return }
        let lw = labelWidth ?? (label.isEmpty ? 0 : TextWidth.of(label) + 1)
        let layout = FieldLayout.make(in: area, labelWidth: lw, inputWidth: preferredWidth, error: error)
        if !label.isEmpty {
            buffer.writeLine(label, in: layout.label.inset(right: 1), style: theme[isFocused ? .focused : .label],
                             ellipsis: theme.symbols.ellipsis)
        }
        renderControl(layout.input, into: &buffer, theme: theme)
        if let e = layout.error, let error {
            buffer.writeLine(error, in: e, style: theme[.error], ellipsis: theme.symbols.ellipsis)
        }
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        renderField(area, into: &buffer, theme: theme)
    }
}

/// Draws the `[text   ]` input box shared by text and password fields and places the cursor when focused.
func drawInputBox(_ shown: [Character], cursor: Int, placeholder: String, focused: Bool,
                  in area: Rect, into buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty else { return }
    let inner: Rect
    if area.width >= 3 {
        let bracket = theme[focused ? .focused : .muted]
        buffer.write("[", x: area.x, y: area.y, style: bracket, clip: area)
        buffer.write("]", x: area.right - 1, y: area.y, style: bracket, clip: area)
        inner = area.inset(left: 1, right: 1)
    } else {
        inner = area
    }
    buffer.fill(inner, style: theme[.input])
    if shown.isEmpty && !placeholder.isEmpty {
        // Dim and not underlined like typed text, so that it never reads as a value (NO_COLOR too).
        buffer.writeLine(placeholder, in: inner, style: theme[.muted],
                         ellipsis: theme.symbols.ellipsis)
    }
    let cursorX = LineEditor.draw(shown, cursor: cursor, in: inner, into: &buffer, style: theme[.input])
    if focused, inner.width > 0 {
        buffer.cursor = Position(x: min(cursorX, inner.right - 1), y: inner.y)
    }
}

/// A one-line text input with a label, placeholder, maximum length and error message.
///
/// ```swift
/// var host = TextField(label: "Host", placeholder: "db.example.org", maxLength: 253)
/// _ = host.handle(.char("a"))   // true: consumed
/// host.value                    // "a"
/// ```
/// When focused it sets ``Buffer/cursor`` so the backend shows the terminal cursor there.
public struct TextField: FormControl, Hashable, Sendable {
    public var label: String
    public var editor: LineEditor
    public var placeholder: String
    public var error: String?
    public var isFocused: Bool
    /// Columns for the input box including its brackets.
    public var preferredWidth: Int

    public init(label: String = "", value: String = "", placeholder: String = "", maxLength: Int? = nil,
                filter: InputFilter = .any, width: Int = 32, error: String? = nil, isFocused: Bool = false) {
        self.label = label
        self.editor = LineEditor(value, maxLength: maxLength, filter: filter)
        self.placeholder = placeholder
        self.error = error
        self.isFocused = isFocused
        self.preferredWidth = width
    }

    /// The text; setting it moves the cursor to the end.
    public var value: String {
        get { editor.value }
        set { editor.value = newValue }
    }

    /// The cursor as a character index.
    public var cursor: Int {
        get { editor.cursor }
        set { editor.cursor = newValue }
    }

    public var maxLength: Int? {
        get { editor.maxLength }
        set { editor.maxLength = newValue }
    }

    /// Applies an editing key (see ``LineEditor``); returns `true` when consumed.
    public mutating func handle(_ key: Key) -> Bool { editor.handle(key) }

    public func renderControl(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        drawInputBox(editor.characters, cursor: editor.cursor, placeholder: placeholder, focused: isFocused,
                     in: area, into: &buffer, theme: theme)
    }
}

/// A text input that never draws its value: one mask character (`•`, or `*` in ASCII mode) per character.
///
/// Set ``revealKey`` (default F2) to let the user toggle showing the value.
public struct PasswordField: FormControl, Hashable, Sendable {
    public var label: String
    public var editor: LineEditor
    public var placeholder: String
    public var error: String?
    public var isFocused: Bool
    public var preferredWidth: Int
    /// When `true` the value is shown in clear text.
    public var isRevealed: Bool
    /// The key that toggles ``isRevealed``; `nil` disables revealing.
    public var revealKey: Key?

    public init(label: String = "", value: String = "", placeholder: String = "", maxLength: Int? = nil,
                width: Int = 32, revealKey: Key? = .f(2), error: String? = nil, isFocused: Bool = false) {
        self.label = label
        self.editor = LineEditor(value, maxLength: maxLength)
        self.placeholder = placeholder
        self.error = error
        self.isFocused = isFocused
        self.preferredWidth = width
        self.isRevealed = false
        self.revealKey = revealKey
    }

    public var value: String {
        get { editor.value }
        set { editor.value = newValue }
    }

    public var cursor: Int {
        get { editor.cursor }
        set { editor.cursor = newValue }
    }

    /// Editing keys as for ``TextField``, plus ``revealKey``. Ctrl-W removes everything before the cursor
    /// (word boundaries would leak where the spaces are).
    public mutating func handle(_ key: Key) -> Bool {
        if let revealKey, key == revealKey { isRevealed.toggle(); return true }
        if key == .ctrl("w") { return editor.handle(.ctrl("u")) }
        return editor.handle(key)
    }

    public func renderControl(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        let shown = isRevealed ? editor.characters
                               : Array(repeating: theme.symbols.passwordMask, count: editor.characters.count)
        drawInputBox(shown, cursor: editor.cursor, placeholder: placeholder, focused: isFocused,
                     in: area, into: &buffer, theme: theme)
    }
}

/// A radio-style choice among a few options: `(•) MySQL  ( ) PostgreSQL`.
///
/// Horizontal choices use Left/Right, vertical ones Up/Down; by default moving also selects.
/// Space selects the highlighted option. At the first/last option the move key is not consumed,
/// so a ``Form`` can move focus on.
public struct Choice: FormControl, Hashable, Sendable {
    public enum Orientation: Hashable, Sendable { case horizontal, vertical }

    public var label: String
    public var options: [String]
    /// The chosen option index (`nil`: none yet).
    public var selected: Int?
    /// The option the keyboard is on.
    public var highlighted: Int
    public var orientation: Orientation
    /// When `true` (default), moving the highlight also selects.
    public var selectsOnMove: Bool
    public var error: String?
    public var isFocused: Bool

    public init(label: String = "", options: [String], selected: Int? = 0, orientation: Orientation = .horizontal,
                selectsOnMove: Bool = true, error: String? = nil, isFocused: Bool = false) {
        self.label = label
        self.options = options
        let sel = selected.flatMap { options.indices.contains($0) ? $0 : nil }
        self.selected = sel
        self.highlighted = sel ?? 0
        self.orientation = orientation
        self.selectsOnMove = selectsOnMove
        self.error = error
        self.isFocused = isFocused
    }

    /// The selected option's text.
    public var selectedOption: String? { selected.map { options[$0] } }

    public var preferredWidth: Int {
        switch orientation {
        case .horizontal: return options.reduce(0) { $0 + TextWidth.of($1) + 6 } - (options.isEmpty ? 0 : 2)
        case .vertical: return (options.map { TextWidth.of($0) }.max() ?? 0) + 4
        }
    }

    /// Rows needed (vertical choices take one row per option).
    public var preferredHeight: Int { orientation == .vertical ? max(1, options.count) : 1 }

    public mutating func handle(_ key: Key) -> Bool {
        guard !options.isEmpty else { return false }
        let back: Key = orientation == .horizontal ? .left : .up
        let forward: Key = orientation == .horizontal ? .right : .down
        switch key {
        case back where highlighted > 0:
            highlighted -= 1
            if selectsOnMove { selected = highlighted }
            return true
        case forward where highlighted < options.count - 1:
            highlighted += 1
            if selectsOnMove { selected = highlighted }
            return true
        case .home:
            highlighted = 0
            if selectsOnMove { selected = highlighted }
            return true
        case .end:
            highlighted = options.count - 1
            if selectsOnMove { selected = highlighted }
            return true
        case .space:
            selected = highlighted
            return true
        default:
            return false
        }
    }

    public func renderControl(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty, !options.isEmpty else { return }
        let s = theme.symbols
        func spans(_ i: Int) -> [Span] {
            let mark = selected == i ? s.radioOn : s.radioOff
            let style = isFocused && i == highlighted ? theme[.focused] : theme[selected == i ? .normal : .muted]
            return [Span(mark + " ", style: theme[.normal]), Span(options[i], style: style)]
        }
        switch orientation {
        case .horizontal:
            var line: [Span] = []
            for i in options.indices {
                if i > 0 { line.append(Span("  ")) }
                line += spans(i)
            }
            buffer.writeLine(line, in: area.row(0), ellipsis: s.ellipsis)
        case .vertical:
            let h = area.height
            let top = highlighted >= h ? highlighted - h + 1 : 0
            for row in 0..<min(h, options.count - top) {
                buffer.writeLine(spans(top + row), in: area.row(row), ellipsis: s.ellipsis)
            }
        }
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        let lw = label.isEmpty ? 0 : TextWidth.of(label) + 1
        if orientation == .vertical {
            if !label.isEmpty {
                buffer.writeLine(label, in: Rect(x: area.x, y: area.y, width: lw - 1, height: 1),
                                 style: theme[isFocused ? .focused : .label], ellipsis: theme.symbols.ellipsis)
            }
            var rows = min(area.height, preferredHeight)
            var errorRow: Rect?
            if let error, !error.isEmpty, area.height > rows { errorRow = Rect(x: area.x + lw, y: area.y + rows, width: area.width - lw, height: 1) }
            else if error != nil, rows > 1 { rows -= 1; errorRow = Rect(x: area.x + lw, y: area.y + rows, width: area.width - lw, height: 1) }
            renderControl(Rect(x: area.x + lw, y: area.y, width: area.width - lw, height: rows), into: &buffer, theme: theme)
            if let errorRow, let error { buffer.writeLine(error, in: errorRow, style: theme[.error], ellipsis: theme.symbols.ellipsis) }
        } else {
            renderField(area, into: &buffer, theme: theme)
        }
    }
}
