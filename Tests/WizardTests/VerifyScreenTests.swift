import ClusterCore
@testable import ClusterEngine
import Foundation
import TermUI
import TestSupport
import Testing
@testable import Wizard

/// The Verify page (snapshots with passes and fails, keys), the headless line format, and real
/// checks over a local shell where one is broken on purpose.
@Suite struct VerifyScreenTests {
    static func outcome(_ check: ClusterCheck, passed: Bool, evidence: String, ms: Int64 = 420) -> CheckOutcome {
        CheckOutcome(id: check.id, layer: check.layer, title: check.title,
                     verdict: Verdict(passed: passed, evidence: evidence), duration: .milliseconds(ms))
    }

    /// Checks of the two-host answers: all pass but the sticky-session check and one database login.
    static func page(finished: Bool, upTo: Int? = nil) -> VerifyScreen {
        let checks = VerifyReport.checks(for: RunFixtures.twoHosts, token: "tok123")
        var page = VerifyScreen(checks: checks)
        page.apply(.started(checks.map { VerifyScreen.Row(id: $0.id, layer: $0.layer, title: $0.title) }))
        for (i, c) in checks.enumerated().prefix(upTo ?? checks.count) {
            switch c.id {
            case "db.reach@app1":
                page.apply(.outcome(outcome(c, passed: false, evidence:
                    "login as joget to 10.0.0.5:3306 failed: ERROR 1045 (28000): Access denied for user 'joget'@'10.0.0.11' (using password: YES)")))
            case "lb.sticky":
                page.apply(.outcome(outcome(c, passed: false, evidence: "requests with route .node01 were served by node02: sticky sessions are not working")))
            default:
                page.apply(.outcome(outcome(c, passed: true, evidence: "evidence for \(c.id) number \(i)")))
            }
        }
        if finished { page.apply(.finished) }
        return page
    }

    func shot(_ page: VerifyScreen, _ name: String, width: Int, height: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        var p = page
        p.area = RunFixtures.area(width: width, height: height)
        assertSnapshot(RunFixtures.frame(p, width: width, height: height), named: name, sourceLocation: sourceLocation)
    }

    @Test func snapshots() {
        shot(Self.page(finished: true), "verify-80x24", width: 80, height: 24)
        shot(Self.page(finished: true), "verify-120x40", width: 120, height: 40)
        shot(Self.page(finished: false, upTo: 3), "verify-running-80x24", width: 80, height: 24)
        var p = Self.page(finished: true)
        p.area = RunFixtures.area(width: 80, height: 24)
        let i = p.rows.firstIndex { $0.id == "db.reach@app1" }!
        for _ in 0..<i { _ = p.handle(.down) }
        _ = p.handle(.enter)
        #expect(p.detail != nil)
        shot(p, "verify-evidence-80x24", width: 80, height: 24)
    }

    @Test func keysAndCounts() {
        var p = Self.page(finished: true)
        #expect(p.failed == 2 && p.passed == p.rows.count - 2)
        #expect(p.title == "Verify: 2 checks failed")
        #expect(p.handle(.char("r")) == .checkAgain)
        #expect(p.handle(.char("n")) == .next)
        #expect(p.handle(.escape) == .back)
        _ = p.handle(.tab)
        #expect(p.focus == .buttons)
        #expect(p.handle(.enter) == .next, "Next is focused first")
        _ = p.handle(.left)
        #expect(p.handle(.enter) == .checkAgain)
        // A new run clears the rows.
        p.apply(.started(p.rows.map { VerifyScreen.Row(id: $0.id, layer: $0.layer, title: $0.title) }))
        #expect(p.done == 0 && p.phase == .running && p.current == 0)
    }

    /// Checks whose probes could not run are neither passed nor failed: their own word and icon, their
    /// own count, and the reason where the evidence goes.
    @Test func notRunRows() {
        var p = Self.page(finished: false)
        for id in ["app.hostname@app1", "files.mounted@app1"] {
            let c = p.rows.first { $0.id == id }!
            p.apply(.outcome(CheckOutcome(id: c.id, layer: c.layer, title: c.title,
                                          verdict: .notRun("the probe on app1 could not run: app1: unknown host key"), duration: .zero)))
        }
        p.apply(.finished)
        #expect(p.notRun == 2 && p.failed == 2 && p.passed == p.rows.count - 4)
        #expect(p.title == "Verify: 2 checks failed")
        var q = p
        for i in q.rows.indices where q.rows[i].outcome?.verdict.failed == true {
            q.rows[i].outcome?.verdict = .pass("fixed")
        }
        #expect(q.title == "Verify: 2 checks not run")
        shot(p, "verify-notrun-80x24", width: 80, height: 24)
        p.area = RunFixtures.area(width: 80, height: 24)
        let text = RunFixtures.frame(p, width: 80, height: 24).text
        #expect(text.contains("NOT RUN") && text.contains("2 not run"))
        for _ in 0..<p.rows.firstIndex(where: { $0.id == "files.mounted@app1" })! { _ = p.handle(.down) }
        _ = p.handle(.enter)
        #expect(p.detail?.lines.contains("Result:   NOT RUN in 0.0s") == true, "\(p.detail?.lines ?? [])")
    }

    /// A host that cannot be logged in to is one row of its own at the top, before the checks it
    /// keeps from running; its line says so once.
    @Test func loginRows() {
        var p = Self.page(finished: false, upTo: 0)
        let first = p.rows[0].id
        for host in ["app1", "app2"] {
            p.apply(.outcome(CheckOutcome(id: Verifier.loginID(host), layer: .hosts, title: "\(host): cannot log in",
                                          verdict: .notRun("unknown host key ED25519 SHA256:abc"), duration: .milliseconds(30))))
        }
        #expect(p.rows.prefix(3).map(\.id) == ["login@app1", "login@app2", first])
        #expect(p.notRun == 2 && p.current == 2)
        let o = p.rows[0].outcome!
        #expect(VerifyReport.line(o) == "NOT RUN  app1: cannot log in  — unknown host key ED25519 SHA256:abc")
    }

    @Test func headlessLines() {
        let c = VerifyReport.checks(for: RunFixtures.twoHosts, token: "t")[0]
        #expect(VerifyReport.line(Self.outcome(c, passed: true, evidence: "mounted from /dev/x")) == "PASS  \(c.title)  — mounted from /dev/x")
        let failed = Self.outcome(c, passed: false, evidence: "a\nb")
        #expect(VerifyReport.line(failed) == "FAIL  \(c.title)  — a / b")
        #expect(VerifyReport.exitCode([failed]) == 1)
        #expect(VerifyReport.exitCode([]) == 0)
        #expect(VerifyReport.summary([failed]) == "0 of 1 checks passed; failed: \(c.id)")
        let passed = Self.outcome(c, passed: true, evidence: "")
        var unrun = Self.outcome(c, passed: true, evidence: "")
        unrun.id = "app.hostname@app1"
        unrun.verdict = .notRun("cannot log in to app1")
        #expect(VerifyReport.line(unrun) == "NOT RUN  \(c.title)  — cannot log in to app1")
        #expect(VerifyReport.exitCode([passed, unrun]) == 4, "none failed, one not run")
        #expect(VerifyReport.exitCode([failed, unrun]) == 1, "a failure wins")
        #expect(VerifyReport.exitCode([passed]) == 0)
        #expect(VerifyReport.summary([passed, failed, unrun]) == "1 of 3 checks passed; failed: \(c.id); not run: app.hostname@app1")
        // The catalina.out path is the planner's layout.
        let members = VerifyReport.checks(for: RunFixtures.eightHosts, token: "t").first { $0.id == "app.members@node02" }
        #expect(members != nil)
        #expect(Layout.catalinaOut(of: RunFixtures.eightHosts.appServers.nodes[1], in: RunFixtures.eightHosts)
                == "/opt/joget/node02/logs/catalina.out")
    }

    /// Real probes through a local shell: an app server whose shared directory is a mount point
    /// passes; one pointed at a plain folder (broken on purpose) fails, saying why.
    @Test func aBrokenCheckFailsWithItsEvidence() async throws {
        var good = RunFixtures.twoHosts
        good.hosts = [ClusterCore.Host(name: "app1", address: "127.0.0.1", user: "root", auth: .local, sudo: .root)]
        good.appServers.nodes = [Node(name: "node01", host: "app1")]
        good.appServers.serviceUser = "root"
        good.sharedFiles.mountPoint = "/proc"          // a mount point root can write? no: only "mounted" is asked below
        var broken = good
        let folder = NSTemporaryDirectory() + "jc-verify-notmounted-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        broken.sharedFiles.mountPoint = folder

        let state = try StateDir(path: folder + "/state")
        try StateDir.makePrivateDirectory(state.path)
        let verifier = Verifier(secrets: SecretValues(), timeout: .seconds(20), record: state) { _ in LocalTransport(name: "app1") }
        func mountCheck(_ a: Answers) -> [ClusterCheck] { VerifyReport.checks(for: a).filter { $0.id == "files.mounted@app1" } }
        let lines = Locked<[String]>([])
        let outcomes = await VerifyReport.run(mountCheck(good) + mountCheck(broken), verifier: verifier) { line in
            lines.withLock { $0.append(line) }
        }
        #expect(outcomes.count == 2)
        // /proc is a mount point: the first check gets past "mounted" (it may still fail on writing, as root cannot write /proc).
        #expect(!(outcomes[0].verdict.evidence.contains("is not a mount point")))
        #expect(!outcomes[1].verdict.passed)
        #expect(outcomes[1].verdict.evidence.contains("\(folder) is not a mount point on app1"))
        #expect(lines.withLock { $0 }.last?.hasPrefix("FAIL  app1: shared directory mounted and writable  — \(folder) is not a mount point") == true)
        #expect(VerifyReport.exitCode(outcomes) == 1)
        // The run is recorded for the Summary, verdicts and evidence as shown.
        let record = try #require(VerifyRecord.load(from: state))
        #expect(record.outcomes.map(\.verdict) == outcomes.map(\.verdict))
    }

    /// The controller feeds the page progressively, then `verify-again` runs the checks anew.
    @Test func controllerFeedsThePage() async throws {
        var answers = RunFixtures.twoHosts
        answers.hosts = [ClusterCore.Host(name: "app1", address: "127.0.0.1", user: "root", auth: .local, sudo: .root)]
        answers.appServers.nodes = [Node(name: "node01", host: "app1")]
        let verifier = Verifier(secrets: SecretValues(), timeout: .seconds(20)) { _ in LocalTransport(name: "app1") }
        let fixed = answers
        let controller = VerifyController(verifier: verifier) {
            VerifyReport.checks(for: fixed).filter { $0.id.hasPrefix("app.hostname") || $0.id.hasPrefix("files.mounted") }
        }
        var page = VerifyScreen(checks: controller.checks)
        #expect(page.rows.count == 2 && page.phase == .waiting)
        controller.start()
        let clock = ContinuousClock()
        let end = clock.now + .seconds(30)
        while page.phase != .finished && clock.now < end {
            controller.drain(into: &page)
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(page.phase == .finished && page.done == 2)
        #expect(controller.perform(page.handle(.char("r"))))
        controller.drain(into: &page)
        #expect(page.phase == .running)
        await controller.close()
    }
}
