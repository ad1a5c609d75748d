import ClusterCore
import ClusterEngine
import Foundation
import Synchronization
import TermUI
import Testing
@testable import Wizard

/// An install service that runs nothing: it records what the runtime asked of it.
final class FakeRun: RunWork {
    let calls = Mutex<[String]>([])
    var log: [String] { calls.withLock { $0 } }
    func start() { calls.withLock { $0.append("start") } }
    func retry(_ stepID: String) { calls.withLock { $0.append("retry:\(stepID)") } }
    func skip(_ stepID: String) { calls.withLock { $0.append("skip:\(stepID)") } }
    func stop() { calls.withLock { $0.append("stop") } }
    func close() async { calls.withLock { $0.append("close") } }
}

/// A page service (checks, dry run, backup) that runs nothing.
final class FakeVerify: PageWork {
    let calls = Mutex<[String]>([])
    var log: [String] { calls.withLock { $0 } }
    func start() { calls.withLock { $0.append("start") } }
    func close() async { calls.withLock { $0.append("close") } }
}

/// The Run and Verify pages driven only by messages, over fake services: what the service posts
/// reaches the page, what the page asks comes out as work for the service.
@Suite("Pages run by services")
struct ServicePagesTests {
    static let plan = Plan(steps: [
        Step(id: "files.a@a", layer: .sharedFiles, host: "a", title: "Mount", check: nil, apply: "true"),
        Step(id: "db.b@a", layer: .database, host: "a", title: "Database", check: nil, apply: "true", optional: true),
    ])

    static func outcome(_ id: String, _ status: StepStatus) -> RunEvent {
        .stepFinished(StepOutcome(stepID: id, host: "a", status: status, exitCode: 1, duration: .milliseconds(200),
                                  check: .failed, attempt: 1, fromJournal: false, endedAt: RunFixtures.epoch))
    }

    func runRuntime(_ run: FakeRun, pager: Bool = false) -> AppRuntime {
        let services = AppServices(run: { _, _ in (RunScreen(plan: Self.plan, stateDir: RunFixtures.stateDir), run) },
                                   verify: AppServices.none.verify, pagerAvailable: { pager })
        let runtime = AppRuntime(state: AppState(), backend: HeadlessScreen(width: 100, height: 30), services: services)
        runtime.sendsTime = false
        runtime.open(.run)
        return runtime
    }

    @Test func runFailureRetrySkipAndStopGoToTheService() throws {
        let run = FakeRun()
        let x = runRuntime(run)
        #expect(run.log == ["start"])
        #expect(x.state.run?.busy == true)

        x.inbox.post(run: .runStarted(PlanSummary(plan: Self.plan), answersHash: nil))
        x.inbox.post(run: .stepStarted(stepID: "files.a@a", host: "a", phase: .apply))
        x.inbox.post(run: RunFixtures.output("files.a@a", "a", "cannot mount"))
        x.inbox.post(run: Self.outcome("files.a@a", .failed("exit 1")))
        x.handle(.tick)
        #expect(x.state.run?.screen.failure?.stepID == "files.a@a")
        #expect(x.state.run?.screen.logLines(host: "a").contains("cannot mount") == true)

        x.handle(.key(.enter))   // Retry
        #expect(run.log.last == "retry:files.a@a")
        x.inbox.post(run: Self.outcome("db.b@a", .failed("exit 2")))
        x.handle(.tick)
        x.handle(.key(.char("s")))   // optional: skipped
        #expect(run.log.last == "skip:db.b@a")

        // Stop and quit: the service is told to stop; the app leaves only once it is idle.
        x.handle(.key(.f(10)))
        x.handle(.key(.left))
        x.handle(.key(.enter))
        #expect(run.log.last == "stop")
        #expect(!x.state.done && x.state.run?.quitting == true)
        x.inbox.post(.run(.idle))
        x.handle(.tick)
        #expect(x.state.done)
    }

    @Test func aFloodArrivesAsOneBatchPerDrain() throws {
        let x = runRuntime(FakeRun())
        x.inbox.post(run: .stepStarted(stepID: "files.a@a", host: "a", phase: .apply))
        for i in 0..<30_000 { x.inbox.post(run: RunFixtures.output("files.a@a", "a", "line \(i)")) }
        let messages = x.inbox.drain()
        #expect(messages.count == 1)
        guard case .run(.events(let events, let leftOut))? = messages.first else {
            Issue.record("not one batch: \(messages)")
            return
        }
        // Bounded per host: the newest lines are kept, the rest counted.
        let kept = events.reduce(0) { n, e in if case .output(let b) = e { n + b.lines.count } else { n } }
        #expect(kept + leftOut["a", default: 0] == 30_000)
        var s = x.state
        _ = App.update(&s, messages[0])
        #expect(s.run?.screen.linesLeftOut == leftOut["a", default: 0])
        #expect(s.run?.screen.logLinesReceived(host: "a") ?? 0 >= kept)
    }

    @Test func aLogOpensInThePageWithoutAPagerAndInThePagerWithOne() {
        let x = runRuntime(FakeRun())
        x.inbox.post(run: .stepStarted(stepID: "files.a@a", host: "a", phase: .apply))
        x.handle(.tick)
        var s = x.state
        let path = RunFixtures.stateDir.logPath(host: "a", stepID: "files.a@a")
        #expect(App.update(&s, .key(.char("o"))).map(\.name) == ["run:log:\(path)"])
        x.handle(.key(.char("o")))
        #expect(x.state.run?.screen.viewer?.path == path)

        let y = runRuntime(FakeRun(), pager: true)
        y.inbox.post(run: .stepStarted(stepID: "files.a@a", host: "a", phase: .apply))
        y.handle(.tick)
        var t = y.state
        #expect(App.update(&t, .key(.char("o"))).map(\.name) == ["pager:\(path)"])
    }

    @Test func leavingTheRunPageClosesItsService() async {
        let run = FakeRun()
        let x = runRuntime(run)
        var s = x.state
        let effects = App.goBack(&s)
        #expect(effects.map(\.name) == ["run:close", "plan"])
        #expect(s.run == nil && s.page == .review)
        x.replaceState(s)
        x.perform(effects)
        await x.settle()
        #expect(run.log == ["start", "close"])
    }

    @Test func aRunThatCannotStartSaysWhy() {
        let x = AppRuntime(state: AppState(), backend: HeadlessScreen(width: 80, height: 24))
        x.open(.run)
        #expect(x.state.run?.problem?.hasPrefix("The install cannot start: no install service") == true)
        #expect(x.state.run?.legend.map(\.key) == ["Esc"])
    }

    @Test func verifyChecksAgainThroughTheService() async {
        let verify = FakeVerify()
        let services = AppServices(run: AppServices.none.run, verify: { _, _ in ([], verify) }, pagerAvailable: { false })
        let x = AppRuntime(state: AppState(), backend: HeadlessScreen(width: 100, height: 30), services: services)
        x.open(.verify)
        #expect(verify.log == ["start"])
        let rows = [VerifyScreen.Row(id: "app.hostname@node01", layer: .appServers, title: "node01: host name")]
        x.inbox.post(.verify(.events([.started(rows)])))
        x.handle(.tick)
        #expect(x.state.verify?.screen.rows.count == 1 && x.state.verify?.screen.phase == .running)
        x.inbox.post(.verify(.events([.finished])))
        x.handle(.tick)
        #expect(x.state.verify?.screen.phase == .finished)
        x.handle(.key(.char("r")))
        #expect(verify.log == ["start", "start"])
        x.handle(.key(.escape))
        await x.settle()
        #expect(verify.log == ["start", "start", "close"])
        #expect(x.state.page == .review && x.state.verify == nil)
    }

    @Test func aBackupsLinesAndEndArriveAsMessagesAndEscStopsIt() async {
        let backup = FakeVerify()
        let services = AppServices(run: AppServices.none.run, verify: AppServices.none.verify,
                                   backup: { _, _ in ("/state/backups", backup) }, pagerAvailable: { false })
        let x = AppRuntime(state: AppState(), backend: HeadlessScreen(width: 100, height: 30), services: services)
        x.open(.backup)
        #expect(backup.log == ["start"])
        #expect(x.state.backup?.legend.first?.action == "Stop and go back")
        x.inbox.post(.backup(.line("dumping the database on app1")))
        x.handle(.tick)
        #expect(x.state.backup?.view.lines == ["dumping the database on app1"])
        x.inbox.post(.backup(.ended(.done("/state/backups/2026-12-04"))))
        x.handle(.tick)
        #expect(x.state.backup?.view.state == .done("/state/backups/2026-12-04"))
        x.handle(.key(.escape))
        await x.settle()
        #expect(backup.log == ["start", "close"])
        #expect(x.state.page == .welcome && x.state.backup == nil)
    }

    @Test func checkForChangesAgainThroughTheService() async {
        let drift = FakeVerify()
        let plan = Self.plan
        let services = AppServices(run: AppServices.none.run, verify: AppServices.none.verify,
                                   changes: { _, _ in (plan, drift) }, pagerAvailable: { false })
        let x = AppRuntime(state: AppState(), backend: HeadlessScreen(width: 100, height: 30), services: services)
        x.open(.changes)
        x.inbox.post(.changes(.events([.started, .finished(DriftReport(findings: []))])))
        x.handle(.tick)
        #expect(x.state.changes?.screen.status.0.isEmpty == false)
        x.handle(.key(.char("r")))
        #expect(drift.log == ["start", "start"])
        x.handle(.key(.escape))
        await x.settle()
        #expect(drift.log == ["start", "start", "close"])
        #expect(x.state.page == .welcome)
    }

    /// Notes are filed under the node they come paired with, never by the node names in their words.
    /// The license page of two nodes, on screen, with its checklist.
    func licenseState() -> (AppState, LicensePage, LicenseChecklist) {
        let a = LicenseFixtures.answers(nodes: 2)
        let checklist = LicenseChecklist(answers: a, at: LicenseFixtures.at(days: 1))
        var s = AppState(answers: a)
        s.page = .hosted(.licenses)
        let page = LicensePage(checklist: checklist, stateDirectory: "/state", comeBack: "joget-cluster licenses",
                               mode: .inFlow, timeZone: LicenseFixtures.utc)
        return (s, page, checklist)
    }

    @Test func licenseNotesGoUnderTheirOwnNode() {
        var (s, page, checklist) = licenseState()
        _ = App.update(&s, .licenses(.opened(page)))
        _ = App.update(&s, .licenses(.finished(.init(kind: .open, checklist: checklist, notes: [], failure: nil))))
        _ = App.update(&s, .key(.char("r")))
        let notes = [LicenseNote("node02", "node01: mentioned, but this is node02's"),
                     LicenseNote(node: "node01", line: "node01 system key: refused"),
                     LicenseNote(node: nil, line: "node02: about no node")]
        _ = App.update(&s, .licenses(.finished(.init(kind: .refresh, checklist: checklist, notes: notes, failure: nil))))
        #expect(s.licenses?.seen["node02"] == ["node01: mentioned, but this is node02's"])
        #expect(s.licenses?.seen["node01"] == ["node01 system key: refused"])

        // A check of node01 files only node01's notes: node02's stay as the refresh left them.
        _ = App.update(&s, .licenses(.finished(.init(kind: .verify("node01"), checklist: checklist,
                                                     notes: [LicenseNote("node02", "x"), LicenseNote("node01", "activated")],
                                                     failure: nil))))
        #expect(s.licenses?.seen["node01"] == ["activated"])
        #expect(s.licenses?.seen["node02"] == ["node01: mentioned, but this is node02's"])
        #expect(s.licenses?.message == "node01: activated")
    }

    /// The license page by messages alone: the test stands in for the license service.
    @Test func licenseWorkGoesOutAsEffectsAndComesBackAsMessages() {
        var (s, page, checklist) = licenseState()
        #expect(App.update(&s, .licenses(.opened(page))).map(\.name) == ["licenses:open"])
        #expect(s.licenses?.running == 1)
        _ = App.update(&s, .licenses(.finished(.init(kind: .open, checklist: checklist, notes: [], failure: nil))))
        #expect(s.licenses?.running == 0)

        // r: read every node, as work for the service; its progress and outcome come back as messages.
        #expect(App.update(&s, .key(.char("r"))).map(\.name) == ["licenses:refresh"])
        _ = App.update(&s, .licenses(.progress("node01: reading MAC")))
        #expect(s.licenses?.progress == "node01: reading MAC")
        _ = App.update(&s, .licenses(.finished(.init(kind: .refresh, checklist: checklist,
                                                     notes: [LicenseNote("node01", "could not read the node: offline")], failure: nil))))
        #expect(s.licenses?.progress == nil)
        #expect(s.licenses?.message?.contains("1 could not be") == true)
        #expect(s.licenses?.seen["node01"] == ["could not read the node: offline"])

        // e: the export, with its path.
        #expect(App.update(&s, .key(.char("e"))).map(\.name) == ["licenses:export(\"/state/licenses.md\")"])

        // n: on to the Summary; the service is closed.
        let next = App.update(&s, .key(.char("n")))
        #expect(next.map(\.name).first == "licenses:close")
        #expect(s.page == .hosted(.summary) && s.licenses == nil)
    }
}
