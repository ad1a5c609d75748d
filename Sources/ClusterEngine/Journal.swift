import ClusterCore
import Foundation
import Synchronization

/// One line of `journal.jsonl`. Flat, so a person can read it with `jq`; nothing in it is a secret
/// (step ids, host names, statuses, exit codes, reasons already passed through the Redactor).
public struct JournalRecord: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case run      // a run (or a retry/skip continuation) starts: carries the answers hash
        case start    // a step starts
        case end      // a step ends, or is recorded without running (blocked, skipped)
        case runEnd   // the run went idle: everything it could do is done
    }
    public var kind: Kind
    public var time: String                  // ISO 8601, UTC, milliseconds
    // run
    public var version: Int? = nil
    public var answersHash: String? = nil
    public var stepCount: Int? = nil
    public var hosts: [String]? = nil
    // start / end
    public var step: String? = nil
    public var host: String? = nil
    public var phase: StepPhase? = nil
    public var attempt: Int? = nil
    public var status: String? = nil         // StepStatus.name
    public var reason: String? = nil         // failed
    public var blockedBy: String? = nil      // blocked
    public var exitCode: Int32? = nil
    public var durationMs: Int? = nil
    public var check: CheckResult? = nil
    // runEnd
    public var complete: Bool? = nil
    public var stopped: Bool? = nil
    public var remaining: Int? = nil

    public init(kind: Kind, time: Date = Date()) {
        self.kind = kind
        self.time = JournalTime.format(time)
    }

    public static func runHeader(answersHash: String?, plan: Plan, time: Date = Date()) -> JournalRecord {
        var r = JournalRecord(kind: .run, time: time)
        r.version = 1; r.answersHash = answersHash; r.stepCount = plan.steps.count; r.hosts = plan.hosts
        return r
    }

    public static func stepStart(_ step: String, host: String, phase: StepPhase, attempt: Int, time: Date = Date()) -> JournalRecord {
        var r = JournalRecord(kind: .start, time: time)
        r.step = step; r.host = host; r.phase = phase; r.attempt = attempt
        return r
    }

    public static func stepEnd(_ outcome: StepOutcome, phase: StepPhase?) -> JournalRecord {
        var r = JournalRecord(kind: .end, time: outcome.endedAt)
        r.step = outcome.stepID; r.host = outcome.host; r.phase = phase; r.attempt = outcome.attempt
        r.status = outcome.status.name
        switch outcome.status {
        case .failed(let reason): r.reason = reason
        case .blocked(let by): r.blockedBy = by
        default: break
        }
        r.exitCode = outcome.exitCode
        r.durationMs = Int(outcome.duration.milliseconds)
        r.check = outcome.check
        return r
    }

    public static func runEnd(_ summary: RunSummary, time: Date = Date()) -> JournalRecord {
        var r = JournalRecord(kind: .runEnd, time: time)
        r.complete = summary.succeeded; r.stopped = summary.stopped; r.remaining = summary.remaining.count
        r.durationMs = Int(summary.duration.milliseconds)
        return r
    }

    /// The status an `end` record names.
    public var stepStatus: StepStatus? {
        switch status {
        case "done": .done
        case "alreadyDone": .alreadyDone
        case "failed": .failed(reason ?? "failed")
        case "skipped": .skipped
        case "interrupted": .interrupted
        case "blocked": .blocked(by: blockedBy ?? "?")
        default: nil
        }
    }
    public var date: Date? { JournalTime.parse(time) }

    /// One line of JSON, keys sorted, no newline inside: the bytes `JSONEncoder` writes with sorted
    /// keys and unescaped slashes (a test holds the two equal), written by hand because a run
    /// writes two or three records a step and the encoder cost more than the rest of the record.
    public func encodedLine() -> Data {
        var w = JSONLine()
        w.add("answersHash", answersHash)
        w.add("attempt", attempt)
        w.add("blockedBy", blockedBy)
        w.add("check", check?.rawValue)
        w.add("complete", complete)
        w.add("durationMs", durationMs)
        w.add("exitCode", exitCode.map(Int.init))
        w.add("host", host)
        w.add("hosts", hosts)
        w.add("kind", kind.rawValue)
        w.add("phase", phase?.rawValue)
        w.add("reason", reason)
        w.add("remaining", remaining)
        w.add("status", status)
        w.add("step", step)
        w.add("stepCount", stepCount)
        w.add("stopped", stopped)
        w.add("time", time)
        w.add("version", version)
        return w.line()
    }
}

/// A flat JSON object written member by member, in the order given; a nil value leaves its member out.
struct JSONLine {
    private var bytes: [UInt8] = [0x7B]   // {

    private mutating func key(_ name: String) {
        if bytes.count > 1 { bytes.append(0x2C) }   // ,
        quoted(name)
        bytes.append(0x3A)   // :
    }

    mutating func add(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        quoted(value)
    }

    mutating func add(_ name: String, _ value: Int?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func add(_ name: String, _ value: Bool?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func add(_ name: String, _ values: [String]?) {
        guard let values else { return }
        key(name)
        bytes.append(0x5B)   // [
        for (i, v) in values.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            quoted(v)
        }
        bytes.append(0x5D)   // ]
    }

    /// The object closed, with the newline that ends the journal's line.
    func line() -> Data { Data(bytes + [0x7D, 0x0A]) }

    /// A JSON string: quote, backslash and the control characters escaped, as JSONEncoder does.
    private mutating func quoted(_ text: String) {
        bytes.append(0x22)
        for b in text.utf8 {
            switch b {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x08: bytes.append(contentsOf: [0x5C, 0x62])   // \b
            case 0x0C: bytes.append(contentsOf: [0x5C, 0x66])   // \f
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])   // \n
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])   // \r
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])   // \t
            case 0x00..<0x20: bytes.append(contentsOf: ("\\u" + b.zeroPadded(4, radix: 16)).utf8)
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }
}

enum JournalTime {
    /// `2025-01-02T03:04:05.678Z`: what `Date.ISO8601FormatStyle(includingFractionalSeconds: true)`
    /// writes (a test holds the two equal), without the formatter's cost on every record.
    static func format(_ date: Date) -> String {
        let t2001 = date.timeIntervalSinceReferenceDate
        let whole = t2001.rounded(.down)
        var seconds = time_t(whole + Date.timeIntervalBetween1970AndReferenceDate)
        var t = tm()
        gmtime_r(&seconds, &t)
        let milli = Int32(((t2001 - whole) * 1_000_000_000).rounded(.down) / 1_000_000)
        return (t.tm_year + 1900).zeroPadded(4) + "-" + (t.tm_mon + 1).zeroPadded(2) + "-" + t.tm_mday.zeroPadded(2) + "T"
            + t.tm_hour.zeroPadded(2) + ":" + t.tm_min.zeroPadded(2) + ":" + t.tm_sec.zeroPadded(2) + "." + milli.zeroPadded(3) + "Z"
    }
    static func parse(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
    /// `20250102T030405Z`, for file names.
    static func compact(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { let s = String(v ?? 0); return s.count < 2 ? "0" + s : s }
        return "\(c.year ?? 0)\(two(c.month))\(two(c.day))T\(two(c.hour))\(two(c.minute))\(two(c.second))Z"
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (s, atto) = components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

public enum JournalError: Error, Equatable, CustomStringConvertible {
    case corrupt(path: String, line: Int, backup: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .corrupt(let path, let line, let backup):
            return "\(path), line \(line): not a journal record (the file is damaged). A copy was saved as \(backup). "
                + "Remove or repair the journal to go on; without it every step is checked again."
        case .io(let path, let reason): return "journal \(path): \(reason)"
        }
    }
}

/// The append-only run journal: one JSON record per line, each line written whole in one `write`
/// on an `O_APPEND` descriptor, so a crash loses at most the line being written.
///
/// Records are made durable by a syncer thread of the journal's own (group commit): `append`
/// returns once the line is in the kernel, which a kill of this process cannot lose; the `fsync`
/// that follows covers every line written meanwhile. A power cut of this machine can lose the
/// last few milliseconds of records; that is safe for resume, which trusts only the steps recorded
/// finished and checks every other step before applying it. `sync()` waits for the disk (the run's
/// end does); with `syncEachRecord` every append waits, as before group commit (the benchmark's baseline).
public final class Journal: Sendable {
    public let path: String
    /// Set when opening repaired a cut-off last line.
    public let repairMessage: String?
    private let core: JournalCore

    /// Opens for appending, first repairing a cut-off last line; throws on damage elsewhere.
    public init(path: String, syncEachRecord: Bool = false) throws {
        self.path = path
        let loaded = try Journal.readRecords(path: path)
        repairMessage = loaded.message
        let d = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard d >= 0 else { throw JournalError.io(path: path, reason: String(cString: strerror(errno))) }
        fchmod(d, 0o600)
        core = JournalCore(fd: d, path: path, syncEachRecord: syncEachRecord)
        if loaded.records.isEmpty { Journal.syncDirectory(of: path) }
    }

    public convenience init(stateDir: StateDir, syncEachRecord: Bool = false) throws {
        try self.init(path: stateDir.journalPath, syncEachRecord: syncEachRecord)
    }

    deinit { core.close() }

    /// Appends one record with one `write` of the whole line; the syncer makes it durable. Throws
    /// when the write failed, or an earlier `fsync` did.
    public func append(_ record: JournalRecord) throws {
        try core.append(record.encodedLine())
    }

    /// Waits until every record appended so far is on disk.
    public func sync() throws { try core.sync() }

    /// Syncs what is pending, then closes.
    public func close() { core.close() }

    /// Reads the journal (repairing a cut-off last line) and summarises it. A missing file is an empty journal.
    public static func load(path: String) throws -> JournalState {
        let loaded = try readRecords(path: path)
        var state = JournalState(records: loaded.records)
        if let m = loaded.message { state.messages.append(m) }
        return state
    }

    public static func load(stateDir: StateDir) throws -> JournalState { try load(path: stateDir.journalPath) }

    /// SHA-256 of the answers file's canonical text (`AnswersFile.encode`), lower-case hex.
    public static func answersHash(_ answers: Answers) -> String { SHA256Hex.of(AnswersFile.encode(answers)) }

    /// Every record, after truncating a cut-off last line. A bad line elsewhere: the file is copied to
    /// `journal.jsonl.corrupt-<time>` and `JournalError.corrupt` names the line.
    public static func readRecords(path: String) throws -> (records: [JournalRecord], message: String?) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], nil) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JournalError.io(path: path, reason: "cannot be read")
        }
        var bytes = [UInt8](data)
        var message: String? = nil
        if let last = bytes.last, last != 0x0A {
            let keep = (bytes.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
            let cut = bytes.count - keep
            let d = open(path, O_WRONLY | O_CLOEXEC)
            guard d >= 0, ftruncate(d, off_t(keep)) == 0 else {
                let reason = String(cString: strerror(errno))
                if d >= 0 { Foundation.close(d) }
                throw JournalError.io(path: path, reason: "cannot repair its cut-off last line: \(reason)")
            }
            fsync(d)
            Foundation.close(d)
            bytes.removeLast(cut)
            message = "The journal's last record was cut off (\(cut) bytes, most likely a crash or power loss while it was written); it was removed. The step it described is treated as interrupted."
        }
        var records: [JournalRecord] = []
        let decoder = JSONDecoder()
        var lineNumber = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            lineNumber += 1
            guard let record = try? decoder.decode(JournalRecord.self, from: Data(line)) else {
                let backup = try backupCorrupt(path: path)
                throw JournalError.corrupt(path: path, line: lineNumber, backup: backup)
            }
            records.append(record)
        }
        return (records, message)
    }

    private static func backupCorrupt(path: String) throws -> String {
        let base = path + ".corrupt-" + JournalTime.compact(Date())
        var target = base
        var n = 1
        while FileManager.default.fileExists(atPath: target) { n += 1; target = base + "-\(n)" }
        do { try FileManager.default.copyItem(atPath: path, toPath: target) } catch {
            throw JournalError.io(path: path, reason: "damaged, and a copy could not be saved: \(error.localizedDescription)")
        }
        chmod(target, 0o600)
        return target
    }

    static func syncDirectory(of path: String) {
        let dir = (path as NSString).deletingLastPathComponent
        let d = open(dir.isEmpty ? "." : dir, O_RDONLY | O_CLOEXEC)
        if d >= 0 { fsync(d); Foundation.close(d) }
    }
}

/// What the journal says about each step and the last run.
public struct JournalState: Sendable {
    public struct Entry: Sendable, Hashable {
        public var stepID: String
        public var host: String
        /// The last known status: a start without an end is `interrupted`.
        public var status: StepStatus
        public var exitCode: Int32?
        public var durationMs: Int?
        public var check: CheckResult?
        public var time: Date?         // when it ended (or started, for interrupted)
        public var attempts: Int       // start records seen
    }

    /// Last known entry per step.
    public var steps: [String: Entry] = [:]
    /// Step ids in the order the journal first names them.
    public var order: [String] = []
    /// The answers hash of the last run header.
    public var answersHash: String? = nil
    /// Runs (headers) recorded.
    public var runs = 0
    public var lastRunStarted: Date? = nil
    /// The last run reached its end (went idle) rather than being killed.
    public var runFinished = false
    /// ... and at that end every step was done, already done or skipped.
    public var runComplete = false
    /// Things the operator should be told (a repaired last line).
    public var messages: [String] = []

    public static let empty = JournalState(records: [])

    public init(records: [JournalRecord]) {
        var open: [String: Entry] = [:]  // started, not ended
        func closeOpen() {
            for (id, var e) in open {
                e.status = .interrupted
                steps[id] = e
            }
            open.removeAll()
        }
        for r in records {
            switch r.kind {
            case .run:
                closeOpen()
                // A step done for other answers says nothing of these: a run under new answers
                // starts the trust over (an upgrade, its rollback, the upgrade again). What was
                // cut off or failed is kept: it is checked again anyway, and worth saying.
                if runs > 0, r.answersHash != answersHash { steps = steps.filter { !$0.value.status.satisfiesDependents } }
                runs += 1
                answersHash = r.answersHash
                lastRunStarted = r.date
                runFinished = false
                runComplete = false
            case .start:
                guard let id = r.step else { continue }
                if !order.contains(id) { order.append(id) }
                let attempts = (steps[id]?.attempts ?? 0) + 1
                let entry = Entry(stepID: id, host: r.host ?? "?", status: .interrupted, exitCode: nil,
                                  durationMs: nil, check: nil, time: r.date, attempts: attempts)
                open[id] = entry
                steps[id] = entry
            case .end:
                guard let id = r.step, let status = r.stepStatus else { continue }
                if !order.contains(id) { order.append(id) }
                let attempts = open[id]?.attempts ?? steps[id]?.attempts ?? 0
                open[id] = nil
                steps[id] = Entry(stepID: id, host: r.host ?? "?", status: status, exitCode: r.exitCode,
                                  durationMs: r.durationMs, check: r.check, time: r.date, attempts: attempts)
            case .runEnd:
                closeOpen()
                runFinished = true
                runComplete = r.complete ?? false
            }
        }
        closeOpen()
    }

    public func status(of stepID: String) -> StepStatus? { steps[stepID]?.status }
    public var isEmpty: Bool { runs == 0 && steps.isEmpty }
}

/// The journal's descriptor and its syncer thread; the thread holds this, not the `Journal`, so
/// the journal's `deinit` still runs and stops it.
private final class JournalCore: @unchecked Sendable {
    // Every field below is read and written with `cond` locked.
    private let cond = NSCondition()
    private var fd: Int32
    private let path: String
    private let syncEachRecord: Bool
    private var written = 0
    private var synced = 0
    private var failure: String?
    private var closing = false
    private var syncerRunning = true
    private var syncerWaiting = false
    /// Callers waiting in `sync()`: while there are any, the syncer does not nap.
    private var syncWaiters = 0
    /// After an `fsync`, the syncer lets records gather this long before the next one (each record
    /// is in the kernel already; a run's end and `sync()` do not wait for the nap).
    private static let gather: TimeInterval = 0.01

    init(fd: Int32, path: String, syncEachRecord: Bool) {
        self.fd = fd
        self.path = path
        self.syncEachRecord = syncEachRecord
        let thread = Thread { [self] in syncLoop() }
        thread.name = "journal-sync"
        thread.start()
    }

    func append(_ line: Data) throws {
        cond.lock()
        defer { cond.unlock() }
        if let failure { throw JournalError.io(path: path, reason: failure) }
        guard fd >= 0, !closing else { throw JournalError.io(path: path, reason: "closed") }
        let ok = line.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        guard ok else { throw JournalError.io(path: path, reason: String(cString: strerror(errno))) }
        written += 1
        // The syncer is woken only when it waits: while it syncs or naps, it sees this record anyway.
        if syncerWaiting { cond.broadcast() }
        if syncEachRecord { try waitSynced(written) }
    }

    func sync() throws {
        cond.lock()
        defer { cond.unlock() }
        syncWaiters += 1
        defer { syncWaiters -= 1 }
        cond.broadcast()
        try waitSynced(written)
    }

    /// With `cond` locked.
    private func waitSynced(_ target: Int) throws {
        while synced < target && failure == nil { cond.wait() }
        if let failure { throw JournalError.io(path: path, reason: failure) }
    }

    func close() {
        cond.lock()
        closing = true
        cond.broadcast()
        while syncerRunning { cond.wait() }
        if fd >= 0 { Foundation.close(fd); fd = -1 }
        cond.unlock()
    }

    /// One `fsync` covers every line written since the last: records share it.
    private func syncLoop() {
        cond.lock()
        while true {
            while written == synced && !closing {
                syncerWaiting = true
                cond.wait()
                syncerWaiting = false
            }
            if written == synced || fd < 0 { break }
            let target = written, d = fd
            cond.unlock()
            let ok = fsync(d) == 0
            let reason = ok ? nil : String(cString: strerror(errno))
            cond.lock()
            synced = target
            if let reason, failure == nil { failure = "fsync: \(reason)" }
            cond.broadcast()
            // Nap unless someone waits for the disk: the next records then share one fsync.
            if !syncEachRecord && syncWaiters == 0 && !closing {
                _ = cond.wait(until: Date(timeIntervalSinceNow: Self.gather))
            }
        }
        syncerRunning = false
        cond.broadcast()
        cond.unlock()
    }
}
