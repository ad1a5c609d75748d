import ClusterCore
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

    /// Notes in the state folder where the last backup went, so a backup sent elsewhere (`--to`)
    /// is found later (`status`).
    public static func recordLast(folder: String, stateDir: StateDir) {
        let absolute = folder.hasPrefix("/") ? folder : FileManager.default.currentDirectoryPath + "/" + folder
        try? AtomicFile.write(Data((absolute + "\n").utf8), to: stateDir.path + "/" + lastFileName, mode: 0o600)
    }

    /// The folder of the last backup recorded, or nil.
    public static func lastFolder(stateDir: StateDir) -> String? {
        FileManager.default.contents(atPath: stateDir.path + "/" + lastFileName)
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty ? nil : $0 }
    }

    static let lastFileName = "last-backup"

    /// `<cluster>-yyyyMMdd-HHmmss`.
    static func isBackupName(_ name: String, cluster: String) -> Bool {
        let prefix = cluster + "-"
        guard name.hasPrefix(prefix) else { return false }
        let time = Array(name.utf8.dropFirst(prefix.utf8.count))
        guard time.count == 15, time[8] == UInt8(ascii: "-") else { return false }
        return time.enumerated().allSatisfy { $0.offset == 8 || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0.element) }
    }
}
