@testable import ClusterEngine
import Foundation
import Glibc
import Synchronization
import TestSupport

/// A minimal real transport for tests only: each script runs in a fresh `/bin/sh` (its own process
/// group, fed the script on stdin), killed with its process group on timeout or cancellation. The project's
/// `LocalTransport` is the real one; this only lets the runner be tested against real processes.
struct ShellTestTransport: Transport {
    let hostName: String

    func connect() async throws {}

    func run(_ script: String, timeout: Duration, onLine: @escaping @Sendable (OutputLine) -> Void) async -> CommandResult {
        let input = Program.pipe(), output = Program.pipe(), errors = Program.pipe()
        let pid: pid_t
        do {
            // A process group of its own: kill(-pid) ends the shell and all it started.
            pid = try Program.spawn(["/bin/sh", "-s"], stdin: input.read, stdout: output.write, stderr: errors.write,
                                    newProcessGroup: true)
        } catch {
            for fd in [input.read, input.write, output.read, output.write, errors.read, errors.write] { Glibc.close(fd) }
            return .connectionLost("\(error)")
        }
        for fd in [input.read, output.write, errors.write] { Glibc.close(fd) }
        let readers = [LineSplitter(.stdout, onLine), LineSplitter(.stderr, onLine)]
        let drained = Mutex(0)
        let exited = Mutex<Int32?>(nil)
        // Blocking reads on their own threads.
        for (fd, reader) in zip([output.read, errors.read], readers) {
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            Thread.detachNewThread {
                while let data = try? handle.read(upToCount: 65536), !data.isEmpty { reader.feed(data) }
                reader.finish()
                try? handle.close()
                drained.withLock { $0 += 1 }
            }
        }
        FileHandle(fileDescriptor: input.write, closeOnDealloc: false).write(Data(script.utf8))
        Glibc.close(input.write)
        Thread.detachNewThread {
            let status = Program.wait(pid)
            exited.withLock { $0 = status }
        }

        let deadline = ContinuousClock.now + timeout
        var result: CommandResult? = nil
        await withTaskCancellationHandler {
            // Poll: both pipes drained and the process gone, the deadline, or cancellation.
            while true {
                if Task.isCancelled { result = .cancelled; break }
                if drained.withLock({ $0 }) == 2, let status = exited.withLock({ $0 }) {
                    result = .exited(status); break
                }
                if ContinuousClock.now >= deadline { result = .timedOut; break }
                try? await Task.sleep(for: .milliseconds(5))
            }
        } onCancel: {
            kill(-pid, SIGKILL)
        }
        if result != nil, case .exited = result! {} else {
            kill(-pid, SIGKILL)
        }
        return result ?? .cancelled
    }

    func upload(localPath: String, remotePath: String, mode: Int) async throws -> UploadOutcome {
        try? FileManager.default.removeItem(atPath: remotePath)
        try FileManager.default.copyItem(atPath: localPath, toPath: remotePath)
        chmod(remotePath, mode_t(mode))
        let size = try FileManager.default.attributesOfItem(atPath: remotePath)[.size] as? Int64 ?? 0
        return .sent(bytes: size)
    }

    func download(remotePath: String, localPath: String) async throws {
        try? FileManager.default.removeItem(atPath: localPath)
        try FileManager.default.copyItem(atPath: remotePath, toPath: localPath)
    }

    func close() async {}
}

/// Splits bytes into lines as they come; the last partial line is delivered at the end.
final class LineSplitter: Sendable {
    let stream: OutputLine.Stream
    let onLine: @Sendable (OutputLine) -> Void
    private let pending = Mutex<[UInt8]>([])
    init(_ stream: OutputLine.Stream, _ onLine: @escaping @Sendable (OutputLine) -> Void) { self.stream = stream; self.onLine = onLine }

    func feed(_ data: Data) {
        let lines = pending.withLock { buffer -> [String] in
            buffer += data
            var out: [String] = []
            while let nl = buffer.firstIndex(of: 0x0A) {
                out.append(String(decoding: buffer[..<nl], as: UTF8.self))
                buffer.removeSubrange(...nl)
            }
            return out
        }
        for l in lines { onLine(OutputLine(stream: stream, text: l)) }
    }

    func finish() {
        let rest = pending.withLock { b -> [UInt8] in defer { b.removeAll() }; return b }
        if !rest.isEmpty { onLine(OutputLine(stream: stream, text: String(decoding: rest, as: UTF8.self))) }
    }
}
