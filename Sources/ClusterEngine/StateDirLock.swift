import Foundation

/// An exclusive hold on a state folder (`flock` on its `.lock` file), so two runs never drive the
/// same cluster at once. Opt-in: a command takes it before building its `Runner` and keeps it for
/// the run; it is released by `release()`, on deinit, or when the process ends (even killed).
public final class StateDirLock: Sendable {
    public let path: String
    private let fd: Int32

    /// Takes the lock, or throws `StateDirLockError.busy` at once when another process (or another
    /// holder in this one) has it.
    public init(_ stateDir: StateDir) throws {
        path = stateDir.path + "/.lock"
        let d = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard d >= 0 else { throw StateDirLockError.cannotOpen(path, String(cString: strerror(errno))) }
        guard flock(d, LOCK_EX | LOCK_NB) == 0 else {
            close(d)
            throw StateDirLockError.busy(stateDir.path)
        }
        // For a person looking: which process holds it.
        ftruncate(d, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { write(d, $0.baseAddress!, $0.count) }
        fd = d
    }

    deinit { close(fd) }   // closing the descriptor releases the lock

    /// Releases now (the lock is released on deinit otherwise).
    public func release() { flock(fd, LOCK_UN) }
}

public enum StateDirLockError: Error, Equatable, CustomStringConvertible {
    case busy(String)
    case cannotOpen(String, String)

    public var description: String {
        switch self {
        case .busy(let p): return "another joget-cluster run is using \(p); wait for it to end (or stop it) and try again"
        case .cannotOpen(let p, let why): return "cannot open \(p): \(why)"
        }
    }
}
