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
        let f = c.family
        return """
            if ! out=$(\(raw: f.apacheCtl) configtest 2>&1); then echo "$out" >&2; exit 1; fi
            if [ -d /run/systemd/system ]; then systemctl reload \(f.apacheService.unit); else \(raw: f.apacheCtl) graceful; fi

            """
    }

    /// Safe mode: the maintenance page on (before any node stops) or off (after every node started).
    private static func maintenanceStep(_ c: Cluster, _ u: Upgrade, on: Bool, after: [String]) -> Step {
        let lb = c.answers.loadBalancer.host
        let since = c.stateDir + "/maintenance.since"
        let (url, resolve) = balancerURL(c)
        let answer: Script = "code() { curl -sk -o /dev/null -w '%{http_code}' --max-time 5 --resolve \(resolve) \(url) || true; }\n"
        if on {
            return Step(
                id: id(.maintenanceOn, lb), layer: .upgrade, host: lb,
                title: "Serve the maintenance page for /jw (503 with Retry-After) while Joget is \(u.isRollback ? "rolled back" : "upgraded")",
                check: nil,
                apply: Sh.strict + Sh.write(siteFile(c, .maintenance)) + reloadApache(c) + answer + """
                    mkdir -p \(c.stateDir)
                    [ -s \(since) ] || date +%s > \(since)
                    i=0
                    until [ "$(code)" = 503 ]; do
                        i=$((i + 1))
                        if [ $i -ge 20 ]; then echo \(url) "still answers $(code), not 503, after Apache's reload" >&2; exit 1; fi
                        sleep 0.5
                    done
                    echo \(url) "answers 503 (maintenance) since $(date -d "@$(cat \(since))" '+%H:%M:%S')"

                    """,
                dependsOn: after, timeoutSeconds: 120,
                notes: ["Clients get 503 with Retry-After: 60 until every node runs \(u.toVersion); the nodes do not serve meanwhile."])
        }
        return Step(
            id: id(.maintenanceOff, lb), layer: .upgrade, host: lb,
            title: "Take the maintenance page away: the balancer sends /jw to the nodes again",
            check: nil,
            apply: Sh.strict + Sh.write(siteFile(c)) + reloadApache(c) + answer + """
                i=0
                while [ "$(code)" = 503 ]; do
                    i=$((i + 1))
                    if [ $i -ge 20 ]; then echo \(url) "still answers 503 after Apache's reload" >&2; exit 1; fi
                    sleep 0.5
                done
                if [ -s \(since) ]; then
                    echo "downtime: $(( $(date +%s) - $(cat \(since)) )) s (the maintenance page was served from $(date -d "@$(cat \(since))" '+%H:%M:%S') to $(date '+%H:%M:%S'))"
                    rm -f \(since)
                fi
                echo \(url) "answers $(code)"

                """,
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
            apply: Sh.strict + """
                dir=\(dir); aside=\(aside); kept=\(kept); want=\(u.toSource); was=\(u.fromSource)
                have=$(cat "$dir/.joget-cluster-bundle" 2>/dev/null || true)
                if [ -e "$dir" ] && [ "$have" != "$was" ]; then
                    echo "$dir holds ${have:-a Tomcat not installed by joget-cluster}, neither $was nor $want: move it away" >&2
                    exit 1
                fi
                # Requests already sent to the node finish first (up to 30 s without a new one).
                quiet=0; i=0
                while [ $quiet -lt 2 ] && [ $i -lt 30 ]; do
                    n=$(ss -Htn state established \("( sport = :\(port) )") 2>/dev/null | wc -l)
                    if [ "$n" = 0 ]; then quiet=$((quiet + 1)); else quiet=0; fi
                    i=$((i + 1)); sleep 1
                done

                """ + stopNode(c, node) + """
                if [ -e "$dir" ]; then
                    if [ -e "$aside" ]; then rm -rf "$aside"; echo "removed an older $aside"; fi
                    mv "$dir" "$aside"
                    echo "\(raw: node.name) is stopped; $dir is kept as $aside"
                fi
                if [ "$(cat "$kept/.joget-cluster-bundle" 2>/dev/null)" = "$want" ]; then
                    mv "$kept" "$dir"
                    echo "$kept, kept by an earlier upgrade, is $dir again"
                fi

                """,
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
            apply: Sh.strict + """
                if [ ! -f \(staged) ]; then echo \("the \(u.toVersion) bundle has no wflow/wflow-cluster.jar: the shared folder's is kept") >&2; exit 1; fi
                runuser -u \(c.user) -- sh -c 'cp -p "$1" "$1.$3" && cp "$2" "$1.new" && mv -f "$1.new" "$1"' joget-agent \(jar) \(staged) \(u.fromVersion)
                echo \("\(jar) is \(u.toVersion)'s; the previous one is \(jar).\(u.fromVersion)")

                """,
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
