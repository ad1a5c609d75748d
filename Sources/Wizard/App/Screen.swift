import TermUI

/// What every page shows around its body: a title, the key legend, help.
public protocol PageChrome {
    /// The title shown in the header, e.g. "3 Application servers".
    var title: String { get }
    /// The key legend at the bottom, in order: `[("Enter", "Next"), ("Esc", "Back")]`.
    var legend: [KeyLegend.Item] { get }
    /// Help for what has focus (F1), or nil when there is none.
    var help: String? { get }
}

/// A full-screen page of the wizard. Pages are values held in the app's state: `handle` changes
/// the page and may ask the app for something; `render` is pure. (The setup pages are not
/// `Screen`s: they read the app's setup model as they handle a key or draw, see ``SetupPage``.)
///
/// Keys reach the page first; keys it ignores go to the app (F1 help, F10/q quit, resize).
public protocol Screen: PageChrome {
    mutating func handle(_ key: Key) -> ScreenRequest
    func render(_ area: Rect, into buffer: inout Buffer, theme: Theme)
    /// Called on every tick of the app's loop (about every 100 ms):
    /// advance spinners. Optional: the default does nothing.
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
    /// The Welcome page's choice.
    case welcome(WelcomePage.Option)
    /// Welcome's Enter on another cluster of the state folder: open it.
    case openCluster(path: String)
    /// The review's Enter on a layer: open that setup page (by spec id); Next comes back to the review.
    case edit(setupPage: String)
    /// The review's Install: open the Run page.
    case install
    /// Leave the wizard now, without asking: the page asked already (the Run page's "Stop and quit").
    case exit
    /// Give the terminal to a pager on this log file, then take it back.
    case openLog(path: String)
    /// "Test connection" on the hosts page.
    case testConnection(ConnectionTarget)
    /// The Run page's requests to its runner.
    case run(RunRequest)
    /// Run the page's checks again (Verify, Check for changes).
    case checkAgain
}

/// Which hosts "Test connection" tests.
public enum ConnectionTarget: Equatable, Sendable {
    case all
    case host(index: Int)
}

/// What the Run page asks of its runner.
public enum RunRequest: Equatable, Sendable {
    case retry(step: String)
    case skip(step: String)
    case abort
    /// Stop the runner, then leave the wizard once nothing runs.
    case stopAndQuit
}
