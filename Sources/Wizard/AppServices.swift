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
}

/// A run of the cluster checks (``VerifyController``, or a fake).
public protocol VerifyWork: AnyObject, Sendable {
    /// Starts a run of the checks (cancelling one in progress).
    func start()
    func close() async
}

/// What the runtime runs long work with. Each maker gets the page's context and the app's inbox
/// to post into; a thrown error is shown on the page instead of it.
public struct AppServices: Sendable {
    public var run: @Sendable (HostedContext, AppInbox) throws -> (RunScreen, any RunWork)
    public var verify: @Sendable (HostedContext, AppInbox) throws -> ([ClusterCheck], any VerifyWork)
    /// Whether `$PAGER` or `less` can show a full log.
    public var pagerAvailable: @Sendable () -> Bool

    public init(run: @escaping @Sendable (HostedContext, AppInbox) throws -> (RunScreen, any RunWork),
                verify: @escaping @Sendable (HostedContext, AppInbox) throws -> ([ClusterCheck], any VerifyWork),
                pagerAvailable: (@Sendable () -> Bool)? = nil) {
        self.run = run
        self.verify = verify
        self.pagerAvailable = pagerAvailable ?? { Pager.isAvailable() }
    }

    /// No install and no checks: the pages say so (the default of tests that only walk the pages).
    public static let none = AppServices(
        run: { _, _ in throw Unavailable(what: "install") },
        verify: { _, _ in throw Unavailable(what: "checks") },
        pagerAvailable: { false })

    struct Unavailable: Error, CustomStringConvertible {
        var what: String
        var description: String { "no \(what) service in this program" }
    }

    /// The real ones: the install session's runner and checks over SSH.
    public static let live = AppServices(
        run: { context, inbox in
            let session = try InstallSession(answers: context.answers, stateDirectory: context.stateDirectory,
                                             knownHostsFile: context.knownHostsFile)
            try session.saveAnswers()
            let controller = try RunController(session: session, secrets: context.secrets, resume: context.resume,
                                               inbox: inbox, wake: context.wake)
            return (RunScreen(session: session), controller)
        },
        verify: { context, inbox in
            let session = try InstallSession(answers: context.answers, stateDirectory: context.stateDirectory,
                                             knownHostsFile: context.knownHostsFile)
            let controller = VerifyController(session: session, secrets: context.secrets, inbox: inbox)
            return (controller.checks, controller)
        })
}
