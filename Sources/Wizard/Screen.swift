import TermUI

/// A full-screen page of the wizard. Pages are values held in the app's state: `handle` changes
/// the page and may ask the app for something; `render` is pure.
///
/// Keys reach the page first; keys it ignores go to the app (F1 help, F10/q quit, resize).
public protocol Screen {
    /// The title shown in the header, e.g. "3 Application servers".
    var title: String { get }
    /// The key legend at the bottom, in order: `[("Enter", "Next"), ("Esc", "Back")]`.
    var legend: [KeyLegend.Item] { get }
    /// Help for what has focus (F1), or nil when there is none.
    var help: String? { get }
    mutating func handle(_ key: Key) -> ScreenRequest
    func render(_ area: Rect, into buffer: inout Buffer, theme: Theme)
    /// Called on every tick of the app's loop (about every 100 ms) and after background work wakes it:
    /// take in progress (runner events), advance spinners. Optional: the default does nothing.
    mutating func tick() -> ScreenRequest
}

extension Screen {
    public mutating func tick() -> ScreenRequest { .none }
}

/// What a page asks of the app after a key.
public enum ScreenRequest: Equatable, Sendable {
    case none                 // redraw only
    case ignored              // not for this page: the app may use the key
    case back                 // Esc: previous page, nothing lost
    case next                 // go on in the flow
    case quit                 // asks "Quit? Your answers are kept" first
    case custom(String)       // page-specific, e.g. "retry", "skip", "open-log", "export-md"
}
