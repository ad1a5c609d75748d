import ClusterCore
import Foundation
import Synchronization

/// One line kept for a log pane.
public struct LogLine: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case output(OutputLine.Stream)
        case marker       // an attempt or phase header written by the runner
    }
    public var stepID: String
    public var kind: Kind
    public var text: String    // sanitised and redacted
    public var time: Date
}

/// A fixed-capacity buffer addressed by absolute index: the first line ever appended is 0, and
/// lines older than `capacity` fall off the front (`bounds.lowerBound` grows).
public struct LogRing: Sendable {
    public let capacity: Int
    private var storage: [LogLine] = []
    private var head = 0              // position of the oldest line in storage, once full
    public private(set) var total = 0 // lines ever appended

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    public mutating func append(contentsOf lines: [LogLine]) {
        for line in lines { append(line) }
    }

    public mutating func append(_ line: LogLine) {
        if storage.count < capacity {
            storage.append(line)
        } else {
            storage[head] = line
            head = (head + 1) % capacity
        }
        total += 1
    }

    /// Absolute indexes still held.
    public var bounds: Range<Int> { (total - storage.count)..<total }
    public var count: Int { storage.count }

    public subscript(absolute index: Int) -> LogLine? {
        guard bounds.contains(index) else { return nil }
        let offset = index - bounds.lowerBound
        return storage[(head + offset) % storage.count]
    }

    /// Lines in `range` (clamped to what is held).
    public func lines(_ range: Range<Int>) -> [LogLine] {
        let r = range.clamped(to: bounds)
        return r.map { self[absolute: $0]! }
    }
}

/// The full output of every step, in `logs/<host>/<step-id>.log` (0600 files in 0700 folders,
/// appended across retries with a header per attempt), plus the most recent lines of each host in
/// memory for the log panes. Everything given to it must already be sanitised and redacted.
public final class LogStore: Sendable {
    public let stateDir: StateDir
    public let ringCapacity: Int

    private struct State {
        var rings: [String: LogRing] = [:]
        var files: [String: Int32] = [:]     // open log file per "host\0step"
        var version = 0
        var failures: [String] = []          // write errors, reported once each
    }
    private let state: Mutex<State>

    public init(stateDir: StateDir, ringCapacity: Int = 10_000) {
        self.stateDir = stateDir
        self.ringCapacity = ringCapacity
        state = Mutex(State())
    }

    deinit { state.withLock { for fd in $0.files.values { close(fd) } } }

    /// Starts an attempt: opens (creating) the step's log and writes a header line.
    public func beginAttempt(stepID: String, host: String, attempt: Int, time: Date = Date()) {
        let header = "===== \(stepID) on \(host), attempt \(attempt), \(JournalTime.format(time)) ====="
        write(stepID: stepID, host: host, kind: .marker, text: header, time: time)
    }

    /// A phase header (`--- apply ---`).
    public func phase(stepID: String, host: String, _ phase: StepPhase, time: Date = Date()) {
        write(stepID: stepID, host: host, kind: .marker, text: "--- \(phase.rawValue) ---", time: time)
    }

    /// A line the runner writes itself (a failure reason, "check passed"...).
    public func note(stepID: String, host: String, _ text: String, time: Date = Date()) {
        write(stepID: stepID, host: host, kind: .marker, text: text, time: time)
    }

    /// One output line (sanitised and redacted by the caller).
    public func append(stepID: String, host: String, stream: OutputLine.Stream, text: String, time: Date = Date()) {
        write(stepID: stepID, host: host, kind: .output(stream), text: text, time: time)
    }

    /// Output lines of one step (sanitised and redacted by the caller), in order: kept in the ring
    /// and written to the step's log with one write.
    public func append(stepID: String, host: String, lines: [OutputLine]) {
        guard !lines.isEmpty else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.text.utf8.count + 3 })
        var kept: [LogLine] = []
        kept.reserveCapacity(lines.count)
        for line in lines {
            bytes.append(contentsOf: line.stream == .stderr ? LogStore.stderrMark : LogStore.stdoutMark)
            bytes.append(contentsOf: line.text.utf8)
            bytes.append(0x0A)
            kept.append(LogLine(stepID: stepID, kind: .output(line.stream), text: line.text, time: line.time))
        }
        store(stepID: stepID, host: host, kept, bytes)
    }

    /// Closes the step's log file (flushed to disk); the next attempt reopens it.
    public func endAttempt(stepID: String, host: String) {
        state.withLock { s in
            if let fd = s.files.removeValue(forKey: host + "\u{0}" + stepID) {
                fsync(fd)
                close(fd)
            }
        }
    }

    // MARK: reading, for the log panes

    /// Hosts with lines, sorted.
    public var hosts: [String] { state.withLock { Array($0.rings.keys) }.sorted() }
    /// Grows on every line: a view redraws when it changed.
    public var version: Int { state.withLock { $0.version } }
    /// Absolute indexes held for a host (empty range when none).
    public func bounds(host: String) -> Range<Int> { state.withLock { $0.rings[host]?.bounds ?? 0..<0 } }
    public func line(host: String, at index: Int) -> LogLine? { state.withLock { $0.rings[host]?[absolute: index] } }
    public func lines(host: String, _ range: Range<Int>) -> [LogLine] { state.withLock { $0.rings[host]?.lines(range) ?? [] } }
    /// The last `count` lines of a host.
    public func tail(host: String, count: Int) -> [LogLine] {
        state.withLock { s in
            guard let ring = s.rings[host] else { return [] }
            return ring.lines(max(ring.bounds.lowerBound, ring.bounds.upperBound - count)..<ring.bounds.upperBound)
        }
    }
    /// Write errors so far (a full disk must not stop a run, but must be told).
    public var failures: [String] { state.withLock { $0.failures } }

    /// The full log of a step, from disk.
    public func fullText(host: String, stepID: String) -> String? {
        try? String(contentsOfFile: stateDir.logPath(host: host, stepID: stepID), encoding: .utf8)
    }

    // MARK: -

    private static let stdoutMark: [UInt8] = [0x20, 0x20]   // "  ": stdout lines plain
    private static let stderrMark: [UInt8] = [0x21, 0x20]   // "! ": stderr lines marked

    private func write(stepID: String, host: String, kind: LogLine.Kind, text: String, time: Date) {
        var bytes: [UInt8] = []
        switch kind {
        case .output(.stderr): bytes = LogStore.stderrMark
        case .output(.stdout): bytes = LogStore.stdoutMark
        case .marker: break
        }
        bytes.append(contentsOf: text.utf8)
        bytes.append(0x0A)
        store(stepID: stepID, host: host, [LogLine(stepID: stepID, kind: kind, text: text, time: time)], bytes)
    }

    /// Appends the lines to the host's ring and their bytes to the step's log file, under one lock.
    private func store(stepID: String, host: String, _ lines: [LogLine], _ bytes: [UInt8]) {
        state.withLock { s in
            s.rings[host, default: LogRing(capacity: ringCapacity)].append(contentsOf: lines)
            s.version += lines.count
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
            bytes.withUnsafeBytes { raw in
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
