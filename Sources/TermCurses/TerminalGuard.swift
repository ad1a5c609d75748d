// Restoring the terminal on exit, on signals and across job-control stops.
//
// Handled signals:
// - SIGINT, SIGTERM, SIGHUP, SIGQUIT: restore the terminal (endwin), call the optional hook, then re-raise with
//   the default action, so the process ends "killed by signal" (shells report 130, 143, 129, 131).
// - SIGTSTP (Ctrl-Z in cbreak mode, or `kill -TSTP`): restore the terminal, stop; after SIGCONT the handler
//   flags a repaint that the next `readEvent` performs (it returns a `.resize` event so the app redraws).
// - SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP (Swift runtime traps and crashes): restore the terminal,
//   put back the handler that was there before (e.g. the Swift backtracer), and let the fault happen again.
// - Normal `exit()` paths: an `atexit` handler restores the terminal.
// - SIGWINCH is left to ncurses, which turns it into KEY_RESIZE.
//
// Calling endwin() from a signal handler is what ncurses itself does; it is not async-signal-safe in theory,
// which is the usual trade-off for leaving the user with a working terminal.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses

/// Process-wide terminal restore state. All members are safe to touch from signal handlers.
public enum TerminalGuard {
    /// 1 while curses owns the terminal.
    nonisolated(unsafe) static var active: Int32 = 0
    /// Set by the SIGTSTP handler after the process was continued; cleared by the backend after repainting.
    nonisolated(unsafe) static var continued: Int32 = 0
    nonisolated(unsafe) static var installed = false
    nonisolated(unsafe) static var previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)

    /// Called (with the signal number) after the terminal is restored and before a terminating signal is re-raised.
    /// It runs inside a signal handler: only async-signal-safe work (e.g. `kill` a child process group, `write` to a pipe).
    nonisolated(unsafe) public static var terminationHook: (@convention(c) (Int32) -> Void)?

    public static let terminatingSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    public static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    /// Ends curses mode if it is on. Idempotent; safe from signal handlers and `atexit`.
    public static func restore() {
        if active != 0 {
            active = 0
            endwin()
        }
    }

    /// Installs the handlers once per process (before curses starts, so ncurses does not install its own).
    static func install() {
        guard !installed else { return }
        installed = true
        atexit { TerminalGuard.restore() }
        for sig in terminatingSignals { setHandler(sig, onTerminatingSignal) }
        for sig in crashSignals { setHandler(sig, onCrashSignal) }
        setHandler(SIGTSTP, onStopSignal)
    }

    typealias Handler = @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void

    static func setHandler(_ sig: Int32, _ handler: Handler) {
        var action = sigaction()
        #if canImport(Darwin)
        action.__sigaction_u.__sa_sigaction = handler
        #else
        action.__sigaction_handler.sa_sigaction = handler
        #endif
        sigemptyset(&action.sa_mask)
        // No SA_RESTART: a blocking read is interrupted so the event loop notices a stop/continue at once.
        action.sa_flags = SA_SIGINFO
        sigaction(sig, &action, previousActions + Int(sig))
    }
}

private func onTerminatingSignal(_ sig: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ ctx: UnsafeMutableRawPointer?) {
    TerminalGuard.restore()
    TerminalGuard.terminationHook?(sig)
    signal(sig, SIG_DFL)
    raise(sig)   // blocked while we are in the handler: delivered with the default action when we return
}

private func onCrashSignal(_ sig: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ ctx: UnsafeMutableRawPointer?) {
    TerminalGuard.restore()
    sigaction(sig, TerminalGuard.previousActions + Int(sig), nil)
    // Sent with kill/raise/abort: send it again to the previous handler. A real fault (si_code > 0)
    // simply happens again when we return, now reaching the previous handler.
    if let info, info.pointee.si_code <= 0 { raise(sig) }
}

private func onStopSignal(_ sig: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ ctx: UnsafeMutableRawPointer?) {
    let wasActive = TerminalGuard.active != 0
    TerminalGuard.restore()
    signal(SIGTSTP, SIG_DFL)
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGTSTP)
    sigprocmask(SIG_UNBLOCK, &set, nil)
    raise(SIGTSTP)                       // stops here until SIGCONT
    TerminalGuard.setHandler(SIGTSTP, onStopSignal)
    if wasActive { TerminalGuard.continued = 1 }
}
