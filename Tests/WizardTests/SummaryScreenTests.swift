import ClusterCore
@testable import ClusterEngine
import Foundation
import TermUI
import TestSupport
import Testing
@testable import Wizard

@Suite struct SummaryScreenTests {
    static func page(_ a: Answers) -> SummaryScreen {
        let plan = RunFixtures.plan(a)
        let run = RunSummary(outcomes: plan.steps.enumerated().map { i, s in
            StepOutcome(stepID: s.id, host: s.host, status: i % 5 == 0 ? .alreadyDone : .done) }, remaining: [], stopped: false,
                             duration: .seconds(725))
        let checks = VerifyReport.checks(for: a, token: "t")
        let verify = checks.map { CheckOutcome(id: $0.id, layer: $0.layer, title: $0.title, verdict: .pass("ok"), duration: .seconds(1)) }
        var row = LicenseRow(node: a.appServers.nodes[0].name, host: a.appServers.nodes[0].host, address: "10.0.0.11", port: 8080,
                             at: RunFixtures.epoch)
        row.status = .keyRecorded
        return SummaryScreen(answers: a, stateDir: "/root/.local/state/joget-cluster/\(a.cluster)", run: run,
                             probes: plan.readOnlyStepIDs, verify: verify,
                             licenses: [row], defaultStateDir: "/root/.local/state/joget-cluster/\(a.cluster)")
    }

    @Test func snapshots() {
        for (a, tag) in [(RunFixtures.twoHosts, "2hosts"), (RunFixtures.eightHosts, "8hosts")] {
            var p = Self.page(a)
            for (w, h) in [(80, 24), (120, 40)] {
                p.area = RunFixtures.area(width: w, height: h)
                assertSnapshot(RunFixtures.frame(p, width: w, height: h), named: "summary-\(tag)-\(w)x\(h)")
            }
        }
    }

    @Test func scrollsAndGoesOn() {
        var p = Self.page(RunFixtures.eightHosts)
        p.area = RunFixtures.area(width: 80, height: 24)
        #expect(p.handle(.end) == .none)
        let b = RunFixtures.frame(p, width: 80, height: 24)
        #expect(b.text.contains("joget-cluster licenses"))
        #expect(p.handle(.enter) == .next)
        #expect(p.handle(.escape) == .back)
        let text = p.entries.map { "\($0)" }.joined(separator: "\n")
        #expect(text.contains("http://joget.example.com/jw"))
        #expect(text.contains("node05"), "one line per node to activate")
    }

    /// The last Verify is kept in the state folder (0600): the Summary reached through the license
    /// page, or opened days later, still says what it proved and when.
    @Test func lastVerifyIsReadFromTheStateFolder() throws {
        let root = NSTemporaryDirectory() + "summary-verify-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let a = RunFixtures.twoHosts
        let dir = try StateDir(path: root)
        try StateDir.makePrivateDirectory(root)
        let context = HostedContext(answers: a, secrets: SecretValues(), plan: RunFixtures.plan(a), stateDirectory: root,
                                    knownHostsFile: root + "/known_hosts", resume: false)
        func text() -> String { SummaryScreen(context: context).entries.map { "\($0)" }.joined(separator: "\n") }
        #expect(!text().contains("Verify"), "no Verify row before any ran")

        let checks = VerifyReport.checks(for: a, token: "t")
        var outcomes = checks.map { CheckOutcome(id: $0.id, layer: $0.layer, title: $0.title, verdict: .pass("ok"), duration: .milliseconds(250)) }
        outcomes[1].verdict = .fail("answered nothing")
        let record = VerifyRecord(outcomes: outcomes, time: Date(timeIntervalSince1970: 1_790_000_000))
        try record.save(to: dir)
        #expect(VerifyRecord.load(from: dir) == record)
        let mode = try FileManager.default.attributesOfItem(atPath: dir.verifyPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(text().contains("1 of \(outcomes.count) checks failed: \(outcomes[1].title) (\(SummaryScreen.localTime(record.time)))"))

        // Checks not run are told apart from failures, in the file and on the page.
        outcomes[2].verdict = .notRun("cannot log in to app2")
        try VerifyRecord(outcomes: outcomes, time: record.time).save(to: dir)
        #expect(text().contains("1 of \(outcomes.count) checks failed: \(outcomes[1].title); 1 not run: \(outcomes[2].title) ("))
        outcomes[1].verdict = .pass("ok")
        try VerifyRecord(outcomes: outcomes, time: record.time).save(to: dir)
        #expect(text().contains("1 of \(outcomes.count) checks not run: \(outcomes[2].title) ("))
        #expect(!text().contains("all \(outcomes.count) checks passed"))
    }

    /// The port shows only when it is not the scheme's own.
    @Test func balancerURL() {
        var a = RunFixtures.twoHosts
        #expect(Layout.balancerURL(in: a) == "http://joget.example.com/jw")
        a.loadBalancer.serverName = ""
        #expect(Layout.balancerURL(in: a) == "http://10.0.0.5/jw")
        a.loadBalancer.httpPort = 8080
        #expect(Layout.balancerURL(in: a) == "http://10.0.0.5:8080/jw")
        a.loadBalancer.tls = .init(certificate: "/c", key: "/k", httpsPort: 8443)
        #expect(Layout.balancerURL(in: a) == "https://10.0.0.5:8443/jw")
        a.loadBalancer.tls = .init(certificate: "/c", key: "/k", httpsPort: 443)
        #expect(Layout.balancerURL(in: a) == "https://10.0.0.5/jw")
        a.loadBalancer.serverName = "fe80::1"
        #expect(Layout.balancerURL(in: a) == "https://[fe80::1]/jw")
    }
}
