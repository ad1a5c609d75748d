import ClusterCore
import ClusterEngine
import TermUI

/// Where the wizard is.
public enum AppPage: Sendable, Equatable {
    case welcome
    /// A page of questions: 0 hosts, 1 shared files, 2 database, 3 app servers, 4 load balancer.
    case setup(Int)
    case review
    /// A page the app hosts after the review: run, verify, licenses, summary.
    case hosted(HostedPage)
}

/// The pages after the review, built by factories the executable wires in (see ``HostedPages``).
public enum HostedPage: String, Sendable, CaseIterable {
    case run, verify, licenses, summary
    /// "Check for changes" from the Welcome page: the dry run. Esc returns to the Welcome page.
    case changes
    /// "Back up this cluster" from the Welcome page. Esc returns to the Welcome page.
    case backup
    /// "Check hosts and network" from the Review page, and the check Install runs first. Esc returns to the Review.
    case check

    public var title: String {
        switch self {
        case .run: return "Install"
        case .verify: return "Verify"
        case .licenses: return "Licenses"
        case .summary: return "Summary"
        case .changes: return "Check for changes"
        case .backup: return "Backup"
        case .check: return "Check hosts and network"
        }
    }

    /// The page that follows on `.next`.
    public var next: HostedPage? {
        switch self {
        case .run: return .verify
        case .verify: return .licenses
        case .licenses: return .summary
        case .summary, .changes, .backup, .check: return nil
        }
    }
}

/// What a hosted page is built from.
public struct HostedContext: Sendable {
    public var answers: Answers
    public var secrets: SecretValues
    /// The plan of the answers (present for run and verify; with the retirement of nodes gone from them).
    public var plan: Plan?
    /// The state folder (answers.yaml, journal, logs).
    public var stateDirectory: String
    /// Where known host keys are kept.
    public var knownHostsFile: String
    /// Go on with an unfinished install instead of starting a new run.
    public var resume: Bool

    public init(answers: Answers, secrets: SecretValues, plan: Plan?, stateDirectory: String, knownHostsFile: String,
                resume: Bool) {
        self.answers = answers; self.secrets = secrets; self.plan = plan
        self.stateDirectory = stateDirectory; self.knownHostsFile = knownHostsFile; self.resume = resume
    }
}

/// Factories for the pages after the review. A missing one shows a placeholder page.
public struct HostedPages: Sendable {
    public var factories: [HostedPage: @Sendable (HostedContext) -> any Screen]

    public init(_ factories: [HostedPage: @Sendable (HostedContext) -> any Screen] = [:]) {
        self.factories = factories
    }
}
