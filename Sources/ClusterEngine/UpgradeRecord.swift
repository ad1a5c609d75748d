import ClusterCore
import Foundation

/// `upgrade.json` in the state folder: the upgrade under way (so `resume` plans the same steps) or
/// the last one done (so `upgrade --rollback` knows where to return).
public enum UpgradeRecord {
    public static func load(_ stateDir: StateDir) throws -> Upgrade? {
        guard FileManager.default.fileExists(atPath: stateDir.upgradePath) else { return nil }
        return try JSONDecoder().decode(Upgrade.self, from: Data(contentsOf: URL(fileURLWithPath: stateDir.upgradePath)))
    }

    public static func save(_ upgrade: Upgrade, _ stateDir: StateDir) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(upgrade) + Data("\n".utf8), to: stateDir.upgradePath, mode: 0o600)
    }

    /// The upgrade a run of `answers` carries out: the one recorded as under way when it goes to
    /// the answers' bundle; else, when the answers name another bundle than the installed one, a
    /// new one (default mode, no backup, versions from the bundles' names; not recorded until a
    /// run starts). `upgrade` and `apply` read the versions from the bundles instead (`detect`).
    static func pending(_ stateDir: StateDir, answers: Answers, installed: Answers?) throws -> Upgrade? {
        if let under = try load(stateDir), !under.isFinished, under.toBundle == answers.appServers.bundle {
            return under
        }
        guard let installed, !installed.appServers.nodes.isEmpty,
              installed.bundleOnHosts != answers.bundleOnHosts else { return nil }
        return make(from: installed, to: answers, fromVersion: nameLabel(installed), toVersion: nameLabel(answers), mode: nil)
    }

    /// A new upgrade from `installed`'s bundle to `answers'`, the versions read from the bundles
    /// when they are files here; `mode` nil takes the versions' default.
    public static func detect(from installed: Answers, to answers: Answers, mode: Upgrade.Mode?) async -> Upgrade {
        make(from: installed, to: answers, fromVersion: await label(installed), toVersion: await label(answers), mode: mode)
    }

    static func make(from installed: Answers, to answers: Answers, fromVersion: String, toVersion: String, mode: Upgrade.Mode?) -> Upgrade {
        Upgrade(fromBundle: installed.appServers.bundle, toBundle: answers.appServers.bundle,
                fromSource: installed.bundleOnHosts, toSource: answers.bundleOnHosts,
                fromVersion: fromVersion, toVersion: toVersion,
                mode: mode ?? Upgrade.defaultMode(from: fromVersion, to: toVersion, nodes: answers.appServers.nodes.count),
                startedAt: Backup.iso(Date()))
    }

    /// The bundle's Joget version: from its top folder when it is a file here (a bundle's name may
    /// have been changed, its content not), else from its name; else its name without extension.
    static func label(_ answers: Answers) async -> String {
        let bundle = answers.appServers.bundle
        if answers.appServers.bundleOn == .local, let top = await topFolder(of: bundle), let v = Upgrade.version(inName: top) { return v }
        return nameLabel(answers)
    }

    static func nameLabel(_ answers: Answers) -> String {
        Upgrade.version(inName: answers.appServers.bundle) ?? JogetBuild.stem(answers.appServers.bundle)
    }

    /// The first path component of the archive's first entry, or nil. Only the first entry is
    /// read: `head` ends the listing of a large bundle there.
    static func topFolder(of path: String) async -> String? {
        guard FileManager.default.isReadableFile(atPath: path) else { return nil }
        let list = path.hasSuffix(".zip") ? "unzip -Z1 \"$1\"" : "tar -tf \"$1\""
        guard let r = try? await ProcessSupport.collect("/bin/sh", ["-c", list + " 2>/dev/null | head -n 1", "sh", path], limit: 4096),
              let line = r.out.split(separator: "\n").first else { return nil }
        let parts = line.split(separator: "/").map(String.init)
        return parts.first == "." ? parts.dropFirst().first : parts.first
    }
}
