import ClusterCore
import ClusterEngine
import Foundation

/// The verify service: runs the cluster checks for the Verify page in the background and posts
/// what they find into the app's inbox as `.verify(.events)` messages. The runtime starts it
/// again for the effect `.verify(.again)` and closes it when the page is left.
///
/// Alone (tests), it makes an inbox of its own, drained by ``drain(into:)``.
public final class VerifyController: PageWork {
    /// The checks of the current (or next) run.
    public var checks: [ClusterCheck] { current.withLock { $0 } }

    private let makeChecks: @Sendable () -> [ClusterCheck]
    private let verifier: Verifier
    private let onClose: (@Sendable () async -> Void)?
    private let current: Locked<[ClusterCheck]>
    public let inbox: AppInbox
    private let task = Locked<Task<Void, Never>?>(nil)
    private let runs = Locked(0)   // runs started but not ended
    private let clock = ContinuousClock()
    private let startedAt: ContinuousClock.Instant

    /// - Parameters:
    ///   - makeChecks: called for every run, so each run writes its own test token.
    ///   - onClose: closes the transports (``close()`` calls it).
    public init(verifier: Verifier, onClose: (@Sendable () async -> Void)? = nil, inbox: AppInbox? = nil,
                makeChecks: @escaping @Sendable () -> [ClusterCheck]) {
        self.verifier = verifier
        self.inbox = inbox ?? AppInbox()
        self.onClose = onClose
        self.makeChecks = makeChecks
        current = Locked(makeChecks())
        startedAt = clock.now
    }

    /// The checks for an install session's answers, over one transport per host.
    public convenience init(session: InstallSession, secrets: SecretValues, timeout: Duration = .seconds(60),
                            inbox: AppInbox? = nil) {
        let pool = session.pool(secrets: secrets)
        let answers = session.answers
        var verifier = session.verifier(secrets: secrets, pool: pool)
        verifier.timeout = timeout
        self.init(verifier: verifier, onClose: { await pool.closeAll() }, inbox: inbox) { VerifyReport.checks(for: answers) }
    }

    /// Starts a run of the checks (cancelling one in progress); rows appear as outcomes arrive.
    public func start() {
        let checks = makeChecks()
        current.withLock { $0 = checks }
        let verifier = self.verifier
        let inbox = self.inbox
        let runs = self.runs
        task.withLock { t in
            t?.cancel()
            inbox.post(.verify(.events([.started(checks.map { VerifyScreen.Row(id: $0.id, layer: $0.layer, title: $0.title) })])))
            runs.withLock { $0 += 1 }
            t = Task {
                _ = await verifier.run(checks) { outcome in
                    guard !Task.isCancelled else { return }
                    inbox.post(.verify(.events([.outcome(outcome)])))
                }
                if !Task.isCancelled { inbox.post(.verify(.events([.finished]))) }
                runs.withLock { $0 -= 1 }
            }
        }
    }

    /// Handles `.checkAgain`; false for requests that are the app's.
    @discardableResult
    public func perform(_ request: ScreenRequest) -> Bool {
        guard request == .checkAgain else { return false }
        start()
        return true
    }

    /// Alone: ticks the page's clock and applies every verify event waiting in the inbox.
    public func drain(into screen: inout VerifyScreen) {
        screen.tick(elapsed: clock.now - startedAt)
        for message in inbox.drain() {
            if case .verify(.events(let events)) = message { screen.apply(contentsOf: events) }
        }
    }

    /// True while checks run.
    public var isRunning: Bool { runs.withLock { $0 } > 0 }

    /// Waits for the current run to end.
    public func waitUntilDone() async {
        if let t = task.withLock({ $0 }) { await t.value }
    }

    public func cancel() { task.withLock { $0?.cancel() } }

    /// Cancels a run in progress, waits for it, and closes the transports.
    public func close() async {
        cancel()
        await waitUntilDone()
        await onClose?()
    }
}
