import Foundation
import Testing
@testable import ClusterCore

@Suite struct PlanOrderTests {
    @Test(arguments: Fixtures.all.map(\.0))
    func idsAreUniqueAndDependenciesComeEarlier(_ name: String) {
        let plan = Fixtures.plan(Fixtures.all.first { $0.0 == name }!.1)
        #expect(plan.steps.count > 20)
        Self.expectUniqueIDsAndDependenciesEarlier(plan)
        for step in plan.steps {
            #expect(step.id.hasPrefix(step.layer.tag + "."), "\(step.id) is not named after its layer")
            #expect(step.id.contains("@\(step.host)"), "\(step.id) does not name its host \(step.host)")
            #expect(!step.title.isEmpty)
        }
    }

    @Test(arguments: Fixtures.all.map(\.0))
    func layersComeInOrder(_ name: String) {
        let plan = Fixtures.plan(Fixtures.all.first { $0.0 == name }!.1)
        let layers = plan.steps.map(\.layer)
        #expect(layers == layers.sorted(), "steps are not grouped in layer order")
        #expect(Set(layers) == Set(Layer.allCases).subtracting([.retire, .upgrade]), "a fresh install has every layer, and retires and upgrades nothing")
    }

    /// No id twice, and each step after every step it waits for.
    static func expectUniqueIDsAndDependenciesEarlier(_ plan: Plan) {
        var seen = Set<String>()
        for step in plan.steps {
            #expect(!seen.contains(step.id), "duplicate step id \(step.id)")
            for dep in step.dependsOn {
                #expect(seen.contains(dep), "\(step.id) depends on \(dep), which is not an earlier step")
            }
            seen.insert(step.id)
        }
    }

    /// Everything a step needs, through its dependencies.
    static func closure(_ plan: Plan, _ id: String) -> Set<String> {
        var out = Set<String>(), todo = [id]
        while let next = todo.popLast() {
            for dep in plan.step(next)?.dependsOn ?? [] where out.insert(dep).inserted { todo.append(dep) }
        }
        return out
    }

    @Test(arguments: Fixtures.all.map(\.0))
    func layerNeedsAreHonoured(_ name: String) {
        let a = Fixtures.all.first { $0.0 == name }!.1
        let plan = Fixtures.plan(a)
        let starts = plan.steps.filter { $0.id.hasPrefix("app.start@") }
        #expect(starts.count == a.appServers.nodes.count)
        for start in starts {
            let needs = Self.closure(plan, start.id)
            #expect(needs.contains("db.load-schema@\(a.database.host)"), "\(start.id) may start before the schema is loaded")
            #expect(needs.contains("db.create-user@\(a.database.host)"))
            #expect(needs.contains { $0.hasPrefix("app.datasource@") }, "\(start.id) may start before the datasource is written")
            #expect(needs.contains { $0.hasPrefix("app.shared-wflow@") })
            #expect(needs.contains("files.write-test@\(start.host)"), "\(start.id) may start before the shared folder works")
            #expect(needs.contains("hosts.resolve-name@\(start.host)"))
        }
        // The first node starts alone; the others after it.
        let first = a.appServers.nodes[0]
        for node in a.appServers.nodes.dropFirst() {
            #expect(Self.closure(plan, "app.start@\(node.host)#\(node.name)").contains("app.start@\(first.host)#\(first.name)"))
        }
        // The balancer is (re)loaded only once every node runs.
        let apache = "lb.apache@\(a.loadBalancer.host)"
        for start in starts { #expect(Self.closure(plan, apache).contains(start.id)) }
        // Package installs wait for nothing but the OS check: they can start at once everywhere.
        for step in plan.steps where step.id.hasPrefix("hosts.packages@") {
            #expect(step.dependsOn == ["hosts.os@\(step.host)"])
        }
    }

    @Test(arguments: Fixtures.all.map(\.0))
    func wflowIsCopiedOnceOnTheFirstAppHost(_ name: String) {
        let a = Fixtures.all.first { $0.0 == name }!.1
        let copies = Fixtures.plan(a).steps.filter { $0.apply.display.contains("cp -R \"$1/.\" \"$2/\"") }
        #expect(copies.map(\.id) == ["app.shared-wflow@\(a.appServers.nodes[0].host)"])
        let datasource = Fixtures.plan(a).steps.filter { $0.files.contains { $0.path.hasSuffix("/app_datasource-default.properties") } }
        #expect(datasource.count == 1)
    }

    /// A step without a check always runs: it must be a read-only probe, or one of the two that
    /// change something every time on purpose (the user's password is set again; the schema is re-read).
    @Test func stepsWithoutACheckAreReadOnlyProbes() {
        let alwaysApplied = ["db.create-user@", "db.extract-schema@"]
        for (name, a) in Fixtures.all {
            for step in Fixtures.plan(a).steps {
                if step.readOnly { #expect(step.check == nil, "\(name): read-only \(step.id) has a check") }
                if step.check == nil && !alwaysApplied.contains(where: { step.id.hasPrefix($0) }) {
                    #expect(step.readOnly, "\(name): \(step.id) has no check and is not marked read-only")
                }
            }
        }
        func probes(_ a: Answers) -> Set<String> {
            Set(Fixtures.plan(a).steps.filter(\.readOnly).map { String($0.id.prefix { $0 != "@" }) })
        }
        #expect(probes(Fixtures.twoNode) == ["hosts.os", "files.write-test", "files.share-test", "db.login",
                                             "app.cluster-check", "lb.check"])
        var existing = Fixtures.twoNode
        existing.sharedFiles.provider = .existing
        #expect(probes(existing).contains("files.check-mount"))
    }

    @Test func optionalStepsAreOnlyChecks() {
        for (_, a) in Fixtures.all {
            for step in Fixtures.plan(a).steps where step.optional {
                #expect(step.id.hasPrefix("app.cluster-check@") || step.id.hasPrefix("lb.check@"), "\(step.id) is optional")
            }
        }
    }
}

@Suite struct PlanContentTests {
    func everything(_ plan: Plan) -> String {
        plan.steps.map { s in
            Fixtures.scripts(s).map(\.1.display).joined(separator: "\n") + s.files.map(\.content.display).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    @Test(arguments: Fixtures.all.map(\.0))
    func theGuidesBrokenStepsAreNotRepeated(_ name: String) {
        let plan = Fixtures.plan(Fixtures.all.first { $0.0 == name }!.1)
        let text = everything(plan)
        // MySQL 8 removed GRANT ... IDENTIFIED BY: no statement may hold both.
        for statement in text.split(separator: ";") where statement.contains("GRANT") {
            #expect(!statement.contains("IDENTIFIED BY"), "GRANT with IDENTIFIED BY: \(statement)")
        }
        #expect(text.contains("CREATE USER IF NOT EXISTS"))
        #expect(text.contains("ALTER USER"))
        #expect(!text.contains("Order deny,allow"))
        #expect(!text.contains("Allow from"))
        #expect(!text.contains("NameVirtualHost"))
        #expect(!text.contains("com.mysql.jdbc.Driver"))
        #expect(!text.contains("chmod 777") && !text.contains("chmod 0777") && !text.contains("a+rwx"), "no world-writable folders")
        #expect(!text.contains("nobody:nogroup"))
        for step in plan.steps where step.id.hasPrefix("files.exports@") {
            #expect(!step.apply.display.contains("async") && step.apply.display.contains("(rw,sync,no_subtree_check)"))
        }
        let modules = plan.steps.first { $0.id.hasPrefix("lb.modules@") }!.apply.display
        for m in ["lbmethod_byrequests", "proxy_wstunnel", "proxy_balancer", "proxy_http", "proxy", "headers"] {
            #expect(modules.contains(" \(m)"), "module \(m) is not enabled")
        }
        let site = plan.steps.flatMap(\.files).first { $0.path.hasSuffix("/jwsite.conf") }!.content.display
        #expect(site.contains("Require all granted"))
        #expect(site.contains("stickysession=JSESSIONID|jsessionid"))
        #expect(site.contains("ProxyPreserveHost On"))
        #expect(site.contains("ProxyPass /jw/web/applog balancer://wscluster/jw/web/applog"))
        #expect(site.range(of: "ProxyPass /jw/web/applog")!.lowerBound < site.range(of: "ProxyPass /jw ")!.lowerBound,
                "the WebSocket path must come before /jw")
        let siteStep = plan.steps.first { $0.id.hasPrefix("lb.site@") }!.apply.display
        #expect(siteStep.contains("default_name=000-default\n") && siteStep.contains("a2dissite -q \"$default_name\""))
        #expect(siteStep.contains("apachectl=apache2ctl\n") && siteStep.contains("\"$apachectl\" configtest"))
    }

    /// A node leaves the balancer before it stops: the balancer asks every node for the path that
    /// Tomcat serves from the node's ready file, the module that asks is enabled, and the unit
    /// removes that very file, then waits, before Tomcat gets its SIGTERM.
    @Test(arguments: Fixtures.all.map(\.0))
    func theUnitTakesTheNodeOutOfTheBalancerBeforeItStops(_ name: String) throws {
        let answers = Fixtures.all.first { $0.0 == name }!.1
        let plan = Fixtures.plan(answers)
        let site = try #require(plan.steps.flatMap(\.files).first { $0.path.hasSuffix("/jwsite.conf") }).content.display
        let members = site.split(separator: "\n").filter { $0.contains("BalancerMember http://") }
        #expect(members.count == answers.appServers.nodes.count)
        for m in members { #expect(m.contains("hcmethod=HEAD hcuri=\(Layout.readyPath) hcinterval=1"), "\(m)") }
        #expect(try #require(plan.steps.first { $0.id.hasPrefix("lb.modules@") }).apply.display.contains(" proxy_hcheck"))
        for node in answers.appServers.nodes {
            let step = try #require(plan.step("app.service@\(node.host)#\(node.name)"))
            let ready = Layout.readyFile(of: node, in: answers)
            // Tomcat serves webapps/NAME/FILE at /NAME/FILE.
            #expect(ready == Layout.tomcatDirectory(of: node, in: answers) + "/webapps" + Layout.readyPath)
            #expect(step.files.map(\.path).contains(ready), "the step writes the ready file for the first start")
            let unit = try #require(step.files.first { $0.path.hasSuffix(".service") }).content.display
            let lines = unit.split(separator: "\n").map(String.init)
            let remove = try #require(lines.firstIndex(of: "ExecStop=/bin/rm -f \(ready)"))
            #expect(lines.firstIndex(of: "ExecStop=/bin/sleep 3").map { $0 > remove } == true, "the wait comes after the removal")
            #expect(lines.contains("ExecStartPre=/bin/touch \(ready)"))
        }
    }

    @Test func datasourceUsesTheCurrentDriverAndAnEscapedURL() {
        let plan = Fixtures.plan(Fixtures.twoNode)
        let file = plan.steps.flatMap(\.files).first { $0.path.hasSuffix("/app_datasource-default.properties") }!
        #expect(file.mode == 0o640)
        #expect(file.owner == "joget:joget")
        #expect(file.path == "/opt/joget/shared/wflow/app_datasource-default.properties")
        let text = file.content.display
        #expect(text.contains("workflowDriver=com.mysql.cj.jdbc.Driver\n"))
        #expect(text.contains("workflowUrl=jdbc\\:mysql\\://192.168.1.21\\:3306/jwedb?characterEncoding\\=UTF-8&useSSL\\=false&allowPublicKeyRetrieval\\=true&serverTimezone\\=UTC\n"))
        #expect(text.contains("workflowUser=joget\n"))
        #expect(text.contains("profileName=\n"))
        #expect(file.content.parts.contains(.secret(SecretName("db-password"), .javaProperties)))
        let profile = plan.steps.flatMap(\.files).first { $0.path.hasSuffix("/app_datasource.properties") }!
        #expect(profile.content.display.contains("currentProfile=default\n"))
        #expect(profile.mode == 0o640)
    }

    @Test func fstabEntryHasNetdevAndIsReplacedNotAppended() {
        let plan = Fixtures.plan(Fixtures.twoNode)
        for host in ["app1", "app2"] {
            let step = plan.step("files.fstab@\(host)")!
            #expect(step.apply.display.contains("'192.168.1.20:/export/wflow /opt/joget/shared/wflow nfs defaults,_netdev 0 0'"))
            #expect(step.apply.display.contains("$2 == m { if (!done) print line; done = 1; next }"))
        }
        let exports = plan.step("files.exports@files")!.apply.display
        #expect(exports.contains("'/export/wflow 192.168.1.10(rw,sync,no_subtree_check) 192.168.1.11(rw,sync,no_subtree_check)'"))
        #expect(exports.contains("exportfs -ra"))
        // The existing-folder variant mounts nothing.
        #expect(!Fixtures.plan(Fixtures.twoOnOneHost).steps.contains { $0.id.hasPrefix("files.fstab@") || $0.id.hasPrefix("files.exports@") })
    }

    @Test func wflowNameComesBeforeTheClusterAgentOnlyWhenNodesShareAHost() throws {
        for (_, a) in Fixtures.all {
            let plan = Fixtures.plan(a)
            for node in a.appServers.nodes {
                let setenv = try #require(plan.step("app.setenv@\(node.host)#\(node.name)")?.files.first).content.display
                let opts = try #require(setenv.split(separator: "\n").first { $0.hasPrefix("JAVA_OPTS=") }).description
                let agent = try #require(opts.range(of: "-javaagent:\(a.sharedFiles.mountPoint)/wflow-cluster.jar"))
                if a.sharesHost(node) {
                    let name = try #require(opts.range(of: "-Dwflow.name=\(node.name) "))
                    #expect(name.upperBound <= agent.lowerBound)
                } else {
                    #expect(!opts.contains("-Dwflow.name"))
                }
                #expect(opts.hasPrefix("JAVA_OPTS=\"-Xmx\(a.appServers.heap) -Dfile.encoding=UTF-8 -Dwflow.home=\(a.sharedFiles.mountPoint)"))
                #expect(opts.contains("-javaagent:\(a.appServers.installDir)/\(node.name)/aspectjweaver.jar"))
                #expect(opts.hasSuffix("-javaagent:\(a.sharedFiles.mountPoint)/glowroot/glowroot.jar\""))
            }
        }
    }

    @Test func nodesOnOneHostGetTheirOwnPorts() throws {
        let plan = Fixtures.plan(Fixtures.twoOnOneHost)
        let one = try #require(plan.step("app.server-xml@box#node01")?.files.first).content.display
        let two = try #require(plan.step("app.server-xml@box#node02")?.files.first).content.display
        #expect(one.contains("<Server port=\"8005\""))
        #expect(two.contains("<Server port=\"8006\""))
        #expect(one.contains("<Connector port=\"8080\""))
        #expect(two.contains("<Connector port=\"8081\""))
        #expect(one.contains("port=\"4000\" autoBind"))
        #expect(two.contains("port=\"4001\" autoBind"))
        #expect(two.contains("jvmRoute=\"node02\""))
        let site = try #require(plan.step("lb.site@edge")?.files.first).content.display
        #expect(site.contains("Listen 8000\n"))
        #expect(site.contains("<VirtualHost *:8000>"))
        #expect(site.contains("BalancerMember http://192.168.5.9:8081 route=node02"))
    }

    @Test func staticMembershipListsEveryNode() throws {
        let a = Fixtures.eightNodeStatic
        let plan = Fixtures.plan(a)
        for node in a.appServers.nodes {
            let xml = try #require(plan.step("app.server-xml@\(node.host)#\(node.name)")?.files.first).content.display
            #expect(xml.components(separatedBy: "<Member className=\"org.apache.catalina.tribes.membership.StaticMember\"").count == 9)
            #expect(!xml.contains("McastService"))
            #expect(xml.contains("autoBind=\"1\""))
        }
        #expect(!plan.steps.contains { $0.id.hasPrefix("hosts.multicast@") })
        #expect(plan.steps.filter { $0.id.hasPrefix("hosts.multicast@") }.isEmpty)
        let multicast = Fixtures.plan(Fixtures.twoNode).steps.filter { $0.id.hasPrefix("hosts.multicast@") }.map(\.host)
        #expect(multicast == ["app1", "app2"])
    }

    @Test func tlsSiteRedirectsAndProxiesOverHTTPS() throws {
        let plan = Fixtures.plan(Fixtures.eightNodeStatic)
        let site = try #require(plan.step("lb.site@lb")?.files.first).content.display
        #expect(site.contains("<VirtualHost *:80>"))
        #expect(site.contains("Redirect permanent / https://joget.example.org/"))
        #expect(site.contains("<VirtualHost *:443>"))
        #expect(site.contains("SSLEngine on"))
        #expect(site.contains("SSLCertificateFile /etc/ssl/certs/joget.pem"))
        #expect(site.components(separatedBy: "<Proxy balancer://cluster>").count == 2, "the balancer is defined once")
        #expect(!site.contains("Listen"), "ports.conf listens on 80 and 443 already")
        #expect(plan.step("lb.modules@lb")!.apply.display.contains(" ssl"))
    }

    @Test func databaseSecretsTravelOnStdinOrInA0600File() {
        for (_, a) in Fixtures.all {
            for step in Fixtures.plan(a).steps {
                for (_, script) in Fixtures.scripts(step) where !script.secrets.isEmpty {
                    let text = script.display
                    // Secrets reach programs only through printf (a shell built-in) into a pipe or a file.
                    for line in text.split(separator: "\n") where line.contains("****") {
                        #expect(line.trimmingCharacters(in: .whitespaces).hasPrefix("printf '%s'")
                                || line.hasPrefix("ALTER USER") || line.hasPrefix("CREATE USER") || line.hasPrefix("password=")
                                || line.hasPrefix("workflowPassword="),
                                "\(step.id): a secret outside printf: \(line)")
                    }
                    #expect(!text.contains("-p****") && !text.contains("--password"))
                }
            }
        }
        let eight = Fixtures.plan(Fixtures.eightNodeStatic)
        let create = eight.step("db.create-database@db")!.apply.display
        #expect(create.contains("umask 077"))
        #expect(create.contains("--defaults-extra-file=\"$dbd/admin.cnf\""))
        #expect(create.contains("trap 'rm -rf \"$dbd\"' EXIT"))
        #expect(eight.step("db.create-database@db")!.secrets == [SecretName("db-admin-password")])
        #expect(Fixtures.plan(Fixtures.twoNode).step("db.create-database@db")!.apply.display.contains("mysql --protocol=socket"))
    }

    @Test func schemaTravelsFromTheFirstAppHostToTheDatabase() throws {
        let plan = Fixtures.plan(Fixtures.twoNode)
        let extract = try #require(plan.step("db.extract-schema@app1"))
        #expect(extract.apply.display.contains("war=/opt/joget/.bundle/jw.war\n"))
        #expect(extract.apply.display.contains("unzip -p \"$war\" WEB-INF/classes/setup/sql/jwdb-mysql.sql"))
        #expect(extract.transfer == .download(remote: "/var/tmp/joget-cluster/jwdb-mysql.sql", local: "work/jwdb-mysql.sql"))
        let load = try #require(plan.step("db.load-schema@db"))
        #expect(load.transfer == .upload(local: "work/jwdb-mysql.sql", remote: "/var/tmp/joget-cluster/jwdb-mysql.sql"))
        #expect(load.dependsOn.contains(extract.id))
        #expect(load.check!.display.contains("information_schema.TABLES"))
        let bundle = try #require(plan.step("hosts.bundle@app2"))
        #expect(bundle.transfer == .upload(local: "/home/admin/joget-enterprise-linux-8.1.6.tar.gz",
                                           remote: "/opt/joget/.bundle/joget-enterprise-linux-8.1.6.tar.gz"))
        #expect(Fixtures.plan(Fixtures.eightNodeStatic).step("hosts.bundle@app3")!.transfer == nil)
    }

    @Test func packageNamesComeFromTheDistroTable() throws {
        let plan = Fixtures.plan(Fixtures.eightNodeStatic)
        let db = try #require(plan.step("hosts.packages@db")).apply.display
        #expect(db.contains("command -v mysqld"))
        #expect(db.contains("MySQL 8 is not in this release"))
        #expect(db.contains("ubuntu:24.04 mysql-server\n"))
        let app = try #require(plan.step("hosts.packages@app1")).apply.display
        #expect(app.contains("ubuntu:22.04 iproute2 openjdk-17-jre-headless unzip zip curl mysql-client nfs-common\n"))
        #expect(app.contains("debian:12 iproute2 default-jre-headless unzip zip curl default-mysql-client nfs-common\n"))
        #expect(Distro.releases[0].package(.mysqlServer) == nil)
        #expect(Distro.releases[1].package(.mysqlServer) == "mysql-server")
        #expect(Distro.apt.databaseConfDir[.mariadb] == "/etc/mysql/mariadb.conf.d")
        #expect(Distro.apt.databaseConfDir[.mysql] == "/etc/mysql/mysql.conf.d")
        #expect(Fixtures.plan(Fixtures.twoNode).step("db.network@db")!.files[0].path == "/etc/mysql/mariadb.conf.d/zz-joget-cluster.cnf")
        #expect(plan.step("db.network@db")!.files[0].path == "/etc/mysql/mysql.conf.d/zz-joget-cluster.cnf")
    }

    @Test func invalidAnswersReportEveryProblem() {
        var a = Fixtures.twoNode
        a.database.port = 0
        a.appServers.nodes[1].host = "nowhere"
        do {
            _ = try Planner.plan(a)
            Issue.record("invalid answers were planned")
        } catch {
            let fields = error.problems.map(\.field)
            #expect(fields.contains("database.port"))
            #expect(fields.contains("appServers.nodes[1].host"))
        }
        var clash = Fixtures.twoOnOneHost
        clash.loadBalancer.host = "box"
        clash.loadBalancer.httpPort = 8081
        do {
            _ = try Planner.plan(clash)
            Issue.record("a port used twice on one host was planned")
        } catch {
            #expect(error.problems.map(\.field) == ["loadBalancer.httpPort"])
            #expect(error.problems[0].message.contains("node02's HTTP port"))
        }
    }

    @Test func checksOnlyRead() throws {
        // A check decides whether to skip a step: it must change nothing. A crude but useful lint over
        // the commands (the text of files compared against is left out).
        let writers = ["rm", "mv", "cp", "chmod", "chown", "mkdir", "touch", "apt-get", "useradd", "groupadd", "a2enmod", "a2ensite",
                       "a2dissite", "service", "exportfs -r", "mount", "ln", "tee", "sed -i", "install -m",
                       "systemctl start", "systemctl restart", "systemctl enable", "systemctl reload"]
        for (_, a) in Fixtures.all {
            let admin = Planner.admin(Cluster(a)).display
            for step in Fixtures.plan(a).steps {
                guard var text = step.check?.display else { continue }
                for f in step.files { text = text.replacingOccurrences(of: Script("\(content: f.content)").display, with: "FILE") }
                for allowed in [admin, ">/dev/null", "> /dev/null", ">&2", "2>&1", "service \"$2\" status"] {
                    text = text.replacingOccurrences(of: allowed, with: "")
                }
                // `command -v apt-get` asks whether a program is there; it runs nothing.
                text = text.replacing(try Regex("command -v [^ ;|&]+"), with: "")
                for w in writers {
                    let command = try Regex("(^|[\\s;&|({])\(NSRegularExpression.escapedPattern(for: w))\\s")
                    #expect(text.firstMatch(of: command) == nil, "the check of \(step.id) may write (\(w)):\n\(text)")
                }
                #expect(!text.contains(">"), "the check of \(step.id) redirects into a file:\n\(text)")
            }
        }
    }

    @Test func planTextGroupsByLayerThenHost() {
        let text = Planner.describe(Fixtures.plan(Fixtures.twoNode))
        #expect(text.contains("[db] db  create-user  Create the Joget database user joget"))
        #expect(text.contains("[app] app1  setenv#node01  Write bin/setenv.sh"))
        let order = ["== Prepare hosts ==", "== 1 Shared file directory ==", "== 2 Shared database ==",
                     "== 3 Application servers ==", "== 4 Load balancer =="].map { text.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        #expect(!text.contains("joget-secret-value"))
        let files = Planner.renderedFiles(Fixtures.plan(Fixtures.twoNode))
        #expect(files.contains { $0.host == "lb" && $0.path == "/etc/apache2/sites-available/jwsite.conf" })
        #expect(files.contains { $0.host == "app1" && $0.path == "/opt/joget/shared/wflow/app_datasource-default.properties" && $0.text.contains("workflowPassword=****") })
    }
}
