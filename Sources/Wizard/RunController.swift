import ClusterCore
import ClusterEngine
import Foundation
import Synchronization

/// Owns a ``Runner`` for the Run page: starts it, collects its events in a thread-safe inbox the
/// app drains each frame, and carries out the page's requests (retry, skip, abort, stop).
///
/// ```swift
/// let controller = try RunController(session: session, secrets: secrets, resume: true)
/// var page = RunScreen(session: session)
/// controller.start()
/// // each frame:
/// controller.drain(into: &page)            // ticks the clock and applies every pending event
/// // after a key:
/// let request = page.handle(key)
/// switch controller.perform(request) {
/// case .openLog(let path): /* suspend the terminal and run less, or: */ page.showLog(path: path)
/// case .quitWhenStopped: await controller.waitUntilIdle(); await controller.close(); /* quit */
/// case .handled: break
/// case .notMine: /* .next, .quit...: the app's own */ break
/// }
/// ```
///
/// The inbox is bounded: when the app drains slower than a step prints, only the last
/// `keepLinesPerHost` pending lines of each host are kept (the page would drop older ones anyway;
/// the full text is on disk) and the page is told how many were left out.
public final class RunController: Sendable {
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
    private let pool: TransportPool?
    private let inbox: Locked<Inbox>
    private let tasks = Locked<[Int: Task<Void, Never>]>([:])
    private let nextTask = Locked(0)
    private let clock = ContinuousClock()
    private let startedAt: ContinuousClock.Instant

    /// - Parameters:
    ///   - pool: closed by ``close()`` along with the runner.
    ///   - keepLinesPerHost: pending output lines kept per host when the app falls behind.
    ///   - wake: called from the emitting thread when an event lands in an empty inbox (at most once
    ///     per drain, however fast lines come), so the app can redraw without polling.
    public init(runner: Runner, pool: TransportPool? = nil, keepLinesPerHost: Int = 5_000,
                wake: (@Sendable () -> Void)? = nil) {
        self.runner = runner
        self.pool = pool
        let box = Locked(Inbox(keep: max(1, keepLinesPerHost)))
        inbox = box
        startedAt = clock.now
        runner.observe { event in
            let first = box.withLock { inbox -> Bool in
                let wasEmpty = inbox.events.isEmpty
                inbox.push(event)
                return wasEmpty
            }
            if first { wake?() }
        }
    }

    /// A runner for an install session (resuming from its journal when asked), with one transport per host.
    public convenience init(session: InstallSession, secrets: SecretValues, resume: Bool, keepLinesPerHost: Int = 5_000,
                            wake: (@Sendable () -> Void)? = nil) throws {
        let pool = session.pool(secrets: secrets)
        let runner = try session.runner(secrets: secrets, pool: pool, resume: resume)
        self.init(runner: runner, pool: pool, keepLinesPerHost: keepLinesPerHost, wake: wake)
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
                inbox.withLock { $0.push(.notice("Retry of \(stepID) refused: \(error)")) }
            }
        }
    }

    /// Skips an optional step; the runner refuses a required one (the page does not ask for it).
    public func skip(_ stepID: String) {
        let runner = self.runner
        spawn { [inbox] in
            do { _ = try await runner.skip(stepID) } catch {
                inbox.withLock { $0.push(.notice("Skip of \(stepID) refused: \(error)")) }
            }
        }
    }

    /// Stops the run: running steps end as interrupted (recorded, so the next start offers Resume).
    public func stop() { runner.stop() }

    /// Carries out a Run page request.
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

    // MARK: Draining

    /// Time since this controller was made: what ``RunScreen/tick(elapsed:)`` takes.
    public var elapsed: Duration { clock.now - startedAt }

    /// Takes every pending event, oldest first, and how many output lines of each host were left out.
    public func drain() -> (events: [RunEvent], linesLeftOut: [String: Int]) {
        inbox.withLock { $0.take() }
    }

    /// Ticks the page's clock and applies every pending event to it.
    public func drain(into screen: inout RunScreen) {
        screen.tick(elapsed: elapsed)
        let (events, leftOut) = drain()
        for (host, n) in leftOut.sorted(by: { $0.key < $1.key }) { screen.noteLinesLeftOut(host: host, count: n) }
        screen.apply(contentsOf: events)
    }

    private func spawn(_ body: @escaping @Sendable () async -> Void) {
        let id = nextTask.withLock { n -> Int in n += 1; return n }
        // The task removes itself when done; registering under the same lock first avoids a race.
        tasks.withLock { t in
            t[id] = Task { [tasks] in
                await body()
                _ = tasks.withLock { $0.removeValue(forKey: id) }
            }
        }
    }
}

/// Events waiting for the app, with output lines bounded per host.
struct Inbox {
    let keep: Int
    private(set) var events: [RunEvent] = []
    private var outputs = 0           // output lines pending
    private var threshold: Int
    private var leftOut: [String: Int] = [:]

    init(keep: Int) {
        self.keep = keep
        threshold = max(4 * keep, 20_000)
    }

    mutating func push(_ event: RunEvent) {
        events.append(event)
        if case .output(let batch) = event {
            outputs += batch.lines.count
            if outputs > threshold { compact() }
        }
    }

    /// Drops the oldest pending output lines of each host beyond `keep` (a batch across the limit
    /// keeps its newest lines). Amortised O(1) per line: the next compaction waits until the inbox
    /// doubled again.
    mutating func compact() {
        var kept: [String: Int] = [:]
        var out: [RunEvent] = []
        out.reserveCapacity(events.count)
        for e in events.reversed() {
            if case .output(var batch) = e {
                let k = kept[batch.host, default: 0]
                let room = max(0, keep - k)
                if batch.lines.count > room {
                    leftOut[batch.host, default: 0] += batch.lines.count - room
                    if room == 0 { continue }
                    batch.lines.removeFirst(batch.lines.count - room)
                }
                kept[batch.host] = k + batch.lines.count
                out.append(.output(batch))
            } else {
                out.append(e)
            }
        }
        events = out.reversed()
        outputs = kept.values.reduce(0, +)
        threshold = max(4 * keep, 20_000, 2 * outputs)
    }

    mutating func take() -> ([RunEvent], [String: Int]) {
        defer {
            events = []
            outputs = 0
            leftOut = [:]
        }
        return (events, leftOut)
    }
}

extension RunScreen {
    /// Notes in a host's pane that `count` lines were not shown (the app fell behind a flood).
    public mutating func noteLinesLeftOut(host: String, count: Int) {
        guard count > 0, let h = hostIndex[host] else { return }
        linesLeftOut += count
        panes[h].lines.append(PaneLine(step: -1, isMarker: true,
                                       text: "... \(count) lines not shown here: the step's full log has them (o)"))
    }
}

/// A value behind a lock, shareable between tasks (a class, so closures can hold it).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout sending Value) throws -> sending R) rethrows -> R {
        try mutex.withLock(body)
    }
}
