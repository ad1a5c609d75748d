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
