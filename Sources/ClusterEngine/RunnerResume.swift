import ClusterCore
import Foundation

/// What a resume would do, for `joget-cluster resume` and the wizard's start screen.
public struct ResumeReport: Sendable, Hashable {
    /// Finished earlier and trusted (not run again), in plan order.
    public var done: [String] = []
    /// Of `done`, those whose check passed (nothing was changed).
    public var alreadyDone: [String] = []
    public var skipped: [String] = []
    /// Started and never ended: checked first, then continued.
    public var interrupted: [String] = []
    /// Failed last time, with the reason: checked first, then run again.
    public var failed: [(id: String, reason: String)] = []
    /// Everything that will run (check first): interrupted, failed, blocked and never started.
    public var remaining: [String] = []
    /// The journal names steps this plan does not have (the answers changed the plan).
    public var unknownSteps: [String] = []
    /// The answers differ from the last run's: every step will be checked again.
    public var answersChanged = false
    public var previousAnswersHash: String? = nil
    public var answersHash: String? = nil
    public var lastRunStarted: Date? = nil
    public var lastRunFinished = false
    public var hasHistory = false
    public var messages: [String] = []

    /// Everything done: nothing to resume.
    public var isComplete: Bool { hasHistory && remaining.isEmpty && !answersChanged }

    public static func == (a: ResumeReport, b: ResumeReport) -> Bool { a.fields == b.fields }
    public func hash(into h: inout Hasher) { h.combine(fields) }

    /// Everything it says, for equality (its sentences are the front ends').
    private var fields: [String] {
        [done, alreadyDone, skipped, interrupted, failed.map { $0.id + ": " + $0.reason }, remaining, unknownSteps, messages]
            .map { $0.joined(separator: "\n") }
            + ["\(answersChanged)", previousAnswersHash ?? "", answersHash ?? "",
               lastRunStarted.map { "\($0.timeIntervalSince1970)" } ?? "", "\(lastRunFinished)", "\(hasHistory)"]
    }

    /// Compares the journal with the plan about to run.
    public init(plan: Plan, journal: JournalState, answersHash: String?) {
        self.answersHash = answersHash
        previousAnswersHash = journal.answersHash
        hasHistory = journal.runs > 0 || !journal.steps.isEmpty
        answersChanged = journal.runs > 0 && journal.answersHash != answersHash
        lastRunStarted = journal.lastRunStarted
        lastRunFinished = journal.runFinished
        messages = journal.messages
        for step in plan.steps {
            let status = journal.steps[step.id]?.status
            if answersChanged {
                remaining.append(step.id)
                if status == .interrupted { interrupted.append(step.id) }
                if case .failed(let r)? = status { failed.append((step.id, r)) }
                continue
            }
            switch status {
            case .done?: done.append(step.id)
            case .alreadyDone?: done.append(step.id); alreadyDone.append(step.id)
            case .skipped?: skipped.append(step.id)
            case .interrupted?: interrupted.append(step.id); remaining.append(step.id)
            case .failed(let r)?: failed.append((step.id, r)); remaining.append(step.id)
            case .blocked?, nil: remaining.append(step.id)
            }
        }
        unknownSteps = journal.order.filter { plan.step($0) == nil }
    }
}

extension Runner {
    /// `ResumeReport(plan:journal:answersHash:)` for this runner's plan.
    public nonisolated func describeResume(from journal: JournalState) -> ResumeReport {
        ResumeReport(plan: plan, journal: journal, answersHash: answersHash)
    }
}
