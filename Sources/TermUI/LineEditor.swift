// Single-line text editing shared by TextField and PasswordField.

/// Which characters a field accepts.
public enum InputFilter: Hashable, Sendable {
    /// Any printable character.
    case any
    /// 0-9 only (ports, counts).
    case digits
    /// Printable characters except spaces (host names, user names, paths).
    case noSpaces

    public func accepts(_ c: Character) -> Bool {
        guard TextWidth.of(c) > 0 else { return false }
        switch self {
        case .any: return true
        case .digits: return c.isASCII && c.isNumber
        case .noSpaces: return !c.isWhitespace
        }
    }
}

/// The editable value of a one-line field: text plus a cursor, with Emacs-like keys.
///
/// Keys: characters insert, Backspace/Delete remove, Left/Right/Home/End move,
/// Ctrl-A/Ctrl-E home/end, Ctrl-U clears to the start, Ctrl-K to the end, Ctrl-W removes a word.
public struct LineEditor: Hashable, Sendable {
    public private(set) var characters: [Character]
    /// Cursor position as a character index, `0...characters.count`.
    public var cursor: Int {
        didSet { cursor = min(max(0, cursor), characters.count) }
    }
    /// At most this many characters (`nil`: no limit).
    public var maxLength: Int?
    public var filter: InputFilter

    public init(_ value: String = "", maxLength: Int? = nil, filter: InputFilter = .any) {
        var chars = Array(value)
        if let maxLength { chars = Array(chars.prefix(max(0, maxLength))) }
        characters = chars
        cursor = chars.count
        self.maxLength = maxLength
        self.filter = filter
    }

    /// The text. Setting it moves the cursor to the end.
    public var value: String {
        get { String(characters) }
        set {
            var chars = Array(newValue)
            if let maxLength { chars = Array(chars.prefix(max(0, maxLength))) }
            characters = chars
            cursor = chars.count
        }
    }

    /// Inserts text at the cursor (filtered, up to the maximum length). Returns `true` if anything was inserted.
    @discardableResult
    public mutating func insert(_ text: String) -> Bool {
        var inserted = false
        for c in text where filter.accepts(c) {
            if let maxLength, characters.count >= maxLength { break }
            characters.insert(c, at: cursor)
            cursor += 1
            inserted = true
        }
        return inserted
    }

    /// Applies an editing key. Returns `true` when the key is an editing key (even if nothing changed,
    /// e.g. Left at the start), `false` for keys the field does not use (Up, Down, Tab, Enter, Esc, F-keys…).
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c):
            guard TextWidth.of(c) > 0 else { return false }
            insert(String(c))
            return true
        case .backspace:
            if cursor > 0 { characters.remove(at: cursor - 1); cursor -= 1 }
            return true
        case .delete:
            if cursor < characters.count { characters.remove(at: cursor) }
            return true
        case .left: cursor -= 1; return true
        case .right: cursor += 1; return true
        case .home, .ctrl("a"): cursor = 0; return true
        case .end, .ctrl("e"): cursor = characters.count; return true
        case .ctrl("u"):
            characters.removeSubrange(0..<cursor); cursor = 0
            return true
        case .ctrl("k"):
            characters.removeSubrange(cursor..<characters.count)
            return true
        case .ctrl("w"):
            var start = cursor
            while start > 0 && characters[start - 1] == " " { start -= 1 }
            while start > 0 && characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<cursor); cursor = start
            return true
        default:
            return false
        }
    }

    /// Draws `shown` (one displayed character per stored character) into a one-row `area`, scrolled so the
    /// cursor is visible, and returns the cursor's screen column.
    static func draw(_ shown: [Character], cursor: Int, in area: Rect, into buffer: inout Buffer, style: Style) -> Int {
        guard !area.isEmpty else { return area.x }
        let widths = shown.map { max(1, TextWidth.of($0)) }
        var cursorColumn = 0
        for w in widths.prefix(cursor) { cursorColumn += w }
        // Keep the cursor inside the area; the last column is reserved for it at the end of the text.
        let start = cursorColumn < area.width ? 0 : cursorColumn - area.width + 1
        var col = 0
        for (i, ch) in shown.enumerated() {
            let w = widths[i]
            defer { col += w }
            if col < start { continue }
            let x = area.x + col - start
            if x + w > area.right { break }
            buffer.write(String(ch), x: x, y: area.y, style: style, clip: area)
        }
        return area.x + cursorColumn - start
    }
}
