import Foundation
import TestSupport
import Testing
@testable import ClusterCore

/// A check that fails says why, in one line on stderr (what `apply --dry-run` shows); one that passes
/// prints nothing. The scripts are rendered as the plan renders them and run under /bin/sh against
/// temp files.
@Suite struct CheckReasonTests {
    struct Outcome { var status: Int32; var out: String; var err: String }

    static func run(_ script: Script, secrets: SecretValues = SecretValues()) throws -> Outcome {
        let r = Program.run(["/bin/sh", "-c", try script.executable(with: secrets)])
        return Outcome(status: r.status, out: r.output, err: r.errors)
    }

    /// `user:group` of a file this process creates.
    static func myOwner(_ dir: String) throws -> String {
        try Run.program("/usr/bin/stat", ["-c", "%U:%G", dir]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func write(_ path: String, _ text: String, mode: Int) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test func aFileCheckSaysWhatDiffers() throws {
        let dir = try Run.tempDir("reasons")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let owner = try Self.myOwner(dir)
        // A name that needs quoting, to show the path arrives as data.
        let path = dir + "/it's a $(file).conf"
        let file = PlannedFile(path: path, content: FileContent("a=1\n"), mode: 0o640, owner: owner)
        let check = Sh.matches(file)

        var r = try Self.run(check)
        #expect(r.status == 1 && r.out.isEmpty)
        #expect(r.err == "\(path) does not exist\n")

        try Self.write(path, "a=1\n", mode: 0o640)
        r = try Self.run(check)
        #expect(r.status == 0 && r.out.isEmpty && r.err.isEmpty, "a matching file passes silently: \(r.err)")

        try Self.write(path, "a=2\n", mode: 0o640)
        r = try Self.run(check)
        #expect(r.status == 1 && r.err == "\(path) differs from the plan\n")

        try Self.write(path, "a=1\n", mode: 0o600)
        r = try Self.run(check)
        #expect(r.status == 1)
        #expect(r.err == "\(path) is mode 600 owner \(owner), the plan says 640 \(owner)\n")

        let other = PlannedFile(path: path, content: FileContent("a=1\n"), mode: 0o600, owner: "nobody:nogroup")
        r = try Self.run(Sh.matches(other))
        #expect(r.err == "\(path) is mode 600 owner \(owner), the plan says 600 nobody:nogroup\n")
    }

    @Test(.enabled(if: getuid() == 0, "runuser needs root"))
    func aFileReadAsTheServiceUserSaysWhyToo() throws {
        let dir = try Run.tempDir("reasons-as")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/app_datasource.properties"
        let file = PlannedFile(path: path, content: FileContent("x\n"), mode: 0o644, owner: "root:root")
        var r = try Self.run(Sh.matches(file, as: "root"))
        #expect(r.status == 1 && r.err == "\(path) does not exist (or root cannot see it)\n")
        try Self.write(path, "x\n", mode: 0o644)
        r = try Self.run(Sh.matches(file, as: "root"))
        #expect(r.status == 0 && r.err.isEmpty && r.out.isEmpty)
        try Self.write(path, "y\n", mode: 0o644)
        r = try Self.run(Sh.matches(file, as: "root"))
        #expect(r.status == 1 && r.err == "\(path) differs from the plan\n")
    }

    /// The file holds a secret: the check compares it, and its reason never shows it.
    @Test func aSecretInTheFileNeverReachesTheReason() throws {
        let dir = try Run.tempDir("reasons-secret")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let owner = try Self.myOwner(dir)
        let path = dir + "/db.properties"
        let secret = "s3cr3t-'$(x)-value"
        let file = PlannedFile(path: path, content: FileContent([.text("password="), .secret(SecretName("db-password"), .javaProperties), .text("\n")]),
                               mode: 0o640, owner: owner)
        let secrets = SecretValues([SecretName("db-password"): secret])
        try Self.write(path, "password=old\n", mode: 0o640)
        var r = try Self.run(Sh.matches(file), secrets: secrets)
        #expect(r.status == 1 && r.err == "\(path) differs from the plan\n")
        #expect(!r.err.contains(secret) && !r.out.contains(secret))
        try Self.write(path, "password=" + JavaProperties.escapeValue(secret) + "\n", mode: 0o640)
        r = try Self.run(Sh.matches(file), secrets: secrets)
        #expect(r.status == 0 && r.err.isEmpty)
    }

    @Test func requireKeepsTheConditionsStatusAndQuotesItsReason() throws {
        let reason = "it's $HOME `id` \\n 100%"
        var r = try Self.run(Sh.require("true", because: reason) + "\n")
        #expect(r.status == 0 && r.err.isEmpty && r.out.isEmpty)
        r = try Self.run(Sh.require("[ 1 = 2 ]", because: reason) + "\n")
        #expect(r.status == 1 && r.err == reason + "\n" && r.out.isEmpty)
        // Inside an && chain: the first failing condition speaks, the rest do not run.
        r = try Self.run(Sh.require("true", because: "a") + " && " + Sh.require("false", because: "b") + " && " + Sh.require("false", because: "c") + "\n")
        #expect(r.status == 1 && r.err == "b\n")
    }

    @Test func serviceQueriesSayWhatIsNotRunning() throws {
        let r = try Self.run(Sh.serviceQueries + "need_running jc-no-such-unit jc-no-such-unit\n")
        #expect(r.status == 1)
        #expect(r.err.hasSuffix("jc-no-such-unit is not running\n"))
    }

    // MARK: the plan's own checks

    /// The two-node example with its folders moved into a temp dir.
    static func plan(in dir: String) -> (Plan, Answers) {
        var a = Fixtures.twoNode
        a.appServers.installDir = dir + "/opt"
        a.sharedFiles.exportPath = dir + "/export"
        a.sharedFiles.mountPoint = dir + "/shared"
        return (Fixtures.plan(a), a)
    }

    @Test func theServerXMLCheckNamesTheFileAndWhatDiffers() throws {
        let dir = try Run.tempDir("reasons-plan")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (plan, _) = Self.plan(in: dir)
        let step = try #require(plan.step("app.server-xml@app1#node01"))
        let file = try #require(step.files.first)
        let check = try #require(step.check)
        #expect(file.path == dir + "/opt/node01/conf/server.xml")

        var r = try Self.run(check)
        #expect(r.status == 1 && r.err == "\(file.path) does not exist\n")

        try FileManager.default.createDirectory(atPath: dir + "/opt/node01/conf", withIntermediateDirectories: true)
        try Self.write(file.path, file.content.display, mode: 0o600)
        r = try Self.run(check)
        let owner = try Self.myOwner(file.path)
        #expect(r.status == 1 && r.err == "\(file.path) is mode 600 owner \(owner), the plan says 640 joget:joget\n")

        try Self.write(file.path, file.content.display + "<!-- edited by hand -->\n", mode: 0o640)
        r = try Self.run(check)
        #expect(r.status == 1 && r.err == "\(file.path) differs from the plan\n")
    }

    @Test func theSharedFolderChecksSayWhatTheyFound() throws {
        let dir = try Run.tempDir("reasons-share")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (plan, a) = Self.plan(in: dir)
        let export = try #require(plan.step("files.export-dir@files")?.check)
        var r = try Self.run(export)
        #expect(r.status == 1 && r.err == "\(dir)/export does not exist\n")
        try FileManager.default.createDirectory(atPath: dir + "/export", withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        r = try Self.run(export)
        #expect(r.status == 1 && r.err == "\(dir)/export is owner \(getuid()):\(getgid()) mode 755, the plan says \(a.appServers.uid):\(a.appServers.gid) mode 750\n")

        let mount = try #require(plan.step("files.mount@app1")?.check)
        r = try Self.run(mount)
        #expect(r.status == 1 && r.err == "nothing is mounted at \(dir)/shared, the plan says \(Planner.nfsSource(Cluster(a)))\n")
    }
}
