import Foundation

/// One cluster's backups in one folder, newest first: the folders named `<cluster>-<yyyyMMdd-HHmmss>`
/// (as `Backup.folderName` writes them), each finished when its manifest reads and names the
/// cluster. Reads only; the parts' sums are checked when one is restored.
public struct BackupShelf: Sendable, Equatable {
    public struct Finished: Sendable, Equatable {
        public var name: String
        public var manifest: BackupManifest
        public var bytes: Int64 { manifest.parts.reduce(0) { $0 + $1.size } }
    }
    public var finished: [Finished] = []
    /// Backup folders without a readable manifest of this cluster: stopped, or still being taken.
    public var unfinished: [String] = []

    public static func read(directory: String, cluster: String) -> BackupShelf {
        var shelf = BackupShelf()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { name in
                var isFolder: ObjCBool = false
                return isBackupName(name, cluster: cluster)
                    && FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isFolder) && isFolder.boolValue
            }
            .sorted(by: >)   // the time in the name sorts as text: newest first
        for name in names {
            let manifest = FileManager.default.contents(atPath: directory + "/" + name + "/" + BackupManifest.fileName)
                .flatMap { try? JSONDecoder().decode(BackupManifest.self, from: $0) }
            if let manifest, manifest.cluster == cluster { shelf.finished.append(Finished(name: name, manifest: manifest)) } else { shelf.unfinished.append(name) }
        }
        return shelf
    }

    /// `<cluster>-yyyyMMdd-HHmmss`.
    static func isBackupName(_ name: String, cluster: String) -> Bool {
        let prefix = cluster + "-"
        guard name.hasPrefix(prefix) else { return false }
        let time = Array(name.utf8.dropFirst(prefix.utf8.count))
        guard time.count == 15, time[8] == UInt8(ascii: "-") else { return false }
        return time.enumerated().allSatisfy { $0.offset == 8 || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0.element) }
    }
}
