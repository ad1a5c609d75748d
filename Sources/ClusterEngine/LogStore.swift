import ClusterCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The full output of every step, in `logs/<host>/<step-id>.log` (0600 files in 0700 folders,
/// appended across retries with a header per attempt). Everything given to it must already be
/// sanitised and redacted. The log panes keep their own recent lines (the Run page's events).
///
/// The disk work is done by a thread of its own, in the order it was asked for: a step never waits
/// for its log file to be created (0.1 to 0.8 ms on an ext4 disk while the journal syncs), nor for
/// its lines to be written. `flush()` waits until everything asked so far is written; reading a log
/// (`fullText`), `failures` and the runner's end of a run flush first.
public final class LogStore: Sendable {
    public let stateDir: StateDir
    private let writer: LogWriter

    public init(stateDir: StateDir) {
        self.stateDir = stateDir
        writer = LogWriter(stateDir: stateDir)
    }

    deinit { writer.stop() }

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
        writer.write(host: host, stepID: stepID, bytes[...])
    }

    /// A batch of a step's output (cleaned by the runner), in the form it already holds, with one write.
    public func append(_ batch: OutputBatch) {
        guard !batch.isEmpty else { return }
        writer.write(host: batch.host, stepID: batch.stepID, batch.logSlice)
    }

    /// Closes the step's log file; the next attempt reopens it. Not fsynced: the journal is the
    /// durable record of what ran, and waiting for the disk here held up the end of every step by
    /// as long as its log took to flush (about 0.1 s for a step that printed 100 MB).
    public func endAttempt(stepID: String, host: String) {
        writer.close(host: host, stepID: stepID)
    }

    /// Waits until every line given so far is written (in the kernel: a crash of this program
    /// cannot lose it).
    public func flush() { writer.flush() }

    /// Write errors so far (a full disk must not stop a run, but must be told).
    public var failures: [String] {
        writer.flush()
        return writer.failures
    }

    /// The full log of a step, from disk.
    public func fullText(host: String, stepID: String) -> String? {
        writer.flush()
        return try? String(contentsOfFile: stateDir.logPath(host: host, stepID: stepID), encoding: .utf8)
    }

    // MARK: -

    private static let stdoutMark = OutputBatch.stdoutMark
    private static let stderrMark = OutputBatch.stderrMark

    /// One line: `mark` (stdout, stderr, or none for the runner's own lines), the text, a newline.
    private func write(host: String, stepID: String, mark: [UInt8], text: String) {
        writer.write(host: host, stepID: stepID, (mark + Array(text.utf8) + [0x0A])[...])
    }
}

/// The thread that writes a `LogStore`'s files: it takes what was queued since it last looked, and
/// writes each file's run of consecutive small pieces with one `write` (a large piece, a flood's
/// read, goes as it is). A writer that gets more than `queueLimit` bytes ahead of it waits (a step
/// flooding its output is held back, as a full pipe would hold it).
private final class LogWriter: @unchecked Sendable {
    private struct Key: Hashable { var host: String; var stepID: String }
    private enum Op {
        case write(Key, ArraySlice<UInt8>)
        case close(Key)
    }
    /// Pieces smaller than this are copied together into one write.
    private static let smallPiece = 64 << 10
    private static let queueLimit = 8 << 20
    /// Past this many bytes queued, the writer is woken to write them now.
    private static let wakeBytes = 256 << 10
    /// Otherwise, woken by a first piece, it lets more gather this long: a step's lines, notes
    /// and close then cost one wake-up of this thread, not one each.
    private static let gather: TimeInterval = 0.002

    private let stateDir: StateDir
    // Every field below is read and written with `cond` locked.
    private let cond = NSCondition()
    private var queue: [Op] = []
    private var queuedBytes = 0
    private var asked = 0          // ops queued so far
    private var done = 0           // ops written so far
    private var running = false
    private var stopping = false
    private var idle = false       // the writer waits for a first piece
    private var flushers = 0       // callers waiting in `flush()`: no gathering meanwhile
    private var reported: [String] = []
    // Only the writer thread touches these.
    private var files: [Key: Int32] = [:]
    private var madeFolders: Set<String> = []

    init(stateDir: StateDir) { self.stateDir = stateDir }

    var failures: [String] {
        cond.lock(); defer { cond.unlock() }
        return reported
    }

    func write(host: String, stepID: String, _ bytes: ArraySlice<UInt8>) {
        enqueue(.write(Key(host: host, stepID: stepID), bytes), bytes: bytes.count)
    }

    func close(host: String, stepID: String) { enqueue(.close(Key(host: host, stepID: stepID)), bytes: 0) }

    func flush() {
        cond.lock(); defer { cond.unlock() }
        let target = asked
        guard done < target && running else { return }
        flushers += 1
        defer { flushers -= 1 }
        cond.broadcast()
        while done < target && running { cond.wait() }
    }

    func stop() {
        cond.lock()
        stopping = true
        cond.broadcast()
        while running { cond.wait() }
        cond.unlock()
        for fd in files.values { Glibc.close(fd) }
        files.removeAll()
    }

    private func enqueue(_ op: Op, bytes: Int) {
        cond.lock(); defer { cond.unlock() }
        while queuedBytes > LogWriter.queueLimit && running { cond.wait() }
        queue.append(op)
        queuedBytes += bytes
        asked += 1
        if !running {
            running = true
            ProcessSupport.startThread("logs") { [self] in loop() }
        }
        if idle || queuedBytes >= LogWriter.wakeBytes { cond.broadcast() }
    }

    private func loop() {
        cond.lock()
        while true {
            if queue.isEmpty {
                if stopping { break }
                idle = true
                cond.wait()
                idle = false
                continue
            }
            if flushers == 0 && !stopping && queuedBytes < LogWriter.wakeBytes {
                _ = cond.wait(until: Date(timeIntervalSinceNow: LogWriter.gather))
            }
            let ops = queue
            queue.removeAll(keepingCapacity: true)
            cond.unlock()
            let bytes = perform(ops)
            cond.lock()
            queuedBytes -= bytes
            done += ops.count
            cond.broadcast()
        }
        running = false
        cond.broadcast()
        cond.unlock()
    }

    /// Does the ops in order; returns the bytes written (or given up on).
    private func perform(_ ops: [Op]) -> Int {
        var total = 0
        var small: [UInt8] = []
        var smallKey: Key? = nil
        func writeSmall() {
            if let key = smallKey, !small.isEmpty { write(small[...], to: key) }
            small.removeAll(keepingCapacity: true)
            smallKey = nil
        }
        for op in ops {
            switch op {
            case .close(let key):
                if key == smallKey { writeSmall() }
                if let fd = files.removeValue(forKey: key) { Glibc.close(fd) }
            case .write(let key, let bytes):
                total += bytes.count
                if key != smallKey { writeSmall() }
                if bytes.count >= LogWriter.smallPiece {
                    write(bytes, to: key)
                } else {
                    small.append(contentsOf: bytes)
                    smallKey = key
                }
            }
        }
        writeSmall()
        return total
    }

    private func write(_ bytes: ArraySlice<UInt8>, to key: Key) {
        guard let fd = open(key) else { return }
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        if !ok { report("\(stateDir.logPath(host: key.host, stepID: key.stepID)): \(String(cString: strerror(errno)))") }
    }

    private func open(_ key: Key) -> Int32? {
        if let fd = files[key] { return fd }
        let path = stateDir.logPath(host: key.host, stepID: key.stepID)
        let folder = (path as NSString).deletingLastPathComponent
        if !madeFolders.contains(folder) {
            do {
                try StateDir.makePrivateDirectory(stateDir.logsPath)
                try StateDir.makePrivateDirectory(folder)
            } catch {
                report("\(path): \(error)")
                return nil
            }
            madeFolders.insert(folder)
        }
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { report("\(path): \(String(cString: strerror(errno)))"); return nil }
        // A file made by this open is 0600 already (less only under an odd umask); one made
        // earlier keeps whatever mode it has: set it then (a change of mode is a disk write).
        var info = stat()
        if fstat(fd, &info) != 0 || info.st_mode & 0o777 != 0o600 { fchmod(fd, 0o600) }
        files[key] = fd
        return fd
    }

    private func report(_ message: String) {
        cond.lock(); defer { cond.unlock() }
        if !reported.contains(message) { reported.append(message) }
    }
}
