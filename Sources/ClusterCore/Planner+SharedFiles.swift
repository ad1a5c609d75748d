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
            check: ScriptFile.load("files/export-dir-check.sh", ["path": .value(path), "owner": .value("\(c.app.uid):\(c.app.gid)")]),
            apply: ScriptFile.load("files/export-dir.sh", ["path": .value(path), "owner": .value("\(c.app.uid):\(c.app.gid)")]),
            dependsOn: [id(.serviceUser, server), id(.packages, server)], timeoutSeconds: 60,
            notes: ["The folder belongs to the service user's uid and gid (the same on every host), not to nobody and not mode 777."])
        let exports = Step(
            id: id(.exports, server), layer: .sharedFiles, host: server,
            title: "Export \(path) to the application servers only (rw, sync)",
            check: Sh.require("[ \"$(awk -v p=\(path) '$1 == p' /etc/exports 2>/dev/null)\" = \(line) ]",
                              because: "/etc/exports has no line \(line)")
                + " && " + Sh.require("[ \"$(exportfs -s 2>/dev/null | awk -v p=\(path) '$1 == p { sub(/\\(.*/, \"\", $2); print $2 }' | sort | tr '\\n' ' ')\" = \(clients + " ") ]",
                                      because: "the NFS server does not export \(path) to exactly \(clients)") + "\n",
            apply: ScriptFile.load("files/exports.sh", ["path": .value(path), "line": .value(line)]),
            dependsOn: [dir.id], timeoutSeconds: 60,
            notes: ["The line for \(path) in /etc/exports is replaced, never appended twice; the old file is kept as /etc/exports.joget-cluster.orig."])
        let service = c.family.nfsServerService
        let start = Step(
            id: id(.nfsServer, server), layer: .sharedFiles, host: server,
            title: "Start the NFS server and start it at boot",
            check: Sh.serviceQueries + "need_running \(Sh.service(service)) && need_enabled \(Sh.service(service))\n",
            apply: Sh.services + ScriptFile.load("files/nfs-server.sh", ["unit": .value(service.unit), "init_script": .value(service.initScript)]),
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
            apply: ScriptFile.load("files/fstab.sh", ["m": .value(m), "line": .value(line)]),
            dependsOn: [id(.packages, host)], timeoutSeconds: 60,
            notes: ["The mount point stays owned by root while nothing is mounted, so Joget cannot write into an unmounted folder by mistake."])
        let mount = Step(
            id: id(.mount, host), layer: .sharedFiles, host: host,
            title: "Mount the shared folder \(source) at \(m)",
            check: ScriptFile.load("files/mount-check.sh", ["m": .value(m), "source": .value(source)]),
            apply: ScriptFile.load("files/mount.sh", ["m": .value(m), "source": .value(source)]),
            dependsOn: [fstab.id, id(.nfsServer, server), id(.serviceUser, host)],
            timeoutSeconds: 120)
        return (fstab, mount)
    }

    private static func existingMountStep(_ c: Cluster, _ host: String) -> Step {
        let m = c.mount
        let single = c.appHosts.count == 1
        return Step(
            id: id(.checkMount, host), layer: .sharedFiles, host: host,
            title: "Check that the shared folder \(m) is mounted",
            check: nil,
            apply: ScriptFile.load("files/check-mount.sh", ["m": .value(m), "single": .value(single ? "yes" : "no")]),
            dependsOn: [id(.packages, host)], timeoutSeconds: 60,
            notes: ["Any mount counts (NFS, CIFS, a cluster file system, a bind mount); whether it is really shared is proven by the share test."], readOnly: true)
    }

    private static func writeTestStep(_ c: Cluster, _ host: String, after mounted: String) -> Step {
        return Step(
            id: id(.writeTest, host), layer: .sharedFiles, host: host,
            title: "Test that \(c.user) can write to the shared folder",
            check: nil,
            apply: ScriptFile.load("files/write-test.sh", ["user": .value(c.user), "marks": .value(c.shareMarks), "host": .value(host),
                                                           "mount": .value(c.mount), "uid": .number(c.app.uid), "gid": .number(c.app.gid)]),
            dependsOn: [mounted, id(.serviceUser, host)], timeoutSeconds: 60, readOnly: true)
    }

    private static func shareTestStep(_ c: Cluster, after writeTests: [String]) -> Step {
        let me = c.firstAppHost
        let others = c.appHosts.filter { $0 != me }.joined(separator: " ")
        let body = ScriptFile.load("files/share-test.sh", ["user": .value(c.user), "marks": .value(c.shareMarks), "me": .value(me),
                                                           "others": .value(others), "mount": .value(c.mount)])
        return Step(
            id: id(.shareTest, me), layer: .sharedFiles, host: me,
            title: "Test that a file written on each app host is read on \(me)",
            check: nil, apply: body, dependsOn: writeTests, timeoutSeconds: 60, readOnly: true)
    }
}
