import Foundation

/// Which of a cluster's backups in a folder go when only the newest `keep` are kept. Only
/// finished backups of this cluster are ever removed: a folder is one when its name is
/// `<cluster>-<yyyyMMdd-HHmmss>` and its manifest reads and names the cluster. Anything else
/// (another cluster's backups, a backup stopped before its manifest, a folder of the operator's)
/// is left where it is, and named when it looks like an unfinished backup of this cluster.
public struct BackupRetention: Sendable, Equatable {
    /// Finished backups kept, newest first.
    public var kept: [String] = []
    /// Finished backups beyond `keep`, newest first: these are removed.
    public var removed: [String] = []
    /// This cluster's backup folders without a readable manifest, left alone.
    public var unfinished: [String] = []

    /// Sorts the folders of `directory`; changes nothing. `current`, the backup just taken, is
    /// always kept, even when a clock set back made older backups look newer.
    public static func plan(directory: String, cluster: String, keep: Int, current: String? = nil) -> BackupRetention {
        var result = BackupRetention()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { name in
                var isFolder: ObjCBool = false
                return isBackupName(name, cluster: cluster)
                    && FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isFolder) && isFolder.boolValue
            }
            .sorted(by: >)   // the time in the name sorts as text: newest first
        if let current, names.contains(current) { result.kept.append(current) }
        for name in names where name != current {
            let manifest = FileManager.default.contents(atPath: directory + "/" + name + "/" + BackupManifest.fileName)
                .flatMap { try? JSONDecoder().decode(BackupManifest.self, from: $0) }
            guard let manifest, manifest.cluster == cluster else { result.unfinished.append(name); continue }
            if result.kept.count < keep { result.kept.append(name) } else { result.removed.append(name) }
        }
        return result
    }

    /// Removes the backups `plan` chose to remove; what it chose.
    public static func prune(directory: String, cluster: String, keep: Int, current: String? = nil) throws -> BackupRetention {
        let chosen = plan(directory: directory, cluster: cluster, keep: keep, current: current)
        for name in chosen.removed { try FileManager.default.removeItem(atPath: directory + "/" + name) }
        return chosen
    }

    /// `<cluster>-yyyyMMdd-HHmmss`, as `Backup.folderName` writes it.
    static func isBackupName(_ name: String, cluster: String) -> Bool {
        let prefix = cluster + "-"
        guard name.hasPrefix(prefix) else { return false }
        let time = Array(name.utf8.dropFirst(prefix.utf8.count))
        guard time.count == 15, time[8] == UInt8(ascii: "-") else { return false }
        return time.enumerated().allSatisfy { $0.offset == 8 || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0.element) }
    }
}
