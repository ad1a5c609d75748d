import ClusterCore
import ClusterEngine
import Foundation
import TestSupport
import Testing
import TermUI
@testable import Wizard

/// The screens of an installed cluster at 80x24 and 120x40: the Welcome page, the Review with node02
/// taken out of the answers (and its question), and "Check for changes".
/// Record with RECORD_SNAPSHOTS=1, then read the files in Snapshots/.
@Suite("Day two snapshots")
struct DayTwoSnapshotTests {
    static let sizes: [(Int, Int)] = [(80, 24), (120, 40)]

    /// A harness whose state folder records `DayTwoTests.installed` as installed.
    func harness(_ w: Int, _ h: Int, startup: Bool = false) throws -> WizardHarness {
        let dir = WizardHarness.tempDir()
        try FileManager.default.createDirectory(atPath: dir + "/state", withIntermediateDirectories: true)
        try AnswersFile.save(DayTwoTests.withoutNode02, to: dir + "/state/answers.yaml")
        try Data(AnswersFile.encode(DayTwoTests.installed).utf8).write(to: URL(fileURLWithPath: dir + "/state/installed.yaml"))
        return WizardHarness(width: w, height: h, answers: DayTwoTests.withoutNode02, dir: dir, startup: startup)
    }

    @Test(arguments: sizes) func welcome(_ w: Int, _ h: Int) throws {
        let x = try harness(w, h, startup: true)
        #expect(x.state.welcome.options.first == .changeCluster)
        assertSnapshot(x.screen.screen, named: "daytwo-welcome-\(w)x\(h)")
    }

    @Test(arguments: sizes) func reviewWithARetiredNode(_ w: Int, _ h: Int) throws {
        let x = try harness(w, h)
        x.jumpToReview()
        #expect(x.text.contains("This run retires node02 (on lb)"))
        assertSnapshot(x.screen.screen, named: "daytwo-review-retire-\(w)x\(h)")
    }

    @Test func theQuestionBeforeRetiring() throws {
        let x = try harness(80, 24)
        x.jumpToReview()
        x.send(.char("i"))
        #expect(x.text.contains("Retire node02?"))
        assertSnapshot(x.screen.screen, named: "daytwo-review-retire-question-80x24")
    }

    @Test(arguments: sizes) func checkForChanges(_ w: Int, _ h: Int) throws {
        let plan = try Planner.plan(DayTwoTests.withoutNode02, installed: DayTwoTests.installed)
        var findings: [DriftFinding] = []
        for step in plan.steps {
            let verdict: DriftVerdict
            switch step.id {
            case _ where step.check == nil: verdict = step.readOnly ? .probe : .alwaysRuns
            case _ where step.host == "lb": verdict = .notChecked("localhost: cannot connect: no SSH server answered on port 22223")
            case "app.server-xml@app1#node01": verdict = .wouldChange("/opt/joget/node01/conf/server.xml differs from the plan")
            case "app.start@app1#node01": verdict = .wouldChange("node01 was started before its configuration last changed")
            case "retire.db-account@app1#lb": verdict = .wouldChange("the account joget@localhost still exists")
            default: verdict = .inPlace
            }
            findings.append(DriftFinding(stepID: step.id, host: step.host, verdict: verdict))
        }
        var page = DriftScreen(plan: plan)
        page.apply(.started)
        page.tick(elapsed: .seconds(3))
        page.apply(.finished(DriftReport(findings: DriftReport.markDependencies(findings, plan: plan))))
        var s = AppState(answers: DayTwoTests.withoutNode02, installed: DayTwoTests.installed)
        s.size = Size(width: w, height: h)
        s.page = .hosted(.changes)
        s.changes = ChangesPage(screen: page)
        var b = Buffer(width: w, height: h)
        AppView.render(s, into: &b, theme: .monochrome())
        assertSnapshot(b, named: "daytwo-check-\(w)x\(h)")
    }
}
