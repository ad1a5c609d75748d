import Foundation

/// An upgrade of Joget on every node, from the bundle installed to the one in the answers (or back,
/// for a rollback). Kept as `upgrade.json` in the state folder from its start, so that `resume`
/// plans the same steps after a stop, and `upgrade --rollback` knows where to return.
public struct Upgrade: Codable, Sendable, Equatable {
    public enum Mode: String, Codable, Sendable, CaseIterable {
        /// Every node stops behind a maintenance page; the first starts alone (it updates the schema).
        case safe
        /// Node by node, out of the balancer and back: the others serve meanwhile.
        case rolling
    }

    /// The bundles as the answers name them (`appServers.bundle`).
    public var fromBundle: String
    public var toBundle: String
    /// The bundles as the app hosts see them: what each node folder's `.joget-cluster-bundle` says.
    public var fromSource: String
    public var toSource: String
    public var fromVersion: String
    public var toVersion: String
    public var mode: Mode
    /// The backup taken first, or nil (`--no-backup`, or an upgrade the wizard started).
    public var backup: String?
    public var isRollback = false
    public var startedAt: String
    public var finishedAt: String?

    public init(fromBundle: String, toBundle: String, fromSource: String, toSource: String,
                fromVersion: String, toVersion: String, mode: Mode, backup: String? = nil,
                isRollback: Bool = false, startedAt: String, finishedAt: String? = nil) {
        self.fromBundle = fromBundle; self.toBundle = toBundle; self.fromSource = fromSource; self.toSource = toSource
        self.fromVersion = fromVersion; self.toVersion = toVersion; self.mode = mode; self.backup = backup
        self.isRollback = isRollback; self.startedAt = startedAt; self.finishedAt = finishedAt
    }

    public var isFinished: Bool { finishedAt != nil }

    /// `8.1.6 → 8.1.7 (rolling)`.
    public var title: String {
        "\(isRollback ? "rollback" : "upgrade") \(fromVersion) → \(toVersion) (\(mode.rawValue))"
    }

    /// The way back: the same mode, from where this one went to where it came from.
    public func rollback(startedAt: String) -> Upgrade {
        Upgrade(fromBundle: toBundle, toBundle: fromBundle, fromSource: toSource, toSource: fromSource,
                fromVersion: toVersion, toVersion: fromVersion, mode: mode, backup: backup, isRollback: true,
                startedAt: startedAt)
    }

    /// What a run of `answers` does to the installed Joget, in one sentence, or nil when the bundle
    /// is the same. Versions as the bundles' names say them (the wizard's Review).
    public static func sentence(installed: Answers, answers: Answers) -> String? {
        guard !installed.appServers.nodes.isEmpty, installed.bundleOnHosts != answers.bundleOnHosts else { return nil }
        let from = version(inName: installed.appServers.bundle) ?? "the installed bundle"
        let to = version(inName: answers.appServers.bundle) ?? "the new bundle"
        let mode = defaultMode(from: from, to: to, nodes: answers.appServers.nodes.count)
        return "This run upgrades Joget from \(from) to \(to), " + (mode == .rolling
            ? "node by node (rolling): the other nodes serve meanwhile."
            : "behind a maintenance page (safe): every node stops, the first starts alone.")
            + " No backup is taken here: take one first (joget-cluster backup), or use joget-cluster upgrade."
    }

    /// Rolling for a patch of the same minor version (8.1.6 → 8.1.7) with two nodes or more, safe
    /// otherwise: a new minor or major version may change the schema, which nodes of two versions
    /// must not share, and a single node has no other to serve meanwhile.
    public static func defaultMode(from: String, to: String, nodes: Int) -> Mode {
        guard nodes > 1, let a = Version(from), let b = Version(to), a.major == b.major, a.minor == b.minor else { return .safe }
        return .rolling
    }

    /// Why `mode` cannot be used, or nil.
    public static func refusal(_ mode: Mode, from: String, to: String, nodes: Int) -> String? {
        guard mode == .rolling else { return nil }
        if nodes < 2 { return "a rolling upgrade needs two nodes or more: with one, nothing serves while it is replaced (use --mode safe)" }
        if let a = Version(from), let b = Version(to), a.major != b.major || a.minor != b.minor {
            return "\(from) → \(to) is a new \(a.major != b.major ? "major" : "minor") version, which may change the database schema: nodes of both versions must not run together (use --mode safe)"
        }
        return nil
    }

    /// `8.1.6` from a bundle's name or its top folder: `joget-enterprise-linux-8.1.6.tar.gz`,
    /// `joget-enterprise-linux-8.1.6/` (as `JogetBuild` reads them). Nil when it carries no version.
    public static func version(inName name: String) -> String? { JogetBuild(bundleName: name).version }

    /// A dotted version, compared number by number.
    public struct Version: Comparable, Sendable {
        public let parts: [Int]
        public var major: Int { parts[0] }
        public var minor: Int { parts.count > 1 ? parts[1] : 0 }

        public init?(_ text: String) {
            let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
            let numbers = pieces.compactMap { Int($0) }
            guard !pieces.isEmpty, numbers.count == pieces.count, pieces.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }) else { return nil }
            parts = numbers
        }

        public static func < (a: Version, b: Version) -> Bool {
            for i in 0..<max(a.parts.count, b.parts.count) {
                let x = i < a.parts.count ? a.parts[i] : 0, y = i < b.parts.count ? b.parts[i] : 0
                if x != y { return x < y }
            }
            return false
        }
    }
}

extension Answers {
    /// The bundle as the app hosts see it: the uploaded copy's path for a local bundle.
    public var bundleOnHosts: String {
        appServers.bundleOn == .local ? appServers.installDir + "/.bundle/" + bundleFileName : appServers.bundle
    }

    /// The bundle's file name, without its folder.
    public var bundleFileName: String {
        String(appServers.bundle.split(separator: "/").last ?? Substring(appServers.bundle))
    }
}
