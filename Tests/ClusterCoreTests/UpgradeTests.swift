import Foundation
import Testing
@testable import ClusterCore

/// Day two: Joget upgraded (or rolled back) on every node, safe or rolling.
@Suite struct UpgradeTests {
    /// The fixture moved to a new bundle, and the upgrade from its installed one.
    static func upgraded(_ a: Answers, to version: String, mode: Upgrade.Mode) -> (Answers, Upgrade) {
        var b = a
        b.appServers.bundle = a.appServers.bundle.replacingOccurrences(of: "8.1.6", with: version)
        let u = Upgrade(fromBundle: a.appServers.bundle, toBundle: b.appServers.bundle, fromSource: a.bundleOnHosts,
                        toSource: b.bundleOnHosts, fromVersion: "8.1.6", toVersion: version, mode: mode, startedAt: "now")
        return (b, u)
    }

    static func plan(_ name: String, _ mode: Upgrade.Mode) throws -> (Answers, Plan) {
        let a = Fixtures.all.first { $0.0 == name }!.1
        let (b, u) = upgraded(a, to: mode == .safe ? "8.2.0" : "8.1.7", mode: mode)
        return (b, try Planner.plan(b, installed: a, upgrade: u))
    }

    static let cases: [(String, Upgrade.Mode)] = Fixtures.all.map(\.0).flatMap { [($0, .safe), ($0, .rolling)] }

    @Test func versionsAreReadFromNamesAndModesChosenByThem() {
        #expect(Upgrade.version(inName: "/srv/joget-enterprise-linux-8.1.6.tar.gz") == "8.1.6")
        #expect(Upgrade.version(inName: "joget-enterprise-linux-8.1.7") == "8.1.7")
        #expect(Upgrade.version(inName: "joget-dx8-large-enterprise-linux-8.0.10.zip") == "8.0.10")
        #expect(Upgrade.version(inName: "joget-custom.tar.gz") == nil)
        #expect(Upgrade.version(inName: "joget-8.1-beta.tar.gz") == nil)
        #expect(Upgrade.defaultMode(from: "8.1.6", to: "8.1.7", nodes: 2) == .rolling)
        #expect(Upgrade.defaultMode(from: "8.1.7", to: "8.1.6", nodes: 2) == .rolling)
        #expect(Upgrade.defaultMode(from: "8.1.6", to: "8.2.0", nodes: 2) == .safe)
        #expect(Upgrade.defaultMode(from: "7.0.34", to: "8.1.6", nodes: 2) == .safe)
        #expect(Upgrade.defaultMode(from: "8.1.6", to: "8.1.7", nodes: 1) == .safe)
        #expect(Upgrade.defaultMode(from: "unknown", to: "8.1.7", nodes: 3) == .safe)
        #expect(Upgrade.refusal(.rolling, from: "8.1.6", to: "8.2.0", nodes: 2)?.contains("minor") == true)
        #expect(Upgrade.refusal(.rolling, from: "8.1.6", to: "8.1.7", nodes: 1)?.contains("two nodes") == true)
        #expect(Upgrade.refusal(.rolling, from: "8.1.6", to: "8.1.7", nodes: 2) == nil)
        #expect(Upgrade.refusal(.safe, from: "7.0", to: "8.1.7", nodes: 1) == nil)
    }

    @Test(arguments: cases)
    func stepsComeAfterWhatTheyNeed(_ name: String, _ mode: Upgrade.Mode) throws {
        let (_, plan) = try Self.plan(name, mode)
        PlanOrderTests.expectUniqueIDsAndDependenciesEarlier(plan)
        #expect(plan.steps.contains { $0.layer == .upgrade })
    }

    @Test(arguments: Fixtures.all.map(\.0))
    func safeStopsEveryNodeBehindTheMaintenancePageBeforeTheFirstStarts(_ name: String) throws {
        let (a, plan) = try Self.plan(name, .safe)
        let lb = a.loadBalancer.host
        let on = try #require(plan.step("upgrade.maintenance-on@\(lb)"))
        let off = try #require(plan.step("upgrade.maintenance-off@\(lb)"))
        #expect(on.dependsOn.contains("lb.site@\(lb)"))
        for host in a.appHosts { #expect(on.dependsOn.contains("hosts.bundle@\(host)"), "the bundle is staged before the downtime") }
        let first = a.appServers.nodes[0]
        let firstStart = PlanOrderTests.closure(plan, "app.start@\(first.host)#\(first.name)")
        for node in a.appServers.nodes {
            let swap = "upgrade.swap@\(node.host)#\(node.name)"
            #expect(plan.step(swap)?.dependsOn == [on.id])
            #expect(firstStart.contains(swap), "the first node starts only once \(node.name) is stopped")
            #expect(plan.step("app.install@\(node.host)#\(node.name)")?.dependsOn.contains(swap) == true)
            #expect(off.dependsOn.contains("app.start@\(node.host)#\(node.name)"))
        }
        #expect(plan.step("lb.apache@\(lb)")?.dependsOn.contains(off.id) == true)
        #expect(firstStart.contains("upgrade.shared-agent@\(first.host)"), "the shared agent is the new one before the first start")
        let page = on.apply.display
        #expect(page.contains("RedirectMatch 503 ^/jw(/.*)?$") && page.contains("Retry-After"))
        #expect(!page.contains("ProxyPass /jw balancer"), "the maintenance site sends nothing to the nodes")
        #expect(off.apply.display.contains("ProxyPass /jw balancer://cluster/jw"))
        #expect(off.apply.display.contains("downtime: "))
    }

    @Test(arguments: Fixtures.all.map(\.0))
    func rollingTakesOneNodeOutAtATime(_ name: String) throws {
        let (a, plan) = try Self.plan(name, .rolling)
        let lb = a.loadBalancer.host
        var previousUndrain: String?
        for node in a.appServers.nodes {
            let drain = try #require(plan.step("upgrade.drain@\(lb)#\(node.name)"))
            let undrain = try #require(plan.step("upgrade.undrain@\(lb)#\(node.name)"))
            if let previousUndrain { #expect(drain.dependsOn == [previousUndrain], "\(node.name) goes out only once the one before is back") }
            let site = drain.apply.display
            #expect(!site.contains("route=\(node.name) "), "the balancer is reloaded without \(node.name)")
            #expect(a.appServers.nodes.filter { $0 != node }.allSatisfy { site.contains("route=\($0.name) ") })
            let back = PlanOrderTests.closure(plan, undrain.id)
            for need in ["upgrade.swap@\(node.host)#\(node.name)", "app.install@\(node.host)#\(node.name)",
                         "app.start@\(node.host)#\(node.name)", "upgrade.rejoin@\(node.host)#\(node.name)"] {
                #expect(back.contains(need), "\(node.name) is back in the balancer only after \(need)")
            }
            previousUndrain = undrain.id
        }
        #expect(plan.step("lb.apache@\(lb)")?.dependsOn.contains(previousUndrain!) == true)
        let first = a.appServers.nodes[0]
        let agent = try #require(plan.step("upgrade.shared-agent@\(first.host)"))
        #expect(agent.dependsOn.contains("upgrade.swap@\(first.host)#\(first.name)"))
        #expect(PlanOrderTests.closure(plan, "app.start@\(first.host)#\(first.name)").contains(agent.id))
        #expect(!plan.steps.contains { $0.id.hasPrefix("upgrade.maintenance") })
    }

    @Test func theSwapSetsTheFolderAsideByVersionAndPutsBackAKeptOne() throws {
        let (a, plan) = try Self.plan("two-node", .rolling)
        let node = a.appServers.nodes[0]
        let swap = try #require(plan.step("upgrade.swap@\(node.host)#\(node.name)")).apply.display
        #expect(swap.contains("aside=/opt/joget/\(node.name).8.1.6"))
        #expect(swap.contains("kept=/opt/joget/\(node.name).8.1.7"))
        #expect(swap.contains("want=/opt/joget/.bundle/joget-enterprise-linux-8.1.7.tar.gz"))
    }

    @Test func reviewSaysWhatTheRunDoesToJoget() {
        let a = Fixtures.twoNode
        #expect(Upgrade.sentence(installed: a, answers: a) == nil)
        let (patch, _) = Self.upgraded(a, to: "8.1.7", mode: .rolling)
        #expect(Upgrade.sentence(installed: a, answers: patch)?.hasPrefix("This run upgrades Joget from 8.1.6 to 8.1.7, node by node") == true)
        let (minor, _) = Self.upgraded(a, to: "8.2.0", mode: .safe)
        #expect(Upgrade.sentence(installed: a, answers: minor)?.contains("maintenance page") == true)
    }

    @Test func aRollbackGoesBackTheSameWay() {
        let (_, u) = Self.upgraded(Fixtures.twoNode, to: "8.1.7", mode: .rolling)
        let back = u.rollback(startedAt: "later")
        #expect(back.isRollback && back.mode == .rolling)
        #expect(back.fromVersion == "8.1.7" && back.toVersion == "8.1.6")
        #expect(back.toSource == u.fromSource && back.fromBundle == u.toBundle)
        #expect(back.title == "rollback 8.1.7 → 8.1.6 (rolling)")
    }

    @Test(arguments: cases)
    func everyUpgradeScriptParses(_ name: String, _ mode: Upgrade.Mode) throws {
        let (_, plan) = try Self.plan(name, mode)
        let dir = try Run.tempDir("sh-n-upgrade")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let secrets = Fixtures.secrets(plan, value: PlanScriptTests.hostile[0])
        for step in plan.steps where step.layer == .upgrade {
            for (role, script) in Fixtures.scripts(step) {
                let path = "\(dir)/\(step.id.replacingOccurrences(of: "/", with: "_"))-\(role).sh"
                try Data(try script.executable(with: secrets).utf8).write(to: URL(fileURLWithPath: path))
                let r = try Run.program("/bin/sh", ["-n", path])
                #expect(r.status == 0, "sh -n rejects the \(role) script of \(step.id): \(r.output)")
            }
        }
    }

    @Test func theAnswersFileKeepsEverythingButTheBundle() throws {
        let text = """
            # my cluster
            cluster: lab
            appServers:
              # the bundle we run
              bundle: /srv/joget-enterprise-linux-8.1.6.tar.gz   # kept?
              nodes:
                - name: node01
                  host: app1
            hosts:
              - name: app1
                address: 10.0.0.1
                user: root
                sudo: root
            """
        let edited = try #require(AnswersFileEdit.settingBundle("/srv/new \"x\"/joget-enterprise-linux-8.1.7.tar.gz", in: text))
        #expect(edited.contains("# my cluster") && edited.contains("# the bundle we run"))
        #expect(try AnswersFile.decode(edited).appServers.bundle == "/srv/new \"x\"/joget-enterprise-linux-8.1.7.tar.gz")
        #expect(edited.components(separatedBy: "\n").count == text.components(separatedBy: "\n").count)
        // Two bundle lines, or none, are not guessed at.
        #expect(AnswersFileEdit.settingBundle("/x.tar.gz", in: text.replacingOccurrences(of: "  bundle: /srv/joget-enterprise-linux-8.1.6.tar.gz   # kept?\n", with: "")) == nil)
        #expect(AnswersFileEdit.settingBundle("/x\n.tar.gz", in: text) == nil)
    }
}
