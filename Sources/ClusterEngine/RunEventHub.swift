import Foundation
import Synchronization

/// Hands every event to each subscriber, in the order emitted. Events of one step are emitted one
/// after another by one task at a time, so every subscriber sees them in order.
public final class RunEventHub: Sendable {
    private struct State {
        var streams: [Int: AsyncStream<RunEvent>.Continuation] = [:]
        var observers: [Int: @Sendable (RunEvent) -> Void] = [:]
        var next = 0
        var closed = false
    }
    private let state = Mutex(State())

    public init() {}

    /// A stream of every event from now on (unbounded buffer). It ends when the hub is closed.
    public func subscribe() -> AsyncStream<RunEvent> {
        let (stream, continuation) = AsyncStream<RunEvent>.makeStream(bufferingPolicy: .unbounded)
        let id = state.withLock { s -> Int? in
            if s.closed { return nil }
            let id = s.next
            s.next += 1
            s.streams[id] = continuation
            return id
        }
        guard let id else { continuation.finish(); return stream }
        continuation.onTermination = { [weak self] _ in self?.state.withLock { _ = $0.streams.removeValue(forKey: id) } }
        return stream
    }

    /// Calls `observer` with every event, on the emitting task: keep it quick.
    @discardableResult
    public func observe(_ observer: @escaping @Sendable (RunEvent) -> Void) -> Int {
        state.withLock { s in
            let id = s.next
            s.next += 1
            s.observers[id] = observer
            return id
        }
    }

    public func removeObserver(_ id: Int) { state.withLock { _ = $0.observers.removeValue(forKey: id) } }

    public func emit(_ event: RunEvent) {
        let observers = state.withLock { s -> [@Sendable (RunEvent) -> Void] in
            guard !s.closed else { return [] }
            for c in s.streams.values { c.yield(event) }
            return s.observers.sorted { $0.key < $1.key }.map(\.value)
        }
        for o in observers { o(event) }
    }

    /// Ends every stream.
    public func close() {
        let streams = state.withLock { s -> [AsyncStream<RunEvent>.Continuation] in
            s.closed = true
            let all = Array(s.streams.values)
            s.streams.removeAll()
            s.observers.removeAll()
            return all
        }
        for c in streams { c.finish() }
    }
}
