import Foundation
import Testing
@testable import ClusterCore

/// The real programs accept what the plan renders: Apache, Tomcat, Java's Properties, systemd.
/// Each test works in a private folder and on free loopback ports; nothing of the machine's own
/// /etc/apache2, Tomcat or systemd is touched.
@Suite(.serialized) struct RealProgramsTests {
    // MARK: Apache

    /// A private Apache: ServerRoot and config in `dir`, the modules the plan enables loaded from Debian's build.
    func apacheConfig(_ dir: String, site: String, modules: [String]) throws {
        let fm = FileManager.default
        for sub in ["logs", "run", "sites"] { try fm.createDirectory(atPath: "\(dir)/\(sub)", withIntermediateDirectories: true) }
        // a2enmod would add what these depend on: slotmem_shm for proxy_balancer, socache_shmcb for ssl.
        var mods = ["mpm_event", "authz_core", "slotmem_shm"] + modules
        if modules.contains("ssl") { mods.append("socache_shmcb") }
        let loads = mods.map { "LoadModule \($0)_module /usr/lib/apache2/modules/mod_\($0).so" }.joined(separator: "\n")
        let conf = """
            ServerRoot "\(dir)"
            ServerName localhost
            DefaultRuntimeDir \(dir)/run
            PidFile \(dir)/run/apache2.pid
            Mutex file:\(dir)/run default
            ErrorLog \(dir)/logs/error.log
            LogLevel warn
            LogFormat "%h %l %u %t \\"%r\\" %>s %O" combined
            User nobody
            Group nogroup
            \(loads)
            Include \(dir)/sites/*.conf

            """
        try conf.write(toFile: "\(dir)/apache2.conf", atomically: true, encoding: .utf8)
        try "export APACHE_LOG_DIR=\(dir)/logs\n".write(toFile: "\(dir)/envvars", atomically: true, encoding: .utf8)
        try site.write(toFile: "\(dir)/sites/jwsite.conf", atomically: true, encoding: .utf8)
    }

    func configtest(_ dir: String) throws -> Run.Result {
        var env = ProcessInfo.processInfo.environment
        env["APACHE_CONFDIR"] = dir
        return try Run.program("/usr/sbin/apache2ctl", ["-t"], environment: env)
    }

    @Test(.enabled(if: Installed.apache, Installed.missing("apache2")))
    func apacheAcceptsEverySiteVariant() throws {
        for (name, answers) in Fixtures.all {
            var a = answers
            a.loadBalancer.httpPort = Net.freePort()
            let dir = try Run.tempDir("apache-\(name)")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            if a.loadBalancer.tls != nil {
                guard Installed.exists("/usr/bin/openssl") else { continue }
                let cert = "\(dir)/joget.pem", key = "\(dir)/joget.key"
                let r = try Run.program("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=joget.example.org",
                                                            "-days", "1", "-keyout", key, "-out", cert])
                #expect(r.status == 0, "openssl: \(r.output)")
                a.loadBalancer.tls = LoadBalancer.TLS(certificate: cert, key: key, httpsPort: Net.freePort())
            }
            let plan = Fixtures.plan(a)
            let site = try #require(plan.steps.flatMap(\.files).first { $0.path.hasSuffix("/jwsite.conf") }).content.display
            try apacheConfig(dir, site: site, modules: Planner.apacheModules(Cluster(a)))
            let r = try configtest(dir)
            #expect(r.status == 0, "apache2ctl -t rejects the \(name) site: \(r.output)")
            #expect(r.output.contains("Syntax OK"))
            #expect(!r.output.contains("AH00"), "apache2ctl -t warns about the \(name) site: \(r.output)")
        }
    }

    @Test(.enabled(if: Installed.apache && Installed.python && Installed.curl, Installed.missing("apache2, python3 or curl")))
    func apacheBalancesAndKeepsSessionsSticky() throws {
        let dir = try Run.tempDir("apache-live")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p1 = Net.freePort(), p2 = Net.freePort(), front = Net.freePort()
        var a = Fixtures.twoOnOneHost
        // Both hosts are this machine: on loopback they reach each other (a loopback box with a
        // remote edge is refused by the Validator).
        a.hosts[0].address = "127.0.0.1"; a.hosts[1].address = "127.0.0.2"
        a.appServers.nodes = [Node(name: "node01", host: "box", httpPort: p1), Node(name: "node02", host: "box", httpPort: p2)]
        a.loadBalancer.httpPort = front
        let plan = Fixtures.plan(a)
        let site = try #require(plan.step("lb.site@edge")?.files.first).content.display
        try apacheConfig(dir, site: site, modules: Planner.apacheModules(Cluster(a)))

        let script = Fixtures.packageRoot.appendingPathComponent("Tests/support/balancer-live.sh").path
        let r = try Run.program("/usr/bin/timeout", ["120", script, dir, String(front), String(p1), String(p2)])
        let lines = r.output.split(separator: "\n").map(String.init)
        guard r.status == 0, lines.last == "done" else {
            Issue.record("the live balancer test did not run through (\(r.status)): \(r.output)")
            return
        }
        let plain = Set(lines.filter { $0.hasPrefix("plain ") }.map { $0.split(separator: " ")[1] })
        #expect(plain == ["node01", "node02"], "without a session both nodes should get requests: \(lines)")
        for route in ["node01", "node02"] {
            let sticky = lines.filter { $0.hasPrefix("cookie-\(route) ") }
            #expect(sticky.count == 6)
            for line in sticky {
                #expect(line == "cookie-\(route) \(route) /jw/web/console/home", "a \(route) session landed elsewhere: \(line)")
            }
        }
        #expect(lines.contains("path-node02 node02 /jw/web/x;jsessionid=ABC.node02"), "a session id in the URL is sticky too: \(lines)")
        #expect(lines.contains { $0.hasPrefix("root 302 ") && $0.hasSuffix("/jw/") }, "/ should redirect to /jw/: \(lines)")
    }

    // MARK: Tomcat

    /// A CATALINA_BASE for Debian's tomcat10 with the plan's server.xml.
    func tomcatBase(_ dir: String, serverXML: String) throws {
        let fm = FileManager.default
        for sub in ["conf", "logs", "temp", "webapps", "work"] { try fm.createDirectory(atPath: "\(dir)/\(sub)", withIntermediateDirectories: true) }
        for file in try fm.contentsOfDirectory(atPath: "/usr/share/tomcat10/etc") where file != "server.xml" {
            try fm.copyItem(atPath: "/usr/share/tomcat10/etc/\(file)", toPath: "\(dir)/conf/\(file)")
        }
        try serverXML.write(toFile: "\(dir)/conf/server.xml", atomically: true, encoding: .utf8)
    }

    func tomcatEnvironment(_ base: String) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["CATALINA_HOME"] = "/usr/share/tomcat10"
        env["CATALINA_BASE"] = base
        env["CATALINA_PID"] = "\(base)/temp/tomcat.pid"
        env["JAVA_OPTS"] = "-Djava.net.preferIPv4Stack=true"
        env.removeValue(forKey: "CATALINA_OPTS")
        return env
    }

    @Test(.enabled(if: Installed.tomcat, Installed.missing("tomcat10 or java")))
    func tomcatConfigtestAcceptsServerXML() throws {
        for (name, answers) in Fixtures.all {
            var a = answers
            a.appServers.httpPort = Net.freePort()
            a.appServers.replicationPort = Net.freePort()
            for i in a.appServers.nodes.indices where a.appServers.nodes[i].httpPort != nil { a.appServers.nodes[i].httpPort = Net.freePort() }
            let plan = Fixtures.plan(a)
            let node = a.appServers.nodes.last!
            let xml = try #require(plan.step("app.server-xml@\(node.host)#\(node.name)")?.files.first).content.display
            let dir = try Run.tempDir("tomcat-\(name)")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try tomcatBase(dir, serverXML: xml)
            let r = try Run.program("/usr/share/tomcat10/bin/catalina.sh", ["configtest"], environment: tomcatEnvironment(dir))
            #expect(r.status == 0, "catalina.sh configtest fails on the \(name) server.xml: \(r.output)")
            let complaints = r.output.split(separator: "\n").filter { $0.contains("SEVERE") || $0.contains("WARNING") }
            #expect(complaints.isEmpty, "configtest complains about the \(name) server.xml:\n\(complaints.joined(separator: "\n"))")
        }
    }

    static let canRunTomcats = Installed.tomcat && Installed.exists("/usr/bin/javac") && Installed.curl
        && Installed.exists("/usr/bin/zip") && Installed.exists("/usr/bin/unzip")

    /// Two Tomcats with the plan's server.xml (static membership on loopback) and a war without
    /// <distributable/>, made distributable by the plan's own webapp step: a session started on one
    /// node is read on the other, and the log lines the cluster-check step looks for are there.
    @Test(.enabled(if: canRunTomcats, Installed.missing("tomcat10, a JDK, curl, zip or unzip")))
    func twoTomcatsReplicateSessions() throws {
        try replicateSessions(.static)
    }

    /// The same with multicast membership (the guide's), in a private network namespace whose
    /// loopback carries multicast, so the machine's own network is left alone.
    @Test(.enabled(if: canRunTomcats && Installed.netns, Installed.missing("unshare/ip (or not root)")))
    func twoTomcatsReplicateSessionsOverMulticast() throws {
        try replicateSessions(.multicast)
    }

    func replicateSessions(_ membership: AppServers.Membership) throws {
        let dir = try Run.tempDir("cluster")
        defer { if ProcessInfo.processInfo.environment["KEEP_TEST_DIRS"] == nil { try? FileManager.default.removeItem(atPath: dir) } }
        var a = Fixtures.twoOnOneHost
        a.hosts[0].address = "127.0.0.1"; a.hosts[1].address = "127.0.0.2"  // both this machine, as above
        a.appServers.membership = membership
        if membership == .multicast {
            // An address of its own, so that no other cluster on this machine joins in.
            a.appServers.multicastAddress = "228.0.\(Int.random(in: 1...250)).\(Int.random(in: 1...250))"
            a.appServers.multicastPort = Net.freePort()
        }
        a.appServers.installDir = dir
        a.appServers.serviceUser = "root"
        a.appServers.nodes = [Node(name: "node01", host: "box", httpPort: Net.freeNodePort()),
                              Node(name: "node02", host: "box", httpPort: Net.freeNodePort())]
        // The replication ports are base and base + 1.
        a.appServers.replicationPort = Net.freePortPair()
        let c = Cluster(a)
        let plan = Fixtures.plan(a)

        // A stand-in jw.war: one servlet counting in the session, web.xml without <distributable/>.
        let src = "\(dir)/src"
        try FileManager.default.createDirectory(atPath: "\(src)/WEB-INF/classes", withIntermediateDirectories: true)
        try """
            import jakarta.servlet.http.*;
            import java.io.IOException;
            public class Counter extends HttpServlet {
                protected void doGet(HttpServletRequest q, HttpServletResponse r) throws IOException {
                    HttpSession s = q.getSession();
                    Integer n = (Integer) s.getAttribute("n");
                    n = n == null ? 1 : n + 1;
                    s.setAttribute("n", n);
                    r.getWriter().print(n + " " + s.getId());
                }
            }
            """.write(toFile: "\(dir)/Counter.java", atomically: true, encoding: .utf8)
        try """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <servlet><servlet-name>counter</servlet-name><servlet-class>Counter</servlet-class></servlet>
              <servlet-mapping><servlet-name>counter</servlet-name><url-pattern>/counter</url-pattern></servlet-mapping>
            </web-app>
            """.write(toFile: "\(src)/WEB-INF/web.xml", atomically: true, encoding: .utf8)
        var r = try Run.program("/usr/bin/javac", ["-cp", "/usr/share/tomcat10/lib/servlet-api.jar", "-d", "\(src)/WEB-INF/classes", "\(dir)/Counter.java"])
        #expect(r.status == 0, "javac: \(r.output)")
        r = try Run.program("/usr/bin/zip", ["-q", "-r", "\(dir)/jw.war", "WEB-INF"], directory: src)
        #expect(r.status == 0, "zip: \(r.output)")

        var bases: [String] = []
        for node in a.appServers.nodes {
            let base = c.nodeDir(node)
            var ctx = Planner.serverXMLContext(c, node)
            ctx["receiverAddress"] = "127.0.0.1"  // "auto" would be this machine's host name
            let xml = try Template.named("server.xml").render(ctx).display
            try tomcatBase(base, serverXML: xml)
            try FileManager.default.copyItem(atPath: "\(dir)/jw.war", toPath: "\(base)/webapps/jw.war")
            // The plan's webapp step, for real: it adds <distributable/> to the war.
            let step = try #require(plan.step("app.webapp@box#\(node.name)"))
            let check = try Run.sh(try step.check!.executable(with: SecretValues()))
            #expect(check.status != 0, "the webapp check passes before the war is distributable")
            let applied = try Run.sh(try step.apply.executable(with: SecretValues()))
            #expect(applied.status == 0, "webapp step: \(applied.output)")
            #expect(applied.output.contains("added <distributable/>"))
            #expect(!applied.output.contains("warning"), "webapp step: \(applied.output)")
            #expect(try Run.sh(try step.check!.executable(with: SecretValues())).status == 0, "the webapp check fails after apply")
            bases.append(base)
        }
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/support/tomcat-cluster-live.sh").path
        let ports = a.appServers.nodes.map { String(a.httpPort(of: $0)) }
        var command = ["300", script, bases[0], ports[0], bases[1], ports[1]]
        if membership == .multicast {
            let netns = "ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo && exec \"$0\" \"$@\""
            command = ["300", "/usr/bin/unshare", "-n", "/bin/sh", "-c", netns] + command.dropFirst()
        }
        let live = try Run.program("/usr/bin/timeout", command)
        let lines = live.output.split(separator: "\n").map(String.init)
        guard live.status == 0, lines.last == "done" else {
            Issue.record("the two-Tomcat test did not run through (\(live.status)): \(live.output)")
            return
        }
        let logs = bases.map { (try? String(contentsOfFile: "\($0)/logs/catalina.out", encoding: .utf8)) ?? "" }
        // The strings the plan's cluster-check step looks for.
        #expect(lines.contains("node1 clustering-manager") && lines.contains("node2 clustering-manager"), "\(lines)\n\(logs[0])")
        #expect(lines.contains("node1 member-added") && lines.contains("node2 member-added"), "\(lines)\n\(logs[1])")
        // The members check reads these logs (as they were while both ran) the way it reads a node's:
        // from Tomcat's start line on, each node sees the other, named, present now.
        for (node, base) in zip(a.appServers.nodes, bases) {
            let log = base + "/logs/catalina.out.running"
            let scan = NodeLog.functions(unit: c.unit(node), catalinaOut: log, pidFile: base + "/temp/none") + "node_scan < \(log)\n"
            let out = try Run.sh(try scan.executable(with: SecretValues()))
            let probe = ProbeResult(exitCode: 0, output: ["JC active=active", "JC log=\(log)"] + out.output.split(separator: "\n").map(String.init))
            let peer = a.appServers.nodes.filter { $0.name != node.name }
            let verdict = ClusterChecks.members(probe, of: node, peers: peer, in: a)
            #expect(verdict.passed && verdict.evidence.contains("\(peer[0].name) (127.0.0.1:"), "\(node.name): \(verdict.evidence)\n\(out.output)")
        }
        let first = lines.first { $0.hasPrefix("first ") } ?? ""
        let second = lines.first { $0.hasPrefix("second ") } ?? ""
        let third = lines.first { $0.hasPrefix("third ") } ?? ""
        #expect(first.hasPrefix("first 1 ") && first.hasSuffix(".node01"), "node01: \(first)")
        #expect(second.hasPrefix("second 2 "), "node02 did not get node01's session: \(second)")
        #expect(second.hasSuffix(".node02"), "the session id should move to node02's route: \(second)")
        #expect(third.hasPrefix("third 3 "), "node01 did not get node02's change: \(third)")
    }

    // MARK: Java properties

    /// The datasource step run for real (into a temp folder, as root), then read back by java.util.Properties.
    @Test(.enabled(if: Installed.javaSource && Installed.root, Installed.missing("a JDK (java with jdk.compiler), or not root")))
    func datasourceReadsBackInJava() throws {
        let dir = try Run.tempDir("datasource")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var a = Fixtures.twoNode
        a.sharedFiles.mountPoint = dir + "/shared"
        a.appServers.installDir = dir + "/opt"
        a.appServers.serviceUser = "root"
        try FileManager.default.createDirectory(atPath: a.sharedFiles.mountPoint, withIntermediateDirectories: true)
        let plan = Fixtures.plan(a)
        let step = try #require(plan.step("app.datasource@app1"))
        let canary = "\(dir)/PWNED"
        let passwords = [" pa:ss=wo#rd!\\ é\u{1F600}'\"$(touch \(canary))`touch \(canary)`", "plain", "\\", " ", "=:#!", "ends with a space "]
        let reader = """
            import java.io.*;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.*;
            import java.util.Properties;
            public class ReadBack {
                public static void main(String[] a) throws Exception {
                    Properties p = new Properties();
                    try (InputStream in = new FileInputStream(a[0])) { p.load(in); }
                    String want = new String(Files.readAllBytes(Paths.get(a[1])), StandardCharsets.UTF_8);
                    System.out.println(want.equals(p.getProperty("workflowPassword")) ? "password SAME" : "password DIFF [" + p.getProperty("workflowPassword") + "]");
                    System.out.println("url=" + p.getProperty("workflowUrl"));
                    System.out.println("driver=" + p.getProperty("workflowDriver"));
                    System.out.println("user=" + p.getProperty("workflowUser"));
                    System.out.println("profileName=[" + p.getProperty("profileName") + "]");
                    Properties q = new Properties();
                    try (InputStream in = new FileInputStream(a[2])) { q.load(in); }
                    System.out.println("currentProfile=" + q.getProperty("currentProfile"));
                }
            }
            """
        try reader.write(toFile: "\(dir)/ReadBack.java", atomically: true, encoding: .utf8)
        for password in passwords {
            var secrets = SecretValues()
            secrets[SecretName("db-password")] = password
            let r = try Run.sh(try step.apply.executable(with: secrets))
            #expect(r.status == 0, "datasource step: \(r.output)")
            #expect(try Run.sh(try step.check!.executable(with: secrets)).status == 0, "the datasource check fails right after apply")
            var other = SecretValues()
            other[SecretName("db-password")] = password + "x"
            #expect(try Run.sh(try step.check!.executable(with: other)).status != 0, "the check passes with another password")
            try Data(password.utf8).write(to: URL(fileURLWithPath: "\(dir)/want"))
            let java = try Run.program("/usr/bin/java", ["\(dir)/ReadBack.java", "\(dir)/shared/app_datasource-default.properties", "\(dir)/want",
                                                         "\(dir)/shared/app_datasource.properties"])
            #expect(java.output.contains("password SAME"), "java read another password for \(password.debugDescription): \(java.output)")
            #expect(java.output.contains("url=\(Planner.jdbcURL(Cluster(a)))\n"))
            #expect(java.output.contains("driver=com.mysql.cj.jdbc.Driver\n"))
            #expect(java.output.contains("user=joget\n"))
            #expect(java.output.contains("profileName=[]\n"))
            #expect(java.output.contains("currentProfile=default\n"))
            let mode = try FileManager.default.attributesOfItem(atPath: "\(dir)/shared/app_datasource-default.properties")[.posixPermissions] as? Int
            #expect(mode == 0o640)
        }
        #expect(!FileManager.default.fileExists(atPath: canary))
    }

    // MARK: MariaDB

    /// The database steps' scripts, run for real against a private MariaDB with hostile passwords:
    /// the SQL and option-file encodings, CREATE/ALTER USER keeping the password current, the schema
    /// loaded once (and a failed load leaving an empty database), the admin's option file.
    @Test(.enabled(if: Installed.exists("/usr/sbin/mariadbd") && Installed.exists("/usr/bin/mariadb-install-db") && Installed.root,
                   Installed.missing("mariadb-server, or not root")))
    func databaseStepsAgainstARealServer() throws {
        let dir = try Run.tempDir("mariadb")
        defer { if ProcessInfo.processInfo.environment["KEEP_TEST_DIRS"] == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let canary = "\(dir)/PWNED"
        let port = Net.freePort()
        var a = Fixtures.twoNode
        a.hosts[1].address = "127.0.0.1"                   // db
        a.hosts[2].address = "127.0.0.1"; a.hosts[2].port = 2222  // app1, as the database sees it
        a.hosts[3].address = "127.0.0.2"
        a.hosts[0].address = "127.0.0.3"; a.hosts[4].address = "127.0.0.4"  // every host on this machine
        a.database.port = port
        var withAdmin = a
        withAdmin.database.admin = .password
        withAdmin.database.adminUser = "dbadmin"
        let plan = Fixtures.plan(a), adminPlan = Fixtures.plan(withAdmin)
        let pw1 = "a'b\"c\\d$(touch \(canary)) é;-- #x", pw2 = "`touch \(canary)` \\' \"\" = : # !"
        let adminPassword = "x\"y\\z'#w $(touch \(canary))"
        func secrets(_ db: String) -> SecretValues {
            var s = SecretValues()
            s[SecretName("db-password")] = db
            s[SecretName("db-admin-password")] = adminPassword
            return s
        }
        func script(_ p: Plan, _ id: String, _ role: String, _ values: SecretValues) throws -> String {
            let step = try #require(p.step(id), "no step \(id)")
            let s = role == "check" ? step.check! : step.apply
            return try s.executable(with: values)
        }
        let schema = Cluster(a).workDir + "/jwdb-mysql.sql"
        let put = { (sql: String) -> String in
            "mkdir -p \(Cluster(a).workDir) && printf '%s' \(Shell.quote(sql)) > \(schema)\n"
        }
        let adminSQL = "CREATE USER 'dbadmin'@'localhost' IDENTIFIED BY '\(SecretEncoding.sqlString.encode(adminPassword))'; GRANT ALL PRIVILEGES ON *.* TO 'dbadmin'@'localhost' WITH GRANT OPTION;"
        let steps: [(String, String)] = [
            ("01-db-check-before", try script(plan, "db.create-database@db", "check", secrets(pw1))),
            ("02-db-apply", try script(plan, "db.create-database@db", "apply", secrets(pw1))),
            ("03-db-check-after", try script(plan, "db.create-database@db", "check", secrets(pw1))),
            ("04-user-apply-pw1", try script(plan, "db.create-user@db", "apply", secrets(pw1))),
            ("05-login-pw1", try script(plan, "db.login@app1", "apply", secrets(pw1))),
            ("06-user-apply-pw2", try script(plan, "db.create-user@db", "apply", secrets(pw2))),
            ("07-login-pw1-again", try script(plan, "db.login@app1", "apply", secrets(pw1))),
            ("08-login-pw2", try script(plan, "db.login@app1", "apply", secrets(pw2))),
            ("09-put-bad-schema", put("CREATE TABLE t1 (id INT PRIMARY KEY);\nCREATE TABLE broken (;\n")),
            ("10-load-check-before", try script(plan, "db.load-schema@db", "check", secrets(pw2))),
            ("11-load-apply-bad", try script(plan, "db.load-schema@db", "apply", secrets(pw2))),
            ("12-load-check-after-bad", try script(plan, "db.load-schema@db", "check", secrets(pw2))),
            ("13-put-good-schema", put("CREATE TABLE t1 (id INT PRIMARY KEY);\nCREATE TABLE t2 (name VARCHAR(10));\nINSERT INTO t2 VALUES ('x');\n")),
            ("14-load-apply", try script(plan, "db.load-schema@db", "apply", secrets(pw2))),
            ("15-load-check", try script(plan, "db.load-schema@db", "check", secrets(pw2))),
            ("16-load-apply-again", try script(plan, "db.load-schema@db", "apply", secrets(pw2))),
            ("17-admin-user", "printf '%s' \(Shell.quote(adminSQL)) | mariadb\n"),
            ("18-db-check-admin-password", try script(adminPlan, "db.create-database@db", "check", secrets(pw2))),
            ("19-user-apply-admin-password", try script(adminPlan, "db.create-user@db", "apply", secrets(pw1))),
            ("20-login-after-admin", try script(adminPlan, "db.login@app1", "apply", secrets(pw1))),
            ("21-grant-is-there", "mariadb -N -B -e \"SHOW GRANTS FOR 'joget'@'127.0.0.2'\"\n"),
        ]
        try FileManager.default.createDirectory(atPath: "\(dir)/steps", withIntermediateDirectories: true)
        for (name, text) in steps { try text.write(toFile: "\(dir)/steps/\(name).sh", atomically: true, encoding: .utf8) }
        let live = try Run.program("/usr/bin/timeout", ["300", Fixtures.packageRoot.appendingPathComponent("Tests/support/mariadb-live.sh").path,
                                                        dir, String(port)])
        let lines = live.output.split(separator: "\n").map(String.init)
        guard live.status == 0, lines.last == "done" else {
            Issue.record("the MariaDB test did not run through (\(live.status)): \(live.output)")
            return
        }
        func rc(_ name: String) -> Int? {
            lines.first { $0.hasPrefix(name + " rc=") }.flatMap { Int($0.split(separator: "=").last!) }
        }
        let failing: Set = ["01-db-check-before", "07-login-pw1-again", "10-load-check-before", "11-load-apply-bad", "12-load-check-after-bad"]
        for (name, _) in steps {
            if failing.contains(name) {
                #expect(rc(name) != 0 && rc(name) != nil, "\(name) should fail:\n\(live.output)")
            } else {
                #expect(rc(name) == 0, "\(name) should succeed:\n\(live.output)")
            }
        }
        #expect(live.output.contains("already has 2 tables"))
        #expect(live.output.contains("GRANT ALL PRIVILEGES ON `jwedb`.* TO `joget`@`127.0.0.2`"))
        #expect(!FileManager.default.fileExists(atPath: canary))
    }

    // MARK: Java's encodings

    /// The node's JVM runs with UTF-8 whatever the host's locale: with only what the unit sets (a
    /// service gets no locale of its own on Debian) and setenv.sh's JAVA_OPTS, and the start without
    /// systemd gives startup.sh the same locale.
    @Test(.enabled(if: Installed.exists("/usr/bin/java"), Installed.missing("java")))
    func theNodeJVMRunsWithUTF8() throws {
        let dir = try Run.tempDir("utf8")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = Fixtures.plan(Fixtures.twoNode)
        let path = ["PATH": "/usr/bin:/bin"]
        var env = path
        for line in try #require(plan.step("app.service@app1#node01")?.files.first).content.display.split(separator: "\n")
        where line.hasPrefix("Environment=") {
            let pair = line.dropFirst("Environment=".count).split(separator: "=", maxSplits: 1).map(String.init)
            env[pair[0]] = pair.count > 1 ? pair[1] : ""
        }
        #expect(env["LANG"] == "C.UTF-8")
        try #require(plan.step("app.setenv@app1#node01")?.files.first).content.display.write(toFile: dir + "/setenv.sh", atomically: true, encoding: .utf8)
        let opts = try Run.sh(". \(dir)/setenv.sh; printf '%s' \"$JAVA_OPTS\"", environment: path.merging(["CATALINA_BASE": dir]) { $1 }).output
        // Its -D options about encodings (the agents' jars are not here).
        let defines = opts.split(separator: " ").map(String.init).filter { $0.hasPrefix("-Dfile.encoding") || $0.hasPrefix("-Dsun.jnu") }
        #expect(defines == ["-Dfile.encoding=UTF-8"], "\(opts)")
        func properties(_ env: [String: String], _ args: [String]) throws -> String {
            try Run.program("/usr/bin/java", args + ["-XshowSettings:properties", "-version"], environment: env).output
        }
        let node = try properties(env, defines)
        #expect(node.contains("file.encoding = UTF-8") && node.contains("sun.jnu.encoding = UTF-8"), "\(node)")
        // The control: a service as Debian starts it, no locale: ASCII, and non-ASCII file names break.
        #expect(try properties(path, []).contains("sun.jnu.encoding = ANSI_X3.4-1968"))
        let start = try #require(plan.step("app.start@app1#node01")).apply.display
        let line = start.split(separator: "\n").first { $0.contains("/bin/startup.sh") }.map(String.init) ?? ""
        #expect(line.contains("LANG=C.UTF-8") && line.contains("-u LC_ALL"), "\(line)")
    }

    // MARK: systemd

    @Test(.enabled(if: Installed.systemdAnalyze, Installed.missing("systemd (systemd-analyze)")))
    func systemdAcceptsTheUnitSilently() throws {
        let dir = try Run.tempDir("unit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var a = Fixtures.twoNode
        a.appServers.installDir = dir + "/opt"
        a.sharedFiles.mountPoint = dir + "/shared"
        a.appServers.serviceUser = "root"
        let plan = Fixtures.plan(a)
        let file = try #require(plan.step("app.service@app1#node01")?.files.first)
        // The unit's ExecStart must exist for verify to be quiet.
        let bin = "\(dir)/opt/node01/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: a.sharedFiles.mountPoint, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: "\(bin)/catalina.sh", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        let unit = "\(dir)/\(file.path.split(separator: "/").last!)"
        try file.content.display.write(toFile: unit, atomically: true, encoding: .utf8)
        let r = try Run.program("/usr/bin/systemd-analyze", ["verify", unit])
        #expect(r.status == 0, "systemd-analyze verify: \(r.output)")
        #expect(r.output.isEmpty, "systemd-analyze verify printed something (it exits 0 even on errors):\n\(r.output)")
        // And it does complain about a broken unit, so silence means something.
        try (file.content.display + "Bogus=1\n").write(toFile: unit, atomically: true, encoding: .utf8)
        #expect(try !Run.program("/usr/bin/systemd-analyze", ["verify", unit]).output.isEmpty)
    }
}
