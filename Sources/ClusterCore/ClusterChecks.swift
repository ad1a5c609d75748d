/// The guide's checks of a finished cluster, as data: probes run on hosts, then a judge reads what
/// they printed and says pass or fail with the evidence. The engine runs them; views show them.
public struct Probe: Sendable {
    public var host: String
    public var script: Script
    public init(host: String, script: Script) { self.host = host; self.script = script }
}

public struct ProbeResult: Sendable, Equatable {
    public var exitCode: Int32?   // nil: the probe could not run (connection, timeout)
    public var output: [String]   // stdout and stderr lines, sanitised and redacted
    public var error: String?
    public init(exitCode: Int32?, output: [String], error: String? = nil) {
        self.exitCode = exitCode; self.output = output; self.error = error
    }
    /// The lines a probe tagged for the judge: `JC key=value` → ["key": "value"].
    public var values: [String: String] {
        var found: [String: String] = [:]
        for line in output where line.hasPrefix("JC ") {
            let pair = line.dropFirst(3)
            if let eq = pair.firstIndex(of: "=") { found[String(pair[..<eq])] = String(pair[pair.index(after: eq)...]) }
        }
        return found
    }
    /// Every value of a key the probe printed more than once, in order: `JC member=…` lines.
    public func all(_ key: String) -> [String] {
        let prefix = "JC \(key)="
        return output.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }
    /// False when the probe could not run (no connection, a timeout, a stop): its output proves nothing.
    public var ran: Bool { exitCode != nil }
    /// Why it could not run, or the last lines it printed.
    public var failureText: String {
        if let error { return error }
        let tail = output.filter { !$0.hasPrefix("JC ") }.suffix(3).joined(separator: " / ")
        return "exit \(exitCode.map(String.init) ?? "?")" + (tail.isEmpty ? "" : ": \(tail)")
    }
}

/// What a check found: it passed, it failed, or it could not be judged (not run), each with its
/// evidence; for a check not run, the evidence says why. A judge passes only on positive evidence:
/// a probe that printed nothing proves nothing, so it is not run, never a pass or a fail.
public struct Verdict: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pass, fail
        case notRun = "not-run"
    }
    public var status: Status
    public var evidence: String
    public init(status: Status, evidence: String) { self.status = status; self.evidence = evidence }
    public init(passed: Bool, evidence: String) { self.init(status: passed ? .pass : .fail, evidence: evidence) }
    public var passed: Bool { status == .pass }
    public var failed: Bool { status == .fail }
    public var notRun: Bool { status == .notRun }
    /// `PASS`, `FAIL` or `NOT RUN`, as the line output and the Verify page show it.
    public var word: String {
        switch status {
        case .pass: "PASS"
        case .fail: "FAIL"
        case .notRun: "NOT RUN"
        }
    }
    public static func pass(_ evidence: String) -> Verdict { Verdict(status: .pass, evidence: evidence) }
    public static func fail(_ evidence: String) -> Verdict { Verdict(status: .fail, evidence: evidence) }
    public static func notRun(_ why: String) -> Verdict { Verdict(status: .notRun, evidence: why) }
    /// A probe that ran but printed none of the `JC` lines its judge reads: it died early (a missing
    /// command, a shell error), so nothing can be said of what it was to look at.
    public static func noAnswer(_ r: ProbeResult, on host: String) -> Verdict {
        .notRun("the probe on \(host) printed no answer (\(r.failureText))")
    }
}

public struct ClusterCheck: Sendable, Identifiable {
    public var id: String
    public var layer: Layer
    public var title: String
    public var probes: [Probe]       // run in order
    /// Reads what every probe printed; called only when all of them ran.
    public var judge: @Sendable ([ProbeResult]) -> Verdict
    public init(id: String, layer: Layer, title: String, probes: [Probe], judge: @escaping @Sendable ([ProbeResult]) -> Verdict) {
        self.id = id; self.layer = layer; self.title = title; self.probes = probes; self.judge = judge
    }
}

public enum ClusterChecks {
    /// Every check for a cluster installed from `answers`. `token` marks this run's test file, so a
    /// file left by an earlier run never passes for a new one. `catalinaOut` says where a node's log is.
    public static func all(for a: Answers, token: String, catalinaOut: (Node) -> String) -> [ClusterCheck] {
        let mount = a.sharedFiles.mountPoint
        let user = a.appServers.serviceUser
        var checks: [ClusterCheck] = bootChecks(for: a)

        // 1 Shared files: mounted and writable on every app server, and one shared directory.
        for host in a.appHosts {
            let file = "\(mount)/.joget-cluster-verify-\(host)"
            checks.append(ClusterCheck(id: "files.mounted@\(host)", layer: .sharedFiles, title: "\(host): shared directory mounted and writable",
                probes: [Probe(host: host, script: ScriptFile.load("verify/files-mounted.sh", ["mount": .value(mount), "user": .value(user),
                                                                                             "token": .value(token), "file": .value(file)]))],
                judge: { r in
                    let v = r[0].values
                    guard let mounted = v["mounted"], let writable = v["writable"] else { return .noAnswer(r[0], on: host) }
                    guard mounted == "yes" else { return .fail("\(mount) is not a mount point on \(host)") }
                    guard writable == "yes" else { return .fail("user \(user) cannot write \(file) (\(r[0].failureText))") }
                    let source = v["source"] ?? ""
                    return .pass("mounted from \(source.isEmpty ? "?" : source), \(user) wrote \(file)")
                }))
        }
        if let first = a.appHosts.first, a.appHosts.count > 1 {
            let file = "\(mount)/.joget-cluster-verify-\(first)"
            let readers = a.appHosts.dropFirst()
            checks.append(ClusterCheck(id: "files.shared", layer: .sharedFiles, title: "A file written on \(first) is read on every other app server",
                probes: readers.map { Probe(host: $0, script: "echo \"JC read=$(cat \(file) 2>/dev/null)\"") },
                judge: { r in
                    if let (host, silent) = zip(readers, r).first(where: { $1.values["read"] == nil }) { return .noAnswer(silent, on: host) }
                    let missing = zip(readers, r).filter { $1.values["read"] != token }.map(\.0)
                    return missing.isEmpty ? .pass("\(readers.joined(separator: ", ")) read \(token) from \(file)")
                        : .fail("\(missing.joined(separator: ", ")) did not read what \(first) wrote to \(file): not the same directory")
                }))
        }

        // 2 Database: every app server logs in with the app credentials and sees the schema.
        let d = a.database
        let option = FileContent([.text("[client]\nuser=\(d.user)\npassword="), .secret(d.passwordSecret, .optionFile), .text("\n")])
        for host in a.appHosts {
            let dbAddress = a.host(named: d.host)?.address ?? d.host
            checks.append(ClusterCheck(id: "db.reach@\(host)", layer: .database, title: "\(host): database reachable with the app user, schema loaded",
                probes: [Probe(host: host, script: Sh.secretFolder + ScriptFile.load("verify/db-reach.sh", [
                    "option": .content(option), "host": .value(dbAddress), "port": .number(d.port), "name": .value(d.name)]))],
                judge: { r in
                    let v = r[0].values
                    guard v["rc"] != nil, v["tables"] != nil else { return .noAnswer(r[0], on: host) }
                    guard v["rc"] == "0", let n = Int(v["tables"] ?? "") else {
                        return .fail("login as \(d.user) to \(dbAddress):\(d.port) failed: \(v["tables"] ?? r[0].failureText)")
                    }
                    return n > 0 ? .pass("\(d.user)@\(dbAddress):\(d.port)/\(d.name) has \(n) tables")
                        : .fail("logged in, but \(d.name) has no tables: the schema was not loaded")
                }))
        }

        // 3 App servers: each Tomcat answers directly, sees its peers, and the host is set up for it.
        let peers = a.appServers.nodes.count - 1
        for node in a.appServers.nodes {
            let port = a.httpPort(of: node)
            let log = catalinaOut(node)
            checks.append(ClusterCheck(id: "app.http@\(node.name)", layer: .appServers, title: "\(node.name): Tomcat answers on port \(port)",
                probes: [Probe(host: node.host, script: "echo \"JC code=$(curl -s -o /dev/null -m 10 -w '%{http_code}' http://127.0.0.1:\(port)/jw/)\"")],
                judge: { r in
                    guard let code = r[0].values["code"] else { return .noAnswer(r[0], on: node.host) }
                    return ["200", "301", "302"].contains(code) ? .pass("http://\(node.host):\(port)/jw/ answered \(code)")
                        : .fail("http://\(node.host):\(port)/jw/ answered \(code.isEmpty || code == "000" ? "nothing" : code)")
                }))
            if peers > 0 {
                let others = a.appServers.nodes.filter { $0.name != node.name }
                let script = NodeLog.functions(unit: Layout.unit(of: node), catalinaOut: log, pidFile: Layout.pidFile(of: node, in: a))
                checks.append(ClusterCheck(id: "app.members@\(node.name)", layer: .appServers, title: "\(node.name): cluster members joined",
                    probes: [Probe(host: node.host, script: script + "node_log\n")],
                    judge: { r in members(r[0], of: node, peers: others, in: a) }))
            }
        }
        for host in a.appHosts {
            let address = a.host(named: host)?.address ?? host
            checks.append(ClusterCheck(id: "app.hostname@\(host)", layer: .appServers, title: "\(host): its name does not resolve to 127.0.1.1",
                probes: [Probe(host: host, script: "echo \"JC name=$(hostname)\"; echo \"JC ip=$(getent hosts \"$(hostname)\" | awk '{print $1; exit}')\"")],
                judge: { r in
                    let v = r[0].values
                    guard let name = v["name"], !name.isEmpty, let ip = v["ip"] else {
                        return .notRun("`hostname` printed no name on \(host) (\(r[0].failureText))")
                    }
                    if ip.isEmpty {
                        return .fail("\(name) resolves to no address: Tomcat's replication receiver (address \"auto\") needs it to resolve to \(address); add it to /etc/hosts")
                    }
                    return ip.hasPrefix("127.") || ip == "::1" ? .fail("\(name) resolves to \(ip): fix /etc/hosts so it resolves to \(address)")
                        : .pass("\(name) resolves to \(ip)")
                }))
            if a.appServers.membership == .multicast {
                checks.append(ClusterCheck(id: "app.multicast@\(host)", layer: .appServers, title: "\(host): multicast enabled on the cluster interface",
                    probes: [Probe(host: host, script: ScriptFile.load("verify/multicast.sh", ["group": .value(a.appServers.multicastAddress)]))],
                    judge: { r in
                        let v = r[0].values
                        guard let dev = v["dev"] else { return .noAnswer(r[0], on: host) }
                        guard !dev.isEmpty else { return .fail("no route to \(a.appServers.multicastAddress) on \(host)") }
                        return v["multicast"] == "yes" ? .pass("\(dev) has MULTICAST") : .fail("\(dev) lacks MULTICAST: ip link set \(dev) multicast on")
                    }))
            }
        }

        // 4 Load balancer: requests reach every node, and a session's route is honoured.
        let lb = a.loadBalancer
        let routes = a.appServers.nodes.map(\.name)
        // A node that was just restarted is skipped by the balancer until its health check passes
        // (every second), or after a failed request until its retry time (10 s): ask again, up to
        // `patience` rounds half a second apart, until every node served a request routed to it.
        let patience = 40
        // With TLS the HTTP site only redirects: ask the HTTPS one (its certificate is judged by
        // lb.tls-check; here only the routing is).
        let url = lb.tls.map { "https://127.0.0.1:\($0.httpsPort)/jw/web/login" } ?? "http://127.0.0.1:\(lb.httpPort)/jw/web/login"
        checks.append(ClusterCheck(id: "lb.reach", layer: .loadBalancer, title: "Through the balancer, requests reach every node",
            probes: [Probe(host: lb.host, script: routedRequest + ScriptFile.load("verify/lb-reach.sh", [
                "url": .value(url), "host_header": .value(lb.serverName), "routes": .value(routes.joined(separator: " ")),
                "patience": .number(patience)]))],
            judge: { r in reach(r[0], routes: routes, url: url, on: lb.host) }))
        if let last = routes.last {
            checks.append(ClusterCheck(id: "lb.sticky", layer: .loadBalancer, title: "A session cookie keeps its node (\(last))",
                probes: [Probe(host: lb.host, script: routedRequest + ScriptFile.load("verify/lb-sticky.sh", [
                    "url": .value(url), "host_header": .value(lb.serverName), "route": .value(last)]))],
                judge: { r in
                    let got = r[0].values.filter { $0.key.hasPrefix("route") }.map(\.value)
                    if got.isEmpty { return .noAnswer(r[0], on: lb.host) }
                    let others = Set(got.filter { !$0.isEmpty && $0 != last })
                    if got.allSatisfy(\.isEmpty) { return .fail("no session cookie came back: cannot tell which node answered (\(r[0].failureText))") }
                    return others.isEmpty ? .pass("6 requests with route .\(last) all served by \(last)")
                        : .fail("requests with route .\(last) were served by \(others.sorted().joined(separator: ", ")): sticky sessions are not working")
                }))
        }
        return checks
    }

    // MARK: After a reboot

    /// How an app host's shared directory is mounted again at boot.
    enum ShareAtBoot {
        /// The plan's NFS mount: its /etc/fstab line.
        case fstab(String)
        /// Mounted by the operator: anything that mounts it at boot (fstab, a mount or automount
        /// unit, autofs, a container's manager); on the root file system only when it is the one app host.
        case existing(String, single: Bool)
    }

    /// One check per host of the cluster: on systemd hosts every unit the plan enabled there is
    /// enabled (the nodes' units, the database server, Apache, the NFS server), and on app hosts the
    /// shared directory is mounted again at boot.
    static func bootChecks(for a: Answers) -> [ClusterCheck] {
        let family = Distro.apt
        let f = a.sharedFiles
        let nfsServer = f.provider == .nfs ? f.server : nil
        var checks: [ClusterCheck] = []
        var seen = Set<String>()
        for host in a.hosts.map(\.name) where !seen.contains(host) {
            seen.insert(host)
            var units: [String] = []
            if nfsServer == host { units.append(family.nfsServerService.unit) }
            if a.database.host == host, let db = family.databaseService[a.database.engine] { units.append(db.unit) }
            units += a.nodes(on: host).map { Layout.unit(of: $0) }
            if a.loadBalancer.host == host { units.append(family.apacheService.unit) }
            guard !units.isEmpty else { continue }
            let share: ShareAtBoot? = a.appHosts.contains(host)
                ? (f.provider == .nfs ? .fstab(f.mountPoint) : .existing(f.mountPoint, single: a.appHosts.count == 1)) : nil
            var script = ScriptFile.load("verify/boot-units.sh", ["units": .value(units.joined(separator: " "))])
            switch share {
            case .fstab(let m)?: script += ScriptFile.load("verify/boot-fstab.sh", ["m": .value(m)])
            case .existing(let m, _)?: script += ScriptFile.load("verify/boot-existing.sh", ["m": .value(m)])
            case nil: break
            }
            let enabled = units
            checks.append(ClusterCheck(id: "hosts.boot@\(host)", layer: .hosts, title: "\(host): comes back after a reboot",
                                       probes: [Probe(host: host, script: script)],
                                       judge: { r in boot(r[0], on: host, units: enabled, share: share) }))
        }
        return checks
    }

    /// `routed_to URL HOST ROUTE`, for the balancer's probes (assets/scripts/lib/routed-request.sh).
    static let routedRequest = ScriptFile.load("lib/routed-request.sh")

    /// lb.reach's judge: each node served the request routed to it (`JC to_NODE=ROUTE`, the last
    /// answer counts: a node skipped for a while after a restart may come back).
    static func reach(_ r: ProbeResult, routes: [String], url: String, on host: String) -> Verdict {
        let v = r.values
        let served = routes.map { (node: $0, by: v["to_" + $0] ?? "") }
        guard routes.contains(where: { v["to_" + $0] != nil }) else { return .noAnswer(r, on: host) }
        if served.allSatisfy(\.by.isEmpty) { return .fail("no session cookie with a route came back from \(url) (\(r.failureText))") }
        let seconds = (Int(v["rounds"] ?? "") ?? 1) / 2
        let wrong = served.filter { $0.by != $0.node }
        if wrong.isEmpty {
            return .pass("a request routed to each node was served by it: \(routes.joined(separator: ", "))" + (seconds > 0 ? " (within \(seconds) s)" : ""))
        }
        func by(_ w: (node: String, by: String)) -> String { w.by.isEmpty ? "a node that set no session cookie" : w.by }
        let what = "requests routed to \(wrong[0].node) were served by \(by(wrong[0]))"
            + wrong.dropFirst().map { ", to \($0.node) by \(by($0))" }.joined()
        return .fail(what + " for \(seconds) s: the balancer skips \(wrong.map(\.node).joined(separator: ", ")) "
                     + "(stopped, failing its health check \(Layout.readyPath), or in error after a failed request)")
    }

    /// The after-a-reboot check's judge.
    static func boot(_ r: ProbeResult, on host: String, units: [String], share: ShareAtBoot?) -> Verdict {
        let v = r.values
        guard let systemd = v["systemd"] else { return .noAnswer(r, on: host) }
        guard systemd == "yes" else { return .notRun("no systemd as PID 1: nothing restarts services after a reboot") }
        var good: [String] = [], bad: [String] = []
        let states = Dictionary(r.all("unit").map { line -> (String, String) in
            let unit = line.prefix { $0 != " " }
            return (String(unit), String(line.dropFirst(unit.count + 1)))
        }, uniquingKeysWith: { $1 })
        for unit in units {
            guard let state = states[unit], !state.isEmpty else { return .noAnswer(r, on: host) }
            if state == "enabled" {
                good.append("\(unit) enabled")
            } else if state.hasPrefix("Failed to get unit file state") || state == "not-found" {
                bad.append("\(unit) is not installed as a unit")
            } else {
                bad.append("\(unit) is \(state): systemctl enable \(unit)")
            }
        }
        switch share {
        case .fstab(let m)?:
            guard let line = v["fstab"] else { return .noAnswer(r, on: host) }
            let fields = line.split(separator: " ").map(String.init)
            if fields.isEmpty {
                bad.append("\(m) is not in /etc/fstab: it is not mounted again at boot")
            } else if let options = fields.last, fields.count >= 3, Self.noAuto(options) {
                bad.append("\(m) is in /etc/fstab with noauto: it is not mounted at boot")
            } else {
                good.append("\(m) in /etc/fstab (\(fields[0]))")
            }
        case .existing(let m, let single)?:
            guard let target = v["target"], !target.isEmpty else { return .noAnswer(r, on: host) }
            if target == "/" {
                if single { good.append("\(m) on the root file system") } else {
                    bad.append("\(m) is not mounted: it is on the root file system")
                }
                break
            }
            guard let fstab = v["fstab"], let unit = v["mountunit"], let auto = v["automount"], let autofs = v["autofs"],
                  let container = v["container"], let since = v["since"] else { return .noAnswer(r, on: host) }
            func split(_ s: String) -> (String, String) {
                let first = s.prefix { $0 != " " }
                return (String(first), String(s.dropFirst(first.count).drop { $0 == " " }))
            }
            let fstabFields = fstab.split(separator: " ").map(String.init)
            let (unitName, unitFile) = split(unit), (autoName, autoFile) = split(auto), (autofsAt, autofsState) = split(autofs)
            let times = since.split(separator: " ").compactMap { UInt64($0) }
            if !fstabFields.isEmpty, !Self.noAuto(fstabFields.last ?? "") {
                good.append("\(target) in /etc/fstab (\(fstabFields[0]))")
            } else if !unitFile.isEmpty {
                good.append("\(target) by the mount unit \(unitName)")
            } else if !autoFile.isEmpty {
                good.append("\(target) by the automount unit \(autoName)")
            } else if !autofsAt.isEmpty, autofsState == "enabled" {
                good.append("\(m) under autofs at \(autofsAt)")
            } else if !container.isEmpty, container != "none", times.count == 2, times[0] > 0, times[0] <= times[1] {
                good.append("\(target) provided by the container's manager (\(container)): mounted before the system started")
            } else {
                bad.append("\(target) is mounted now, but nothing mounts it at boot: add it to /etc/fstab (or a mount unit, or autofs)")
            }
        case nil: break
        }
        return bad.isEmpty ? .pass(good.joined(separator: "; ")) : .fail(bad.joined(separator: "; "))
    }

    /// fstab options that keep a file system from being mounted at boot (an automount still mounts it on use).
    static func noAuto(_ options: String) -> Bool {
        let o = options.split(separator: ",")
        return o.contains("noauto") && !o.contains("x-systemd.automount")
    }

    /// The members check's judge: the peers present now in the log of the node's current run.
    static func members(_ r: ProbeResult, of node: Node, peers: [Node], in a: Answers) -> Verdict {
        let v = r.values
        guard let active = v["active"], let log = v["log"] else { return .noAnswer(r, on: node.host) }
        guard active == "active" else {
            return .fail("\(node.name) is not running (\(active.isEmpty ? "no state" : active)): it has no cluster members now")
        }
        if let why = v["logerror"] { return .notRun("cannot read \(log): \(why)") }
        guard let started = v["started"] else { return .noAnswer(r, on: node.host) }
        guard started == "yes" else {
            return .notRun("\(log) has no line of Tomcat's start (Server version name, Starting service): this run's members cannot be told from earlier runs'")
        }
        // Name each member present after the peer it is: by address and replication port, or by
        // address alone when one peer has it (a multicast receiver may bind a later port).
        var missing = peers
        var named: [String] = []
        for member in NodeLog.present(r.all("member")) {
            let text = NodeLog.readable(member)
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            let host = parts.dropLast().joined(separator: ":"), port = parts.last.flatMap { Int($0) }
            let at = peers.filter { (a.host(named: $0.host)?.address ?? $0.host) == host }
            if let peer = at.first(where: { a.replicationPort(of: $0) == port }) ?? (at.count == 1 ? at[0] : nil) {
                missing.removeAll { $0.name == peer.name }
                named.append("\(peer.name) (\(text))")
            } else {
                named.append(text)
            }
        }
        let list = named.isEmpty ? "" : ": " + named.joined(separator: ", ")
        if named.count >= peers.count {
            return .pass("\(named.count) of \(peers.count) peers present in \(log)\(list)")
        }
        let hint = a.appServers.membership == .multicast
            ? "multicast blocked? try static membership"
            : "is each node's replication port open between the app servers?"
        let gone = missing.map(\.name).joined(separator: ", ")
        return .fail("\(named.count) of \(peers.count) peers present in \(log)\(list); missing: \(gone.isEmpty ? "?" : gone): replication is not working (\(hint))")
    }
}
