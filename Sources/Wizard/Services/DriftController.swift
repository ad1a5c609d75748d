import ClusterCore
import ClusterEngine
import Foundation
import TermUI

/// The dry-run service of the "Check for changes" page: checks every step in the background and
/// posts the verdicts into the app's inbox as `.changes(.events)` messages, as ``VerifyController``.
public final class DriftController: PageWork {
    private let makeCheck: @Sendable () throws -> DriftCheck
    private let onClose: (@Sendable () async -> Void)?
    public let inbox: AppInbox
    private let task = Locked<Task<Void, Never>?>(nil)

    /// - Parameters:
    ///   - makeCheck: called for every run; it takes the state folder's lock (and throws while
    ///     another run holds it), released when the run ends.
    ///   - onClose: closes the transports (``close()`` calls it).
    ///   - inbox: where verdicts go (the runtime's); a new one when nil.
    public init(onClose: (@Sendable () async -> Void)? = nil, inbox: AppInbox? = nil,
                makeCheck: @escaping @Sendable () throws -> DriftCheck) {
        self.makeCheck = makeCheck
        self.onClose = onClose
        self.inbox = inbox ?? AppInbox()
    }

    /// The dry run of an install session's plan, over one transport per host.
    public convenience init(session: InstallSession, secrets: SecretValues, inbox: AppInbox? = nil) {
        let pool = session.pool(secrets: secrets)
        self.init(onClose: { await pool.closeAll() }, inbox: inbox) { try session.driftCheck(secrets: secrets, pool: pool) }
    }

    /// Checks every step (after the run in progress, if any, has stopped and let go of the lock).
    public func start() {
        let makeCheck = self.makeCheck, inbox = self.inbox
        task.withLock { t in
            let previous = t
            previous?.cancel()
            t = Task {
                await previous?.value
                inbox.post(.changes(.events([.started])))
                let check: DriftCheck
                do { check = try makeCheck() } catch {
                    inbox.post(.changes(.events([.failed("\(error)")])))
                    return
                }
                let report = await check.run { finding in
                    inbox.post(.changes(.events([.finding(finding)])))
                }
                if !Task.isCancelled { inbox.post(.changes(.events([.finished(report)]))) }
            }
        }
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

