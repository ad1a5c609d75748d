@testable import ClusterEngine
import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The pipes a `LiveProcess` reads its output from.
struct OutputPipeTests {
    @Test func bothEndsCloseOnExecAndTheReadEndIsBig() throws {
        let p = try OutputPipe(capacity: 1 << 20)
        defer { p.closeAll() }
        for fd in [p.readEnd, p.writeEnd] { #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0, "fd \(fd) would be inherited") }
        // F_GETPIPE_SZ; 1 MB is the kernel's default limit for unprivileged pipes too.
        #expect(fcntl(p.readEnd, 1032) >= 1 << 20)
    }

    @Test func readsEverythingUntilTheLastWriterCloses() async throws {
        let p = try OutputPipe(capacity: 64 << 10)
        let got = Mutex<[UInt8]>([])
        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let writer = Thread {
            var off = 0
            payload.withUnsafeBytes { raw in
                while off < raw.count { let n = write(p.writeEnd, raw.baseAddress! + off, raw.count - off); if n <= 0 { break }; off += n }
            }
            close(p.writeEnd)
        }
        writer.start()
        await p.read { bytes in got.withLock { $0 += bytes } }
        #expect(got.withLock { $0 } == payload)
    }

    /// A program that cannot start is an error, not a crash or a hang (its pipes are closed).
    @Test func aProgramThatCannotStartThrows() async {
        let handlers = LiveProcess.Handlers(stdout: { _ in }, stderr: { _ in }, exit: { _ in })
        await #expect(throws: (any Error).self) {
            _ = try await LiveProcess.start("/nonexistent/joget-cluster-test", [], label: "missing", handlers: handlers)
        }
    }
}
