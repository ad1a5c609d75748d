/// The scripts of `backup` and `restore`: each runs as root on one host, in a shell of its own,
/// POSIX sh. SQL and the admin password reach the client as the install's do (`Planner.admin`):
/// over the socket as root, or from a 0600 option file in `Sh.secretFolder`, never in argv.
public enum BackupScripts {
    /// Where a host keeps a part between its making (or upload) and its copy: removed afterwards.
    public static let hostFolder = "/var/tmp/joget-cluster-backup"

    /// A script for one host.
    public struct OnHost: Sendable {
        public var host: String
        public var script: Script
        public init(host: String, script: Script) { self.host = host; self.script = script }
    }

    /// Makes `$out`, a 0700 folder for this backup's parts on the host; those a day old (left by a
    /// backup that was stopped) are removed first. Prints `JC dir=PATH`.
    static let partFolder = ScriptFile.load("lib/backup-part-folder.sh")

    /// A consistent dump of the Joget database on its host (`--single-transaction`: the cluster
    /// keeps serving), gzipped there. Prints `JC file=PATH` (in a folder to remove after the copy).
    public static func dumpDatabase(_ a: Answers) -> OnHost {
        let c = Cluster(a), d = c.db
        return OnHost(host: d.host, script: Sh.strict + Planner.admin(c) + partFolder
                        + ScriptFile.load("backup/dump-database.sh", ["name": .value(d.name), "socket": .value(d.admin == .socket ? "yes" : "no")]))
    }

    /// An archive of the shared directory, on the first app host, as root: owners (as numbers) and
    /// modes kept. A file changed while it was read is a warning (the cluster keeps serving).
    public static func archiveFiles(_ a: Answers) -> OnHost {
        let c = Cluster(a)
        return OnHost(host: c.firstAppHost, script: Sh.strict + ScriptFile.load("backup/shared-exists.sh", ["m": .value(c.mount)]) + partFolder
                        + ScriptFile.load("backup/archive-files.sh", ["m": .value(c.mount)]))
    }

    /// Prints `JC version=V` from jw.war's manifest on the first app host, or nothing.
    public static func jogetVersion(_ a: Answers) -> OnHost {
        let c = Cluster(a), war = c.nodeDir(c.firstNode) + "/webapps/jw.war"
        return OnHost(host: c.firstAppHost, script: ScriptFile.load("backup/joget-version.sh", ["wars": .value(war + " " + c.stagedWar)]))
    }

    /// Removes a folder `dumpDatabase` or `archiveFiles` made (only such a folder).
    public static func removePartFolder(_ path: String) -> Script {
        "case \(path) in /var/tmp/joget-cluster-backup.*) rm -rf \(path) ;; esac\n"
    }

    /// Drops and recreates the database, then loads the dump uploaded to `remote` (removed after).
    public static func loadDatabase(_ a: Answers, remote: String) -> OnHost {
        let c = Cluster(a), d = c.db
        return OnHost(host: d.host, script: Planner.admin(c) + ScriptFile.load("backup/load-database.sh", ["name": .value(d.name), "remote": .value(remote)]))
    }

    /// Replaces the shared directory's content with the archive uploaded to `remote`: extracted
    /// into a folder inside it (same file system, so the swap is renames), the old content moved
    /// aside, the new moved up, the old removed. A restore stopped half way is finished by another.
    public static func replaceFiles(_ a: Answers, remote: String) -> OnHost {
        let c = Cluster(a)
        return OnHost(host: c.firstAppHost, script: ScriptFile.load("backup/replace-files.sh", ["m": .value(c.mount), "remote": .value(remote)]))
    }

    /// Stops a node: its unit where systemd runs, else Tomcat's own stop, then any Tomcat of its
    /// folder still running.
    public static func stopNode(_ a: Answers, _ node: Node) -> OnHost {
        OnHost(host: node.host, script: Sh.strict + Planner.stopNodeFunction(Cluster(a), node) + "stop_node && echo \("\(node.name) is stopped")\n")
    }

    /// The plan's step that starts a node and waits until it answers (restore starts nodes with it).
    public static func startStepID(_ node: Node) -> String { Planner.id(.start, node.host, node.name) }
}
