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
    /// new one (default mode, no backup; not recorded until a run starts).
    static func pending(_ stateDir: StateDir, answers: Answers, installed: Answers?) throws -> Upgrade? {
        if let under = try load(stateDir), !under.isFinished, under.toBundle == answers.appServers.bundle {
            return under
        }
        guard let installed, !installed.appServers.nodes.isEmpty,
              installed.bundleOnHosts != answers.bundleOnHosts else { return nil }
        return detect(from: installed, to: answers, mode: nil, backup: nil)
    }

    /// A new upgrade from `installed`'s bundle to `answers`'; `mode` nil takes the versions' default.
    public static func detect(from installed: Answers, to answers: Answers, mode: Upgrade.Mode?, backup: String?) -> Upgrade {
        let from = label(installed), to = label(answers)
        return Upgrade(fromBundle: installed.appServers.bundle, toBundle: answers.appServers.bundle,
                       fromSource: installed.bundleOnHosts, toSource: answers.bundleOnHosts,
                       fromVersion: from, toVersion: to,
                       mode: mode ?? Upgrade.defaultMode(from: from, to: to, nodes: answers.appServers.nodes.count),
                       backup: backup, startedAt: Backup.iso(Date()))
    }

    /// The bundle's Joget version: from its top folder when it is a file here (a bundle's name may
    /// have been changed, its content not), else from its name; else its name without extension.
    public static func label(_ answers: Answers) -> String {
        let bundle = answers.appServers.bundle
        if answers.appServers.bundleOn == .local, let top = topFolder(of: bundle), let v = Upgrade.version(inName: top) { return v }
        if let v = Upgrade.version(inName: bundle) { return v }
        var base = String(bundle.split(separator: "/").last ?? "bundle")
        for ext in [".tar.gz", ".tgz", ".zip", ".tar"] where base.hasSuffix(ext) { base = String(base.dropLast(ext.count)) }
        return base
    }

    /// The first path component of the archive's first entry (`tar -t` / `unzip -Z1`), or nil.
    static func topFolder(of path: String) -> String? {
        guard FileManager.default.isReadableFile(atPath: path) else { return nil }
        let lister = path.hasSuffix(".zip") ? ["unzip", "-Z1", path] : ["tar", "-tf", path]
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = lister
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        // The first line is enough: the rest of a large bundle is not read (the lister gets SIGPIPE).
        var data = Data()
        while !data.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            data += chunk
        }
        try? out.fileHandleForReading.close()
        p.terminate()
        p.waitUntilExit()
        guard let line = String(data: data, encoding: .utf8)?.split(separator: "\n").first else { return nil }
        let top = line.split(separator: "/").first.map(String.init)
        return top == "." ? line.split(separator: "/").dropFirst().first.map(String.init) : top
    }
}
