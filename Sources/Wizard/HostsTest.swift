import ClusterCore
import TermUI

/// The result of one "Test connection" of one host: a row per check.
public struct HostTest: Sendable, Equatable {
    public enum Outcome: String, Sendable, Equatable {
        case running, ok, warn, fail
    }

    public struct Check: Sendable, Equatable {
        public var name: String
        public var outcome: Outcome
        public var detail: String
        public init(_ name: String, _ outcome: Outcome, _ detail: String = "") {
            self.name = name; self.outcome = outcome; self.detail = detail
        }
    }

    public var checks: [Check]
    /// Still running in the background.
    public var isRunning: Bool

    public init(checks: [Check] = [], isRunning: Bool = false) {
        self.checks = checks
        self.isRunning = isRunning
    }

    public static let started = HostTest(checks: [Check("SSH login", .running, "connecting...")], isRunning: true)

    /// The worst outcome: what the host list shows in its Test column.
    public var summary: String {
        if isRunning { return "testing..." }
        if checks.contains(where: { $0.outcome == .fail }) { return "FAILED" }
        if checks.contains(where: { $0.outcome == .warn }) { return "ok, warnings" }
        return checks.isEmpty ? "" : "ok"
    }

    /// Rows for a ``StatusList``.
    public var rows: [StatusList.Row] {
        checks.map { c in
            let mark: StatusList.Mark
            switch c.outcome {
            case .running: mark = .running
            case .ok: mark = .done
            case .warn: mark = .attention
            case .fail: mark = .failed
            }
            let word: String
            switch c.outcome {
            case .running: word = ""
            case .ok: word = "ok"
            case .warn: word = "warn"
            case .fail: word = "FAIL"
            }
            let name = TextLayout.pad(c.name, to: 12)
            return StatusList.Row(mark, "\(name) \(TextLayout.pad(word, to: 4))", detail: c.detail)
        }
    }
}
