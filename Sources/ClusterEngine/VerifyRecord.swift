import ClusterCore
import Foundation

/// The last complete run of the cluster checks, kept in `verify.json` in the state folder, so the
/// Summary (and a later start) can say when the cluster was last proven and what failed. Evidence
/// is already redacted; the file is 0600 all the same, like everything in the state folder.
public struct VerifyRecord: Codable, Sendable, Equatable {
    public struct Check: Codable, Sendable, Equatable {
        public var id: String
        public var layer: Int
        public var title: String
        /// True only for a pass; kept beside `status` for files written before checks could be not run.
        public var passed: Bool
        /// pass, fail or not-run; nil in a file written before checks could be not run (then `passed` says).
        public var status: Verdict.Status?
        /// For a check not run: why.
        public var evidence: String
        public var seconds: Double
    }
    public var time: Date          // when the run ended (ISO 8601 in the file)
    public var checks: [Check]

    public init(outcomes: [CheckOutcome], time: Date = Date()) {
        self.time = time
        checks = outcomes.map {
            Check(id: $0.id, layer: $0.layer.rawValue, title: $0.title, passed: $0.verdict.passed,
                  status: $0.verdict.status, evidence: $0.verdict.evidence, seconds: Double($0.duration.components.seconds)
                      + Double($0.duration.components.attoseconds) / 1e18)
        }
    }

    /// The checks as outcomes again (a layer this build does not know counts as the hosts').
    public var outcomes: [CheckOutcome] {
        checks.map {
            CheckOutcome(id: $0.id, layer: Layer(rawValue: $0.layer) ?? .hosts, title: $0.title,
                         verdict: Verdict(status: $0.status ?? ($0.passed ? .pass : .fail), evidence: $0.evidence),
                         duration: .milliseconds(Int64(($0.seconds * 1000).rounded())))
        }
    }

    public func save(to stateDir: StateDir) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try AtomicFile.write(try encoder.encode(self), to: stateDir.verifyPath, mode: 0o600)
    }

    /// The record, or nil when the checks never ran to the end here (or the file is unreadable).
    public static func load(from stateDir: StateDir) -> VerifyRecord? {
        guard let data = FileManager.default.contents(atPath: stateDir.verifyPath) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(VerifyRecord.self, from: data)
    }
}
