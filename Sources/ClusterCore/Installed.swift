/// What is installed on the servers, as far as the runs so far got: the hosts (how to reach them),
/// the nodes, and which host holds the database, the balancer and the NFS export. It is kept in the
/// answers file's format (`installed.yaml` in the state folder), so it needs no format of its own.
///
/// A run that finishes a layer adds what that layer installed (`adding`); a run that finishes
/// every step makes it equal to its answers. So a node taken out of the answers stays here until
/// the run that retires it has finished, and an interrupted retirement is planned again.
public enum Installed {
    /// `installed` with what `answers` put in place on `layers`: their hosts and nodes are added,
    /// nothing is removed.
    public static func adding(_ answers: Answers, layers: Set<Layer>, to installed: Answers?) -> Answers {
        guard var merged = installed else {
            var fresh = answers
            if !layers.contains(.appServers) { fresh.appServers.nodes = [] }
            return fresh
        }
        guard !layers.isEmpty else { return merged }
        for host in answers.hosts {
            if let i = merged.hosts.firstIndex(where: { $0.name == host.name }) { merged.hosts[i] = host } else { merged.hosts.append(host) }
        }
        if layers.contains(.appServers) {
            for node in answers.appServers.nodes where !merged.appServers.nodes.contains(where: { $0.name == node.name }) {
                merged.appServers.nodes.append(node)
            }
        }
        return merged
    }

    /// Nodes installed but no longer in the answers: the ones a run of `answers` retires.
    public static func retiredNodes(installed: Answers?, answers: Answers) -> [Node] {
        guard let installed else { return [] }
        let kept = Set(answers.appServers.nodes.map(\.name))
        return installed.appServers.nodes.filter { !kept.contains($0.name) }
    }

    /// App hosts installed whose every node is retired: their database account and shared-folder
    /// mount go with the last node.
    public static func retiredAppHosts(installed: Answers?, answers: Answers) -> [String] {
        guard let installed else { return [] }
        let still = Set(answers.appHosts)
        return installed.appHosts.filter { !still.contains($0) }
    }

    /// Hosts that had a role and have none left: said so, and left alone.
    public static func hostsWithoutRole(installed: Answers?, answers: Answers) -> [String] {
        guard let installed else { return [] }
        let used = answers.usedHosts
        return installed.usedHosts.filter { !used.contains($0) }
    }

    /// Nodes in the answers that no run has installed yet (none before the first install).
    public static func addedNodes(installed: Answers?, answers: Answers) -> [Node] {
        guard let installed else { return [] }
        let have = Set(installed.appServers.nodes.map(\.name))
        return answers.appServers.nodes.filter { !have.contains($0.name) }
    }

    /// What a run of `answers` retires, in words, one paragraph a line; empty when it retires no
    /// node. `apply` prints it before asking, and the wizard's Review shows it, so both say the same.
    public static func retirement(installed: Answers?, answers: Answers, purge: Bool) -> [String] {
        let nodes = retiredNodes(installed: installed, answers: answers)
        guard !nodes.isEmpty else { return [] }
        let one = nodes.count == 1
        var lines = ["This run retires " + nodes.map { "\($0.name) (on \($0.host))" }.joined(separator: ", ")
                     + ": the balancer stops sending " + (one ? "it requests, then it is" : "them requests, then each is")
                     + " stopped and disabled at boot"
                     + (purge ? " and its folder removed." : "; its folder is kept (--purge removes it).")]
        let hosts = retiredAppHosts(installed: installed, answers: answers)
        if !hosts.isEmpty {
            lines.append("Database account" + (hosts.count > 1 ? "s" : "") + " dropped for " + hosts.joined(separator: ", ")
                         + (installed?.sharedFiles.provider == .nfs ? "; the shared folder is unmounted there." : "."))
        }
        lines += hostsWithoutRole(installed: installed, answers: answers).map(noRoleLeft)
        return lines
    }

    /// `app2 has no role left: nothing else is changed there.`
    public static func noRoleLeft(_ host: String) -> String { "\(host) has no role left: nothing else is changed there." }
}

extension Answers {
    /// Hosts with at least one role, in the order the answers list them.
    public var usedHosts: [String] {
        var used = Set(appHosts)
        used.insert(database.host)
        used.insert(loadBalancer.host)
        if sharedFiles.provider == .nfs, let s = sharedFiles.server { used.insert(s) }
        return hosts.map(\.name).filter { used.contains($0) }
    }
}
