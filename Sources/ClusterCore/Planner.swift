/// Turns valid answers into the ordered steps that install the cluster.
///
/// Step ids read `<layer>.<action>@<host>` or `<layer>.<action>@<host>#<node>` and stay the same
/// across runs, so the journal can match them. Every step's `check` is read-only and exits 0 only
/// when the step's result is already in place; a step whose result cannot be read back cheaply and
/// exactly (a password, a test) has no check and always runs, which is safe because its `apply`
/// is idempotent.
///
/// Scripts are POSIX sh (dash), run as root, each in a shell of its own: they use `set -eu`,
/// `exit`, `umask` and `trap`. The per-layer steps live in `Planner+<Layer>.swift`.
public enum Planner {
    /// - Parameters:
    ///   - installed: what earlier runs installed (`Installed`); nodes in it and not in `answers`
    ///     are retired after the balancer was reloaded without them.
    ///   - purge: retiring a node also removes its folder.
    ///   - upgrade: an upgrade of Joget under way: its steps join the plan (`Planner+Upgrade`).
    public static func plan(_ answers: Answers, installed: Answers? = nil, purge: Bool = false,
                            upgrade: Upgrade? = nil) throws(InvalidAnswers) -> Plan {
        var problems = Validator.validate(answers)
        if problems.isEmpty { problems = crossChecks(answers) }
        guard problems.isEmpty else { throw InvalidAnswers(problems) }
        let c = Cluster(answers)
        var steps = hostSteps(c) + sharedFileSteps(c) + databaseSteps(c) + appServerSteps(c) + loadBalancerSteps(c)
        if let installed { steps += retireSteps(c, installed: installed, purge: purge) }
        if let upgrade { upgradeSteps(c, upgrade, into: &steps) }
        return Plan(steps: steps)
    }

    /// Problems that only show when fields are read together: two listeners on one port of one host.
    static func crossChecks(_ a: Answers) -> [Problem] {
        var problems: [Problem] = []
        var taken: [String: String] = [:]  // "host:port" -> what uses it
        func use(_ host: String, _ port: Int, _ what: String, _ field: String) {
            let key = "\(host):\(port)"
            if let other = taken[key] {
                problems.append(Problem(field, "port \(port) on \"\(host)\" is also \(other)"))
            } else {
                taken[key] = what
            }
        }
        for (i, node) in a.appServers.nodes.enumerated() {
            let f = "appServers.nodes[\(i)]"
            use(node.host, a.httpPort(of: node), "\(node.name)'s HTTP port", "\(f).httpPort")
            use(node.host, a.shutdownPort(of: node), "\(node.name)'s shutdown port", "\(f).httpPort")
            use(node.host, a.replicationPort(of: node), "\(node.name)'s replication port", "appServers.replicationPort")
        }
        use(a.database.host, a.database.port, "the database port", "database.port")
        use(a.loadBalancer.host, a.loadBalancer.httpPort, "the load balancer's HTTP port", "loadBalancer.httpPort")
        if let tls = a.loadBalancer.tls {
            use(a.loadBalancer.host, tls.httpsPort, "the load balancer's HTTPS port", "loadBalancer.tls.httpsPort")
        }
        if a.sharedFiles.provider == .nfs {
            let m = a.sharedFiles.mountPoint, d = a.appServers.installDir
            if m == d || d.hasPrefix(m + "/") {
                problems.append(Problem("sharedFiles.mountPoint", "\"\(m)\" would hide the install folder \"\(d)\" when mounted"))
            }
        }
        return problems
    }

    static func id(_ kind: StepKind, _ host: String, _ node: String? = nil) -> String {
        let (layer, action) = kind.layerAndAction
        return "\(layer.tag).\(action)@\(host)" + (node.map { "#\($0)" } ?? "")
    }
}

/// Every kind of step, named once: a step's id and every dependency on it are made from these
/// (`Planner.id(.start, host, node)`), so a dependency on a kind of step that does not exist does
/// not compile. The id's layer tag and action follow from the kind.
enum StepKind: CaseIterable {
    case os, packages, serviceUser, resolveName, multicast, bundle
    case nfsServer, exportDir, exports, mount, fstab, checkMount, writeTest, shareTest
    case network, createDatabase, createUser, extractSchema, loadSchema, login
    case sharedWflow, datasource, install, webapp, setenv, serverXML, service, start, clusterCheck
    case modules, tlsCertificate, tlsKey, tlsCheck, site, apache, balancerCheck
    case retireNode, dbAccount, unmount
    case maintenanceOn, maintenanceOff, drain, undrain, swap, rejoin, sharedAgent

    var layerAndAction: (Layer, String) {
        switch self {
        // Prepare hosts
        case .os: (.hosts, "os")
        case .packages: (.hosts, "packages")
        case .serviceUser: (.hosts, "service-user")
        case .resolveName: (.hosts, "resolve-name")
        case .multicast: (.hosts, "multicast")
        case .bundle: (.hosts, "bundle")
        // 1 Shared file directory
        case .nfsServer: (.sharedFiles, "nfs-server")
        case .exportDir: (.sharedFiles, "export-dir")
        case .exports: (.sharedFiles, "exports")
        case .mount: (.sharedFiles, "mount")
        case .fstab: (.sharedFiles, "fstab")
        case .checkMount: (.sharedFiles, "check-mount")
        case .writeTest: (.sharedFiles, "write-test")
        case .shareTest: (.sharedFiles, "share-test")
        // 2 Shared database
        case .network: (.database, "network")
        case .createDatabase: (.database, "create-database")
        case .createUser: (.database, "create-user")
        case .extractSchema: (.database, "extract-schema")
        case .loadSchema: (.database, "load-schema")
        case .login: (.database, "login")
        // 3 Application servers
        case .sharedWflow: (.appServers, "shared-wflow")
        case .datasource: (.appServers, "datasource")
        case .install: (.appServers, "install")
        case .webapp: (.appServers, "webapp")
        case .setenv: (.appServers, "setenv")
        case .serverXML: (.appServers, "server-xml")
        case .service: (.appServers, "service")
        case .start: (.appServers, "start")
        case .clusterCheck: (.appServers, "cluster-check")
        // 4 Load balancer
        case .modules: (.loadBalancer, "modules")
        case .tlsCertificate: (.loadBalancer, "tls-certificate")
        case .tlsKey: (.loadBalancer, "tls-key")
        case .tlsCheck: (.loadBalancer, "tls-check")
        case .site: (.loadBalancer, "site")
        case .apache: (.loadBalancer, "apache")
        case .balancerCheck: (.loadBalancer, "check")
        // Retire nodes
        case .retireNode: (.retire, "node")
        case .dbAccount: (.retire, "db-account")
        case .unmount: (.retire, "unmount")
        // Upgrade Joget
        case .maintenanceOn: (.upgrade, "maintenance-on")
        case .maintenanceOff: (.upgrade, "maintenance-off")
        case .drain: (.upgrade, "drain")
        case .undrain: (.upgrade, "undrain")
        case .swap: (.upgrade, "swap")
        case .rejoin: (.upgrade, "rejoin")
        case .sharedAgent: (.upgrade, "shared-agent")
        }
    }
}


/// What the layers ask of the answers, worked out once.
struct Cluster {
    enum Role: String, CaseIterable { case nfsServer, database, app, balancer }

    let answers: Answers
    let family = Distro.apt

    var app: AppServers { answers.appServers }
    var db: Database { answers.database }
    var user: String { app.serviceUser }
    var group: String { app.serviceUser }
    var owner: String { "\(user):\(group)" }
    var mount: String { answers.sharedFiles.mountPoint }
    var installDir: String { app.installDir }
    /// Where each app host keeps the bundle: the upload, the unpacked tree, and fixed links into it.
    var bundleDir: String { installDir + "/.bundle" }
    var stagedTomcat: String { bundleDir + "/tomcat" }
    var stagedWflow: String { bundleDir + "/wflow" }
    var stagedWar: String { bundleDir + "/jw.war" }
    /// Fingerprints of what a running service was started with, to restart only after a change.
    let stateDir = "/var/lib/joget-cluster"
    /// Files passed between hosts (the schema).
    let workDir = "/var/tmp/joget-cluster"
    /// Marks in the shared directory, written by the service user.
    var shareMarks: String { mount + "/.joget-cluster" }

    let appHosts: [String]
    let firstNode: Node
    var firstAppHost: String { firstNode.host }

    /// Where the balancer reads its certificate and key: the answers' paths, or where the plan
    /// uploads files given on this machine.
    var tlsPaths: (certificate: String, key: String)? {
        guard let tls = answers.loadBalancer.tls else { return nil }
        if tls.filesOn == .server { return (tls.certificate, tls.key) }
        return ("/etc/joget-cluster/tls/jwsite.crt", "/etc/joget-cluster/tls/jwsite.key")
    }
    let nfsServer: String?
    /// Hosts with at least one role, in the order the answers list them.
    let hosts: [String]

    init(_ answers: Answers) {
        self.answers = answers
        appHosts = answers.appHosts
        firstNode = answers.appServers.nodes[0]
        nfsServer = answers.sharedFiles.provider == .nfs ? answers.sharedFiles.server : nil
        hosts = answers.usedHosts
    }

    func roles(_ host: String) -> [Role] {
        var r: [Role] = []
        if nfsServer == host { r.append(.nfsServer) }
        if db.host == host { r.append(.database) }
        if appHosts.contains(host) { r.append(.app) }
        if answers.loadBalancer.host == host { r.append(.balancer) }
        return r
    }

    func address(_ host: String) -> String { answers.host(named: host)?.address ?? host }
    /// An address as it goes in a URL: IPv6 in brackets.
    func urlHost(_ host: String) -> String {
        let a = address(host)
        return a.contains(":") ? "[\(a)]" : a
    }
    func nodes(on host: String) -> [Node] { answers.nodes(on: host) }
    func nodeDir(_ node: Node) -> String { installDir + "/" + node.name }
    func unit(_ node: Node) -> String { Layout.unit(of: node) }
    func stamp(_ name: String) -> String { stateDir + "/" + name + ".started" }

    var bundleName: String { answers.bundleFileName }
    /// The bundle file as the app hosts see it.
    var remoteBundle: String { answers.bundleOnHosts }

    var datasourceFiles: [String] { [mount + "/app_datasource.properties", mount + "/app_datasource-default.properties"] }
}

/// Shell pieces the layers share. Everything here is POSIX sh.
enum Sh {
    static let strict: Script = "set -eu\n"

    /// A shellcheck directive for the next command: `$pkgs` or `$left` hold lists (package names,
    /// process ids) that are split into words on purpose.
    static let splitOnPurpose = "# shellcheck disable=SC2086 # a list of words, split on purpose"

    static func octal(_ mode: Int) -> String { String(mode, radix: 8) }

    /// Makes `$dbd`, a private folder for files holding a secret (mysql option files), removed when
    /// the script ends, also when it is stopped (assets/scripts/lib/secret-folder.sh).
    static let secretFolder = ScriptFile.load("lib/secret-folder.sh")

    /// put_file and put_file_as (assets/scripts/lib/put-file.sh), and file_matches, read-only for
    /// checks (assets/scripts/lib/file-matches.sh).
    static let putFile = ScriptFile.load("lib/put-file.sh"), fileMatches = ScriptFile.load("lib/file-matches.sh")

    /// Writes planned files as root: each through a 0600 temp file next to it, then mode, owner, rename.
    static func write(_ files: PlannedFile...) -> Script {
        files.reduce(putFile) { $0 + "put_file \($1.path) \(raw: octal($1.mode)) \($1.owner) \(content: $1.content)\n" }
    }

    /// Writes planned files as `user`: for the shared directory, where root may be squashed by NFS.
    /// The files' owner is then that user.
    static func write(_ files: [PlannedFile], as user: String) -> Script {
        files.reduce(putFile) { $0 + "put_file_as \(user) \($1.path) \(raw: octal($1.mode)) \(content: $1.content)\n" }
    }

    /// A condition that says why it fails: `{ COND || { SAY >&2; false; }; }`. `say` prints one line
    /// (the dry run shows a failed check's last line as its reason); the status is COND's, 0 or 1.
    /// For checks only: an apply that loops on a condition would print the reason each time.
    static func require(_ condition: Script, say: Script) -> Script {
        // A compound condition is grouped: `A && B || C` would run C after B alone failed.
        let compound = condition.parts.contains { if case .code(let c) = $0 { c.contains("&&") || c.contains("||") } else { false } }
        return "{ " + (compound ? "{ " + condition + "; }" : condition) + " || { " + say + " >&2; false; }; }"
    }

    /// `require` with a fixed reason, printed as one word (quoted like any value).
    static func require(_ condition: Script, because reason: String) -> Script {
        require(condition, say: "printf '%s\\n' \(reason)")
    }

    /// A condition: the files hold exactly the planned text, mode and owner, read as root or as
    /// `user` (root may not read the shared directory). On failure it prints which of the three
    /// differs, never the text (it may hold a secret).
    static func matches(_ files: PlannedFile..., as user: String? = nil) -> Script {
        matches(files, as: user)
    }

    static func matches(_ files: [PlannedFile], as user: String? = nil) -> Script {
        let reader: Script = user.map { " \($0)" } ?? ""
        let calls = files.map { f -> Script in
            "file_matches \(f.path) \(raw: octal(f.mode)) \(f.owner) \(content: f.content)" + reader
        }
        return fileMatches + calls.dropFirst().reduce(calls[0]) { $0 + " && " + $1 }
    }

    /// svc_running/svc_enabled and need_running/need_enabled UNIT INITSCRIPT, for checks
    /// (assets/scripts/lib/service-queries.sh).
    static let serviceQueries = ScriptFile.load("lib/service-queries.sh")

    /// The queries, and svc_start/svc_restart UNIT INITSCRIPT (assets/scripts/lib/service-control.sh).
    static let services = serviceQueries + ScriptFile.load("lib/service-control.sh")

    static func service(_ s: Distro.Service) -> Script { "\(s.unit) \(s.initScript)" }

    /// Sets `$addr` to the IPv4 address this host is reached at by the others: the address the
    /// wizard connects to when it is one of this host's own (then `$addr` = `$ip`), else the host's
    /// first IPv4 address (assets/scripts/hosts/cluster-address.sh).
    static func clusterAddress(_ wanted: String) -> Script {
        ScriptFile.load("hosts/cluster-address.sh", ["want": .value(wanted)])
    }
}
