import ClusterCore
import ClusterEngine
import Foundation
import TermUI

/// An install in progress, as the runtime drives it (``RunController``, or a fake in tests).
public protocol RunWork: AnyObject, Sendable {
    func start()
    func retry(_ stepID: String)
    func skip(_ stepID: String)
    /// Running steps end as interrupted; `.run(.idle)` follows when nothing runs.
    func stop()
    /// Stops, waits, closes the journal and the transports.
    func close() async
    /// Writes out every log line received so far (the logs are written by a thread of their own):
    /// called before a step's log file is read.
    func flushLogs()
}

extension RunWork {
    public func flushLogs() {}
}

/// Work of a page that is started, maybe started again, and closed when the page is left: the
/// cluster checks (``VerifyController``), the dry run (``DriftController``), a backup (``BackupService``).
public protocol PageWork: AnyObject, Sendable {
    /// Starts (again: cancelling a run in progress).
    func start()
    func close() async
}

/// What the runtime runs long work with. Each maker gets the page's context and the app's inbox
/// to post into; a thrown error is shown on the page instead of it.
public struct AppServices: Sendable {
    public var run: @Sendable (HostedContext, AppInbox) throws -> (RunScreen, any RunWork)
    public var verify: @Sendable (HostedContext, AppInbox) throws -> ([ClusterCheck], any PageWork)
    /// The dry run: the plan it checks.
    public var changes: @Sendable (HostedContext, AppInbox) throws -> (Plan, any PageWork)
    /// A backup: the folder it goes into.
    public var backup: @Sendable (HostedContext, AppInbox) throws -> (String, any PageWork)
    /// The license checklist and its service (none when the checklist cannot be opened: the page says why).
    public var licenses: @Sendable (HostedContext, AppInbox) -> (LicensePage, LicenseService?)
    /// Whether `$PAGER` or `less` can show a full log.
    public var pagerAvailable: @Sendable () -> Bool
    /// The checkup of "Check hosts and network" (and before an install).
    public var checkup: @Sendable (HostedContext, AppInbox) throws -> any PageWork
    /// The remote hosts' keys against known_hosts.
    public var scanKeys: @Sendable ([ClusterCore.Host], String) async -> [HostKeyScan]

    public init(run: @escaping @Sendable (HostedContext, AppInbox) throws -> (RunScreen, any RunWork),
                verify: @escaping @Sendable (HostedContext, AppInbox) throws -> ([ClusterCheck], any PageWork),
                changes: @escaping @Sendable (HostedContext, AppInbox) throws -> (Plan, any PageWork) = { _, _ in
                    throw Unavailable(what: "dry run") },
                backup: @escaping @Sendable (HostedContext, AppInbox) throws -> (String, any PageWork) = { _, _ in
                    throw Unavailable(what: "backup") },
                licenses: @escaping @Sendable (HostedContext, AppInbox) -> (LicensePage, LicenseService?) = { c, _ in
                    (LicensePage(problem: "\(Unavailable(what: "license"))", answers: c.answers, stateDirectory: c.stateDirectory,
                                 comeBack: "joget-cluster licenses"), nil) },
                pagerAvailable: (@Sendable () -> Bool)? = nil,
                checkup: @escaping @Sendable (HostedContext, AppInbox) throws -> any PageWork = { _, inbox in
                    NothingToCheck(inbox: inbox) },
                scanKeys: @escaping @Sendable ([ClusterCore.Host], String) async -> [HostKeyScan] = { hosts, _ in
                    hosts.map { HostKeyScan(host: $0.name, status: .known) } }) {
        self.run = run
        self.verify = verify
        self.changes = changes
        self.backup = backup
        self.licenses = licenses
        self.pagerAvailable = pagerAvailable ?? { Pager.isAvailable() }
        self.checkup = checkup
        self.scanKeys = scanKeys
    }

    /// No install and no checks: the pages say so (the default of tests that only walk the pages).
    public static let none = AppServices(
        run: { _, _ in throw Unavailable(what: "install") },
        verify: { _, _ in throw Unavailable(what: "checks") },
        pagerAvailable: { false })

    /// A service this program was not given.
    public struct Unavailable: Error, CustomStringConvertible {
        public var what: String
        public init(what: String) { self.what = what }
        public var description: String { "no \(what) service in this program" }
    }

    /// The real ones: the install session's runner and checks over SSH.
    public static let live = AppServices(
        run: { context, inbox in
            let session = try InstallSession(answers: context.answers, stateDirectory: context.stateDirectory,
                                             knownHostsFile: context.knownHostsFile)
            try session.saveAnswers()
            let controller = try RunController(session: session, secrets: context.secrets, resume: context.resume,
                                               inbox: inbox)
            return (RunScreen(session: session), controller)
        },
        verify: { context, inbox in
            let session = try InstallSession(answers: context.answers, stateDirectory: context.stateDirectory,
                                             knownHostsFile: context.knownHostsFile)
            let controller = VerifyController(session: session, secrets: context.secrets, inbox: inbox)
            return (controller.checks, controller)
        },
        changes: { context, inbox in
            let session = try InstallSession(answers: context.answers, stateDirectory: context.stateDirectory,
                                             knownHostsFile: context.knownHostsFile)
            return (session.plan, DriftController(session: session, secrets: context.secrets, inbox: inbox))
        },
        backup: { context, inbox in
            let folder = context.stateDirectory + "/backups"
            return (folder, try BackupService(context: context, folder: folder, inbox: inbox))
        },
        licenses: { context, inbox in LicensePage.hosted(context, inbox: inbox) },
        checkup: { context, inbox in try CheckupService(context: context, inbox: inbox) },
        scanKeys: { hosts, file in await CheckupService.scanKeys(hosts, knownHostsFile: file) })
}

/// The default checkup of tests that only walk the pages: no line, finished at once.
public final class NothingToCheck: PageWork {
    let inbox: AppInbox
    public init(inbox: AppInbox) { self.inbox = inbox }
    public func start() { inbox.post(.checkup(.finished)) }
    public func close() async {}
}
