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
public struct OutputBatch: Sendable, Hashable {
    public var stepID: String
    public var host: String
    public var phase: StepPhase
    public var lines: [OutputLine]

    public init(stepID: String, host: String, phase: StepPhase, lines: [OutputLine]) {
        self.stepID = stepID; self.host = host; self.phase = phase; self.lines = lines
    }

    /// Each line on its own.
    public var events: [OutputEvent] {
        lines.map { OutputEvent(stepID: stepID, host: host, phase: phase, stream: $0.stream, text: $0.text, time: $0.time) }
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
