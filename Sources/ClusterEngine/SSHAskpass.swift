import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands an SSH password to `ssh` without argv, environment or disk: `SSH_ASKPASS` points at a tiny
/// script that `cat`s a FIFO in the private runtime directory; this side opens the FIFO for writing
/// only once the script has opened it for reading, writes the password, and removes the FIFO at
/// once. ssh's environment holds only the FIFO's path. Serves the password once.
final class SSHAskpass: @unchecked Sendable {
    let scriptPath: String
    let fifoPath: String
    private let password: String
    private let lock = NSLock()
    private var stopped = false
    private var served = false
    private var thread: Thread? = nil

    init(runtimeDirectory: String, password: String) throws {
        let tag = ProcessSupport.nonce().prefix(8)
        scriptPath = runtimeDirectory + "/ap-\(tag)"
        fifoPath = runtimeDirectory + "/pw-\(tag)"
        self.password = password
        let script = "#!/bin/sh\nexec cat -- \"$JC_ASKPASS_FIFO\"\n"
        guard FileManager.default.createFile(atPath: scriptPath, contents: Data(script.utf8),
                                             attributes: [.posixPermissions: 0o700]) else {
            throw TransportError.authenticationFailed(host: "", detail: "cannot write the askpass helper in \(runtimeDirectory)")
        }
        guard mkfifo(fifoPath, 0o600) == 0 else {
            let e = String(cString: strerror(errno))
            unlink(scriptPath)
            throw TransportError.authenticationFailed(host: "", detail: "cannot create the password FIFO: \(e)")
        }
    }

    /// The variables ssh needs (paths only, never the password).
    var environment: [String: String] {
        ["SSH_ASKPASS": scriptPath, "SSH_ASKPASS_REQUIRE": "force", "JC_ASKPASS_FIFO": fifoPath,
         "DISPLAY": ProcessInfo.processInfo.environment["DISPLAY"] ?? ":0"]
    }

    var hasServed: Bool { lock.withLock { served } }

    /// Starts waiting for the askpass helper, on a thread of its own (polling a non-blocking open).
    func start() {
        let t = Thread { [self] in self.serve() }
        t.name = "jc-askpass"
        lock.withLock { thread = t }
        t.start()
    }

    private func serve() {
        var bytes = Array(password.utf8) + [0x0A]
        defer { for i in bytes.indices { bytes[i] = 0 } }
        while !lock.withLock({ stopped }) {
            let fd = open(fifoPath, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            if fd < 0 {
                if errno == ENXIO { usleep(2000); continue }  // no reader yet
                return
            }
            // A reader is there: the FIFO has done its job, remove it before writing.
            unlink(fifoPath)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            bytes.withUnsafeBytes { raw in
                var off = 0
                while off < raw.count {
                    let n = write(fd, raw.baseAddress! + off, raw.count - off)
                    if n <= 0 { if n < 0 && errno == EINTR { continue }; break }
                    off += n
                }
            }
            close(fd)
            lock.withLock { served = true }
            return
        }
    }

    /// Stops serving and removes the FIFO and the helper script.
    func stop() {
        lock.withLock { stopped = true }
        unlink(fifoPath)
        unlink(scriptPath)
    }

    deinit { stop() }
}
