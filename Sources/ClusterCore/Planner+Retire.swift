/// Day two: nodes taken out of the answers are retired, in this order, each step after the
/// previous: the balancer is rewritten without them and reloaded gracefully (the load balancer
/// layer's own steps), then each retired node waits until it serves no request, is stopped and
/// disabled at boot; the database account of a host left without nodes is dropped, and on NFS its
/// mount and fstab line go (the export is rewritten by the file server's own step). The node's
/// folder is kept unless `purge`. A host with no role left is otherwise left alone.
///
/// The steps read the node's layout from `installed` (what was installed), since the answers no
/// longer have it.
extension Planner {
    static func retireSteps(_ now: Cluster, installed: Answers, purge: Bool) -> [Step] {
        // An install stopped before its app servers layer finished has no node to retire (and the
        // record of it no first node to build a Cluster on).
        let retired = Installed.retiredNodes(installed: installed, answers: now.answers)
        guard !retired.isEmpty else { return [] }
        let was = Cluster(installed)
        let reload = id(.apache, now.answers.loadBalancer.host)
        var steps: [Step] = []
        var retiresOn: [String: [String]] = [:]
        for node in retired {
            let step = retireNodeStep(was, node, after: reload, purge: purge)
            retiresOn[node.host, default: []].append(step.id)
            steps.append(step)
        }
        for host in Installed.retiredAppHosts(installed: installed, answers: now.answers) {
            let after = retiresOn[host] ?? []
            steps.append(dropAccountStep(now, address: was.address(host), host: host, after: after))
            if installed.sharedFiles.provider == .nfs { steps.append(unmountStep(was, host, after: after)) }
        }
        return steps
    }

    private static func retireNodeStep(_ c: Cluster, _ node: Node, after reload: String, purge: Bool) -> Step {
        let dir = c.nodeDir(node), unit = c.unit(node), port = c.answers.httpPort(of: node)
        let unitPath = "/etc/systemd/system/\(unit).service"
        let running = ScriptFile.load("retire/node-running.sh", ["unit": .value(unit), "dir": .value(dir)])
        var check: Script = running
            + Sh.require("! running", because: "\(node.name) is still running") + " && "
            + Sh.require("! { [ -d /run/systemd/system ] && systemctl is-enabled --quiet \(unit) 2>/dev/null; }",
                         because: "\(unit) is still enabled at boot")
        if purge { check += " && " + Sh.require("[ ! -e \(dir) ]", because: "the folder \(dir) is still there (--purge)") }
        let apply = running + ScriptFile.load("lib/wait-quiet.sh") + ScriptFile.load("retire/node.sh", ["node": .value(node.name), "port": .number(port), "user": .value(c.user),
                                                                 "unit_path": .value(unitPath), "purge": .value(purge ? "yes" : "no")])
        return Step(
            id: id(.retireNode, node.host, node.name), layer: .retire, host: node.host,
            title: "Retire \(node.name): wait until it serves no request, stop it, disable it at boot" + (purge ? ", remove its folder" : ""),
            check: check + "\n", apply: apply, dependsOn: [reload], timeoutSeconds: 180,
            notes: ["Runs after the balancer was reloaded without \(node.name), so no new request reaches it."])
    }

    private static func dropAccountStep(_ now: Cluster, address: String, host: String, after: [String]) -> Step {
        let d = now.db
        let count = "SELECT COUNT(*) FROM mysql.user WHERE User = '\(d.user)' AND Host = '\(address)';"
        return Step(
            id: id(.dbAccount, d.host, host), layer: .retire, host: d.host,
            title: "Drop the database account \(d.user)@\(address) of \(host), which has no node left",
            check: admin(now) + "n=$(printf '%s\\n' \(count) | sql) && "
                + Sh.require("[ \"$n\" = 0 ]", because: "the account \(d.user)@\(address) still exists") + "\n",
            apply: Sh.strict + admin(now) + "printf '%s\\n' \("DROP USER IF EXISTS '\(d.user)'@'\(address)';") | sql\n",
            dependsOn: after, timeoutSeconds: 120)
    }

    private static func unmountStep(_ was: Cluster, _ host: String, after: [String]) -> Step {
        let m = was.mount
        return Step(
            id: id(.unmount, host), layer: .retire, host: host,
            title: "Unmount the shared folder from \(host) and take it out of /etc/fstab",
            check: Sh.require("! mountpoint -q \(m)", because: "\(m) is still mounted") + " && "
                + Sh.require("[ -z \"$(awk -v m=\(m) '$1 !~ /^#/ && $2 == m' /etc/fstab 2>/dev/null)\" ]",
                             because: "/etc/fstab still mounts \(m)") + "\n",
            apply: ScriptFile.load("retire/unmount.sh", ["m": .value(m)]),
            dependsOn: after, timeoutSeconds: 120)
    }
}
