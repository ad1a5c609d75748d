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
