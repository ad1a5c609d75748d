import Foundation
import Synchronization

/// The timeouts of one host's commands, kept by one sleeping task instead of a task per command.
/// Starting a task and arming its timer woke two threads for every command; here a command only
/// adds and removes an entry. The sleeper, woken at a deadline whose command has ended, sleeps on
/// to the next one; it is replaced only when a command's deadline comes before the one it sleeps to.
final class CommandTimer: Sendable {
    private struct Entry {
        var deadline: ContinuousClock.Instant
        var fire: @Sendable () -> Void
    }
    private struct State {
        var entries: [UInt64: Entry] = [:]
        var lastID: UInt64 = 0
        /// The current sleeper; an older one that wakes finds its generation stale and ends.
        var sleeper: Task<Void, Never>? = nil
        var generation: UInt64 = 0
        var wakeAt: ContinuousClock.Instant? = nil
    }
    private let state = Mutex(State())

    /// Calls `fire` at `deadline` unless `disarm` comes first. Returns the entry's id.
    func arm(at deadline: ContinuousClock.Instant, _ fire: @escaping @Sendable () -> Void) -> UInt64 {
        state.withLock { s in
            s.lastID += 1
            s.entries[s.lastID] = Entry(deadline: deadline, fire: fire)
            if let wakeAt = s.wakeAt, wakeAt <= deadline { return s.lastID }
            s.sleeper?.cancel()
            s.generation += 1
            s.wakeAt = deadline
            let generation = s.generation
            s.sleeper = Task.detached { [weak self] in await self?.sleep(until: deadline, generation: generation) }
            return s.lastID
        }
    }

    func disarm(_ id: UInt64) {
        state.withLock { _ = $0.entries.removeValue(forKey: id) }
    }

    /// Drops every entry and ends the sleeper (the host is closed).
    func cancelAll() {
        state.withLock { s in
            s.entries.removeAll()
            s.sleeper?.cancel()
            s.sleeper = nil
            s.wakeAt = nil
            s.generation += 1
        }
    }

    private func sleep(until first: ContinuousClock.Instant, generation: UInt64) async {
        var until = first
        while true {
            do { try await Task.sleep(until: until, clock: .continuous) } catch { return }
            let (due, next): ([Entry], ContinuousClock.Instant?) = state.withLock { s in
                guard s.generation == generation else { return ([], nil) }
                let now = ContinuousClock.now
                let due = s.entries.filter { $0.value.deadline <= now }
                for id in due.keys { s.entries[id] = nil }
                let next = s.entries.values.map(\.deadline).min()
                s.wakeAt = next
                if next == nil { s.sleeper = nil }
                return (Array(due.values), next)
            }
            for entry in due { entry.fire() }
            guard let next else { return }
            until = next
        }
    }
}
