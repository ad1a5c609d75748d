import ClusterCore
import Foundation

/// What part of a step is running.
public enum StepPhase: String, Sendable, Codable, CaseIterable {
    case check     // read-only: exit 0 = already done
    case upload    // the step's upload transfer, before apply
    case apply
    case verify
    case download  // the step's download transfer, after apply
}

/// How a step ended (or why it never started).
public enum StepStatus: Sendable, Hashable, CustomStringConvertible {
    case done
    case alreadyDone            // its check passed: apply was not run
    case failed(String)         // the reason, in words, already redacted
    case skipped                // an optional step the operator skipped
    case interrupted            // stopped (Ctrl-C, SIGTERM, Task cancel) or cut off by a crash
    case blocked(by: String)    // a step it depends on failed: it was not run

    /// Counts as finished for the steps that depend on it.
    public var satisfiesDependents: Bool {
        switch self {
        case .done, .alreadyDone, .skipped: true
        default: false
        }
    }
    public var isFailed: Bool { if case .failed = self { true } else { false } }
    public var isFailure: Bool {
        switch self {
        case .failed, .interrupted, .blocked: true
        default: false
        }
    }
    /// One word: `done`, `alreadyDone`, `failed`, `skipped`, `interrupted`, `blocked` (the journal's spelling).
    public var name: String {
        switch self {
        case .done: "done"
        case .alreadyDone: "alreadyDone"
        case .failed: "failed"
        case .skipped: "skipped"
        case .interrupted: "interrupted"
        case .blocked: "blocked"
        }
    }
    public var description: String {
        switch self {
        case .done: "done"
        case .alreadyDone: "already done"
        case .failed(let reason): "failed: \(reason)"
        case .skipped: "skipped"
        case .interrupted: "interrupted"
        case .blocked(let by): "blocked by \(by)"
        }
    }
}

/// Where a step stands, for the runner and the views alike: waiting, running (in which part), or
/// finished (how it ended).
public enum StepState: Sendable, Hashable {
    case pending
    case running(StepPhase)
    case finished(StepStatus)

    public var isRunning: Bool { if case .running = self { true } else { false } }
    /// Finished done, already done or skipped: what the steps after it need.
    public var isSettled: Bool { status?.satisfiesDependents ?? false }
    public var isFailed: Bool { status?.isFailed ?? false }
    /// How it ended, once finished.
    public var status: StepStatus? { if case .finished(let s) = self { s } else { nil } }
}

/// What a step's check said, as the journal records it.
public enum CheckResult: String, Sendable, Codable {
    case passed      // exit 0: already done
    case failed      // non-zero: apply runs
    case none        // the step has no check
    case notRun      // never got that far (connection, secret, interrupted), or trusted from the journal
}

/// A finished step, as events and the summary carry it.
public struct StepOutcome: Sendable, Hashable {
    public var stepID: String
    public var host: String
    public var status: StepStatus
    public var exitCode: Int32?          // of the last script that ran
    public var duration: Duration
    public var check: CheckResult
    public var attempt: Int               // 1 for the first run in this process, 0 when from the journal
    public var fromJournal: Bool          // trusted from an earlier run, not run now
    public var endedAt: Date

    public init(stepID: String, host: String, status: StepStatus, exitCode: Int32? = nil, duration: Duration = .zero,
                check: CheckResult = .notRun, attempt: Int = 1, fromJournal: Bool = false, endedAt: Date = Date()) {
        self.stepID = stepID; self.host = host; self.status = status; self.exitCode = exitCode
        self.duration = duration; self.check = check; self.attempt = attempt; self.fromJournal = fromJournal
        self.endedAt = endedAt
    }
}

/// Output lines of one step that came together (what one read of its output held), sanitised
/// and redacted, in the order printed.
///
/// Held as the step's log holds them, one buffer for the whole batch: each line is a mark (`"  "`
/// for stdout, `"! "` for stderr), its text in UTF-8, and a newline. The log file gets the buffer
/// in one write; a page makes text only of the lines it keeps (``text(_:)``).
public struct OutputBatch: Sendable, Hashable {
    public var stepID: String
    public var host: String
    public var phase: StepPhase
    /// When the lines came (a batch is one read: one time).
    public var time: Date
    /// The lines in the log's form (see above); lines before ``firstLine`` are left out.
    public private(set) var logBytes: [UInt8]
    /// Where each line starts in ``logBytes`` (its mark), and where the last one ends.
    private var bounds: [Int32]
    /// The first line still in the batch (``removeFirst(_:)`` only moves it).
    public private(set) var firstLine = 0
    /// Times of the lines when they were not all the same (a batch made of lines).
    private var lineTimes: [Date]?

    static let stdoutMark: [UInt8] = [0x20, 0x20]   // "  ": stdout lines plain
    static let stderrMark: [UInt8] = [0x21, 0x20]   // "! ": stderr lines marked

    /// A batch in the log's form, as `OutputBatch.Builder` makes it.
    init(stepID: String, host: String, phase: StepPhase, time: Date, logBytes: [UInt8], bounds: [Int32]) {
        self.stepID = stepID; self.host = host; self.phase = phase; self.time = time
        self.logBytes = logBytes; self.bounds = bounds
    }

    /// Lines that are already clean as they came (`Redactor.leavesLinesAsTheyAre` said so of
    /// their region): each copied straight behind its mark, with one allocation for the batch.
    init(stepID: String, host: String, phase: StepPhase, plain raw: RawLines) {
        let n = raw.count
        let total = raw.ranges.reduce(0) { $0 + $1.count + 3 }
        var bounds = [Int32](repeating: 0, count: n + 1)
        let bytes = [UInt8](unsafeUninitializedCapacity: total) { out, count in
            raw.bytes.withUnsafeBufferPointer { src in
                bounds.withUnsafeMutableBufferPointer { bounds in
                    var at = 0
                    for i in 0..<n {
                        let r = raw.ranges[i]
                        out[at] = raw.stream(i) == .stderr ? 0x21 : 0x20
                        out[at + 1] = 0x20
                        if !r.isEmpty { (out.baseAddress! + at + 2).update(from: src.baseAddress! + r.lowerBound, count: r.count) }
                        at += r.count + 3
                        out[at - 1] = 0x0A
                        bounds[i + 1] = Int32(truncatingIfNeeded: at)
                    }
                }
            }
            count = total
        }
        self.init(stepID: stepID, host: host, phase: phase, time: raw.time, logBytes: bytes, bounds: bounds)
    }

    /// A batch of lines already sanitised and redacted.
    public init(stepID: String, host: String, phase: StepPhase, lines: [OutputLine]) {
        var b = Builder()
        for line in lines { b.append(line.stream, text: line.text) }
        self.init(stepID: stepID, host: host, phase: phase, time: lines.first?.time ?? Date(), logBytes: b.bytes, bounds: b.bounds)
        if lines.contains(where: { $0.time != time }) { lineTimes = lines.map(\.time) }
    }

    /// Makes the log's form: a mark, the text, a newline per line.
    struct Builder {
        var bytes: [UInt8] = []
        var bounds: [Int32] = [0]

        mutating func reserve(lines: Int, bytes count: Int) {
            bytes.reserveCapacity(count + 3 * lines)
            bounds.reserveCapacity(lines + 1)
        }

        /// Starts a line: its mark. The text follows, then `endLine()`.
        mutating func beginLine(_ stream: OutputLine.Stream) {
            bytes.append(stream == .stderr ? 0x21 : 0x20)   // stderrMark or stdoutMark
            bytes.append(0x20)
        }

        mutating func endLine() {
            bytes.append(0x0A)
            bounds.append(Int32(truncatingIfNeeded: bytes.count))
        }

        mutating func append(_ stream: OutputLine.Stream, text: String) {
            beginLine(stream)
            var t = text
            t.withUTF8 { bytes.append(contentsOf: $0) }
            endLine()
        }
    }

    /// Lines in the batch.
    public var count: Int { bounds.count - 1 - firstLine }
    public var isEmpty: Bool { count == 0 }

    /// The stream of line `i` (0 is the first line still in the batch).
    public func stream(_ i: Int) -> OutputLine.Stream {
        logBytes[Int(bounds[firstLine + i])] == OutputBatch.stderrMark[0] ? .stderr : .stdout
    }

    /// The text of line `i`.
    public func text(_ i: Int) -> String {
        let start = Int(bounds[firstLine + i]) + 2, end = Int(bounds[firstLine + i + 1]) - 1
        return logBytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    /// The lines still in the batch, in the log's form.
    public var logSlice: ArraySlice<UInt8> { logBytes[Int(bounds[firstLine])..<Int(bounds[bounds.count - 1])] }

    /// Each line on its own, as text.
    public var lines: [OutputLine] {
        (0..<count).map { OutputLine(stream: stream($0), text: text($0), time: lineTimes?[firstLine + $0] ?? time) }
    }

    /// Leaves out the first `n` lines (the page fell behind: they are in the step's log file).
    public mutating func removeFirst(_ n: Int) {
        precondition(n >= 0 && n <= count, "OutputBatch.removeFirst(\(n)) of \(count) lines")
        firstLine += n
    }

    /// Each line on its own.
    public var events: [OutputEvent] {
        lines.map { OutputEvent(stepID: stepID, host: host, phase: phase, stream: $0.stream, text: $0.text, time: $0.time) }
    }

    public static func == (a: OutputBatch, b: OutputBatch) -> Bool {
        a.stepID == b.stepID && a.host == b.host && a.phase == b.phase && a.lines == b.lines
    }

    public func hash(into h: inout Hasher) {
        h.combine(stepID); h.combine(host); h.combine(phase)
        h.combine(logSlice.count)
        for b in logSlice { h.combine(b) }
    }
}

/// One line of a step's output, sanitised and redacted.
public struct OutputEvent: Sendable, Hashable {
    public var stepID: String
    public var host: String
    public var phase: StepPhase
    public var stream: OutputLine.Stream
    public var text: String
    public var time: Date
}

/// The plan as a run announces it.
public struct PlanSummary: Sendable, Hashable {
    public var stepCount: Int
    public var hosts: [String]
    public var stepIDs: [String]
    /// Steps this run will not run again because an earlier run finished them (resume).
    public var trustedFromJournal: Int

    public init(plan: Plan, trustedFromJournal: Int = 0) {
        stepCount = plan.steps.count; hosts = plan.hosts; stepIDs = plan.steps.map(\.id)
        self.trustedFromJournal = trustedFromJournal
    }
}

/// Where a run (or a retry/skip continuation) stands when it goes idle.
public struct RunSummary: Sendable, Hashable {
    /// Every step's outcome so far, in plan order; steps not finished are absent.
    public var outcomes: [StepOutcome]
    /// Steps not finished (never started, or left when stopped), in plan order.
    public var remaining: [String]
    public var stopped: Bool              // `stop()` or cancellation ended it early
    public var duration: Duration

    public init(outcomes: [StepOutcome], remaining: [String], stopped: Bool, duration: Duration) {
        self.outcomes = outcomes; self.remaining = remaining; self.stopped = stopped; self.duration = duration
    }

    public func count(_ name: String) -> Int { outcomes.filter { $0.status.name == name }.count }
    public var failed: [StepOutcome] { outcomes.filter { if case .failed = $0.status { true } else { false } } }
    public var blocked: [StepOutcome] { outcomes.filter { if case .blocked = $0.status { true } else { false } } }
    public var interrupted: [StepOutcome] { outcomes.filter { $0.status == .interrupted } }
    /// Every step done, already done or skipped.
    public var succeeded: Bool { remaining.isEmpty && outcomes.allSatisfy { $0.status.satisfiesDependents } }
    public func outcome(_ stepID: String) -> StepOutcome? { outcomes.first { $0.stepID == stepID } }
}

/// What views consume, in order per step: started(phase)…, output…, finished.
public enum RunEvent: Sendable {
    case runStarted(PlanSummary, answersHash: String?)
    /// Something the operator should read: the journal's last line was repaired, the answers changed…
    case notice(String)
    case stepStarted(stepID: String, host: String, phase: StepPhase)
    /// One or more lines of a step's output (a step may print a million: they come in batches).
    case output(OutputBatch)
    /// Connecting to a host failed; the steps on it fail with this reason. Carries the error so a view
    /// can offer to accept an unknown host key and retry.
    case hostProblem(host: String, TransportError)
    case stepFinished(StepOutcome)
    case runFinished(RunSummary)
}
