import Foundation
import Testing
@testable import ClusterCore

/// Day two: what is installed is recorded, and nodes taken out of the answers are retired.
@Suite struct RetireTests {
    /// The two-node example with node02 (and its host) taken out.
    static func withoutNode02(_ a: Answers) -> Answers {
        var b = a
        b.appServers.nodes.removeAll { $0.name == "node02" }
        b.hosts.removeAll { $0.name == "app2" }
        return b
    }

    @Test func aFreshPlanRetiresNothing() throws {
        let a = Fixtures.twoNode
        #expect(try Planner.plan(a).steps.allSatisfy { $0.layer != .retire })
        #expect(try Planner.plan(a, installed: a).steps.allSatisfy { $0.layer != .retire })
    }

    /// Found by the lab: a run stopped before the app servers layer finished records no node, and
    /// the next run's plan must not trip over that record.
    @Test func aRecordWithoutNodesRetiresNothing() throws {
        let a = Fixtures.twoNode
        let early = ClusterCore.Installed.adding(a, layers: [.hosts, .sharedFiles, .database], to: nil)
        #expect(early.appServers.nodes.isEmpty)
        #expect(try Planner.plan(a, installed: early).steps.allSatisfy { $0.layer != .retire })
    }

    @Test func aNodeGoneFromTheAnswersIsRetiredAfterTheBalancerReload() throws {
        let installed = Fixtures.twoNode
        let now = Self.withoutNode02(installed)
        let plan = try Planner.plan(now, installed: installed)
        let retire = try #require(plan.step("retire.node@app2#node02"))
        #expect(retire.host == "app2")
        #expect(retire.dependsOn == ["lb.apache@\(now.loadBalancer.host)"])
        let account = try #require(plan.step("retire.db-account@\(now.database.host)#app2"))
        #expect(account.dependsOn == [retire.id])
        let sql = account.apply.display.replacingOccurrences(of: "'\\''", with: "'")
        #expect(sql.contains("DROP USER IF EXISTS 'joget'@'\(installed.host(named: "app2")!.address)'"))
        // The example shares files over NFS: the retired host's mount goes too.
        #expect(installed.sharedFiles.provider == .nfs)
        #expect(plan.step("retire.unmount@app2")?.dependsOn == [retire.id])
        // Nothing else of the plan still mentions node02 or app2.
        let rest = plan.steps.filter { $0.layer != .retire }
        #expect(rest.allSatisfy { !$0.id.contains("node02") && $0.host != "app2" })
        // The balancer site is written without it.
        let site = try #require(plan.step("lb.site@\(now.loadBalancer.host)")).files.map(\.content.display).joined()
        #expect(!site.contains("route=node02") && site.contains("route=node01"))
    }

    @Test func theFolderIsKeptUnlessPurged() throws {
        let installed = Fixtures.twoNode
        let now = Self.withoutNode02(installed)
        let kept = try #require(try Planner.plan(now, installed: installed).step("retire.node@app2#node02"))
        let purged = try #require(try Planner.plan(now, installed: installed, purge: true).step("retire.node@app2#node02"))
        #expect(kept.apply.display.contains("purge=no\n") && kept.apply.display.contains("dir=/opt/joget/node02\n"))
        #expect(purged.apply.display.contains("purge=yes\n") && purged.apply.display.contains("rm -rf \"$dir\""))
        #expect(purged.check!.display.contains("[ ! -e /opt/joget/node02 ]"))
    }

    @Test func aSecondNodeOnAHostKeepsTheHostsAccount() throws {
        var installed = Fixtures.twoNode
        installed.appServers.nodes.append(Node(name: "node03", host: "app2", httpPort: 8081))
        var now = installed
        now.appServers.nodes.removeAll { $0.name == "node03" }
        let plan = try Planner.plan(now, installed: installed)
        #expect(plan.step("retire.node@app2#node03") != nil)
        #expect(!plan.steps.contains { $0.id.hasPrefix("retire.db-account") || $0.id.hasPrefix("retire.unmount") })
    }

    @Test func retireScriptsParse() throws {
        let installed = Fixtures.twoNode
        for purge in [false, true] {
            let plan = try Planner.plan(Self.withoutNode02(installed), installed: installed, purge: purge)
            for step in plan.steps where step.layer == .retire {
                for (role, script) in [("check", step.check), ("apply", step.apply)] {
                    guard let script else { continue }
                    let r = try Run.program("/bin/dash", ["-n"], input: script.display)
                    #expect(r.status == 0, "dash -n rejects the \(role) of \(step.id): \(r.output)")
                }
            }
        }
    }

    @Test func installedGrowsByFinishedLayersAndShrinksOnlyWithAWholeRun() {
        let a = Fixtures.twoNode
        // A first run that finished everything up to the database: hosts known, no node yet.
        let early = ClusterCore.Installed.adding(a, layers: [.hosts, .sharedFiles, .database], to: nil)
        #expect(early.hosts.map(\.name) == a.hosts.map(\.name))
        #expect(early.appServers.nodes.isEmpty)
        // The app layer finished: its nodes are recorded.
        let full = ClusterCore.Installed.adding(a, layers: [.appServers], to: early)
        #expect(full.appServers.nodes.map(\.name) == ["node01", "node02"])
        // A run without node02 that stopped half way keeps node02: its retirement is planned again.
        let now = Self.withoutNode02(a)
        let half = ClusterCore.Installed.adding(now, layers: [.appServers], to: full)
        #expect(half.appServers.nodes.map(\.name) == ["node01", "node02"])
        #expect(ClusterCore.Installed.retiredNodes(installed: half, answers: now).map(\.name) == ["node02"])
        #expect(ClusterCore.Installed.retiredAppHosts(installed: half, answers: now) == ["app2"])
        #expect(ClusterCore.Installed.hostsWithoutRole(installed: half, answers: now) == ["app2"])
    }

    /// The words apply prints before it asks, and the wizard's Review shows: one function for both.
    @Test func theRetirementInWords() {
        let installed = Fixtures.twoNode
        let now = Self.withoutNode02(installed)
        #expect(ClusterCore.Installed.retirement(installed: nil, answers: now, purge: false).isEmpty)
        #expect(ClusterCore.Installed.retirement(installed: installed, answers: installed, purge: false).isEmpty)
        #expect(ClusterCore.Installed.retirement(installed: installed, answers: now, purge: false) == [
            "This run retires node02 (on app2): the balancer stops sending it requests, then it is stopped and disabled at boot; its folder is kept (--purge removes it).",
            "Database account dropped for app2; the shared folder is unmounted there.",
            "app2 has no role left: nothing else is changed there.",
        ])
        var two = installed
        two.hosts.append(Host(name: "app3", address: "10.0.0.3", user: "admin", auth: .agent, sudo: .nopasswd))
        two.appServers.nodes.append(Node(name: "node03", host: "app3"))
        var one = now
        one.hosts.append(two.hosts.last!)
        one.appServers.nodes = [Node(name: "node01", host: "app1")]
        let purged = ClusterCore.Installed.retirement(installed: two, answers: one, purge: true)
        #expect(purged.first == "This run retires node02 (on app2), node03 (on app3): the balancer stops sending them requests, then each is stopped and disabled at boot and its folder removed.")
        #expect(purged.dropFirst().first == "Database accounts dropped for app2, app3; the shared folder is unmounted there.")
        #expect(ClusterCore.Installed.addedNodes(installed: installed, answers: two).map(\.name) == ["node03"])
        #expect(ClusterCore.Installed.addedNodes(installed: nil, answers: two).isEmpty)
    }
}
