/// Layer 2, "Shared database": network access, the database, the Joget user for each app host,
/// the schema from inside jw.war, and a login test from every app host.
///
/// SQL always goes to the client on stdin (`printf '%s' SQL | mysql`), never in argv; the admin
/// either is root over the unix socket, or logs in with a 0600 option file in `Sh.secretFolder`.
extension Planner {
    static func databaseSteps(_ c: Cluster) -> [Step] {
        let d = c.db, host = d.host
        let network = networkStep(c)
        let database = Step(
            id: id(.createDatabase, host), layer: .database, host: host,
            title: "Create the database \(d.name) (utf8mb4)",
            check: admin(c) + "n=$(printf '%s\\n' \(sqlCountDatabase(c)) | sql) && "
                + Sh.require("[ \"$n\" = 1 ]", because: "the database \(d.name) does not exist") + "\n",
            apply: Sh.strict + admin(c) + "printf '%s\\n' \("CREATE DATABASE IF NOT EXISTS `\(d.name)` CHARACTER SET utf8mb4;") | sql\n",
            dependsOn: [network.id], timeoutSeconds: 120)
        let users = Step(
            id: id(.createUser, host), layer: .database, host: host,
            title: "Create the Joget database user \(d.user) for each app host, with its current password",
            check: nil,
            apply: Sh.strict + admin(c) + "printf '%s' \(content: userSQL(c)) | sql\n",
            dependsOn: [database.id], timeoutSeconds: 120,
            notes: ["Always runs: a password cannot be read back, so the user's password is set again each time (CREATE USER IF NOT EXISTS, ALTER USER, GRANT)."])

        let schemaRemote = c.workDir + "/jwdb-mysql.sql"
        let extract = Step(
            id: id(.extractSchema, c.firstAppHost), layer: .database, host: c.firstAppHost,
            title: "Take the schema jwdb-mysql.sql out of jw.war",
            check: nil,
            apply: ScriptFile.load("db/extract-schema.sh", ["work_dir": .value(c.workDir), "war": .value(c.stagedWar), "schema": .value(schemaRemote)]),
            transfer: .download(remote: schemaRemote, local: localSchema),
            dependsOn: [id(.bundle, c.firstAppHost)], timeoutSeconds: 120)
        let load = Step(
            id: id(.loadSchema, host), layer: .database, host: host,
            title: "Load the Joget schema into \(d.name) (once)",
            check: admin(c) + tablesAtLeastOne(c),
            apply: admin(c) + ScriptFile.load("db/load-schema.sh", ["name": .value(d.name), "schema": .value(schemaRemote)]),
            verify: admin(c) + tablesAtLeastOne(c),
            transfer: .upload(local: localSchema, remote: schemaRemote),
            dependsOn: [extract.id, database.id], timeoutSeconds: 600,
            notes: ["Skipped when the database already has tables (loaded before, or created by Joget's own setup)."])

        var steps = [network, database, users, extract, load]
        for app in c.appHosts { steps.append(loginStep(c, app, after: users.id)) }
        return steps
    }

    /// Where the schema is kept on this machine, relative to the run's state folder.
    static let localSchema = "work/jwdb-mysql.sql"

    /// Defines `sql` (the admin's client, reading SQL on stdin): over the unix socket as root, or with
    /// a 0600 option file holding the admin password, deleted when the script ends.
    static func admin(_ c: Cluster) -> Script {
        switch c.db.admin {
        case .socket:
            return "sql() { mysql --protocol=socket --connect-timeout=10 -N -B; }\n"
        case .password:
            let option = FileContent([.text("[client]\nuser=\(c.db.adminUser)\npassword="),
                                      .secret(c.db.adminPasswordSecret, .optionFile), .text("\n")])
            return Sh.secretFolder + ScriptFile.load("db/admin-password.sh", ["option": .content(option)])
        }
    }

    static func sqlCountDatabase(_ c: Cluster) -> String {
        "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '\(c.db.name)';"
    }
    static func sqlCountTables(_ c: Cluster) -> String {
        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '\(c.db.name)';"
    }
    private static func tablesAtLeastOne(_ c: Cluster) -> Script {
        "n=$(printf '%s\\n' \(sqlCountTables(c)) | sql) && "
            + Sh.require("[ \"${n:-0}\" -gt 0 ]", because: "the database \(c.db.name) has no tables: the schema is not loaded") + "\n"
    }

    /// CREATE USER IF NOT EXISTS, ALTER USER (keeps the password current), GRANT: never GRANT ... IDENTIFIED BY,
    /// which MySQL 8 removed. One account per app host address.
    static func userSQL(_ c: Cluster) -> FileContent {
        var parts: [FileContent.Part] = []
        for app in c.appHosts {
            let account = "'\(c.db.user)'@'\(c.address(app))'"
            parts += [.text("CREATE USER IF NOT EXISTS \(account) IDENTIFIED BY '"), .secret(c.db.passwordSecret, .sqlString), .text("';\n")]
            parts += [.text("ALTER USER \(account) IDENTIFIED BY '"), .secret(c.db.passwordSecret, .sqlString), .text("';\n")]
            parts += [.text("GRANT ALL PRIVILEGES ON `\(c.db.name)`.* TO \(account);\n")]
        }
        return FileContent(merge(parts))
    }

    static func merge(_ parts: [FileContent.Part]) -> [FileContent.Part] {
        var out: [FileContent.Part] = []
        for p in parts {
            if case .text(let new) = p, case .text(let old)? = out.last { out[out.count - 1] = .text(old + new) } else { out.append(p) }
        }
        return out
    }

    private static func networkStep(_ c: Cluster) -> Step {
        let d = c.db, host = d.host
        let file = PlannedFile(path: c.family.databaseConfDir[d.engine]! + "/zz-joget-cluster.cnf",
                               content: render("db-network.cnf", TemplateContext(["port": .text(String(d.port))])),
                               mode: 0o644, owner: "root:root")
        let service = c.family.databaseService[d.engine]!
        let listening: Script = "ss -Hltn \("sport = :\(d.port)") 2>/dev/null | awk '{print $4}' | grep -Eq \("^(0\\.0\\.0\\.0|\\*|\\[::\\]):\(d.port)$")"
        // Listening is not enough: a server that stopped half way accepts and never answers. ping
        // needs no login (it succeeds on "access denied" too) and fails on a server that hangs.
        let answering: Script = "mysqladmin --protocol=tcp -h 127.0.0.1 -P \(String(d.port)) --connect-timeout=5 ping >/dev/null 2>&1"
        return Step(
            id: id(.network, host), layer: .database, host: host,
            title: "Let \(d.engine == .mariadb ? "MariaDB" : "MySQL") accept connections from the network (bind-address 0.0.0.0, port \(d.port))",
            check: Sh.serviceQueries + Sh.matches(file) + " && need_enabled \(Sh.service(service)) && "
                + Sh.require(listening, because: "the database server does not listen on 0.0.0.0:\(d.port) or [::]:\(d.port)")
                + " && " + Sh.require(answering, because: "the database server does not answer on 127.0.0.1:\(d.port)") + "\n",
            apply: Sh.strict + Sh.services + "mkdir -p \(c.family.databaseConfDir[d.engine]!)\n" + Sh.write(file)
                + ScriptFile.load("db/network.sh", ["port": .number(d.port), "unit": .value(service.unit), "init_script": .value(service.initScript)]),
            files: [file],
            dependsOn: [id(.packages, host)], timeoutSeconds: 300,
            notes: ["A drop-in file (\(file.path)) sets bind-address; my.cnf is left alone.",
                    "A firewall on the database host must let the app servers reach port \(d.port)."])
    }

    private static func loginStep(_ c: Cluster, _ app: String, after users: String) -> Step {
        let d = c.db
        let option = FileContent([.text("[client]\nuser=\(d.user)\npassword="), .secret(d.passwordSecret, .optionFile), .text("\n")])
        return Step(
            id: id(.login, app), layer: .database, host: app,
            title: "Test that \(app) can log in to the database as \(d.user)",
            check: nil,
            apply: Sh.secretFolder + ScriptFile.load("db/login.sh", ["option": .content(option), "app": .value(app), "host": .value(c.address(d.host)),
                                                                     "port": .number(d.port), "user": .value(d.user), "name": .value(d.name)]),
            dependsOn: [users, id(.packages, app)], timeoutSeconds: 60, readOnly: true)
    }

    /// Renders a template that is known to be complete; a missing value is a bug in the planner.
    static func render(_ template: String, _ context: TemplateContext) -> FileContent {
        do {
            return try Template.named(template).render(context)
        } catch {
            fatalError("\(error)")
        }
    }
}
