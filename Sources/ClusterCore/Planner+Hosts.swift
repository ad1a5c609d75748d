/// Layer 0, "Prepare hosts": the release, packages per role, the service user, the host name,
/// multicast, and the Joget bundle on each app host. Nothing here waits for another host.
extension Planner {
    static func hostSteps(_ c: Cluster) -> [Step] {
        var steps: [Step] = []
        for host in c.hosts {
            let roles = c.roles(host)
            let os = id(.os, host)
            steps.append(Step(
                id: os, layer: .hosts, host: host,
                title: "Check the operating system (\(Distro.testedTitles))",
                check: nil,
                apply: Distro.detect + ScriptFile.load("hosts/os.sh", ["tested": .value(Distro.releases.map { "\($0.id):\($0.versionID)" }.joined(separator: " ")),
                                                                       "titles": .value(Distro.testedTitles)]),
                timeoutSeconds: 60, readOnly: true))

            steps.append(packagesStep(c, host, roles, after: os))

            if roles.contains(.app) || roles.contains(.nfsServer) {
                steps.append(serviceUserStep(c, host, after: os))
            }
            if roles.contains(.app) {
                steps.append(resolveNameStep(c, host, after: os))
                if c.app.membership == .multicast {
                    steps.append(multicastStep(c, host))
                }
                steps.append(bundleStep(c, host))
            }
        }
        return steps
    }

    /// Package roles a host needs, in a stable order.
    static func packages(_ c: Cluster, _ roles: [Cluster.Role]) -> [Distro.Package] {
        var list: [Distro.Package] = [.iproute]
        func add(_ p: Distro.Package) { if !list.contains(p) { list.append(p) } }
        let client: Distro.Package = c.db.engine == .mariadb ? .mariadbClient : .mysqlClient
        for role in roles {
            switch role {
            case .nfsServer: add(.nfsServer)
            case .database:
                if c.db.engine == .mariadb { add(.mariadbServer) }  // MySQL's server is added only when mysqld is missing
                add(client)
            case .app:
                [.java, .unzip, .zip, .curl, client].forEach(add)
                if c.answers.sharedFiles.provider == .nfs { add(.nfsClient) }
            case .balancer:
                [.apache, .curl].forEach(add)
                if c.answers.loadBalancer.tls != nil { add(.openssl) }  // checks the certificate and key
            }
        }
        return list
    }

    private static func packagesStep(_ c: Cluster, _ host: String, _ roles: [Cluster.Role], after os: String) -> Step {
        let list = packages(c, roles)
        let mysqlServer = roles.contains(.database) && c.db.engine == .mysql
        let why: [Distro.Package: String] = [
            .mysqlServer: "MySQL 8 is not in this release's archive: choose database.engine mariadb, or install MySQL 8 from the MySQL APT repository first",
        ]
        let select = ScriptFile.load("hosts/select-packages.sh", [
            "table": .value(Distro.packageTable(list)),
            // MySQL's server is added only when mysqld is missing.
            "mysql_table": .value(mysqlServer ? Distro.packageTable([.mysqlServer], why: why) : ""),
        ])
        let roleNames = roles.map { r -> String in
            switch r {
            case .nfsServer: "file server"
            case .database: "database"
            case .app: "application server"
            case .balancer: "load balancer"
            }
        }.joined(separator: ", ")
        return Step(
            id: id(.packages, host), layer: .hosts, host: host,
            title: "Install the packages of the \(roleNames)",
            check: Distro.detect + select + ScriptFile.load(c.family.installedScript),
            apply: Sh.strict + Distro.detect + select + ScriptFile.load(c.family.installScript),
            dependsOn: [os], timeoutSeconds: 1800)
    }

    private static func serviceUserStep(_ c: Cluster, _ host: String, after os: String) -> Step {
        let u = c.user, uid = c.app.uid, gid = c.app.gid
        return Step(
            id: id(.serviceUser, host), layer: .hosts, host: host,
            title: "Create the service user \(u) (uid \(uid), gid \(gid)), the same on every host",
            check: Sh.require("[ \"$(id -u \(u) 2>/dev/null)\" = \(uid) ]", because: "the user \(u) does not exist with uid \(uid)")
                + " && " + Sh.require("[ \"$(id -g \(u) 2>/dev/null)\" = \(gid) ]", because: "the user \(u)'s primary group is not gid \(gid)")
                + " && " + Sh.require("[ \"$(getent group \(u) | cut -d: -f3)\" = \(gid) ]", because: "the group \(u) does not exist with gid \(gid)") + "\n",
            apply: ScriptFile.load("hosts/service-user.sh", ["u": .value(u), "uid": .number(uid), "gid": .number(gid), "home": .value(c.installDir)]),
            dependsOn: [os], timeoutSeconds: 60)
    }

    /// The awk program that moves the host's own names off loopback lines in /etc/hosts.
    /// In: -v real=ADDRESS -v name=HOSTNAME -v short=SHORTNAME. The 127.0.1.1 line naming the host
    /// is replaced by the real address with the same names; other loopback lines lose the host's names.
    /// The awk program that puts the host's name on its real address in /etc/hosts
    /// (assets/scripts/hosts/fix-hosts.awk).
    static var hostsAwk: String { ScriptFile.text("hosts/fix-hosts.awk") }

    private static func resolveNameStep(_ c: Cluster, _ host: String, after os: String) -> Step {
        let wanted = c.address(host)
        let isStatic = c.app.membership == .static
        var notes = ["Java (and Tomcat's cluster membership) uses the address the host name resolves to; "
                     + "Debian and Ubuntu map it to 127.0.1.1, so the 127.0.1.1 line for this host is replaced by its real address. "
                     + "A copy of the old file is kept as /etc/hosts.joget-cluster.orig."]
        notes.append("On cloud images, cloud-init may rewrite /etc/hosts at boot (manage_etc_hosts): set it to false there.")
        return Step(
            id: id(.resolveName, host), layer: .hosts, host: host,
            title: "Make the host name resolve to the host's address, not 127.0.1.1",
            check: Sh.clusterAddress(wanted)
                + Sh.require("[ -n \"$addr\" ]", because: "this host has no IPv4 address besides loopback") + " && "
                + Sh.require("{ got=$(getent ahostsv4 \"$(hostname)\" 2>/dev/null | awk 'NR==1 {print $1}'); [ \"$got\" = \"$addr\" ]; }",
                             say: "printf '%s resolves to %s, not %s\\n' \"$(hostname)\" \"${got:-nothing}\" \"$addr\"") + "\n",
            apply: Sh.clusterAddress(wanted) + ScriptFile.load("hosts/resolve-name.sh", ["static_membership": .value(isStatic ? "yes" : "no"),
                                                                                      "fix_hosts": .value(hostsAwk)]),
            dependsOn: [os], timeoutSeconds: 60, notes: notes)
    }

    private static func multicastStep(_ c: Cluster, _ host: String) -> Step {
        let group = c.app.multicastAddress
        let find = Sh.clusterAddress(c.address(host)) + ScriptFile.load("hosts/multicast-route.sh", ["group": .value(group)])
        return Step(
            id: id(.multicast, host), layer: .hosts, host: host,
            title: "Check that multicast works on the cluster interface",
            check: find + Sh.require("[ -n \"$dev\" ]", say: "printf 'cannot find the interface holding %s\\n' \"${addr:-an IPv4 address}\"")
                + " && " + Sh.require("ip link show dev \"$dev\" | grep -q MULTICAST", say: "printf 'interface %s has no MULTICAST flag\\n' \"$dev\"")
                + " && " + Sh.require("[ \"$route\" = \"$dev\" ]",
                                      say: "printf 'multicast to %s leaves by %s, not %s\\n' \(group) \"${route:-no interface}\" \"$dev\"") + "\n",
            apply: Sh.strict + find + ScriptFile.load("hosts/multicast.sh", ["group": .value(group)]),
            dependsOn: [id(.resolveName, host), id(.packages, host)], timeoutSeconds: 60,
            notes: ["Public cloud networks usually drop multicast even when the flag is on: use static membership there."])
    }

    private static func bundleStep(_ c: Cluster, _ host: String) -> Step {
        let dir = c.bundleDir, src = c.remoteBundle
        let transfer: Transfer? = c.app.bundleOn == .local ? .upload(local: c.app.bundle, remote: src) : nil
        return Step(
            id: id(.bundle, host), layer: .hosts, host: host,
            title: c.app.bundleOn == .local ? "Upload and unpack the Joget bundle \(c.bundleName)" : "Unpack the Joget bundle \(c.app.bundle)",
            check: Sh.require("[ \"$(cat \(dir + "/source") 2>/dev/null)\" = \(src) ]", because: "the bundle \(src) is not unpacked in \(dir)")
                + " && " + Sh.require("[ -f \(c.stagedTomcat + "/bin/catalina.sh") ] && [ -d \(c.stagedWflow + "/") ] && [ -f \(c.stagedWar) ]",
                                      because: "the unpacked bundle in \(dir) lacks Tomcat, wflow or jw.war") + "\n",
            apply: ScriptFile.load("hosts/bundle.sh", ["src": .value(src), "dir": .value(dir), "install_dir": .value(c.installDir),
                                                       "staged_tomcat": .value(c.stagedTomcat), "staged_wflow": .value(c.stagedWflow),
                                                       "staged_war": .value(c.stagedWar)]),
            transfer: transfer,
            dependsOn: [id(.packages, host)], timeoutSeconds: 1800,
            notes: c.app.bundleOn == .local
                ? ["The bundle is uploaded to \(src) on every app host and kept there, so a re-run does not upload it again."]
                : [])
    }
}
