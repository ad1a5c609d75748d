/// Layer 1, "Shared file directory": the NFS export and mounts, or checks of an existing mount;
/// then a write test on every app host and a test that what one host writes another reads.
///
/// Everything inside the shared folder is done as the service user: with NFS's default
/// root_squash, root on an app host is "nobody" there and can neither read nor write it.
extension Planner {
    static func sharedFileSteps(_ c: Cluster) -> [Step] {
        var steps: [Step] = []
        var mounted: [String: String] = [:]  // app host -> the step after which the folder is there
        switch c.answers.sharedFiles.provider {
        case .nfs:
            let server = c.nfsServer!
            steps += nfsServerSteps(c, server)
            for host in c.appHosts {
                let (fstab, mount) = nfsClientSteps(c, host, server: server)
                steps += [fstab, mount]
                mounted[host] = mount.id
            }
        case .existing:
            for host in c.appHosts {
                let step = existingMountStep(c, host)
                steps.append(step)
                mounted[host] = step.id
            }
        }
        var writeTests: [String] = []
        for host in c.appHosts {
            let step = writeTestStep(c, host, after: mounted[host]!)
            steps.append(step)
            writeTests.append(step.id)
        }
        if c.appHosts.count > 1 {
            steps.append(shareTestStep(c, after: writeTests))
        }
        return steps
    }

    /// The step after which the shared folder is usable on `host` (tested, and shared between hosts).
    static func sharedFolderReady(_ c: Cluster, _ host: String) -> [String] {
        var ids = [id(.writeTest, host)]
        if c.appHosts.count > 1 { ids.append(id(.shareTest, c.firstAppHost)) }
        return ids
    }

    /// `/export/wflow 192.168.1.10(rw,sync,no_subtree_check) ...`: the app hosts only.
    static func exportsLine(_ c: Cluster) -> String {
        ([c.answers.sharedFiles.exportPath] + c.appHosts.map { "\(c.address($0))(rw,sync,no_subtree_check)" })
            .joined(separator: " ")
    }

    static func fstabLine(_ c: Cluster) -> String {
        "\(nfsSource(c)) \(c.mount) nfs defaults,_netdev 0 0"
    }

    static func nfsSource(_ c: Cluster) -> String {
        "\(c.urlHost(c.nfsServer!)):\(c.answers.sharedFiles.exportPath)"
    }

    private static func nfsServerSteps(_ c: Cluster, _ server: String) -> [Step] {
        let path = c.answers.sharedFiles.exportPath
        let line = exportsLine(c)
        let clients = c.appHosts.map { c.address($0) }.sorted().joined(separator: " ")
        let dir = Step(
            id: id(.exportDir, server), layer: .sharedFiles, host: server,
            title: "Create the shared folder \(path), owned by uid \(c.app.uid) / gid \(c.app.gid)",
            check: "s=$(stat -c '%u:%g %a' \(path) 2>/dev/null) || s=\n"
                + Sh.require("[ \"$s\" = \("\(c.app.uid):\(c.app.gid) 750") ]",
                             say: "if [ -z \"$s\" ]; then printf '%s\\n' \("\(path) does not exist"); else printf '%s is owner %s mode %s, the plan says %s\\n' \(path) \"${s% *}\" \"${s#* }\" \("\(c.app.uid):\(c.app.gid) mode 750"); fi") + "\n",
            apply: Sh.strict + """
                mkdir -p \(path)
                chown \(raw: "\(c.app.uid):\(c.app.gid)") \(path)
                chmod 0750 \(path)

                """,
            dependsOn: [id(.serviceUser, server), id(.packages, server)], timeoutSeconds: 60,
            notes: ["The folder belongs to the service user's uid and gid (the same on every host), not to nobody and not mode 777."])
        let exports = Step(
            id: id(.exports, server), layer: .sharedFiles, host: server,
            title: "Export \(path) to the application servers only (rw, sync)",
            check: Sh.require("[ \"$(awk -v p=\(path) '$1 == p' /etc/exports 2>/dev/null)\" = \(line) ]",
                              because: "/etc/exports has no line \(line)")
                + " && " + Sh.require("[ \"$(exportfs -s 2>/dev/null | awk -v p=\(path) '$1 == p { sub(/\\(.*/, \"\", $2); print $2 }' | sort | tr '\\n' ' ')\" = \(clients + " ") ]",
                                      because: "the NFS server does not export \(path) to exactly \(clients)") + "\n",
            apply: Sh.strict + """
                touch /etc/exports
                [ -e /etc/exports.joget-cluster.orig ] || cp -p /etc/exports /etc/exports.joget-cluster.orig
                t=$(mktemp)
                awk -v p=\(path) -v line=\(line) '$1 == p { if (!done) print line; done = 1; next } { print } END { if (!done) print line }' /etc/exports > "$t"
                cat "$t" > /etc/exports
                rm -f "$t"
                exportfs -ra
                exportfs -s | awk -v p=\(path) '$1 == p'

                """,
            dependsOn: [dir.id], timeoutSeconds: 60,
            notes: ["The line for \(path) in /etc/exports is replaced, never appended twice; the old file is kept as /etc/exports.joget-cluster.orig."])
        let service = c.family.nfsServerService
        let start = Step(
            id: id(.nfsServer, server), layer: .sharedFiles, host: server,
            title: "Start the NFS server and start it at boot",
            check: Sh.serviceQueries + "need_running \(Sh.service(service)) && need_enabled \(Sh.service(service))\n",
            apply: Sh.strict + Sh.services + """
                svc_start \(Sh.service(service))
                exportfs -ra

                """,
            dependsOn: [exports.id], timeoutSeconds: 120,
            notes: ["A firewall on the file server must let the app servers reach NFS (TCP 2049)."])
        return [dir, exports, start]
    }

    private static func nfsClientSteps(_ c: Cluster, _ host: String, server: String) -> (Step, Step) {
        let m = c.mount, line = fstabLine(c), source = nfsSource(c)
        let fstab = Step(
            id: id(.fstab, host), layer: .sharedFiles, host: host,
            title: "Add the shared folder to /etc/fstab (mounted again after a reboot)",
            check: Sh.require("[ \"$(awk -v m=\(m) '$1 !~ /^#/ && $2 == m' /etc/fstab 2>/dev/null)\" = \(line) ]",
                              because: "/etc/fstab has no line \(line)")
                + " && " + Sh.require("[ -d \(m) ]", because: "the folder \(m) does not exist") + "\n",
            apply: Sh.strict + """
                mkdir -p \(m)
                if ! mountpoint -q \(m); then chown root:root \(m); chmod 0755 \(m); fi
                touch /etc/fstab
                [ -e /etc/fstab.joget-cluster.orig ] || cp -p /etc/fstab /etc/fstab.joget-cluster.orig
                t=$(mktemp)
                awk -v m=\(m) -v line=\(line) '$1 !~ /^#/ && $2 == m { if (!done) print line; done = 1; next } { print } END { if (!done) print line }' /etc/fstab > "$t"
                cat "$t" > /etc/fstab
                rm -f "$t"
                if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi

                """,
            dependsOn: [id(.packages, host)], timeoutSeconds: 60,
            notes: ["The mount point stays owned by root while nothing is mounted, so Joget cannot write into an unmounted folder by mistake."])
        let mount = Step(
            id: id(.mount, host), layer: .sharedFiles, host: host,
            title: "Mount the shared folder \(source) at \(m)",
            check: "cur=$(findmnt -rn -M \(m) -o SOURCE 2>/dev/null | tail -n 1)\n"
                + Sh.require("[ \"$cur\" = \(source) ]",
                             say: "printf '%s is mounted at %s, the plan says %s\\n' \"${cur:-nothing}\" \(m) \(source)") + "\n",
            apply: Sh.strict + """
                cur=$(findmnt -rn -M \(m) -o SOURCE 2>/dev/null | tail -n 1)
                if [ -n "$cur" ]; then
                    echo "$cur" \("is mounted at \(m) instead of \(source): unmount it first") >&2
                    exit 1
                fi
                mount \(m)
                findmnt -M \(m)

                """,
            dependsOn: [fstab.id, id(.nfsServer, server), id(.serviceUser, host)],
            timeoutSeconds: 120)
        return (fstab, mount)
    }

    private static func existingMountStep(_ c: Cluster, _ host: String) -> Step {
        let m = c.mount
        let single = c.appHosts.count == 1
        let onRoot: Script = single
            ? "echo \("note: \(m) is a folder on this host's root file system; that is fine while every node runs on this host")\n"
            : "echo \("\(m) is on this host's root file system, not a shared mount: each app host would see its own folder. Mount the shared storage at \(m) (or at a folder above it) on every app host, or choose sharedFiles.provider: nfs") >&2\nexit 1\n"
        return Step(
            id: id(.checkMount, host), layer: .sharedFiles, host: host,
            title: "Check that the shared folder \(m) is mounted",
            check: nil,
            apply: Sh.strict + """
                m=\(m)
                if [ ! -d "$m" ]; then echo "$m does not exist on this host: mount the shared folder there first" >&2; exit 1; fi
                target=$(findmnt -n -o TARGET -T "$m" | tail -n 1)
                fstype=$(findmnt -n -o FSTYPE -T "$m" | tail -n 1)
                if [ "$target" = / ]; then
                \(onRoot)else
                    echo "$m is on $fstype, mounted at $target"
                    if ! findmnt -s -n -M "$target" >/dev/null 2>&1; then
                        echo "warning: $target is not in /etc/fstab: make sure it is mounted again after a reboot (a systemd mount unit or autofs will do)" >&2
                    fi
                fi

                """,
            dependsOn: [id(.packages, host)], timeoutSeconds: 60,
            notes: ["Any mount counts (NFS, CIFS, a cluster file system, a bind mount); whether it is really shared is proven by the share test."], readOnly: true)
    }

    private static func writeTestStep(_ c: Cluster, _ host: String, after mounted: String) -> Step {
        // Each host writes the time into its own file; the share test reads the others' files.
        let script = "umask 022; mkdir -p \"$1/hosts\" && date +%s > \"$1/hosts/$2.new\" && mv -f \"$1/hosts/$2.new\" \"$1/hosts/$2\" && cat \"$1/hosts/$2\" >/dev/null"
        return Step(
            id: id(.writeTest, host), layer: .sharedFiles, host: host,
            title: "Test that \(c.user) can write to the shared folder",
            check: nil,
            apply: Sh.strict + """
                if ! runuser -u \(c.user) -- sh -c \(script) joget-test \(c.shareMarks) \(host); then
                    echo \("the service user \(c.user) cannot write to \(c.mount): it must be owned by uid \(c.app.uid) / gid \(c.app.gid) (on the file server too)") >&2
                    exit 1
                fi
                echo \("\(c.user) can write to \(c.mount)")

                """,
            dependsOn: [mounted, id(.serviceUser, host)], timeoutSeconds: 60, readOnly: true)
    }

    private static func shareTestStep(_ c: Cluster, after writeTests: [String]) -> Step {
        let me = c.firstAppHost
        var body: Script = Sh.strict + "now=$(date +%s)\n"
        for other in c.appHosts where other != me {
            let file = c.shareMarks + "/hosts/" + other
            body += """
                t=$(runuser -u \(c.user) -- cat \(file) 2>/dev/null || true)
                if [ -z "$t" ]; then
                    echo \("the test file written by \(other) is not visible on \(me): \(c.mount) is not the same folder on both hosts") >&2
                    exit 1
                fi
                age=$((now - t))
                if [ "$age" -gt 600 ] || [ "$age" -lt -600 ]; then
                    echo \("the test file written by \(other) is") "$age" \("seconds old on \(me): \(c.mount) is not the same folder on both hosts (or their clocks differ by more than 10 minutes)") >&2
                    exit 1
                fi
                echo \("\(other) -> \(me): shared")

                """
        }
        return Step(
            id: id(.shareTest, me), layer: .sharedFiles, host: me,
            title: "Test that a file written on each app host is read on \(me)",
            check: nil, apply: body, dependsOn: writeTests, timeoutSeconds: 60, readOnly: true)
    }
}
