/// What breaks clusters in real networks, measured from the hosts themselves before anything is
/// installed: each app server reaches the database and the NFS server, the balancer reaches every
/// node, nodes reach each other on the replication port, and a multicast datagram from one app
/// server arrives on the others. Where nothing listens yet, a stand-in listener answers on the
/// port for the test (assets/scripts/check/), so the same checks hold before and after the install.
public enum NetworkChecks {
    /// One port on one host, and who must reach it, for what.
    public struct Path: Sendable, Equatable {
        public var target: String
        public var port: Int
        public var clients: [String]
        public var what: String
    }

    /// Every path the cluster's answers need open, in the wizard's layer order.
    public static func paths(for a: Answers) -> [Path] {
        var out: [Path] = []
        func add(_ target: String, _ port: Int, from clients: [String], _ what: String) {
            let others = clients.filter { $0 != target }
            if !others.isEmpty { out.append(Path(target: target, port: port, clients: others, what: what)) }
        }
        if a.sharedFiles.provider == .nfs, let server = a.sharedFiles.server {
            add(server, 2049, from: a.appHosts, "NFS")
            add(server, 111, from: a.appHosts, "rpcbind")
        }
        add(a.database.host, a.database.port, from: a.appHosts, "the database")
        for node in a.appServers.nodes {
            add(node.host, a.replicationPort(of: node), from: a.appHosts, "\(node.name)'s replication")
        }
        for node in a.appServers.nodes {
            add(node.host, a.httpPort(of: node), from: [a.loadBalancer.host], "\(node.name)'s HTTP")
        }
        return out
    }

    /// The checks: one per path, then, with multicast membership, one per app server that must
    /// receive the first one's datagrams. `word` marks this run's datagrams.
    public static func checks(for a: Answers, word: String) -> [ClusterCheck] {
        var checks = paths(for: a).map { reach($0, in: a) }
        if a.appServers.membership == .multicast, let sender = a.appHosts.first {
            for receiver in a.appHosts.dropFirst() { checks.append(multicast(from: sender, to: receiver, in: a, word: word)) }
        }
        return checks
    }

    /// How long a stand-in listener may live: every client's try (3 s each) and some slack.
    static func listenSeconds(_ p: Path) -> Int { 10 + 4 * p.clients.count }

    static func reach(_ p: Path, in a: Answers) -> ClusterCheck {
        let address = a.host(named: p.target)?.address ?? p.target
        let probes = [Probe(host: p.target, script: ScriptFile.load("check/listen.sh", ["port": .number(p.port), "seconds": .number(listenSeconds(p))]))]
            + p.clients.map { Probe(host: $0, script: ScriptFile.load("check/reach.sh", ["target": .value(address), "port": .number(p.port)])) }
            + [Probe(host: p.target, script: ScriptFile.load("check/unlisten.sh", ["port": .number(p.port)]))]
        return ClusterCheck(id: "reach.\(p.target):\(p.port)", layer: .hosts,
                            title: "\(p.clients.joined(separator: ", ")) reach\(p.clients.count == 1 ? "es" : "") \(p.target):\(p.port) (\(p.what))",
                            probes: probes) { r in
            guard let listener = r[0].values["listener"] else { return .noAnswer(r[0], on: p.target) }
            guard listener == "service" || listener == "started" else {
                return .notRun("nothing answers on \(p.target):\(p.port) to test with: \(listener)")
            }
            var failed: [String] = []
            for (client, result) in zip(p.clients, r.dropFirst()) {
                guard let reach = result.values["reach"] else { return .noAnswer(result, on: client) }
                if reach != "ok" { failed.append(blocked(client, p, address: address, in: a, why: reach)) }
            }
            let who = listener == "service" ? "the service there answered" : "a stand-in listener answered"
            return failed.isEmpty ? .pass("\(who) \(p.clients.joined(separator: ", "))") : .fail(failed.joined(separator: "; "))
        }
    }

    /// "app2 cannot reach db:3306 (Connection timed out): a firewall on db? `ufw allow from 10.0.0.12 to any port 3306`".
    static func blocked(_ client: String, _ p: Path, address: String, in a: Answers, why: String) -> String {
        let from = a.host(named: client)?.address ?? client
        return "\(client) cannot reach \(p.target):\(p.port) at \(address) (\(why)): a firewall on \(p.target) or between them? "
            + "On \(p.target): ufw allow from \(from) to any port \(p.port)"
    }

    static func multicast(from sender: String, to receiver: String, in a: Answers, word: String) -> ClusterCheck {
        let group = a.appServers.multicastAddress
        // Beside Tomcat's own port, so an installed cluster's membership never reads the test's datagrams.
        let port = a.appServers.multicastPort + 1
        let address = { (host: String) in a.host(named: host)?.address ?? host }
        let probes = [
            Probe(host: receiver, script: Sh.clusterAddress(address(receiver))
                  + ScriptFile.load("check/mcast-receive.sh", ["group": .value(group), "port": .number(port), "seconds": .number(20)])),
            Probe(host: sender, script: Sh.clusterAddress(address(sender))
                  + ScriptFile.load("check/mcast-send.sh", ["group": .value(group), "port": .number(port), "word": .value(word)])),
            Probe(host: receiver, script: ScriptFile.load("check/mcast-result.sh", ["word": .value(word)])),
        ]
        return ClusterCheck(id: "multicast.\(sender)>\(receiver)", layer: .hosts,
                            title: "A multicast datagram from \(sender) to \(group) arrives on \(receiver)", probes: probes) { r in
            guard let receiving = r[0].values["receiver"] else { return .noAnswer(r[0], on: receiver) }
            guard receiving == "started" else { return .notRun("\(receiver) could not receive: \(receiving)") }
            guard let sent = r[1].values["sent"] else { return .noAnswer(r[1], on: sender) }
            guard sent == "yes" else { return .fail("\(sender) could not send to \(group): \(sent)") }
            guard let received = r[2].values["received"] else { return .noAnswer(r[2], on: receiver) }
            return received == "yes" ? .pass("\(receiver) received \(sender)'s datagrams on \(group):\(port)")
                : .fail("\(receiver) received nothing from \(sender) on \(group):\(port): the network drops multicast "
                        + "(public clouds do); choose appServers.membership: static")
        }
    }
}
