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
    static let partFolder: Script = """
        find /var/tmp -maxdepth 1 -name 'joget-cluster-backup.*' -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
        out=$(mktemp -d /var/tmp/joget-cluster-backup.XXXXXX)
        echo "JC dir=$out"

        """

    /// A consistent dump of the Joget database on its host (`--single-transaction`: the cluster
    /// keeps serving), gzipped there. Prints `JC file=PATH` (in a folder to remove after the copy).
    public static func dumpDatabase(_ a: Answers) -> OnHost {
        let c = Cluster(a), d = c.db
        let login: Script
        switch d.admin {
        case .socket: login = "dump() { \"$dumper\" --protocol=socket \"$@\"; }\n"
        case .password: login = "dump() { \"$dumper\" --defaults-extra-file=\"$dbd/admin.cnf\" \"$@\"; }\n"
        }
        return OnHost(host: d.host, script: Sh.strict + Planner.admin(c) + login + """
            if command -v mariadb-dump >/dev/null 2>&1; then dumper=mariadb-dump
            elif command -v mysqldump >/dev/null 2>&1; then dumper=mysqldump
            else echo 'neither mariadb-dump nor mysqldump is installed on this host' >&2; exit 1; fi
            """ + "\n" + partFolder + """
            { dump --single-transaction --routines --triggers --hex-blob --databases \(d.name) 2>"$out/dump.err" || echo $? > "$out/dump.rc"; } \\
                | gzip -c > "$out/database.sql.gz"
            if [ -s "$out/dump.rc" ]; then
                echo "$dumper failed (status $(cat "$out/dump.rc")):" >&2; cat "$out/dump.err" >&2
                rm -rf "$out"; exit 1
            fi
            cat "$out/dump.err" >&2
            echo "JC file=$out/database.sql.gz"

            """)
    }

    /// An archive of the shared directory, on the first app host, as root: owners (as numbers) and
    /// modes kept. A file changed while it was read is a warning (the cluster keeps serving).
    public static func archiveFiles(_ a: Answers) -> OnHost {
        let c = Cluster(a)
        return OnHost(host: c.firstAppHost, script: Sh.strict + """
            m=\(c.mount)
            if [ ! -d "$m" ]; then echo "the shared directory $m does not exist on this host" >&2; exit 1; fi

            """ + partFolder + """
            rc=0
            tar -C "$m" --numeric-owner --exclude='./.joget-cluster-restore.*' --exclude='./.joget-cluster-replaced.*' \\
                -czf "$out/wflow.tar.gz" . 2>"$out/tar.err" || rc=$?
            if [ $rc -ge 2 ]; then
                echo "tar failed (status $rc):" >&2; cat "$out/tar.err" >&2
                rm -rf "$out"; exit 1
            fi
            if [ $rc = 1 ]; then echo 'warning: some files changed while they were archived:' >&2; fi
            cat "$out/tar.err" >&2
            echo "JC file=$out/wflow.tar.gz"

            """)
    }

    /// Prints `JC version=V` from jw.war's manifest on the first app host, or nothing.
    public static func jogetVersion(_ a: Answers) -> OnHost {
        let c = Cluster(a), war = c.nodeDir(c.firstNode) + "/webapps/jw.war"
        return OnHost(host: c.firstAppHost, script: """
            for w in \(war) \(c.stagedWar); do
                [ -f "$w" ] || continue
                v=$(unzip -p "$w" META-INF/MANIFEST.MF 2>/dev/null | tr -d '\\r' | sed -n 's/^Implementation-Version: *//p' | head -n 1)
                if [ -n "$v" ]; then echo "JC version=$v"; exit 0; fi
            done
            exit 0

            """)
    }

    /// Removes a folder `dumpDatabase` or `archiveFiles` made (only such a folder).
    public static func removePartFolder(_ path: String) -> Script {
        "case \(path) in /var/tmp/joget-cluster-backup.*) rm -rf \(path) ;; esac\n"
    }

    /// Drops and recreates the database, then loads the dump uploaded to `remote` (removed after).
    public static func loadDatabase(_ a: Answers, remote: String) -> OnHost {
        let c = Cluster(a), d = c.db
        return OnHost(host: d.host, script: Sh.strict + Planner.admin(c) + """
            if ! gzip -t \(remote); then echo \("\(remote) is not a whole gzip file") >&2; exit 1; fi
            printf '%s\\n' \("DROP DATABASE IF EXISTS `\(d.name)`; CREATE DATABASE `\(d.name)` CHARACTER SET utf8mb4;") | sql
            gzip -dc \(remote) | sql
            rm -f \(remote)
            echo "tables in" \(d.name)": $(printf '%s\\n' \(Planner.sqlCountTables(c)) | sql)"

            """)
    }

    /// Replaces the shared directory's content with the archive uploaded to `remote`: extracted
    /// into a folder inside it (same file system, so the swap is renames), the old content moved
    /// aside, the new moved up, the old removed. A restore stopped half way is finished by another.
    public static func replaceFiles(_ a: Answers, remote: String) -> OnHost {
        let c = Cluster(a)
        return OnHost(host: c.firstAppHost, script: Sh.strict + """
            m=\(c.mount)
            if [ ! -d "$m" ]; then echo "the shared directory $m does not exist on this host" >&2; exit 1; fi
            find "$m" -mindepth 1 -maxdepth 1 \\( -name '.joget-cluster-restore.*' -o -name '.joget-cluster-replaced.*' \\) -exec rm -rf {} +
            new=$(mktemp -d "$m/.joget-cluster-restore.XXXXXX")
            tar -C "$new" --numeric-owner --same-owner --same-permissions -xzf \(remote)
            old=$(mktemp -d "$m/.joget-cluster-replaced.XXXXXX")
            find "$m" -mindepth 1 -maxdepth 1 ! -path "$new" ! -path "$old" -exec mv -t "$old" -- {} +
            find "$new" -mindepth 1 -maxdepth 1 -exec mv -t "$m" -- {} +
            chown --reference="$new" "$m" && chmod --reference="$new" "$m"
            rmdir "$new"
            rm -rf "$old"
            rm -f \(remote)
            echo "the shared directory $m now holds $(find "$m" -mindepth 1 | wc -l) entries from the backup"

            """)
    }

    /// Stops a node: its unit where systemd runs, else Tomcat's own stop, then any Tomcat of its
    /// folder still running.
    public static func stopNode(_ a: Answers, _ node: Node) -> OnHost {
        OnHost(host: node.host, script: Sh.strict + Planner.stopNodeFunction(Cluster(a), node) + "stop_node\necho \("\(node.name) is stopped")\n")
    }

    /// The plan's step that starts a node and waits until it answers (restore starts nodes with it).
    public static func startStepID(_ node: Node) -> String { Planner.id(.start, node.host, node.name) }
}
