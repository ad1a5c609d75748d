import ClusterCore
import Foundation
import Testing
import TestSupport
@testable import ClusterEngine

/// The local bundle is looked into before anything runs: real archives made by tar and zip.
@Suite struct LocalBundleTests {
    /// A folder laid out like a Joget bundle, without the pieces named in `leaving`.
    static func bundleFolder(_ dir: String, leaving: Set<String> = []) throws -> String {
        let top = dir + "/joget-enterprise-linux-8.1.6"
        var files = ["apache-tomcat-9.0.90/bin/catalina.sh", "apache-tomcat-9.0.90/webapps/jw.war", "wflow/wflow-cluster.jar", "wflow/app_datasource.properties"]
        files.removeAll { leaving.contains($0) }
        for f in files {
            let path = top + "/" + f
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        }
        return top
    }

    static func archive(_ dir: String, zip: Bool = false, leaving: Set<String> = []) throws -> String {
        let work = dir + "/src-\(UUID().uuidString.prefix(6))"
        _ = try bundleFolder(work, leaving: leaving)
        let out = dir + "/bundle-\(UUID().uuidString.prefix(6))" + (zip ? ".zip" : ".tar.gz")
        let r = zip ? Program.run(["/usr/bin/zip", "-qr", out, "joget-enterprise-linux-8.1.6"], directory: work)
            : Program.run(["/bin/tar", "-czf", out, "-C", work, "joget-enterprise-linux-8.1.6"])
        try #require(r.status == 0, "\(r.output)")
        return out
    }

    @Test func aWholeBundleIsAcceptedAsTarGzZipOrFolder() async throws {
        let dir = SSHFixture.tempDir("bundle-ok")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(await LocalBundle.problem(at: try Self.archive(dir)) == nil)
        #expect(await LocalBundle.problem(at: try Self.archive(dir, zip: true)) == nil)
        #expect(await LocalBundle.problem(at: try Self.bundleFolder(dir + "/folder")) == nil)
    }

    @Test func whatIsMissingIsNamed() async throws {
        let dir = SSHFixture.tempDir("bundle-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(await LocalBundle.problem(at: dir + "/nope.tar.gz") == "\(dir)/nope.tar.gz does not exist on this machine")
        let text = dir + "/notes.tar.gz"
        try Data("not an archive".utf8).write(to: URL(fileURLWithPath: text))
        #expect(await LocalBundle.problem(at: text)?.contains("is not a readable tar.gz archive") == true)
        let noWar = try Self.archive(dir, leaving: ["apache-tomcat-9.0.90/webapps/jw.war"])
        #expect(await LocalBundle.problem(at: noWar) == "\(noWar) holds no jw.war")
        let community = try Self.archive(dir, zip: true, leaving: ["wflow/wflow-cluster.jar"])
        #expect(await LocalBundle.problem(at: community)?.contains("holds no wflow/wflow-cluster.jar: it cannot be clustered") == true)
        let noTomcat = try Self.archive(dir, leaving: ["apache-tomcat-9.0.90/bin/catalina.sh"])
        #expect(await LocalBundle.problem(at: noTomcat)?.contains("holds no Tomcat") == true)
    }

    /// apply refuses a bundle it could not install before it logs in anywhere; plan only warns.
    @Test(.enabled(if: BuiltBinary.path != nil, "the joget-cluster binary is not built"))
    func applyRefusesAMissingBundleBeforeAnythingRunsAndPlanWarns() throws {
        let dir = SSHFixture.tempDir("bundle-cli")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var a = try AnswersFile.decode(Assets.text("assets/examples/two-node.yaml")!)
        a.appServers.bundle = dir + "/joget-enterprise-linux-8.1.6.tar.gz"
        try AnswersFile.save(a, to: dir + "/answers.yaml")
        let binary = try #require(BuiltBinary.path)
        let apply = Program.run([binary, "apply", "--yes", "--answers", dir + "/answers.yaml", "--state-dir", dir + "/state"],
                                environment: ["JOGET_SECRET_DB_PASSWORD": "p", "JOGET_SECRET_SUDO_DB": "p", "JOGET_SECRET_SSH_APP2": "p",
                                              "JOGET_SECRET_SUDO_APP2": "p", "PATH": "/usr/bin:/bin"], mergeErrors: true)
        #expect(apply.status == 2)
        #expect(apply.output.contains("appServers.bundle: \(dir)/joget-enterprise-linux-8.1.6.tar.gz does not exist on this machine"), "\(apply.output)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/state/journal.jsonl"))
        let plan = Program.run([binary, "plan", "--answers", dir + "/answers.yaml"], mergeErrors: true)
        #expect(plan.status == 0)
        #expect(plan.output.contains("warning: appServers.bundle: \(dir)/joget-enterprise-linux-8.1.6.tar.gz does not exist on this machine"))
    }
}
