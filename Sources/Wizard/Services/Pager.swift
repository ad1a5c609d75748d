#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Shows a file in the operator's pager ($PAGER, else less) on the terminal, and waits for it.
/// posix_spawn + waitpid rather than Foundation's Process: with swift-subprocess in the same
/// process, Process.waitUntilExit() was seen to miss a child's exit and wait forever.
enum Pager {
    /// `$PAGER` is set, or `less` is on the PATH.
    static func isAvailable(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        if let pager = environment["PAGER"], !pager.isEmpty { return true }
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/less") }
    }

    static func show(_ path: String) {
        let pager = ProcessInfo.processInfo.environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "less"
        let argv = ["/bin/sh", "-c", "exec \(pager) \"$0\"", path]
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The pager starts with no signal blocked and the keyboard's signals at their defaults.
        var none = sigset_t(), keyboard = sigset_t()
        sigemptyset(&none)
        sigemptyset(&keyboard)
        for s in [SIGINT, SIGQUIT, SIGTSTP, SIGTERM, SIGPIPE, SIGWINCH] { sigaddset(&keyboard, s) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &keyboard)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], nil, &attributes, cArgs, environ) == 0 else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }
}
