import ClusterCore
import ClusterEngine
import Foundation
import Synchronization

/// The install service: owns a ``Runner`` for the Run page, starts it, posts its events into the
/// app's inbox (``AppInbox/post(run:)``, bounded per host) and carries out the page's requests
/// (retry, skip, stop). When nothing of it runs any more it posts `.run(.idle)`.
///
/// ```swift
/// let controller = try RunController(session: session, secrets: secrets, resume: true, inbox: runtime.inbox)
/// controller.start()                       // events arrive as .run(.events) messages
/// controller.retry("files.mount@app1")     // the runtime does this for the effect .run(.retry)
/// ```
///
/// Alone (tests, the bench), it makes an inbox of its own: ``drain(into:)`` applies what waits
/// there to a page and ``perform(_:)`` carries out a page request.
public final class RunController: RunWork {
    /// What ``perform(_:)`` did with a page request.
    public enum Outcome: Equatable, Sendable {
        /// Not a run request: the app handles it (`.next`, `.quit`, `.back`...).
        case notMine
        /// Done (retry, skip, abort started; their events follow).
        case handled
        /// Open this log: suspend the terminal and run a pager, or call ``RunScreen/showLog(path:maxLines:)``.
        case openLog(String)
        /// The runner was told to stop: await ``waitUntilIdle()`` (running steps end as interrupted), then quit.
        case quitWhenStopped
    }

    public let runner: Runner
    public let inbox: AppInbox
    private let pool: TransportPool?
    private let tasks = Locked<[Int: Task<Void, Never>]>([:])
    private let nextTask = Locked(0)
    private let clock = ContinuousClock()
    private let startedAt: ContinuousClock.Instant

    /// - Parameters:
    ///   - pool: closed by ``close()`` along with the runner.
    ///   - keepLinesPerHost: pending output lines kept per host when the app falls behind (with an inbox of its own).
    ///   - inbox: where events go (the runtime's); a new one when nil.
    public init(runner: Runner, pool: TransportPool? = nil, keepLinesPerHost: Int = 5_000, inbox: AppInbox? = nil) {
        self.runner = runner
        self.pool = pool
        let box = inbox ?? AppInbox(keepLinesPerHost: keepLinesPerHost)
        self.inbox = box
        startedAt = clock.now
        runner.observe { event in
            box.post(run: event)
        }
    }

    /// A runner for an install session (resuming from its journal when asked), with one transport per host.
    public convenience init(session: InstallSession, secrets: SecretValues, resume: Bool, keepLinesPerHost: Int = 5_000,
                            inbox: AppInbox? = nil) throws {
        let pool = session.pool(secrets: secrets)
        let runner = try session.runner(secrets: secrets, pool: pool, resume: resume)
        self.init(runner: runner, pool: pool, keepLinesPerHost: keepLinesPerHost, inbox: inbox)
    }

    // MARK: Driving

    /// Starts (or resumes) the run in the background.
    public func start() {
        let runner = self.runner
        spawn { _ = await runner.run() }
    }

    /// Runs a failed or interrupted step again; a refusal comes back as a notice on the page.
    public func retry(_ stepID: String) {
        let runner = self.runner
        spawn { [inbox] in
            do { _ = try await runner.retry(stepID) } catch {
                inbox.post(run: .notice("Retry of \(stepID) refused: \(error)"))
            }
        }
    }

    /// Skips an optional step; the runner refuses a required one (the page does not ask for it).
    public func skip(_ stepID: String) {
        let runner = self.runner
        spawn { [inbox] in
            do { _ = try await runner.skip(stepID) } catch {
                inbox.post(run: .notice("Skip of \(stepID) refused: \(error)"))
            }
        }
    }

    /// Stops the run: running steps end as interrupted (recorded, so the next start offers Resume).
    public func stop() { runner.stop() }
    public func flushLogs() { runner.logs.flush() }

    /// Carries out a Run page request (alone: the app turns requests into effects instead).
    @discardableResult
    public func perform(_ request: ScreenRequest) -> Outcome {
        switch request {
        case .run(.retry(let id)): retry(id); return .handled
        case .run(.skip(let id)): skip(id); return .handled
        case .run(.abort): stop(); return .handled
        case .run(.stopAndQuit): stop(); return .quitWhenStopped
        case .openLog(let path): return .openLog(path)
        default: return .notMine
        }
    }

    /// True while a run, retry or skip is in progress.
    public var isBusy: Bool { tasks.withLock { !$0.isEmpty } }

    /// Waits until no run, retry or skip is in progress.
    public func waitUntilIdle() async {
        while true {
            let pending = tasks.withLock { Array($0.values) }
            if pending.isEmpty { return }
            for t in pending { await t.value }
        }
    }

    /// Stops if needed, waits, then closes the runner (journal, streams) and every transport.
    public func close() async {
        stop()
        await waitUntilIdle()
        await runner.close()
        await pool?.closeAll()
    }

    // MARK: Draining (alone)

    /// Time since this controller was made: what ``RunScreen/tick(elapsed:)`` takes.
    public var elapsed: Duration { clock.now - startedAt }

    /// Ticks the page's clock and applies every run event waiting in the inbox to it.
    public func drain(into screen: inout RunScreen) {
        screen.tick(elapsed: elapsed)
        for message in inbox.drain() {
            if case .run(.events(let events, let leftOut)) = message { screen.apply(events, linesLeftOut: leftOut) }
        }
    }

    private func spawn(_ body: @escaping @Sendable () async -> Void) {
        let id = nextTask.withLock { n -> Int in n += 1; return n }
        // The task removes itself when done; registering under the same lock first avoids a race.
        tasks.withLock { t in
            t[id] = Task { [tasks, inbox] in
                await body()
                let idle = tasks.withLock { t -> Bool in
                    t.removeValue(forKey: id)
                    return t.isEmpty
                }
                if idle { inbox.post(.run(.idle)) }
            }
        }
    }
}
