/// Layer 3, "Application servers": Joget's wflow folder and datasource in the shared folder (once),
/// then per node: Tomcat from the bundle, jw.war made distributable, setenv.sh, server.xml, a
/// systemd unit, and a start that waits for the node to answer.
///
/// Each node lives in `<installDir>/<node>` (CATALINA_HOME = CATALINA_BASE), so nodes that share a
/// host never share a Tomcat folder, and every config file has a path known when planning.
extension Planner {
    static func appServerSteps(_ c: Cluster) -> [Step] {
        var steps: [Step] = []
        let first = c.firstAppHost
        let wflow = sharedWflowStep(c)
        let datasource = datasourceStep(c, after: wflow.id)
        steps += [wflow, datasource]

        let firstStart = id(.start, first, c.firstNode.name)
        var starts: [String] = []
        for node in c.app.nodes {
            let host = node.host
            let install = installStep(c, node)
            let webapp = webappStep(c, node, after: install.id)
            let setenv = fileStep(c, node, .setenv, title: "Write bin/setenv.sh (heap, wflow.home, the three Java agents)",
                                  file: setenvFile(c, node), after: install.id)
            let serverXML = fileStep(c, node, .serverXML,
                                     title: "Write conf/server.xml (jvmRoute \(node.name), ports, \(c.app.membership == .multicast ? "multicast" : "static") session replication)",
                                     file: serverXMLFile(c, node), after: install.id)
            let service = serviceStep(c, node, after: install.id)
            var needs = [webapp.id, setenv.id, serverXML.id, service.id, datasource.id,
                         id(.loadSchema, c.db.host), id(.login, host),
                         id(.resolveName, host)]
            needs += sharedFolderReady(c, host)
            if c.app.membership == .multicast { needs.append(id(.multicast, host)) }
            // The first node starts alone: on its first start Joget updates the schema and fills the
            // shared folder, which nodes starting at the same moment would race on.
            if node != c.firstNode { needs.append(firstStart) }
            let start = startStep(c, node, after: needs)
            starts.append(start.id)
            steps += [install, webapp, setenv, serverXML, service, start]
        }
        // After every start: a node can only see the others once they run.
        for node in c.app.nodes { steps.append(clusterCheckStep(c, node, after: starts)) }
        return steps
    }

    /// The ids of every node's start step: the load balancer waits for them.
    static func appStarts(_ c: Cluster) -> [String] {
        c.app.nodes.map { id(.start, $0.host, $0.name) }
    }

    // MARK: shared folder

    private static func sharedWflowStep(_ c: Cluster) -> Step {
        let host = c.firstAppHost, u = c.user, m = c.mount
        let mark = c.shareMarks + "/wflow-copied", copying = c.shareMarks + "/wflow-copying"
        return Step(
            id: id(.sharedWflow, host), layer: .appServers, host: host,
            title: "Copy the bundle's wflow folder into the shared folder (once, for all nodes)",
            check: Sh.require("runuser -u \(u) -- test -f \(mark)",
                              because: "the bundle's wflow folder was not copied into the shared folder (\(mark) is missing)") + "\n",
            apply: ScriptFile.load("app/shared-wflow.sh", ["src": .value(c.stagedWflow), "dst": .value(m), "u": .value(u),
                                                           "copying": .value(copying), "mark": .value(mark), "bundle_name": .value(c.bundleName)]),
            dependsOn: sharedFolderReady(c, host) + [id(.bundle, host)],
            timeoutSeconds: 900,
            notes: ["Done once, on \(host): a shared folder that already holds Joget files is kept as it is."])
    }

    /// `jdbc:mysql://HOST:PORT/NAME?...` as shipped in Joget 8's datasource file.
    static func jdbcURL(_ c: Cluster) -> String {
        "jdbc:mysql://\(c.urlHost(c.db.host)):\(c.db.port)/\(c.db.name)?characterEncoding=UTF-8&useSSL=false&allowPublicKeyRetrieval=true&serverTimezone=UTC"
    }

    static func datasourceFiles(_ c: Cluster) -> [PlannedFile] {
        let profile = PlannedFile(
            path: c.mount + "/app_datasource.properties",
            content: render("app_datasource.properties", TemplateContext(["profile": .text(JavaProperties.escapeValue("default"))])),
            mode: 0o640, owner: c.owner)
        let values: [String: TemplateValue] = [
            "driver": .text(JavaProperties.escapeValue("com.mysql.cj.jdbc.Driver")),
            "url": .text(JavaProperties.escapeValue(jdbcURL(c))),
            "user": .text(JavaProperties.escapeValue(c.db.user)),
            "password": .secret(c.db.passwordSecret, .javaProperties),
        ]
        let settings = PlannedFile(path: c.mount + "/app_datasource-default.properties",
                                   content: render("app_datasource-default.properties", TemplateContext(values)),
                                   mode: 0o640, owner: c.owner)
        return [profile, settings]
    }

    private static func datasourceStep(_ c: Cluster, after wflow: String) -> Step {
        let files = datasourceFiles(c), host = c.firstAppHost
        return Step(
            id: id(.datasource, host), layer: .appServers, host: host,
            title: "Point Joget at the shared database (app_datasource*.properties, mode 0640)",
            check: Sh.matches(files, as: c.user) + "\n", apply: Sh.strict + Sh.write(files, as: c.user), files: files,
            dependsOn: [wflow], timeoutSeconds: 60,
            notes: ["The files hold the database password: they are readable by \(c.user) only (mode 0640, group \(c.group))."])
    }

    // MARK: one node

    private static func installStep(_ c: Cluster, _ node: Node) -> Step {
        let dir = c.nodeDir(node), src = c.remoteBundle
        return Step(
            id: id(.install, node.host, node.name), layer: .appServers, host: node.host,
            title: "Install Tomcat for \(node.name) in \(dir)",
            check: Sh.require("[ \"$(cat \(dir + "/.joget-cluster-bundle") 2>/dev/null)\" = \(src) ]", because: "\(dir) does not hold Tomcat from \(src)")
                + " && " + Sh.require("[ -f \(dir + "/bin/catalina.sh") ]", because: "\(dir)/bin/catalina.sh is missing")
                + " && " + Sh.require("[ -f \(dir + "/aspectjweaver.jar") ]", because: "\(dir)/aspectjweaver.jar is missing")
                + " && " + Sh.require("[ \"$(stat -c %U \(dir))\" = \(c.user) ]", because: "\(dir) is not owned by \(c.user)") + "\n",
            apply: ScriptFile.load("app/install.sh", ["dir": .value(dir), "src": .value(src), "staged_tomcat": .value(c.stagedTomcat),
                                                      "staged_wflow": .value(c.stagedWflow), "unpacked": .value(c.bundleDir + "/unpacked"),
                                                      "owner": .value(c.owner)]),
            dependsOn: [id(.bundle, node.host), id(.serviceUser, node.host)],
            timeoutSeconds: 600,
            notes: ["setenv.sh names \(dir)/aspectjweaver.jar, a link to the aspectjweaver-*.jar found in the bundle when installing."])
    }

    private static func webappStep(_ c: Cluster, _ node: Node, after install: String) -> Step {
        let dir = c.nodeDir(node)
        let war = dir + "/webapps/jw.war", expanded = dir + "/webapps/jw/WEB-INF/web.xml"
        return Step(
            id: id(.webapp, node.host, node.name), layer: .appServers, host: node.host,
            title: "Deploy jw.war, marked <distributable/> so that sessions replicate",
            check: Sh.require("[ -f \(war) ]", because: "\(war) is missing")
                + " && " + Sh.require("[ \"$(stat -c %U:%G \(war))\" = \(c.owner) ]", because: "\(war) is not owned by \(c.owner)")
                + " && " + Sh.require("unzip -p \(war) WEB-INF/web.xml 2>/dev/null | grep -q '<distributable'",
                                      because: "\(war) is not marked distributable (WEB-INF/web.xml): sessions would not replicate")
                + " && " + Sh.require("{ [ ! -f \(expanded) ] || grep -q '<distributable' \(expanded); }",
                                      because: "the unpacked \(dir)/webapps/jw is not marked distributable") + "\n",
            apply: ScriptFile.load("app/webapp.sh", ["war": .value(war), "dir": .value(dir), "staged_war": .value(c.stagedWar), "owner": .value(c.owner)]),
            dependsOn: [install], timeoutSeconds: 600,
            notes: ["Tomcat replicates sessions only for a distributable web app (DeltaManager is used only then), and the community jw.war ships without <distributable/>: it is added to WEB-INF/web.xml inside the war. Replacing jw.war later undoes this; run the wizard again after an upgrade."])
    }

    static func setenvFile(_ c: Cluster, _ node: Node) -> PlannedFile {
        var ctx = TemplateContext([
            "node": .text(node.name), "heap": .text(c.app.heap), "shared": .text(c.mount),
            "aspectjweaver": .text(c.nodeDir(node) + "/aspectjweaver.jar"),
        ])
        ctx.when("sharesHost", c.answers.sharesHost(node))
        return PlannedFile(path: c.nodeDir(node) + "/bin/setenv.sh", content: render("setenv.sh", ctx),
                           mode: 0o750, owner: c.owner)
    }

    /// The server.xml context, separate so tests can render it with loopback addresses.
    static func serverXMLContext(_ c: Cluster, _ node: Node) -> TemplateContext {
        let x = Template.xml
        let a = c.answers
        var ctx = TemplateContext([
            "node": .text(x(node.name)),
            "httpPort": .text(String(a.httpPort(of: node))),
            "shutdownPort": .text(String(a.shutdownPort(of: node))),
            "replicationPort": .text(String(a.replicationPort(of: node))),
            // "auto": the address the host name resolves to, which hosts.resolve-name made the host's own.
            "receiverAddress": "auto",
        ])
        switch c.app.membership {
        case .multicast:
            ctx["autoBind"] = "100"
            ctx.lists["multicast"] = [TemplateContext(["address": .text(x(c.app.multicastAddress)),
                                                       "port": .text(String(c.app.multicastPort))])]
            ctx.lists["static"] = []
        case .static:
            // A static member's port must be exactly the one it listens on: no moving to the next free port.
            ctx["autoBind"] = "1"
            ctx.lists["multicast"] = []
            let members = c.app.nodes.enumerated().map { i, n in
                TemplateContext(["host": .text(x(c.address(n.host))),
                                 "port": .text(String(a.replicationPort(of: n))),
                                 "uniqueId": .text(uniqueId(i + 1))])
            }
            ctx.lists["static"] = [TemplateContext(lists: ["members": members])]
        }
        let lb = c.address(a.loadBalancer.host)
        ctx.when("trustBalancer", IPv4(lb) != nil,
                 TemplateContext(["pattern": .text(x(lb.replacingOccurrences(of: ".", with: "\\.")))]))
        return ctx
    }

    /// Sixteen bytes naming a static member: `{0,...,0,n}`.
    static func uniqueId(_ n: Int) -> String {
        "{" + (Array(repeating: "0", count: 14) + [String(n / 256), String(n % 256)]).joined(separator: ",") + "}"
    }

    static func serverXMLFile(_ c: Cluster, _ node: Node) -> PlannedFile {
        PlannedFile(path: c.nodeDir(node) + "/conf/server.xml", content: render("server.xml", serverXMLContext(c, node)),
                    mode: 0o640, owner: c.owner)
    }

    static func unitFile(_ c: Cluster, _ node: Node) -> PlannedFile {
        let ctx = TemplateContext(["node": .text(node.name), "user": .text(c.user), "group": .text(c.group),
                                   "home": .text(c.nodeDir(node)), "shared": .text(c.mount),
                                   "readyFile": .text(Layout.readyFile(of: node, in: c.answers)),
                                   "readyDir": .text(Layout.readyDirectory(of: node, in: c.answers))])
        return PlannedFile(path: "/etc/systemd/system/\(c.unit(node)).service", content: render("joget-node.service", ctx),
                           mode: 0o644, owner: "root:root")
    }

    /// The empty file the balancer's health check asks for: while it exists the node gets requests.
    /// The unit makes it when the node starts and removes it before the node stops; written here
    /// too, for hosts without systemd and for the first start.
    static func readyFile(_ c: Cluster, _ node: Node) -> PlannedFile {
        PlannedFile(path: Layout.readyFile(of: node, in: c.answers), content: FileContent(""), mode: 0o640, owner: c.owner)
    }

    private static func fileStep(_ c: Cluster, _ node: Node, _ kind: StepKind, title: String, file: PlannedFile, after install: String) -> Step {
        Step(id: id(kind, node.host, node.name), layer: .appServers, host: node.host,
             title: title, check: Sh.matches(file) + "\n", apply: Sh.strict + Sh.write(file), files: [file],
             dependsOn: [install], timeoutSeconds: 60)
    }

    private static func serviceStep(_ c: Cluster, _ node: Node, after install: String) -> Step {
        let file = unitFile(c, node), ready = readyFile(c, node), unit = c.unit(node)
        return Step(
            id: id(.service, node.host, node.name), layer: .appServers, host: node.host,
            title: "Install the systemd service \(unit) (Tomcat comes back after a reboot)",
            check: Sh.matches(file, ready) + " && " + Sh.require("{ [ ! -d /run/systemd/system ] || systemctl is-enabled --quiet \(unit); }",
                                                               because: "\(unit) is not enabled at boot") + "\n",
            apply: Sh.strict + "install -d -m 0750 -o \(c.user) -g \(c.group) \(Layout.readyDirectory(of: node, in: c.answers))\n"
                + Sh.write(file, ready) + ScriptFile.load("app/enable-service.sh", ["unit": .value(unit)]),
            files: [file, ready], dependsOn: [install], timeoutSeconds: 60,
            notes: ["Without systemd as PID 1 (some containers), Tomcat is started with its own startup.sh as \(c.user), and nothing restarts it after a reboot of that host.",
                    "The balancer sends the node requests while \(ready.path) exists: the unit removes it 3 s before Tomcat stops, and makes it again when Tomcat starts."])
    }

    /// Shell defining `stop_node` for `node` (assets/scripts/app/stop-node.sh).
    static func stopNodeFunction(_ c: Cluster, _ node: Node) -> Script {
        ScriptFile.load("app/stop-node.sh", ["node_unit": .value(c.unit(node)), "node_dir": .value(c.nodeDir(node)),
                                             "node_user": .value(c.user), "node_pid_file": .value(Layout.pidFile(of: node, in: c.answers))])
    }

    /// Shell defining `running`, `answers` and `fingerprint` for `node` (assets/scripts/app/node-state.sh).
    static func nodeState(_ c: Cluster, _ node: Node) -> Script {
        let dir = c.nodeDir(node), ds = datasourceFiles(c).map(\.path)
        return ScriptFile.load("app/node-state.sh", [
            "unit": .value(c.unit(node)), "pid_file": .value(Layout.pidFile(of: node, in: c.answers)),
            "port": .number(c.answers.httpPort(of: node)), "setenv": .value(dir + "/bin/setenv.sh"),
            "server_xml": .value(dir + "/conf/server.xml"), "war": .value(dir + "/webapps/jw.war"), "user": .value(c.user),
            "ds_profile": .value(ds[0]), "ds_settings": .value(ds[1]), "unit_path": .value(unitFile(c, node).path),
        ])
    }

    private static func startStep(_ c: Cluster, _ node: Node, after needs: [String]) -> Step {
        let dir = c.nodeDir(node), unit = c.unit(node), port = c.answers.httpPort(of: node)
        let stamp = c.stamp(unit)
        let helpers = nodeState(c, node)
        return Step(
            id: id(.start, node.host, node.name), layer: .appServers, host: node.host,
            title: "Start \(node.name) (restarted only when its configuration changed) and wait until it answers on port \(port)",
            check: helpers + Sh.require("running", because: "\(unit) is not running")
                + " && " + Sh.require("answers", because: "\(node.name) does not answer on http://127.0.0.1:\(port)/")
                + " && " + Sh.require("[ \"$(cat \(stamp) 2>/dev/null)\" = \"$(fingerprint)\" ]",
                                      because: "\(node.name) was started before its configuration last changed (setenv.sh, server.xml, jw.war, datasource or unit): it would be restarted") + "\n",
            apply: helpers + ScriptFile.load("app/start.sh", ["node": .value(node.name), "dir": .value(dir), "stamp": .value(stamp),
                                                              "state_dir": .value(c.stateDir), "ready_path": .value(Layout.readyPath)]),
            dependsOn: needs, timeoutSeconds: 900,
            notes: ["Joget's first start can take several minutes (it unpacks jw.war and prepares the database).",
                    "Nodes that start at the same moment (after a power cut) each wait up to 60 s for the others' sessions before they answer."])
    }

    private static func clusterCheckStep(_ c: Cluster, _ node: Node, after starts: [String]) -> Step {
        Step(
            id: id(.clusterCheck, node.host, node.name), layer: .appServers, host: node.host,
            title: "Check in the log that \(node.name) replicates sessions",
            check: nil, apply: clusterCheckScript(c, node), dependsOn: starts, optional: true, timeoutSeconds: 180,
            notes: ["Optional: reads Tomcat's log; the cluster works without this check passing, but sessions may not move between nodes."], readOnly: true)
    }

    /// Waits until the node's log of its current run shows a clustering session manager and
    /// every other node present (up to 2 minutes); fails saying which is missing.
    static func clusterCheckScript(_ c: Cluster, _ node: Node) -> Script {
        NodeLog.functions(unit: c.unit(node), catalinaOut: Layout.catalinaOut(of: node, in: c.answers), pidFile: Layout.pidFile(of: node, in: c.answers))
            + ScriptFile.load("app/cluster-check.sh", ["node": .value(node.name), "peers": .number(c.app.nodes.count - 1),
                                                       "network": .value(c.app.membership == .multicast ? "multicast" : "replication"),
                                                       "present_awk": .value(NodeLog.presentAwk)])
    }
}
