// Starting programs from tests with posix_spawn and waitpid.
//
// Foundation's `Process` is not used: in a test binary that also runs swift-subprocess, its
// `waitUntilExit()` was seen to wait forever for a child that had already exited (a zombie
// nobody reaped), which hung CI. waitpid on the child's own pid cannot miss its exit.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

public enum Program {
    public struct Result: Sendable {
        public let status: Int32
        public let output: String
        public let errors: String
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public let program: String
        public let errno: Int32
        public var description: String { "cannot start \(program): \(String(cString: strerror(errno)))" }
    }

    /// Runs `argv` to its end and returns its exit status (128 + signal when killed) and output.
    /// `input` is its stdin (else /dev/null); `mergeErrors` sends stderr into `output`.
    public static func run(_ argv: [String], input: String? = nil, environment: [String: String]? = nil,
                           directory: String? = nil, mergeErrors: Bool = false) -> Result {
        let scratch = NSTemporaryDirectory() + "program-\(getpid())-\(UUID().uuidString.prefix(8))"
        defer {
            for suffix in [".in", ".out", ".err"] { unlink(scratch + suffix) }
        }
        _ = FileManager.default.createFile(atPath: scratch + ".in", contents: Data((input ?? "").utf8))
        let inFD = open(scratch + ".in", O_RDONLY | O_CLOEXEC)
        let outFD = open(scratch + ".out", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let errFD = mergeErrors ? outFD : open(scratch + ".err", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer {
            close(inFD); close(outFD)
            if !mergeErrors { close(errFD) }
        }
        var command = argv
        if let directory { command = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + argv }
        let pid: pid_t
        do {
            pid = try spawn(command, environment: environment, stdin: inFD, stdout: outFD, stderr: errFD)
        } catch {
            return Result(status: 127, output: "", errors: "\(error)")
        }
        let status = wait(pid)
        func read(_ suffix: String) -> String {
            (try? String(contentsOfFile: scratch + suffix, encoding: .utf8))
                ?? String(decoding: FileManager.default.contents(atPath: scratch + suffix) ?? Data(), as: UTF8.self)
        }
        return Result(status: status, output: read(".out"), errors: mergeErrors ? "" : read(".err"))
    }

    /// Starts `argv` (searched in PATH when it has no slash) with the given descriptors as its
    /// stdin/stdout/stderr (nil: /dev/null). Every other descriptor of the test process is closed in
    /// the child, so no child keeps another's pipe open. `newProcessGroup` makes kill(-pid) end all of it.
    public static func spawn(_ argv: [String], environment: [String: String]? = nil,
                             stdin: Int32? = nil, stdout: Int32? = nil, stderr: Int32? = nil,
                             newProcessGroup: Bool = false) throws -> pid_t {
        precondition(!argv.isEmpty)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, target) in [(stdin, Int32(0)), (stdout, 1), (stderr, 2)] {
            if let fd {
                posix_spawn_file_actions_adddup2(&actions, fd, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            }
        }
        if let closeFrom = closeFromAction { _ = closeFrom(&actions, 3) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A test binary may have signals blocked or ignored; the child starts with defaults.
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup($0) } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0], &actions, &attributes, cArgs, cEnv)
        guard rc == 0 else { throw SpawnError(program: argv[0], errno: rc) }
        return pid
    }

    /// Waits for `pid` to end: its exit status, or 128 + the signal that ended it.
    @discardableResult
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Whether `pid` has ended, without waiting; reaps it when it has.
    public static func hasEnded(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        let rc = waitpid(pid, &status, WNOHANG)
        return rc == pid || (rc == -1 && errno == ECHILD)
    }

    /// A pipe whose two ends are closed on exec (a child gets one only through `spawn`).
    public static func pipe() -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        _ = Glibc.pipe(&fds)
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), which its Swift module does not show.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFromAction: CloseFrom? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()
}
