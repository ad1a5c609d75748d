/// Day two: Joget upgraded (or rolled back) on every node. The plan is the usual one for the
/// answers' new bundle, whose steps already put a node folder in place from the bundle and write
/// its setenv.sh, server.xml and unit; these steps make room for them and keep the cluster serving:
///
/// - each node's folder is set aside as `<node>.<old version>` (a rollback puts it back) once the
///   node is stopped (`upgrade.swap`); the node's install step then makes a new one from the bundle;
/// - **safe**: the balancer serves a maintenance page (503 with Retry-After) while every node is
///   replaced; the first starts alone (it updates the schema), then the others, then the page goes;
/// - **rolling**: node by node, out of the balancer, replaced, started, back in the cluster
///   (`upgrade.rejoin`), back in the balancer; the others serve meanwhile.
///
/// The shared folder (wflow, the datasource files) and the database are not touched.
extension Planner {
    static func upgradeSteps(_ c: Cluster, _ u: Upgrade, into steps: inout [Step]) {
        let lb = c.answers.loadBalancer.host
        let staged = c.appHosts.map { id(.bundle, $0) }
        let site = id(.site, lb), apache = id(.apache, lb)
        var added: [Step] = []
        func needs(_ stepID: String, _ more: [String]) {
            guard let i = steps.firstIndex(where: { $0.id == stepID }) else {
                assertionFailure("the upgrade waits on \(stepID), which the plan does not have")
                return
            }
            steps[i].dependsOn += more
        }
        let firstStart = id(.start, c.firstAppHost, c.firstNode.name)
        switch u.mode {
        case .safe:
            let on = maintenanceStep(c, u, on: true, after: staged + [site])
            let swaps = c.app.nodes.map { swapStep(c, u, $0, after: [on.id]) }
            let agent = sharedAgentStep(c, u, after: swaps.map(\.id))
            let off = maintenanceStep(c, u, on: false, after: appStarts(c))
            added = [on] + swaps + [agent, off]
            for (node, swap) in zip(c.app.nodes, swaps) { needs(id(.install, node.host, node.name), [swap.id]) }
            // Every node is stopped before the first starts on the new version.
            needs(firstStart, swaps.map(\.id) + [agent.id])
            needs(apache, [off.id])
        case .rolling:
            var previous = staged + [site]
            for node in c.app.nodes {
                let drain = balancerStep(c, u, taking: node, out: true, after: previous)
                let swap = swapStep(c, u, node, after: [drain.id])
                let rejoin = rejoinStep(c, node)
                let undrain = balancerStep(c, u, taking: node, out: false, after: [rejoin.id])
                added += [drain, swap, rejoin, undrain]
                needs(id(.install, node.host, node.name), [swap.id])
                if node == c.firstNode {
                    let agent = sharedAgentStep(c, u, after: [swap.id])
                    added.append(agent)
                    needs(firstStart, [agent.id])
                }
                previous = [undrain.id]
            }
            needs(apache, previous)
        }
        steps = inDependencyOrder(steps + added)
    }

    /// The steps reordered so that each comes after what it depends on, otherwise keeping their
    /// order: the plan reads (and the wizard lists) in the order it can run.
    static func inDependencyOrder(_ steps: [Step]) -> [Step] {
        let index = Dictionary(uniqueKeysWithValues: steps.enumerated().map { ($1.id, $0) })
        var placed = Set<String>(), out: [Step] = []
        func place(_ i: Int, _ path: Set<String>) {
            let step = steps[i]
            guard !placed.contains(step.id), !path.contains(step.id) else { return }
            for dep in step.dependsOn { if let j = index[dep] { place(j, path.union([step.id])) } }
            if placed.insert(step.id).inserted { out.append(step) }
        }
        for i in steps.indices { place(i, []) }
        return out
    }

    private static func reloadApache(_ c: Cluster) -> Script {
        ScriptFile.load("lb/reload.sh", ["apachectl": .value(c.family.apacheCtl), "unit": .value(c.family.apacheService.unit)])
    }

    /// Safe mode: the maintenance page on (before any node stops) or off (after every node started).
    private static func maintenanceStep(_ c: Cluster, _ u: Upgrade, on: Bool, after: [String]) -> Step {
        let lb = c.answers.loadBalancer.host
        let since = c.stateDir + "/maintenance.since"
        let (url, resolve) = balancerURL(c)
        if on {
            return Step(
                id: id(.maintenanceOn, lb), layer: .upgrade, host: lb,
                title: "Serve the maintenance page for /jw (503 with Retry-After) while Joget is \(u.isRollback ? "rolled back" : "upgraded")",
                check: nil,
                apply: Sh.strict + Sh.write(siteFile(c, .maintenance)) + reloadApache(c)
                    + ScriptFile.load("upgrade/maintenance-on.sh", ["url": .value(url), "resolve": .value(resolve), "since": .value(since),
                                                                    "state_dir": .value(c.stateDir)]),
                dependsOn: after, timeoutSeconds: 120,
                notes: ["Clients get 503 with Retry-After: 60 until every node runs \(u.toVersion); the nodes do not serve meanwhile."])
        }
        return Step(
            id: id(.maintenanceOff, lb), layer: .upgrade, host: lb,
            title: "Take the maintenance page away: the balancer sends /jw to the nodes again",
            check: nil,
            apply: Sh.strict + Sh.write(siteFile(c)) + reloadApache(c)
                + ScriptFile.load("upgrade/maintenance-off.sh", ["url": .value(url), "resolve": .value(resolve), "since": .value(since)]),
            dependsOn: after, timeoutSeconds: 120)
    }

    /// Rolling mode: the balancer reloaded without one node (`out`), or with every node again.
    private static func balancerStep(_ c: Cluster, _ u: Upgrade, taking node: Node, out: Bool, after: [String]) -> Step {
        let lb = c.answers.loadBalancer.host
        return Step(
            id: id(out ? .drain : .undrain, lb, node.name), layer: .upgrade, host: lb,
            title: out ? "Take \(node.name) out of the balancer (the other nodes serve its sessions)"
                       : "Put \(node.name), now on \(u.toVersion), back in the balancer",
            check: nil,
            apply: Sh.strict + Sh.write(siteFile(c, out ? .without(node) : .serving)) + reloadApache(c)
                + "echo \(out ? "Apache reloaded without \(node.name)" : "Apache reloaded with every node")\n",
            dependsOn: after, timeoutSeconds: 60)
    }

    /// Stops the node and sets its folder aside as `<node>.<from version>`; puts back a folder of
    /// the target version kept by an earlier upgrade (a rollback returns to it this way).
    private static func swapStep(_ c: Cluster, _ u: Upgrade, _ node: Node, after: [String]) -> Step {
        let dir = c.nodeDir(node), port = c.answers.httpPort(of: node)
        let marker = dir + "/.joget-cluster-bundle"
        let aside = dir + "." + u.fromVersion, kept = dir + "." + u.toVersion
        return Step(
            id: id(.swap, node.host, node.name), layer: .upgrade, host: node.host,
            title: "Stop \(node.name) and set \(dir) (\(u.fromVersion)) aside as \(aside)",
            check: Sh.require("[ \"$(cat \(marker) 2>/dev/null)\" = \(u.toSource) ]", because: "\(dir) does not hold \(u.toVersion) yet") + "\n",
            apply: stopNodeFunction(c, node) + ScriptFile.load("lib/wait-quiet.sh")
                + ScriptFile.load("upgrade/swap.sh", ["dir": .value(dir), "aside": .value(aside), "kept": .value(kept),
                                                       "want": .value(u.toSource), "was": .value(u.fromSource), "port": .number(port)]),
            dependsOn: after, timeoutSeconds: 300,
            notes: ["\(aside) keeps \(node.name)'s \(u.fromVersion) folder (its logs too) for `joget-cluster upgrade --rollback`; remove it once \(u.toVersion) serves well."])
    }

    /// The clustering agent in the shared folder comes with each release: the new bundle's replaces
    /// it (before the first node starts on the new version), the one replaced kept next to it. The
    /// rest of the shared folder (apps' files, glowroot's data and settings) is kept.
    private static func sharedAgentStep(_ c: Cluster, _ u: Upgrade, after: [String]) -> Step {
        let jar = c.mount + "/wflow-cluster.jar", staged = c.stagedWflow + "/wflow-cluster.jar"
        return Step(
            id: id(.sharedAgent, c.firstAppHost), layer: .upgrade, host: c.firstAppHost,
            title: "Put \(u.toVersion)'s wflow-cluster.jar in the shared folder (the one replaced is kept as wflow-cluster.jar.\(u.fromVersion))",
            check: Sh.require("runuser -u \(c.user) -- cmp -s \(staged) \(jar)", because: "\(jar) is not the one of \(u.toVersion)'s bundle") + "\n",
            apply: ScriptFile.load("upgrade/shared-agent.sh", ["jar": .value(jar), "staged": .value(staged), "user": .value(c.user),
                                                               "was_version": .value(u.fromVersion)]),
            dependsOn: after + [id(.bundle, c.firstAppHost)], timeoutSeconds: 120,
            notes: ["Nodes still running keep the agent they started with (a replaced file stays open for them)."])
    }

    /// Rolling mode: the node sees every other node again before the next one is taken out.
    private static func rejoinStep(_ c: Cluster, _ node: Node) -> Step {
        Step(
            id: id(.rejoin, node.host, node.name), layer: .upgrade, host: node.host,
            title: "Wait until \(node.name) is back in the cluster (it sees every other node)",
            check: nil, apply: clusterCheckScript(c, node),
            dependsOn: [id(.start, node.host, node.name)], timeoutSeconds: 180, readOnly: true)
    }
}
