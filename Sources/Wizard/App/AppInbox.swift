import ClusterEngine
import Synchronization

/// The app's only message queue: services post into it from any thread, the runtime drains it
/// every turn of the loop. A run's events are held apart, bounded per host (``RunEventBuffer``), and
/// come out as one `.run(.events)` message per drain, so a flood of output is applied in batches.
public final class AppInbox: Sendable {
    private struct Queue {
        var messages: [AppMessage] = []
        var run: RunEventBuffer
        /// Where the run's batch goes among the messages: after those posted before its first event.
        var runSlot: Int?
    }
    private let queue: Mutex<Queue>

    /// - Parameter keepLinesPerHost: a run's pending output lines kept per host when the app falls behind.
    public init(keepLinesPerHost: Int = 5_000) {
        queue = Mutex(Queue(run: RunEventBuffer(keep: max(1, keepLinesPerHost))))
    }

    public func post(_ message: AppMessage) { queue.withLock { $0.messages.append(message) } }

    /// A runner's event; returns whether it was the first one waiting since the last drain.
    @discardableResult
    public func post(run event: RunEvent) -> Bool {
        queue.withLock { q in
            let wasEmpty = q.run.events.isEmpty
            if q.runSlot == nil {
                q.runSlot = q.messages.count
                q.messages.append(.run(.events([], linesLeftOut: [:])))
            }
            q.run.push(event)
            return wasEmpty
        }
    }

    /// Every message waiting, oldest first; the run's events as one batch, where the first of them came.
    public func drain() -> [AppMessage] {
        queue.withLock { q in
            var out = q.messages
            q.messages = []
            if let slot = q.runSlot {
                let (events, leftOut) = q.run.take()
                out[slot] = .run(.events(events, linesLeftOut: leftOut))
                q.runSlot = nil
            }
            return out
        }
    }

    public var isEmpty: Bool { queue.withLock { $0.messages.isEmpty && $0.run.events.isEmpty } }
}
