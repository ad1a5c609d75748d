import Foundation
import Testing
@testable import ClusterCore

/// The scripts of backup and restore parse as POSIX sh, and the admin password never reaches argv.
struct BackupScriptsTests {
    static func answers(admin: Database.Admin) -> Answers {
        var a = Answers()
        a.cluster = "bk"
        a.hosts = [Host(name: "db", address: "10.0.0.2"), Host(name: "app1", address: "10.0.0.3")]
        a.sharedFiles.provider = .existing
        a.database.host = "db"
        a.database.admin = admin
        a.appServers.bundle = "/srv/joget-enterprise-linux-8.1.6.tar.gz"
        a.appServers.bundleOn = .server
        a.appServers.nodes = [Node(name: "node01", host: "app1")]
        a.loadBalancer.host = "app1"
        a.loadBalancer.serverName = "joget.test"
        return a
    }

    static func all(_ a: Answers) -> [BackupScripts.OnHost] {
        [BackupScripts.dumpDatabase(a), BackupScripts.archiveFiles(a), BackupScripts.jogetVersion(a),
         BackupScripts.loadDatabase(a, remote: BackupScripts.hostFolder + "/database.sql.gz"),
         BackupScripts.replaceFiles(a, remote: BackupScripts.hostFolder + "/wflow.tar.gz"),
         BackupScripts.stopNode(a, a.appServers.nodes[0]),
         BackupScripts.OnHost(host: "x", script: BackupScripts.removePartFolder("/var/tmp/joget-cluster-backup.abc"))]
    }

    @Test(arguments: [Database.Admin.socket, .password])
    func everyScriptParsesWithDash(_ admin: Database.Admin) throws {
        let a = Self.answers(admin: admin)
        for s in Self.all(a) {
            let r = try Run.program("/bin/dash", ["-n"], input: s.script.display)
            #expect(r.status == 0, "dash -n rejects a script for \(s.host): \(r.output)")
        }
    }

    @Test func theAdminPasswordGoesToAnOptionFileNeverArgv() throws {
        let a = Self.answers(admin: .password)
        let dump = BackupScripts.dumpDatabase(a)
        #expect(dump.host == "db")
        #expect(dump.script.secrets == [a.database.adminPasswordSecret])
        let text = try dump.script.executable(with: SecretValues([a.database.adminPasswordSecret: "s3cr-et"]))
        let lines = text.split(separator: "\n").filter { $0.contains("s3cr-et") }
        #expect(lines.count == 1)
        // Inside the option file's text (printf '%s' '[client]...password=...' > "$dbd/admin.cnf"), on no command line.
        #expect(lines.allSatisfy { $0.hasPrefix("password=") && !$0.contains("dump") && !$0.contains("mysql") })
        #expect(text.contains("> \"$dbd/admin.cnf\""))
        #expect(text.contains("--defaults-extra-file=\"$dbd/admin.cnf\""))
        #expect(text.contains("--single-transaction --routines --triggers"))
        #expect(BackupScripts.archiveFiles(a).host == "app1")
    }
}
