// Keys and events.

/// A key press, decoded by the backend.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    /// A printable character (including space).
    case char(Character)
    case enter, tab, backTab, escape, backspace, delete, insert
    case up, down, left, right, home, end, pageUp, pageDown
    /// Function key F1…F12 (`f(1)` is F1).
    case f(Int)
    /// Control plus a letter, lower-case: `ctrl("c")` is Ctrl-C. Tab, Enter and Backspace arrive as their own keys.
    case ctrl(Character)
    /// The terminal changed size (also delivered as ``Event/resize(_:)``).
    case resize

    /// The space bar.
    public static let space = Key.char(" ")

    /// A short name for key legends and help: `Enter`, `Esc`, `F1`, `Ctrl-C`, `PgUp`, `a`.
    public var description: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .insert: return "Ins"
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .f(let n): return "F\(n)"
        case .ctrl(let c): return "Ctrl-\(String(c).uppercased())"
        case .resize: return "Resize"
        }
    }
}

/// Something the app's update function reacts to.
public enum Event: Hashable, Sendable {
    case key(Key)
    /// The terminal now has this size; redraw.
    case resize(Size)
    /// No input arrived within the tick interval (drive spinners, poll progress).
    case tick
}

extension Key {
    /// Decodes one character read from a terminal in cbreak/raw mode: Enter is 10 or 13, Backspace 127 or 8,
    /// Tab 9, Esc 27, other control codes become ``ctrl(_:)``; printable characters become ``char(_:)``.
    /// Returns `nil` for NUL and other characters with no meaning here.
    public static func decode(_ scalar: Unicode.Scalar) -> Key? {
        switch scalar.value {
        case 10, 13: return .enter
        case 9: return .tab
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(scalar.value + 96)!))   // 1 → "a"
        case 28: return .ctrl("\\")
        case 29: return .ctrl("]")
        case 30: return .ctrl("^")
        case 31: return .ctrl("_")
        case 0, 0x80..<0xA0: return nil
        default: return .char(Character(scalar))
        }
    }
}

extension Key {
    /// Decodes the text after an Esc of a common xterm/VT escape sequence that the terminal database did not
    /// know (e.g. F10 as `[21~` under `TERM=vt100`). `body` is everything after the Esc: `"[A"`, `"OP"`, `"[21~"`, `"[1;5C"`.
    /// Returns `nil` when the sequence is not a key this toolkit knows.
    public static func decodeEscapeSequence(_ body: String) -> Key? {
        let chars = Array(body)
        guard chars.count >= 2, let final = chars.last else { return nil }
        if chars[0] == "O" && chars.count == 2 {
            switch final {
            case "P": return .f(1)
            case "Q": return .f(2)
            case "R": return .f(3)
            case "S": return .f(4)
            case "A": return .up
            case "B": return .down
            case "C": return .right
            case "D": return .left
            case "H": return .home
            case "F": return .end
            case "M": return .enter
            default: return nil
            }
        }
        guard chars[0] == "[" else { return nil }
        // Parameters before the final byte; modifiers (";5") are ignored.
        let params = String(chars[1..<(chars.count - 1)])
        let first = params.split(separator: ";").first.flatMap { Int($0) }
        switch final {
        case "A": return .up
        case "B": return .down
        case "C": return .right
        case "D": return .left
        case "H": return .home
        case "F": return .end
        case "Z": return .backTab
        case "P" where first == nil || first == 1: return .f(1)
        case "Q" where first == nil || first == 1: return .f(2)
        case "R" where first == nil || first == 1: return .f(3)
        case "S" where first == nil || first == 1: return .f(4)
        case "~":
            switch first {
            case 1, 7: return .home
            case 4, 8: return .end
            case 2: return .insert
            case 3: return .delete
            case 5: return .pageUp
            case 6: return .pageDown
            case 11: return .f(1)
            case 12: return .f(2)
            case 13: return .f(3)
            case 14: return .f(4)
            case 15: return .f(5)
            case 17, 18, 19, 20, 21: return .f(first! - 11)
            case 23, 24: return .f(first! - 12)
            default: return nil
            }
        default: return nil
        }
    }

    /// `true` for the byte that ends a CSI (`Esc [`) sequence, 0x40…0x7E.
    public static func isEscapeSequenceFinal(_ c: Character, introducer: Character) -> Bool {
        guard let v = c.unicodeScalars.first?.value, c.unicodeScalars.count == 1 else { return true }
        if introducer == "O" { return true }          // SS3: one character after the O
        return v >= 0x40 && v <= 0x7E
    }
}
