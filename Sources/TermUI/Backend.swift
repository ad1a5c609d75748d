// The screen abstraction: a real terminal (TermCurses) or an in-memory one (HeadlessScreen).

/// A place a ``Buffer`` can be drawn and from which events are read.
public protocol Backend: AnyObject {
    /// The current screen size in cells.
    var size: Size { get }
    /// What the screen can show; use ``Theme/make(for:)`` to get a matching theme.
    var capabilities: Capabilities { get }
    /// Shows `buffer`, drawing only the cells that changed since the previous call.
    /// Places the cursor at `buffer.cursor` or hides it when that is `nil`.
    func draw(_ buffer: Buffer)
    /// The next event, waiting at most `timeout` (`nil` waits forever). Returns `nil` when the time ran out.
    func readEvent(timeout: Duration?) -> Event?
    /// Gives the terminal back (e.g. before running an interactive child process).
    func suspend()
    /// Takes the terminal again after ``suspend()``; the next draw repaints everything.
    func resume()
}

/// A convenience wrapper around a ``Backend``: builds a frame of the right size, draws it, reads events.
///
/// A typical loop, with the app's pure `update` returning effects:
/// ```swift
/// let terminal = Terminal(backend: try CursesBackend())
/// var state = AppState()
/// while !state.done {
///     terminal.draw { buffer in view(state, into: &buffer, theme: terminal.theme) }
///     let event = terminal.nextEvent(tick: .milliseconds(100))
///     let effects = update(&state, event)
///     run(effects)
/// }
/// ```
public final class Terminal {
    public let backend: any Backend
    /// The theme picked from the backend's capabilities (can be replaced).
    public var theme: Theme
    /// The last frame drawn.
    public private(set) var lastFrame: Buffer?

    public init(backend: any Backend, theme: Theme? = nil) {
        self.backend = backend
        self.theme = theme ?? Theme.make(for: backend.capabilities)
    }

    public var size: Size { backend.size }

    /// Renders a fresh frame of the current size with `body`, then draws it.
    @discardableResult
    public func draw(_ body: (inout Buffer) -> Void) -> Buffer {
        var buffer = Buffer(size: backend.size)
        body(&buffer)
        backend.draw(buffer)
        lastFrame = buffer
        return buffer
    }

    /// Waits for the next event; returns ``Event/tick`` when `tick` elapses first (`nil` waits forever).
    public func nextEvent(tick: Duration?) -> Event {
        while true {
            if let e = backend.readEvent(timeout: tick) { return e }
            if tick != nil { return .tick }
        }
    }
}

/// An in-memory ``Backend`` for tests: it has a size, remembers what was drawn, and replays scripted events.
public final class HeadlessScreen: Backend {
    public private(set) var size: Size
    public var capabilities: Capabilities
    /// The last buffer passed to ``draw(_:)``.
    public private(set) var lastBuffer: Buffer?
    /// How many cells the last ``draw(_:)`` changed (for checking the diff).
    public private(set) var lastChangeCount = 0
    /// How many frames were drawn.
    public private(set) var drawCount = 0
    public private(set) var isSuspended = false
    /// Events still to be returned by ``readEvent(timeout:)``, first first.
    public var pendingEvents: [Event] = []
    /// What the screen shows: cell by cell, as a terminal would after all draws so far.
    public private(set) var screen: Buffer

    public init(width: Int = 80, height: Int = 24, capabilities: Capabilities = Capabilities(colors: true, unicode: true)) {
        size = Size(width: width, height: height)
        self.capabilities = capabilities
        screen = Buffer(width: width, height: height)
    }

    public func draw(_ buffer: Buffer) {
        let changes: [CellChange]
        if let last = lastBuffer, last.size == buffer.size, screen.size == buffer.size {
            changes = buffer.diff(from: last)
        } else {
            screen = Buffer(size: buffer.size)
            changes = buffer.diff(from: Buffer(width: 0, height: 0))
        }
        for change in changes where !change.cell.isContinuation { screen[change.x, change.y] = change.cell }
        screen.cursor = buffer.cursor
        lastChangeCount = changes.count
        lastBuffer = buffer
        drawCount += 1
    }

    /// Set when a read found no scripted events left.
    public private(set) var ranOutOfEvents = false

    /// Returns the next scripted event. With none left it returns `nil` (as on a timeout), or `.tick` for a
    /// blocking read (`timeout: nil`), since no input can ever arrive; ``ranOutOfEvents`` is then set.
    public func readEvent(timeout: Duration?) -> Event? {
        if !pendingEvents.isEmpty { return pendingEvents.removeFirst() }
        ranOutOfEvents = true
        return timeout == nil ? .tick : nil
    }

    /// Queues key presses.
    public func send(_ keys: Key...) { pendingEvents.append(contentsOf: keys.map { .key($0) }) }

    /// Queues every character of `text` as a key press.
    public func type(_ text: String) { pendingEvents.append(contentsOf: text.map { .key(.char($0)) }) }

    /// Changes the size and queues the resize event, as a terminal would.
    public func resize(width: Int, height: Int) {
        size = Size(width: width, height: height)
        pendingEvents.append(.resize(size))
    }

    public func suspend() { isSuspended = true }
    public func resume() { isSuspended = false; lastBuffer = nil }

    /// The lines currently on screen (trailing spaces trimmed).
    public var lines: [String] { screen.lines() }
}
