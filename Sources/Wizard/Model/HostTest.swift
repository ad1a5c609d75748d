import ClusterCore
import TermUI

/// What a connection test reached: the host's name and the address, port, user and login it used.
/// A result is about this, not about whatever the host's row says later.
public struct TestedHost: Sendable, Equatable {
    public var name: String
    public var address: String
    public var port: Int
    public var user: String
    public var auth: ClusterCore.Host.Auth

    public init(_ host: ClusterCore.Host) {
        name = host.name
        address = host.address
        port = host.port
        user = host.user
        auth = host.auth
    }

    /// `deploy@10.0.0.5:22`, or the address alone for the local machine.
    public var text: String { auth == .local ? address : "\(user)@\(address):\(port)" }
}

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
    /// The host as tested; nil until the app records it (it fills in the host's row as it is then).
    public var tested: TestedHost?

    public init(checks: [Check] = [], isRunning: Bool = false, tested: TestedHost? = nil) {
        self.checks = checks
        self.isRunning = isRunning
        self.tested = tested
    }

    /// The host's row no longer says what was tested (its name, address, port, user or login was edited).
    public func isStale(for host: ClusterCore.Host) -> Bool {
        tested.map { $0 != TestedHost(host) } ?? false
    }

    /// What the host list shows in its Test column for `host` as its row is now.
    public func summary(for host: ClusterCore.Host) -> String {
        isStale(for: host) ? "stale" : summary
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
