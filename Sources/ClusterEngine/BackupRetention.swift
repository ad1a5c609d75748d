import Foundation

/// Which of a cluster's backups in a folder go when only the newest `keep` are kept. Only the
/// finished backups of `BackupShelf` are ever removed; anything else (another cluster's backups, a
/// backup stopped before its manifest, a folder of the operator's) is left where it is, and named
/// when it looks like an unfinished backup of this cluster.
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
        let shelf = BackupShelf.read(directory: directory, cluster: cluster)
        var result = BackupRetention(unfinished: shelf.unfinished)
        let names = shelf.finished.map(\.name)
        if let current, names.contains(current) { result.kept.append(current) }
        for name in names where name != current {
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
}
