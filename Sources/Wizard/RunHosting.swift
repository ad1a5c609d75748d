import ClusterCore
import ClusterEngine
import Foundation
import TermUI

/// The Run page with its runner, as the app hosts it (`HostedPages`): a reference, so the app's
/// `any Screen` can tick it without copying the log panes, and self-driving: `tick()` takes in
/// the runner's events, requests (retry, skip, abort, stop) go to the runner here, full logs open
/// inside the page. The app sees `.next` (installed: go to Verify), `.exit` (after "Stop and quit"
/// stopped the runner: nothing runs any more), `.quit` (F10 when nothing runs), and `.openLog`
/// only with ``opensLogsWithPager``.
public final class LiveRunPage: Screen {
    public private(set) var screen: RunScreen
    public let controller: RunController?
    /// Why the run could not be set up (invalid answers, state folder), shown instead of the page.
    public let problem: String?
    /// Hand `.openLog` to the app (which suspends the terminal for `$PAGER` or `less`) instead of
    /// showing the log here; by default when such a pager is installed.
    public var opensLogsWithPager = LiveRunPage.pagerAvailable()
    private var quitting = false

    public init(controller: RunController, screen: RunScreen, start: Bool = true) {
        self.controller = controller
        self.screen = screen
        problem = nil
        if start { controller.start() }
    }

    /// The install of a hosted context: saves the answers (no secrets), then starts or resumes the run.
    public init(context: HostedContext, logLayout: RunScreen.LogLayout = .tabs) {
        do {
            let session = try InstallSession(answers: context.answers, stateDirectory: context.stateDirectory,
                                             knownHostsFile: context.knownHostsFile)
            try session.saveAnswers()
            let controller = try RunController(session: session, secrets: context.secrets, resume: context.resume,
                                               wake: context.wake)
            self.controller = controller
            screen = RunScreen(session: session, logLayout: logLayout)
            problem = nil
            controller.start()
        } catch {
            controller = nil
            screen = RunScreen(plan: context.plan ?? Plan(steps: []))
            problem = "The install cannot start: \(error)"
        }
    }

    deinit {
        if let controller { Task { await controller.close() } }
    }

    /// `$PAGER` is set, or `less` is on the PATH.
    public static func pagerAvailable(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        if let pager = environment["PAGER"], !pager.isEmpty { return true }
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/less") }
    }

    public var title: String { screen.title }
    public var legend: [KeyLegend.Item] { problem == nil ? screen.legend : [.init("Esc", "Back")] }
    public var help: String? { screen.help }

    public func handle(_ key: Key) -> ScreenRequest {
        guard let controller, problem == nil else { return key == .escape ? .back : .ignored }
        let request = screen.handle(key)
        switch controller.perform(request) {
        case .notMine: return request
        case .handled: return .none
        case .openLog(let path):
            if opensLogsWithPager { return .openLog(path: path) }
            screen.showLog(path: path)
            return .none
        case .quitWhenStopped:
            quitting = true
            return .none
        }
    }

    public func tick() -> ScreenRequest {
        guard let controller else { return .none }
        controller.drain(into: &screen)
        if quitting && !controller.isBusy {
            quitting = false
            return .exit
        }
        return .none
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        screen.area = area   // paging keys use the real height
        if let problem {
            buffer.clear(area, style: theme[.normal])
            Paragraph(problem, role: .error).render(area.inset(horizontal: 2, vertical: 1), into: &buffer, theme: theme)
            return
        }
        screen.render(area, into: &buffer, theme: theme)
    }
}

/// The factories of the pages built here (and the dry run's), for the app's `HostedPages`:
/// `HostedPages(OperatorPages.factories())` (licenses are the license page's).
public enum OperatorPages {
    public static func factories() -> [HostedPage: @Sendable (HostedContext) -> any Screen] {
        [
            .run: { LiveRunPage(context: $0) },
            .verify: { LiveVerifyPage(context: $0) },
            .licenses: { LicensePage.hosted($0) },
            .summary: { SummaryScreen(context: $0) },
            .changes: { LiveDriftPage(context: $0) },
            .backup: { LiveBackupPage(context: $0) },
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
