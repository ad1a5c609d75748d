import ClusterCore
@testable import ClusterEngine
import Foundation
import TestSupport
import Testing

/// The upgrade a session carries out: recorded, or seen in the answers; versions read from bundles.
@Suite struct UpgradeRecordTests {
    static var example: Answers {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("assets/examples/two-node.yaml").path
        return try! AnswersFile.load(path: path)
    }

    /// A bundle renamed by its operator still says its version in its top folder.
    @Test func theVersionIsReadFromTheBundlesTopFolder() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.path + "/t/joget-enterprise-linux-8.1.9/wflow", withIntermediateDirectories: true)
        #expect(Program.run(["/bin/tar", "-C", dir.path + "/t", "-czf", dir.path + "/renamed.tar.gz", "joget-enterprise-linux-8.1.9"]).status == 0)
        var a = Self.example
        a.appServers.bundle = dir.path + "/renamed.tar.gz"
        a.appServers.bundleOn = .local
        #expect(await UpgradeRecord.label(a) == "8.1.9")
        #expect(UpgradeRecord.nameLabel(a) == "renamed")
        a.appServers.bundle = dir.path + "/joget-enterprise-linux-8.1.6.tar.gz"  // not there: its name says
        #expect(await UpgradeRecord.label(a) == "8.1.6")
    }

    @Test func aSessionCarriesTheUpgradeUnderWayOrTheOneTheAnswersAskFor() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let installed = Self.example
        var answers = installed
        answers.appServers.bundle = installed.appServers.bundle.replacingOccurrences(of: "8.1.6", with: "8.1.7")
        #expect(answers != installed)
        let stateDir = try StateDir(cluster: installed.cluster, override: dir.path + "/s")
        try FileManager.default.createDirectory(atPath: stateDir.path, withIntermediateDirectories: true)
        try AnswersFile.save(installed, to: stateDir.installedPath)

        // Same bundle: no upgrade.
        #expect(try InstallSession(answers: installed, stateDirectory: stateDir.path).upgrade == nil)
        // Another bundle: an upgrade by the names' versions, rolling for a patch, not recorded yet.
        let seen = try #require(try InstallSession(answers: answers, stateDirectory: stateDir.path).upgrade)
        #expect(seen.fromVersion == "8.1.6" && seen.toVersion == "8.1.7" && seen.mode == .rolling)
        #expect(try UpgradeRecord.load(stateDir) == nil)
        // Recorded (as a run does), the record is what resume plans, mode and all.
        var recorded = seen
        recorded.mode = .safe
        try UpgradeRecord.save(recorded, stateDir)
        let session = try InstallSession(answers: answers, stateDirectory: stateDir.path)
        #expect(session.upgrade == recorded)
        #expect(session.plan.step("upgrade.maintenance-on@\(answers.loadBalancer.host)") != nil)
        // Finished, and the installed record moved on: nothing more to do.
        recorded.finishedAt = "2026-12-04T21:00:00Z"
        try UpgradeRecord.save(recorded, stateDir)
        try AnswersFile.save(answers, to: stateDir.installedPath)
        #expect(try InstallSession(answers: answers, stateDirectory: stateDir.path).upgrade == nil)
    }
}
