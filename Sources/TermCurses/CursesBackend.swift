// A TermUI backend on ncursesw.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses
import TermUI

/// Draws TermUI buffers with ncurses (wide-character build) and reads keys.
///
/// ```swift
/// let backend = try CursesBackend()
/// defer { backend.shutdown() }
/// let terminal = Terminal(backend: backend)
/// ```
/// - Only the cells that changed since the previous frame are sent to ncurses.
/// - The cursor is hidden unless the drawn buffer has a ``Buffer/cursor`` (a focused text field sets it).
/// - Resizes arrive as ``Event/resize(_:)`` with the new size; the next draw repaints everything.
/// - The terminal is restored on ``shutdown()``, on exit, on SIGINT/SIGTERM/SIGHUP/SIGQUIT, on crashes, and
///   around Ctrl-Z (see ``TerminalGuard``). Only one instance may be alive at a time.
public final class CursesBackend: Backend {
    /// How keys reach the program.
    public enum InputMode: Sendable {
        /// Ctrl-C, Ctrl-Z and Ctrl-\ send signals as usual (quit, suspend); everything else is a key.
        case cbreak
        /// Every key, Ctrl-C and Ctrl-Z included, is delivered as a key (`.ctrl("c")`); no keyboard signals.
        case raw
    }

    public struct Options: Sendable {
        public var inputMode: InputMode
        /// Milliseconds ncurses waits after Esc for the rest of an escape sequence (keeps Esc responsive).
        public var escapeDelay: Int32
        /// Use ASCII borders and symbols even on a UTF-8 terminal.
        public var forceASCII: Bool
        /// Do not use colours even when available.
        public var forceMonochrome: Bool

        public init(inputMode: InputMode = .cbreak, escapeDelay: Int32 = 25, forceASCII: Bool = false,
                    forceMonochrome: Bool = false) {
            self.inputMode = inputMode
            self.escapeDelay = escapeDelay
            self.forceASCII = forceASCII
            self.forceMonochrome = forceMonochrome
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case notATerminal
        case cannotInitialize(term: String)
        case alreadyRunning

        public var description: String {
            switch self {
            case .notATerminal: return "standard input and output must be a terminal"
            case .cannotInitialize(let term): return "cannot start the terminal UI (TERM=\(term.isEmpty ? "unset" : term))"
            case .alreadyRunning: return "a terminal UI is already running"
            }
        }
    }

    public private(set) var capabilities: Capabilities
    public let options: Options
    private var previous: Buffer?
    private var cursorVisible: Int32 = -1
    private var useDefaultColors = false
    private var colorsOn = false
    private var pairs: [Int: Int32] = [:]
    private var isShutDown = false
    private var isSuspended = false
    nonisolated(unsafe) private static var instanceAlive = false

    /// Starts curses on the process's terminal.
    public init(options: Options = Options()) throws {
        guard isatty(0) == 1, isatty(1) == 1 else { throw Failure.notATerminal }
        guard !CursesBackend.instanceAlive else { throw Failure.alreadyRunning }
        self.options = options
        setlocale(LC_ALL, "")
        let codeset = jc_codeset().map { String(cString: $0) } ?? ""
        TerminalGuard.install()
        guard jc_newterm() != nil else {
            throw Failure.cannotInitialize(term: CursesBackend.env("TERM") ?? "")
        }
        CursesBackend.instanceAlive = true
        TerminalGuard.active = 1
        switch options.inputMode {
        case .cbreak: cbreak()
        case .raw: raw()
        }
        noecho()
        nonl()
        keypad(jc_stdscr(), true)
        set_escdelay(options.escapeDelay)
        leaveok(jc_stdscr(), false)
        var environment: [String: String] = [:]
        for key in ["TERM", "NO_COLOR", "LC_ALL", "LC_CTYPE", "LANG"] { environment[key] = CursesBackend.env(key) }
        var caps = Capabilities.detect(environment: environment, terminalHasColors: has_colors(),
                                       localeIsUTF8: codeset.uppercased() == "UTF-8")
        if options.forceASCII { caps.unicode = false }
        if options.forceMonochrome { caps.colors = false }
        capabilities = caps
        if caps.colors && start_color() == jc_ok() {
            colorsOn = true
            useDefaultColors = use_default_colors() == jc_ok()
        }
        setCursorVisible(false)
    }

    deinit { shutdown() }

    static func env(_ key: String) -> String? { getenv(key).map { String(cString: $0) } }

    public var size: Size { Size(width: Int(jc_cols()), height: Int(jc_lines())) }

    // MARK: Drawing

    public func draw(_ buffer: Buffer) {
        guard !isShutDown else { return }
        if isSuspended { resume() }
        let full = previous == nil || previous?.size != buffer.size
        if full {
            werase(jc_stdscr())
            clearok(jc_curscr(), true)
        }
        let changes = full ? buffer.diff(from: Buffer(width: 0, height: 0)) : buffer.diff(from: previous!)
        let rows = Int(jc_lines()), cols = Int(jc_cols())
        var wide = [wchar_t](repeating: 0, count: 6)
        for change in changes where !change.cell.isContinuation {
            guard change.y < rows, change.x < cols else { continue }
            let cell = change.cell
            var n = 0
            let scalars = cell.symbol.unicodeScalars
            let joined = scalars.contains { $0.value == 0x200D }
            for s in scalars {
                if n == 4 || (joined && n == 1) { break }
                wide[n] = wchar_t(bitPattern: s.value)
                n += 1
            }
            if n == 0 { wide[0] = 32; n = 1 }
            wide[n] = 0
            _ = jc_put_cell(Int32(change.y), Int32(change.x), wide, attributes(cell.style), colorPair(cell.style))
        }
        if let c = buffer.cursor, c.y < rows, c.x < cols {
            wmove(jc_stdscr(), Int32(c.y), Int32(c.x))
            setCursorVisible(true)
        } else {
            setCursorVisible(false)
        }
        wrefresh(jc_stdscr())
        previous = buffer
    }

    /// Forgets the previous frame so the next ``draw(_:)`` repaints the whole screen (e.g. after Ctrl-L).
    public func invalidate() { previous = nil }

    private func setCursorVisible(_ on: Bool) {
        let want: Int32 = on ? 1 : 0
        if cursorVisible != want {
            curs_set(want)
            cursorVisible = want
        }
    }

    private func attributes(_ style: Style) -> attr_t {
        var a = jc_a_normal()
        if style.attributes.contains(.bold) { a |= jc_a_bold() }
        if style.attributes.contains(.dim) { a |= jc_a_dim() }
        if style.attributes.contains(.reverse) { a |= jc_a_reverse() }
        if style.attributes.contains(.underline) { a |= jc_a_underline() }
        return a
    }

    private func colorPair(_ style: Style) -> Int32 {
        guard colorsOn, style.foreground != .default || style.background != .default else { return 0 }
        let key = (style.foreground.rawValue + 1) * 9 + (style.background.rawValue + 1) + 1
        if let p = pairs[key] { return p }
        guard key < Int(jc_color_pairs()) else { return 0 }
        func curses(_ c: TermUI.Color, fallback: Int16) -> Int16 {
            c == .default ? (useDefaultColors ? -1 : fallback) : Int16(c.rawValue)
        }
        init_pair(Int16(key), curses(style.foreground, fallback: Int16(COLOR_WHITE)),
                  curses(style.background, fallback: Int16(COLOR_BLACK)))
        pairs[key] = Int32(key)
        return Int32(key)
    }

    // MARK: Input

    public func readEvent(timeout: Duration?) -> Event? {
        guard !isShutDown else { return nil }
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while true {
            if TerminalGuard.continued != 0 {
                TerminalGuard.continued = 0
                return resumeAfterStop()
            }
            let ms: Int32
            if let deadline {
                let left = ContinuousClock.now.duration(to: deadline)
                let c = left.components
                ms = Int32(clamping: max(0, c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000))
            } else {
                ms = -1
            }
            wtimeout(jc_stdscr(), ms)
            var ch: wint_t = 0
            let r = jc_get_wch(&ch)
            if r == jc_err() {
                if TerminalGuard.continued != 0 { continue }
                // A terminal that went away (closed window, dropped SSH) answers at once, forever: end
                // as a hangup would, instead of spinning on it.
                if tcgetpgrp(STDIN_FILENO) < 0 && (errno == EIO || errno == ENOTTY || errno == EBADF) { raise(SIGHUP) }
                if let deadline, ContinuousClock.now < deadline { continue }   // interrupted early
                if deadline == nil { continue }
                return nil
            }
            if r == jc_key_code_yes() {
                if Int32(ch) == jc_key_resize() {
                    previous = nil
                    return .resize(size)
                }
                if let key = CursesBackend.functionKey(Int32(ch)) { return .key(key) }
            } else if ch == 27 {
                if let key = readAfterEscape() { return .key(key) }
                continue   // an unknown sequence was swallowed whole
            } else if let scalar = Unicode.Scalar(UInt32(ch)), let key = Key.decode(scalar) {
                return .key(key)
            }
            // An unknown key: keep waiting within the time left.
            if let deadline, ContinuousClock.now >= deadline { return nil }
        }
    }

    /// After a bare Esc: ncurses has already waited `escapeDelay` for a sequence it knows. Whatever follows at
    /// once is either an escape sequence the terminal database lacks (F10 under TERM=vt100 arrives as
    /// `Esc [ 2 1 ~`), decoded with ``Key/decodeEscapeSequence(_:)``, or an Alt+key, which becomes Esc followed by
    /// the key. Returns `nil` for an unknown sequence (dropped rather than typed into a field).
    private func readAfterEscape() -> Key? {
        wtimeout(jc_stdscr(), 0)
        var next: wint_t = 0
        let r = jc_get_wch(&next)
        if r == jc_err() { return .escape }
        if r == jc_key_code_yes() {
            ungetch(Int32(next))
            return .escape
        }
        guard let scalar = Unicode.Scalar(UInt32(next)) else { return .escape }
        let introducer = Character(scalar)
        guard introducer == "[" || introducer == "O" else {
            unget_wch(wchar_t(bitPattern: next))
            return .escape
        }
        var body = String(introducer)
        for _ in 0..<16 {
            var c: wint_t = 0
            guard jc_get_wch(&c) == jc_ok(), let sc = Unicode.Scalar(UInt32(c)) else { break }
            let ch = Character(sc)
            body.append(ch)
            if Key.isEscapeSequenceFinal(ch, introducer: introducer) { break }
        }
        if body == "[" || body == "O" {                    // Esc, then a plain "[" or "O" typed on its own
            unget_wch(wchar_t(bitPattern: next))
            return .escape
        }
        return Key.decodeEscapeSequence(body)
    }

    /// Maps an ncurses key code (from KEY_CODE_YES) to a key.
    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case jc_key_up(): return .up
        case jc_key_down(): return .down
        case jc_key_left(): return .left
        case jc_key_right(): return .right
        case jc_key_home(): return .home
        case jc_key_end(): return .end
        case jc_key_ppage(): return .pageUp
        case jc_key_npage(): return .pageDown
        case jc_key_backspace(): return .backspace
        case jc_key_dc(): return .delete
        case jc_key_ic(): return .insert
        case jc_key_btab(): return .backTab
        case jc_key_enter(): return .enter
        case jc_key_f(1)...jc_key_f(24): return .f(Int(code - jc_key_f(0)))
        default: return nil
        }
    }

    private func resumeAfterStop() -> Event {
        TerminalGuard.active = 1
        previous = nil
        cursorVisible = -1
        clearok(jc_curscr(), true)
        wrefresh(jc_stdscr())
        return .resize(size)
    }

    // MARK: Suspend, resume, shutdown

    /// Leaves curses mode so another program can use the terminal (e.g. an interactive `ssh` password prompt).
    public func suspend() {
        guard !isShutDown, !isSuspended else { return }
        isSuspended = true
        TerminalGuard.restore()
    }

    /// Returns to curses mode after ``suspend()``; the next draw repaints everything.
    public func resume() {
        guard !isShutDown, isSuspended else { return }
        isSuspended = false
        TerminalGuard.active = 1
        previous = nil
        cursorVisible = -1
        clearok(jc_curscr(), true)
        wrefresh(jc_stdscr())
    }

    /// Restores the terminal for good. Idempotent; also done by `deinit`, `exit()` and the signal handlers.
    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        if TerminalGuard.active != 0 {
            // Without an alternate screen the UI would stay on screen under the shell prompt: clear it first.
            if jc_has_alternate_screen() == 0 {
                werase(jc_stdscr())
                wmove(jc_stdscr(), 0, 0)
                wrefresh(jc_stdscr())
            }
            curs_set(1)
        }
        TerminalGuard.restore()
        CursesBackend.instanceAlive = false
    }

    /// Rings the terminal bell.
    public func bell() { beep() }
}
