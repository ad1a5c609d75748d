import ClusterCore
import ClusterEngine
import Foundation
import TermUI

/// The factory of the hosted page with no service (the summary), for the app's `HostedPages`:
/// `HostedPages(OperatorPages.factories())`. Run, Verify, "Check for changes", Backup and the
/// license checklist are values in the app's state, their work in ``AppServices``.
public enum OperatorPages {
    public static func factories() -> [HostedPage: @Sendable (HostedContext) -> any Screen] {
        [
            .summary: { SummaryScreen(context: $0) },
        ]
    }
}

extension SummaryScreen {
    /// The summary of a hosted context: what the journal says of the run, the license checklist when saved.
    public init(context: HostedContext) {
        var run: RunSummary?
        if let plan = context.plan, let dir = try? StateDir(path: context.stateDirectory),
           let journal = try? Journal.load(stateDir: dir), !journal.isEmpty {
            var outcomes: [StepOutcome] = []
            var remaining: [String] = []
            for step in plan.steps {
                if let e = journal.steps[step.id] {
                    outcomes.append(StepOutcome(stepID: step.id, host: step.host, status: e.status, attempt: 0, fromJournal: true))
                } else {
                    remaining.append(step.id)
                }
            }
            run = RunSummary(outcomes: outcomes, remaining: remaining, stopped: false, duration: .zero)
        }
        // The checklist as saved now: the license page may have recorded keys a moment ago.
        let licenses = (try? LicenseStore(directory: context.stateDirectory).load())?.map(\.rows)
        let verify = (try? StateDir(path: context.stateDirectory)).flatMap(VerifyRecord.load(from:))
        self.init(answers: context.answers, stateDir: context.stateDirectory, run: run,
                  probes: context.plan?.readOnlyStepIDs ?? [], verify: verify?.outcomes, verifiedAt: verify?.time, licenses: licenses,
                  defaultStateDir: try? StateDir.defaultPath(cluster: context.answers.cluster))
    }
}
