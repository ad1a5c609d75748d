import ClusterCore
import ClusterEngine
import Foundation
import TermUI

/// Runs the dry run for the "Check for changes" page in the background; the page drains its
/// events each frame, as with ``VerifyController``:
///
/// ```swift
/// let drift = DriftController(session: session, secrets: secrets)
/// var page = DriftScreen(plan: session.plan)
/// drift.start()
/// // each frame:        drift.drain(into: &page)
/// // leaving the page:  await drift.close()
/// ```
public final class DriftController: Sendable {
    private let makeCheck: @Sendable () throws -> DriftCheck
    private let onClose: (@Sendable () async -> Void)?
    private let wake: (@Sendable () -> Void)?
    private let inbox = Locked<[DriftEvent]>([])
    private let task = Locked<Task<Void, Never>?>(nil)
    private let startedAt = Locked(ContinuousClock.now)

    /// - Parameters:
    ///   - makeCheck: called for every run; it takes the state folder's lock (and throws while
    ///     another run holds it), released when the run ends.
    ///   - onClose: closes the transports (``close()`` calls it).
    ///   - wake: called when a verdict arrives, so the app redraws.
    public init(onClose: (@Sendable () async -> Void)? = nil, wake: (@Sendable () -> Void)? = nil,
                makeCheck: @escaping @Sendable () throws -> DriftCheck) {
        self.makeCheck = makeCheck
        self.onClose = onClose
        self.wake = wake
    }

    /// The dry run of an install session's plan, over one transport per host.
    public convenience init(session: InstallSession, secrets: SecretValues, wake: (@Sendable () -> Void)? = nil) {
        let pool = session.pool(secrets: secrets)
        self.init(onClose: { await pool.closeAll() }, wake: wake) { try session.driftCheck(secrets: secrets, pool: pool) }
    }

    /// Checks every step (after the run in progress, if any, has stopped and let go of the lock).
    public func start() {
        let makeCheck = self.makeCheck, inbox = self.inbox, wake = self.wake, startedAt = self.startedAt
        task.withLock { t in
            let previous = t
            previous?.cancel()
            t = Task {
                await previous?.value
                startedAt.withLock { $0 = .now }
                inbox.withLock { $0.append(.started) }
                let check: DriftCheck
                do { check = try makeCheck() } catch {
                    inbox.withLock { $0.append(.failed("\(error)")) }
                    wake?()
                    return
                }
                let report = await check.run { finding in
                    inbox.withLock { $0.append(.finding(finding)) }
                    wake?()
                }
                if !Task.isCancelled { inbox.withLock { $0.append(.finished(report)) } }
                wake?()
            }
        }
    }

    public func drain() -> [DriftEvent] { inbox.withLock { e in defer { e = [] }; return e } }

    public func drain(into screen: inout DriftScreen) {
        screen.apply(contentsOf: drain())
        screen.tick(elapsed: ContinuousClock.now - startedAt.withLock { $0 })
    }

    /// Waits for the current run to end.
    public func waitUntilDone() async {
        if let t = task.withLock({ $0 }) { await t.value }
    }

    /// Stops a run in progress, waits for it, and closes the transports.
    public func close() async {
        task.withLock { $0?.cancel() }
        await waitUntilDone()
        await onClose?()
    }
}

/// The "Check for changes" page with its dry run, as the app hosts it: `tick()` takes in the
/// verdicts, `.checkAgain` runs the checks anew here; the app sees `.back` (to the Welcome page).
public final class LiveDriftPage: Screen {
    public private(set) var screen: DriftScreen
    public let controller: DriftController?
    /// Why the checks could not be set up (the state folder, the answers), shown instead of the page.
    public let problem: String?

    public init(controller: DriftController, screen: DriftScreen, start: Bool = true) {
        self.controller = controller
        self.screen = screen
        problem = nil
        if start { controller.start() }
    }

    public init(context: HostedContext) {
        do {
            let session = try InstallSession(answers: context.answers, stateDirectory: context.stateDirectory,
                                             knownHostsFile: context.knownHostsFile)
            let controller = DriftController(session: session, secrets: context.secrets, wake: context.wake)
            self.controller = controller
            screen = DriftScreen(plan: session.plan)
            problem = nil
            controller.start()
        } catch {
            controller = nil
            screen = DriftScreen(plan: context.plan ?? Plan(steps: []))
            problem = "The checks cannot run: \(error)"
        }
    }

    deinit {
        if let controller { Task { await controller.close() } }
    }

    public var title: String { screen.title }
    public var legend: [KeyLegend.Item] { problem == nil ? screen.legend : [.init("Esc", "Back")] }
    public var help: String? { screen.help }

    public func handle(_ key: Key) -> ScreenRequest {
        guard let controller, problem == nil else { return key == .escape ? .back : .ignored }
        let request = screen.handle(key)
        if request == .checkAgain {
            controller.start()
            return .none
        }
        return request
    }

    public func tick() -> ScreenRequest {
        controller?.drain(into: &screen)
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
