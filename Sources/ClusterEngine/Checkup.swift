import ClusterCore
import Foundation

/// `joget-cluster check`, and what `apply` runs first: every host's preflight (the Hosts page's
/// connection test), then the network between the hosts measured from the hosts themselves
/// (`NetworkChecks`), then their clocks against each other. Read-only: a stand-in listener lives
/// only while its test runs.
public struct Checkup: Sendable {
    /// One line of the report: `PASS  db: SSH login  — root@10.0.0.5:22 (key)`.
    public struct Line: Sendable, Equatable {
        public enum Status: String, Sendable { case pass, warn, fail, notRun = "not-run" }
        public var status: Status
        public var title: String
        public var evidence: String

        public var word: String {
            switch status {
            case .pass: "PASS"
            case .warn: "WARN"
            case .fail: "FAIL"
            case .notRun: "NOT RUN"
            }
        }
        public var text: String { word + "  " + title + (evidence.isEmpty ? "" : "  — " + evidence) }
    }

    public var preflight: Preflight
    public var verifier: Verifier
    /// Clocks further apart than this, between any two hosts, are a warning: sessions and tokens
    /// replicated between nodes carry times.
    public var maxSkewSeconds = 2.0

    public init(preflight: Preflight, verifier: Verifier) {
        self.preflight = preflight; self.verifier = verifier
    }

    /// Runs everything for `answers`, handing each line to `onLine` as it is known.
    public func run(_ answers: Answers, word: String = String(UInt64.random(in: 1...UInt64.max), radix: 36),
                    onLine: @escaping @Sendable (Line) -> Void = { _ in }) async -> [Line] {
        var lines: [Line] = []
        func emit(_ line: Line) { lines.append(line); onLine(line) }

        let reports = await withTaskGroup(of: PreflightReport.self) { group in
            for host in answers.hosts { group.addTask { await preflight.preflight(host: host, answers: answers) } }
            var byName: [String: PreflightReport] = [:]
            for await report in group { byName[report.host] = report }
            return answers.hosts.compactMap { byName[$0.name] }
        }
        for report in reports {
            for row in report.rows { emit(Self.line(host: report.host, row)) }
        }
        if let clocks = Self.clocks(reports, maxSkew: maxSkewSeconds) { emit(clocks) }

        let reached = Set(reports.filter { $0.connectError == nil && $0.row("SSH login")?.status == .ok }.map(\.host))
        for check in NetworkChecks.checks(for: answers, word: word) {
            // A host not logged in to is already one FAIL line above; its tests cannot run.
            if let down = check.probes.map(\.host).first(where: { !reached.contains($0) }) {
                emit(Line(status: .notRun, title: check.title, evidence: "cannot log in to \(down)"))
                continue
            }
            for outcome in await verifier.run([check]) where outcome.id == check.id {
                emit(Line(status: Self.status(outcome.verdict), title: outcome.title, evidence: outcome.verdict.evidence))
            }
        }
        return lines
    }

    static func line(host: String, _ row: PreflightReport.Row) -> Line {
        let status: Line.Status = switch row.status {
        case .ok: .pass
        case .warn: .warn
        case .fail: .fail
        }
        return Line(status: status, title: "\(host): \(row.item)", evidence: row.message)
    }

    static func status(_ v: Verdict) -> Line.Status {
        switch v.status {
        case .pass: .pass
        case .fail: .fail
        case .notRun: .notRun
        }
    }

    /// The hosts' clocks against each other, from each one's offset to this machine; nil with fewer
    /// than two readings.
    static func clocks(_ reports: [PreflightReport], maxSkew: Double) -> Line? {
        let offsets = reports.compactMap { r in Double(r.facts["clock_skew"] ?? "").map { (r.host, $0) } }
        guard offsets.count > 1, let low = offsets.min(by: { $0.1 < $1.1 }), let high = offsets.max(by: { $0.1 < $1.1 }) else { return nil }
        let apart = high.1 - low.1
        let text = String(format: "%.1f s", apart)
        if apart > maxSkew {
            return Line(status: .warn, title: "Clocks between hosts",
                        evidence: "\(high.0) is \(text) ahead of \(low.0): set up NTP (chrony or systemd-timesyncd) on every host")
        }
        return Line(status: .pass, title: "Clocks between hosts", evidence: "within \(text) of each other")
    }

    /// The exit status when nothing failed but some check could not run, as `verify`'s.
    public static let notRunExitCode: Int32 = 4

    /// 0 when nothing failed and everything ran; 1 when a check failed; else ``notRunExitCode``.
    /// Warnings do not change it.
    public static func exitCode(_ lines: [Line]) -> Int32 {
        if lines.contains(where: { $0.status == .fail }) { return 1 }
        return lines.contains(where: { $0.status == .notRun }) ? notRunExitCode : 0
    }

    /// Whether an install goes on after its checks: never past a FAIL; past warnings or checks that
    /// did not run only when the operator says so, if there is one to ask (`ask` is nil for
    /// `apply --yes` and for input that is not a terminal: they go on).
    public static func installGoesOn(after lines: [Line], ask: (() -> Bool)?) -> Bool {
        if lines.contains(where: { $0.status == .fail }) { return false }
        guard let ask, lines.contains(where: { $0.status == .warn || $0.status == .notRun }) else { return true }
        return ask()
    }

    /// `5 passed, 1 warning, 1 failed, 0 not run`.
    public static func summary(_ lines: [Line]) -> String {
        let count = { (s: Line.Status) in lines.filter { $0.status == s }.count }
        let warnings = count(.warn)
        return "\(count(.pass)) passed, \(warnings) warning\(warnings == 1 ? "" : "s"), \(count(.fail)) failed, \(count(.notRun)) not run"
    }
}
