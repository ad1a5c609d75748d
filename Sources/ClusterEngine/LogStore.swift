import ClusterCore
import Foundation
import Synchronization

/// The full output of every step, in `logs/<host>/<step-id>.log` (0600 files in 0700 folders,
/// appended across retries with a header per attempt). Everything given to it must already be
/// sanitised and redacted. The log panes keep their own recent lines (the Run page's events).
public final class LogStore: Sendable {
    public let stateDir: StateDir

    private struct State {
        var files: [String: Int32] = [:]     // open log file per "host\0step"
        var failures: [String] = []          // write errors, reported once each
    }
    private let state: Mutex<State>

    public init(stateDir: StateDir) {
        self.stateDir = stateDir
        state = Mutex(State())
    }

    deinit { state.withLock { for fd in $0.files.values { close(fd) } } }

    /// Starts an attempt: opens (creating) the step's log and writes a header line.
    public func beginAttempt(stepID: String, host: String, attempt: Int, time: Date = Date()) {
        let header = "===== \(stepID) on \(host), attempt \(attempt), \(JournalTime.format(time)) ====="
        write(host: host, stepID: stepID, mark: [], text: header)
    }

    /// A phase header (`--- apply ---`).
    public func phase(stepID: String, host: String, _ phase: StepPhase) {
        write(host: host, stepID: stepID, mark: [], text: "--- \(phase.rawValue) ---")
    }

    /// A line the runner writes itself (a failure reason, "check passed"...).
    public func note(stepID: String, host: String, _ text: String) {
        write(host: host, stepID: stepID, mark: [], text: text)
    }

    /// One output line (sanitised and redacted by the caller).
    public func append(stepID: String, host: String, stream: OutputLine.Stream, text: String) {
        write(host: host, stepID: stepID, mark: stream == .stderr ? LogStore.stderrMark : LogStore.stdoutMark, text: text)
    }

    /// Output lines of one step (sanitised and redacted by the caller), in order, with one write.
    public func append(stepID: String, host: String, lines: [OutputLine]) {
        guard !lines.isEmpty else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.text.utf8.count + 3 })
        for line in lines {
            bytes.append(contentsOf: line.stream == .stderr ? LogStore.stderrMark : LogStore.stdoutMark)
            bytes.append(contentsOf: line.text.utf8)
            bytes.append(0x0A)
        }
        store(stepID: stepID, host: host, bytes)
    }

    /// A batch of a step's output (cleaned by the runner), in the form it already holds, with one write.
    public func append(_ batch: OutputBatch) {
        guard !batch.isEmpty else { return }
        batch.logSlice.withUnsafeBufferPointer { store(stepID: batch.stepID, host: batch.host, $0) }
    }

    /// Closes the step's log file; the next attempt reopens it. Not fsynced: the journal is the
    /// durable record of what ran, and waiting for the disk here held up the end of every step by
    /// as long as its log took to flush (about 0.1 s for a step that printed 100 MB).
    public func endAttempt(stepID: String, host: String) {
        state.withLock { s in
            if let fd = s.files.removeValue(forKey: host + "\u{0}" + stepID) { close(fd) }
        }
    }

    /// Write errors so far (a full disk must not stop a run, but must be told).
    public var failures: [String] { state.withLock { $0.failures } }

    /// The full log of a step, from disk.
    public func fullText(host: String, stepID: String) -> String? {
        try? String(contentsOfFile: stateDir.logPath(host: host, stepID: stepID), encoding: .utf8)
    }

    // MARK: -

    private static let stdoutMark = OutputBatch.stdoutMark
    private static let stderrMark = OutputBatch.stderrMark

    /// One line: `mark` (stdout, stderr, or none for the runner's own lines), the text, a newline.
    private func write(host: String, stepID: String, mark: [UInt8], text: String) {
        store(stepID: stepID, host: host, mark + Array(text.utf8) + [0x0A])
    }

    private func store(stepID: String, host: String, _ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { store(stepID: stepID, host: host, $0) }
    }

    /// Appends the bytes to the step's log file, under one lock.
    private func store(stepID: String, host: String, _ bytes: UnsafeBufferPointer<UInt8>) {
        state.withLock { s in
            let key = host + "\u{0}" + stepID
            var fd = s.files[key] ?? -1
            if fd < 0 {
                let path = stateDir.logPath(host: host, stepID: stepID)
                do {
                    try StateDir.makePrivateDirectory(stateDir.logsPath)
                    try StateDir.makePrivateDirectory((path as NSString).deletingLastPathComponent)
                } catch {
                    report(&s, "\(path): \(error)")
                    return
                }
                fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
                guard fd >= 0 else { report(&s, "\(path): \(String(cString: strerror(errno)))"); return }
                fchmod(fd, 0o600)
                s.files[key] = fd
            }
            do {
                let raw = UnsafeRawBufferPointer(bytes)
                var offset = 0
                while offset < raw.count {
                    let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { report(&s, "\(stateDir.logPath(host: host, stepID: stepID)): \(String(cString: strerror(errno)))"); break }
                    offset += n
                }
            }
        }
    }

    private func report(_ s: inout State, _ message: String) {
        if !s.failures.contains(message) { s.failures.append(message) }
    }
}
