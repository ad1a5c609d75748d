import ClusterCore
@testable import ClusterEngine
import Foundation
import Testing
import TestSupport

/// `backup --keep N`: only this cluster's finished backups beyond the newest N are removed.
struct BackupRetentionTests {
    /// A folder of backups: finished ones of "prod" (each with a real manifest), one of "prod" that
    /// did not finish, one whose manifest names another cluster, one of "prod-eu" (a name that
    /// starts like prod's), and folders and files of the operator's.
    /// A finished backup at `folder`: each part holds its own name, then the manifest.
    static func finished(_ folder: String, cluster: String, createdAt: Date = Date(), nodes: [String] = ["node01@app1"]) async throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for part in BackupManifest.partNames { FileManager.default.createFile(atPath: folder + "/" + part, contents: Data(part.utf8)) }
        _ = try await BackupManifest.write(folder: folder, cluster: cluster, createdAt: createdAt, jogetVersion: "8.1.6", nodes: nodes)
    }

    static func shelf() async throws -> String {
        let dir = SSHFixture.tempDir("bk-keep")
        func finished(_ name: String, cluster: String) async throws { try await Self.finished(dir + "/" + name, cluster: cluster) }
        for t in ["20261201-020000", "20261202-020000", "20261203-020000", "20261204-020000"] {
            try await finished("prod-" + t, cluster: "prod")
        }
        try await finished("prod-eu-20261101-020000", cluster: "prod-eu")
        try await finished("prod-20261130-020000", cluster: "staging")   // copied in by hand, another cluster's
        try FileManager.default.createDirectory(atPath: dir + "/prod-20261203-120000", withIntermediateDirectories: true)   // stopped
        for other in ["prod-notes", "prod-2026120-020000", "prod-20261201x020000", "keep-me"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + other, withIntermediateDirectories: true)
        }
        FileManager.default.createFile(atPath: dir + "/prod-20261101-020000", contents: Data("a file".utf8))
        return dir
    }

    static func listing(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    @Test func keepsTheNewestFinishedAndRemovesOnlyOlderFinishedOnes() async throws {
        let dir = try await Self.shelf(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let before = Self.listing(dir)
        let plan = BackupRetention.plan(directory: dir, cluster: "prod", keep: 2)
        #expect(plan.kept == ["prod-20261204-020000", "prod-20261203-020000"])
        #expect(plan.removed == ["prod-20261202-020000", "prod-20261201-020000"])
        #expect(plan.unfinished == ["prod-20261203-120000", "prod-20261130-020000"])
        #expect(Self.listing(dir) == before, "plan changes nothing")

        let done = try BackupRetention.prune(directory: dir, cluster: "prod", keep: 2)
        #expect(done == plan)
        #expect(Self.listing(dir) == before.filter { !plan.removed.contains($0) })
        #expect(Self.listing(dir).contains("prod-eu-20261101-020000"))
        #expect(Self.listing(dir).contains("keep-me"))
    }

    @Test func theBackupJustTakenIsKeptWhateverTheClockSays() async throws {
        let dir = try await Self.shelf(); defer { try? FileManager.default.removeItem(atPath: dir) }
        // A clock set back: the backup just taken has the oldest name.
        let plan = BackupRetention.plan(directory: dir, cluster: "prod", keep: 1, current: "prod-20261201-020000")
        #expect(plan.kept == ["prod-20261201-020000"])
        #expect(plan.removed == ["prod-20261204-020000", "prod-20261203-020000", "prod-20261202-020000"])
    }

    @Test func keepingMoreThanThereAreRemovesNothing() async throws {
        let dir = try await Self.shelf(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let before = Self.listing(dir)
        let done = try BackupRetention.prune(directory: dir, cluster: "prod", keep: 30)
        #expect(done.kept.count == 4 && done.removed.isEmpty)
        #expect(Self.listing(dir) == before)
        #expect(BackupRetention.plan(directory: dir + "/missing", cluster: "prod", keep: 1) == BackupRetention())
    }

    @Test(arguments: [
        ("prod-20261204-020000", true), ("prod-20261204020000", false), ("prod-20261204-02000", false),
        ("prod-eu-20261204-020000", false), ("prod-2026120a-020000", false), ("prod--20261204-020000", false),
        ("xprod-20261204-020000", false), ("prod-20261204-020000/", false), ("prod-٢٠٢٦١٢٠٤-020000", false),
    ])
    func namesAreTheClusterAndAUTCTime(name: String, isBackup: Bool) {
        #expect(BackupShelf.isBackupName(name, cluster: "prod") == isBackup)
    }

    @Test func theNameTheBackupWritesIsOneRetentionKnows() {
        #expect(BackupShelf.isBackupName(Backup.folderName(cluster: "prod", at: Date()), cluster: "prod"))
    }
}

/// The backups `restore` lists when no folder is given.
struct BackupShelfTests {
    @Test func theShelfListsFinishedBackupsNewestFirstWithTheirManifests() async throws {
        let dir = try await BackupRetentionTests.shelf(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let shelf = BackupShelf.read(directory: dir, cluster: "prod")
        #expect(shelf.finished.map(\.name) == ["prod-20261204-020000", "prod-20261203-020000", "prod-20261202-020000", "prod-20261201-020000"])
        #expect(shelf.finished.allSatisfy { $0.manifest.cluster == "prod" && $0.manifest.jogetVersion == "8.1.6" })
        // The parts hold their own names: database.sql.gz (15) + wflow.tar.gz (12) + answers.yaml (12).
        #expect(shelf.finished[0].bytes == 39)
        #expect(shelf.unfinished == ["prod-20261203-120000", "prod-20261130-020000"])
        #expect(BackupShelf.read(directory: dir, cluster: "prod-eu").finished.map(\.name) == ["prod-eu-20261101-020000"])
    }

    /// Without a terminal, `restore` with no folder lists the backups and says what to give: exit 2,
    /// nothing restored.
    @Test(.enabled(if: BuiltBinary.path != nil, "the joget-cluster binary is not built"))
    func restoreWithoutAFolderListsTheBackups() async throws {
        let dir = try await BackupRetentionTests.shelf(); defer { try? FileManager.default.removeItem(atPath: dir) }
        var answers = try AnswersFile.decode(Assets.text("assets/examples/two-node.yaml")!)
        answers.cluster = "prod"
        try FileManager.default.createDirectory(atPath: dir + "/state", withIntermediateDirectories: true)
        try AnswersFile.encode(answers).write(toFile: dir + "/state/answers.yaml", atomically: true, encoding: .utf8)
        let r = Program.run([try #require(BuiltBinary.path), "restore", "--state-dir", dir + "/state", "--from", dir],
                            environment: ["HOME": dir, "PATH": "/usr/bin:/bin"])
        #expect(r.status == 2, "\(r.errors)")
        let rows = r.output.split(separator: "\n").map(String.init)
        #expect(rows.first == "Backups of prod in \(dir), newest first:")
        #expect(rows.dropFirst().first == "  1  prod-20261204-020000  Joget 8.1.6  39 B  1 node")
        #expect(rows.filter { $0.contains("  prod-2026") }.count == 4)
        #expect(r.output.contains("(not finished, no manifest.json: prod-20261203-120000)"))
        #expect(!r.output.contains("prod-eu"))
        #expect(r.errors.contains("give the backup folder to restore, for example \(dir)/prod-20261204-020000"), "\(r.errors)")

        let empty = Program.run([try #require(BuiltBinary.path), "restore", "--state-dir", dir + "/state", "--from", dir + "/keep-me"],
                                environment: ["HOME": dir, "PATH": "/usr/bin:/bin"])
        #expect(empty.status == 2)
        #expect(empty.errors.contains("no finished backup of prod in \(dir)/keep-me"), "\(empty.errors)")
    }
}
