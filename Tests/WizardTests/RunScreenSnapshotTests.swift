import ClusterCore
@testable import ClusterEngine
import Foundation
import TermUI
import TestSupport
import Testing
@testable import Wizard

/// The Run page and its failure dialog as an operator sees them, at 80x24 and 120x40.
@Suite struct RunScreenSnapshotTests {
    func shot(_ page: RunScreen, _ name: String, width: Int, height: Int, theme: Theme = .monochrome(),
              sourceLocation: SourceLocation = #_sourceLocation) {
        var p = page
        p.area = RunFixtures.area(width: width, height: height)
        assertSnapshot(RunFixtures.frame(p, width: width, height: height, theme: theme), named: name,
                       sourceLocation: sourceLocation)
    }

    @Test func twoHosts() {
        let page = RunFixtures.midInstall(RunFixtures.twoHosts)
        shot(page, "run-2hosts-80x24", width: 80, height: 24)
        shot(page, "run-2hosts-120x40", width: 120, height: 40)
    }

    @Test func eightHosts() {
        var page = RunFixtures.midInstall(RunFixtures.eightHosts)
        _ = page.handle(.char("4"))
        shot(page, "run-8hosts-80x24", width: 80, height: 24)
        shot(page, "run-8hosts-120x40", width: 120, height: 40)
    }

    @Test func eightHostsSplit() {
        var page = RunFixtures.midInstall(RunFixtures.eightHosts, layout: .split)
        _ = page.handle(.char("3"))
        shot(page, "run-8hosts-split-80x24", width: 80, height: 24)
        shot(page, "run-8hosts-split-120x40", width: 120, height: 40)
    }

    @Test func stepListFocused() {
        var page = RunFixtures.midInstall(RunFixtures.twoHosts)
        _ = page.handle(.tab)
        _ = page.handle(.up)
        shot(page, "run-2hosts-steps-80x24", width: 80, height: 24)
    }

    @Test func failureDialog() {
        let page = RunFixtures.midInstall(RunFixtures.twoHosts, failing: true)
        #expect(page.failure != nil)
        shot(page, "run-failure-80x24", width: 80, height: 24)
        shot(page, "run-failure-120x40", width: 120, height: 40)
    }

    @Test func failureDialogSkipRefused() {
        var page = RunFixtures.midInstall(RunFixtures.eightHosts, failing: true)
        let r = page.handle(.char("s"))
        #expect(r == .none)
        shot(page, "run-failure-skip-refused-80x24", width: 80, height: 24)
    }

    @Test func failureLaterThenFinished() {
        var page = RunFixtures.midInstall(RunFixtures.twoHosts, failing: true)
        _ = page.handle(.escape)
        let plan = RunFixtures.plan(RunFixtures.twoHosts)
        let failed = page.failureQueue
        page.apply(.runFinished(RunSummary(outcomes: [], remaining: plan.steps.map(\.id), stopped: false, duration: .seconds(199))))
        #expect(failed.count == 1)
        shot(page, "run-failed-waiting-80x24", width: 80, height: 24)
    }

    @Test func finished() {
        let answers = RunFixtures.twoHosts
        let plan = RunFixtures.plan(answers)
        var page = RunScreen(plan: plan, hosts: answers.hosts, stateDir: RunFixtures.stateDir)
        page.apply(.runStarted(PlanSummary(plan: plan), answersHash: nil))
        var outcomes: [StepOutcome] = []
        for (i, step) in plan.steps.enumerated() {
            page.tick(elapsed: .seconds(Int64(i * 20)))
            page.apply(.stepStarted(stepID: step.id, host: step.host, phase: .apply))
            page.apply(RunFixtures.output(step.id, step.host, "done: \(step.title)"))
            let e = RunFixtures.finished(step, .done, seconds: 19.5)
            page.apply(e)
            if case .stepFinished(let o) = e { outcomes.append(o) }
        }
        page.tick(elapsed: .seconds(600))
        page.apply(.runFinished(RunSummary(outcomes: outcomes, remaining: [], stopped: false, duration: .seconds(600))))
        #expect(page.succeeded)
        shot(page, "run-finished-80x24", width: 80, height: 24)
    }

    @Test func asciiTheme() {
        let page = RunFixtures.midInstall(RunFixtures.twoHosts, failing: true)
        shot(page, "run-failure-ascii-80x24", width: 80, height: 24, theme: .monochrome(symbols: .ascii))
    }

    @Test func quitAsks() {
        var page = RunFixtures.midInstall(RunFixtures.twoHosts)
        #expect(page.handle(.f(10)) == .none)
        shot(page, "run-quit-80x24", width: 80, height: 24)
        #expect(page.handle(.left) == .none)
        #expect(page.handle(.enter) == .run(.stopAndQuit))
    }
}
