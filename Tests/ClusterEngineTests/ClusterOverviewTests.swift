import ClusterCore
@testable import ClusterEngine
import Foundation
import Testing

/// `status`'s overview, from the state folder alone: each fact in a row, what needs the operator marked.
struct ClusterOverviewTests {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    static func answers() throws -> Answers {
        var a = try AnswersFile.decode(Assets.text("assets/examples/two-node.yaml")!)
        a.cluster = "prod"
        return a
    }

    static func state() throws -> StateDir {
        try StateDir(path: SSHFixture.tempDir("overview") + "/state")
    }

    static func row(_ o: ClusterOverview, _ label: String) -> ClusterOverview.Row? { o.rows.first { $0.label == label } }

    @Test func answersOnlyNeedAnInstallAndNothingElse() throws {
        let a = try Self.answers(), dir = try Self.state()
        defer { try? FileManager.default.removeItem(atPath: (dir.path as NSString).deletingLastPathComponent) }
        try AnswersFile.save(a, to: dir.answersPath)
        let o = ClusterOverview(answers: a, stateDir: dir, now: Self.now)
        #expect(o.rows == [.init(label: "Installed", text: "not yet; the answers are saved", next: "joget-cluster apply installs them", needsAttention: false)])
        #expect(o.rows[0].line == "not yet; the answers are saved: joget-cluster apply installs them")
    }

    @Test func anInstalledClusterWithNothingDoneSinceSaysWhatIsLeft() throws {
        let a = try Self.answers(), dir = try Self.state()
        defer { try? FileManager.default.removeItem(atPath: (dir.path as NSString).deletingLastPathComponent) }
        try AnswersFile.save(a, to: dir.answersPath)
        try AnswersFile.save(a, to: dir.installedPath)
        let o = ClusterOverview(answers: a, stateDir: dir, now: Self.now)
        #expect(o.rows.map(\.label) == ["Installed", "Verify", "Backup", "Licenses"])
        #expect(Self.row(o, "Verify") == .init(label: "Verify", text: "never run to the end here", next: "joget-cluster verify", needsAttention: true))
        #expect(Self.row(o, "Backup")?.line == "none found in backups/: joget-cluster backup takes one")
        #expect(Self.row(o, "Backup")?.needsAttention == true)
        #expect(Self.row(o, "Licenses") == .init(label: "Licenses", text: "no checklist yet", next: "joget-cluster licenses reads each node's system key",
                                                 needsAttention: true))
    }

    @Test func anInstalledClusterShowsItsVersionVerifyBackupAndLicenses() async throws {
        let a = try Self.answers(), dir = try Self.state()
        defer { try? FileManager.default.removeItem(atPath: (dir.path as NSString).deletingLastPathComponent) }
        try AnswersFile.save(a, to: dir.answersPath)
        try AnswersFile.save(a, to: dir.installedPath)
        // Verified 3 hours before now: one check failed.
        let outcomes = [
            CheckOutcome(id: "db", layer: .database, title: "The database answers", verdict: Verdict(status: .pass, evidence: "ok"), duration: .seconds(1)),
            CheckOutcome(id: "lb", layer: .loadBalancer, title: "Through the balancer, requests reach every node",
                         verdict: Verdict(status: .fail, evidence: "no route"), duration: .seconds(1)),
        ]
        try VerifyRecord(outcomes: outcomes, time: Self.now.addingTimeInterval(-3 * 3600)).save(to: dir)
        // Two backups in backups/, the newer 2 days old.
        for (name, age) in [("prod-20261101-020000", 40.0), ("prod-20261201-020000", 2.0)] {
            try await BackupRetentionTests.finished(dir.path + "/backups/" + name, cluster: "prod", createdAt: Self.now.addingTimeInterval(-age * 86400),
                                                    nodes: ["node01@app1", "node02@app2"])
        }
        // node01 activated, node02 not yet.
        var checklist = LicenseChecklist(answers: a, at: Self.now)
        checklist.rows[0].status = .activated
        try LicenseStore(stateDir: dir).save(checklist)

        let o = ClusterOverview(answers: a, stateDir: dir, now: Self.now)
        #expect(o.rows.map(\.label) == ["Installed", "Verify", "Backup", "Licenses"])
        let installed = try #require(Self.row(o, "Installed"))
        #expect(installed.text.hasPrefix("Joget 8.1.6: node01 on app1, node02 on app2; through http://"), "\(installed.text)")
        #expect(!installed.needsAttention)
        let verify = try #require(Self.row(o, "Verify"))
        #expect(verify.text.hasSuffix("(3 hours ago): 1 of 2 checks failed: Through the balancer, requests reach every node"), "\(verify.text)")
        #expect(verify.needsAttention)
        let backup = try #require(Self.row(o, "Backup"))
        #expect(backup.text.hasSuffix("(2 days ago): backups/prod-20261201-020000 (39 B, Joget 8.1.6); 2 finished backups kept"), "\(backup.text)")
        #expect(!backup.needsAttention)
        #expect(Self.row(o, "Licenses") == .init(label: "Licenses", text: "1 of 2 nodes activated; node02: key needed", next: "joget-cluster licenses",
                                                 needsAttention: true))
    }

    @Test func changedAnswersAnUpgradeUnderWayAndABackupElsewhereAreSeen() async throws {
        var a = try Self.answers()
        let dir = try Self.state()
        let root = (dir.path as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: root) }
        try AnswersFile.save(a, to: dir.installedPath)
        a.appServers.nodes.append(Node(name: "node03", host: a.appServers.nodes[0].host))
        try AnswersFile.save(a, to: dir.answersPath)
        try UpgradeRecord.save(Upgrade(fromBundle: "a-8.1.6.tar.gz", toBundle: "a-8.1.7.tar.gz", fromSource: "x", toSource: "y",
                                       fromVersion: "8.1.6", toVersion: "8.1.7", mode: .rolling, startedAt: "2026-12-01T02:00:00Z"), dir)
        let elsewhere = root + "/nas/prod-20261203-020000"
        try await BackupRetentionTests.finished(elsewhere, cluster: "prod", createdAt: Self.now.addingTimeInterval(-600))
        BackupShelf.recordLast(folder: elsewhere, stateDir: dir)

        let o = ClusterOverview(answers: a, stateDir: dir, now: Self.now)
        #expect(Self.row(o, "Answers")?.needsAttention == true)
        #expect(Self.row(o, "Upgrade")?.line == "upgrade 8.1.6 → 8.1.7 (rolling) under way since 2026-12-01T02:00:00Z: joget-cluster resume finishes it")
        #expect(Self.row(o, "Backup")?.text.hasSuffix("(10 minutes ago): \(root)/nas/prod-20261203-020000 (39 B, Joget 8.1.6); 1 finished backup kept") == true,
                "\(Self.row(o, "Backup")?.text ?? "no row")")
        #expect(BackupShelf.lastFolder(stateDir: dir) == elsewhere)
        let mode = try FileManager.default.attributesOfItem(atPath: dir.path + "/last-backup")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// The newest backup older than 7 days needs the operator; at 7 days it does not yet.
    @Test(arguments: [(7.0, false), (7.5, true), (40.0, true)])
    func aStaleBackupNeedsTheOperator(days: Double, stale: Bool) async throws {
        let a = try Self.answers(), dir = try Self.state()
        defer { try? FileManager.default.removeItem(atPath: (dir.path as NSString).deletingLastPathComponent) }
        try AnswersFile.save(a, to: dir.answersPath)
        try AnswersFile.save(a, to: dir.installedPath)
        try await BackupRetentionTests.finished(dir.path + "/backups/prod-20261101-020000", cluster: "prod",
                                                createdAt: Self.now.addingTimeInterval(-days * 86400))
        let backup = try #require(Self.row(ClusterOverview(answers: a, stateDir: dir, now: Self.now), "Backup"))
        #expect(backup.needsAttention == stale)
        #expect(backup.next == (stale ? "older than 7 days, joget-cluster backup takes one" : nil), "\(backup.line)")
    }

    static let ages: [(Double, String)] = [(0, "just now"), (59, "just now"), (60, "1 minute ago"), (3599, "59 minutes ago"),
                                           (3600, "1 hour ago"), (47 * 3600, "47 hours ago"), (48 * 3600, "2 days ago"),
                                           (400 * 86400, "400 days ago")]

    @Test(arguments: ages)
    func agesReadAsPeopleSayThem(seconds: Double, text: String) {
        #expect(ClusterOverview.ago(seconds) == text)
    }
}
