import ClusterCore
import ClusterEngine
import Foundation
import Testing
import TermUI
@testable import Wizard

/// Changing an installed cluster in the wizard: the Welcome page's choices, the Review's changes and
/// its question before a node is retired, and the "Check for changes" page, through the pure `update`.
@Suite("Day two in the wizard")
struct DayTwoTests {
    /// What the earlier install left: the small example, node01 on app1 and node02 on lb.
    static var installed: Answers { Example.small }

    /// The answers now: node02 taken out (lb keeps the balancer).
    static var withoutNode02: Answers {
        var a = Example.small
        a.appServers.nodes.removeAll { $0.name == "node02" }
        return a
    }

    /// Hosted pages that stand in for the real ones (nothing is started).
    static let placeholders = HostedPages([
        .run: { _ in PlaceholderPage(page: .run) },
        .changes: { _ in PlaceholderPage(page: .changes) },
    ])

    func state(_ answers: Answers = withoutNode02, installed: Answers? = installed, unfinished: Bool = false,
               given: Bool = false) -> AppState {
        let dir = WizardHarness.tempDir()
        return AppState(config: AppConfig(stateDirectory: dir + "/state", environment: ["HOME": dir]), answers: answers,
                        savedAnswers: !given, givenAnswers: given, unfinishedInstall: unfinished, installed: installed,
                        hostedPages: Self.placeholders)
    }

    /// The Review with its plan built against `installed`, as the runtime would build it.
    func review(_ s: inout AppState) throws {
        let effects = App.enter(&s, .review)
        #expect(effects.map(\.name) == ["plan"])
        let plan = try Planner.plan(s.model.answers, installed: s.installed)
        _ = App.update(&s, .planBuilt(.success(plan), installed: s.installed))
    }

    // MARK: Welcome

    @Test func welcomeOffersChangeAndCheckOnlyForAFinishedInstall() {
        #expect(state().welcome.options == [.changeCluster, .checkChanges, .backup, .startOver, .licenses])
        #expect(state(given: true).welcome.options == [.goThroughAnswers, .checkChanges, .backup, .startOver, .licenses])
        // An unfinished run comes first: resume it.
        #expect(state(unfinished: true).welcome.options == [.resume, .reviewAnswers, .startOver, .licenses])
        // Nothing installed yet: as before.
        #expect(state(installed: nil).welcome.options == [.continueAnswers, .startOver, .licenses])
    }

    @Test func changeThisClusterOpensTheHostsPageWithTheSavedAnswers() {
        var s = state()
        let effects = App.update(&s, .key(.enter))
        #expect(effects.isEmpty)
        #expect(s.page == .setup(0))
        #expect(s.model.answers == Self.withoutNode02)
        // Something missing: that page first.
        var a = Self.withoutNode02
        a.database.host = ""
        var t = state(a)
        _ = App.update(&t, .key(.enter))
        #expect(t.page == .setup(2))
    }

    @Test func checkForChangesAsksWhatTheChecksNeedThenOpensAndEscGoesBackToWelcome() throws {
        var s = state()
        _ = App.update(&s, .key(.down))
        #expect(s.welcome.selectedOption == .checkChanges)
        _ = App.update(&s, .key(.enter))
        // The passwords of the checks and logins of the plan that retires node02, and no others.
        let plan = try Planner.plan(Self.withoutNode02, installed: Self.installed)
        let needed = InstallSession.checkSecrets(of: plan) { Self.installed.host(named: $0) }.sorted()
        #expect(!needed.isEmpty)
        guard case .secret(let prompt)? = s.dialog else { Issue.record("no password prompt: \(String(describing: s.dialog))"); return }
        #expect(prompt.then == .changes)
        #expect(prompt.pending == needed)
        #expect(prompt.dialog.message.hasPrefix("The checks need"))
        for _ in needed {
            for c in "pw" { _ = App.update(&s, .key(.char(c))) }
            _ = App.update(&s, .key(.enter))
        }
        #expect(s.dialog == nil)
        #expect(s.page == .hosted(.changes))
        #expect(s.stepText == "Check for changes")
        _ = App.update(&s, .key(.escape))
        #expect(s.page == .welcome)
        #expect(s.hosted == nil)
    }

    @Test func backUpAsksWhatTheBackupNeedsThenOpensAndEscGoesBackToWelcome() {
        var s = state()
        _ = App.update(&s, .key(.down))
        _ = App.update(&s, .key(.down))
        #expect(s.welcome.selectedOption == .backup)
        _ = App.update(&s, .key(.enter))
        let needed = Backup.neededSecrets(Self.withoutNode02).sorted()
        if !needed.isEmpty {
            guard case .secret(let prompt)? = s.dialog else { Issue.record("no password prompt: \(String(describing: s.dialog))"); return }
            #expect(prompt.then == .backup)
            #expect(prompt.pending == needed)
            #expect(prompt.dialog.message.hasPrefix("The backup needs"))
            for _ in needed {
                for c in "pw" { _ = App.update(&s, .key(.char(c))) }
                _ = App.update(&s, .key(.enter))
            }
        }
        #expect(s.dialog == nil)
        #expect(s.page == .hosted(.backup))
        #expect(s.stepText == "Backup")
        _ = App.update(&s, .key(.escape))
        #expect(s.page == .welcome)
    }

    @Test func checkForChangesWithIncompleteAnswersSaysWhy() {
        var a = Self.withoutNode02
        a.loadBalancer.serverName = ""
        var s = state(a)
        _ = App.update(&s, .key(.down))
        _ = App.update(&s, .key(.enter))
        #expect(s.dialog?.dialog.title == "Not ready to check")
        #expect(s.page == .review)
    }

    // MARK: Review

    @Test func thePlanBuiltBringsWhatIsInstalledToTheReview() throws {
        var s = state(installed: nil)
        try review(&s)
        #expect(s.review.installed == nil)
        let plan = try Planner.plan(Self.withoutNode02, installed: Self.installed)
        _ = App.update(&s, .planBuilt(.success(plan), installed: Self.installed))
        #expect(s.installed == Self.installed)
        #expect(s.review.installed == Self.installed)
        #expect(s.review.plan?.steps.contains { $0.id == "retire.node@lb#node02" } == true)
        #expect(s.review.retiringNodes.map(\.name) == ["node02"])
    }

    @Test func installAsksBeforeRetiringAndEscStaysOnTheReview() throws {
        var s = state()
        s.model.secrets[SecretName("db-password")] = "pw"
        try review(&s)
        _ = App.update(&s, .key(.char("i")))
        #expect(s.page == .review)
        #expect(s.review.confirmsRetirement)
        let d = try #require(s.review.dialog)
        #expect(d.title == "Retire node02?")
        #expect(d.message.hasPrefix(Installed.retirement(installed: Self.installed, answers: Self.withoutNode02, purge: false)[0]))
        #expect(s.review.legend.map(\.key) == ["Enter", "Esc"])
        _ = App.update(&s, .key(.escape))
        #expect(s.review.dialog == nil && !s.review.confirmsRetirement)
        #expect(s.page == .review && s.hosted == nil)
        // The Install row asks too; Enter says yes.
        while s.review.selected < s.review.rows.count - 1 { _ = App.update(&s, .key(.down)) }
        _ = App.update(&s, .key(.enter))
        #expect(s.review.dialog?.title == "Retire node02?")
        _ = App.update(&s, .key(.enter))
        Self.passTheCheck(&s)
        #expect(s.page == .hosted(.run))
    }

    @Test func installWithoutRetirementDoesNotAsk() throws {
        var s = state(Self.installed)
        s.model.secrets[SecretName("db-password")] = "pw"
        try review(&s)
        _ = App.update(&s, .key(.char("i")))
        #expect(s.review.dialog == nil)
        Self.passTheCheck(&s)
        #expect(s.page == .hosted(.run))
    }

    /// Install checks the hosts first: keys all known, then a checkup with nothing failed.
    static func passTheCheck(_ s: inout AppState) {
        #expect(s.page == .hosted(.check))
        _ = App.update(&s, .checkup(.keys([])))
        _ = App.update(&s, .checkup(.line(ReviewCheckTests.line(.pass, "app1: SSH login"))))
        _ = App.update(&s, .checkup(.finished))
    }

    @Test func theChangesInWords() {
        let retirement = Installed.retirement(installed: Self.installed, answers: Self.withoutNode02, purge: false)
        #expect(retirement == [
            "This run retires node02 (on lb): the balancer stops sending it requests, then it is stopped and disabled at boot; its folder is kept (--purge removes it).",
            "Database account dropped for lb; the shared folder is unmounted there.",
        ])
        #expect(ReviewPage.changes(installed: Self.installed, answers: Self.withoutNode02).map { $0.text } == retirement)
        #expect(ReviewPage.changes(installed: Self.installed, answers: Self.installed).map { $0.text } == ["No node added or retired."])
        #expect(ReviewPage.changes(installed: nil, answers: Self.installed).isEmpty)

        // node03 added on a new host, node02 retired, lb left with no role (the balancer moved to app1).
        var now = Self.withoutNode02
        now.hosts.append(Host(name: "app3", address: "10.0.0.3", user: "admin", auth: .agent, sudo: .nopasswd))
        now.appServers.nodes.append(Node(name: "node03", host: "app3"))
        now.loadBalancer.host = "app1"
        let changes = ReviewPage.changes(installed: Self.installed, answers: now)
        #expect(changes.map { $0.text } == [
            "This run adds node03 (on app3): it is installed, then the balancer sends it requests too.",
            "This run retires node02 (on lb): the balancer stops sending it requests, then it is stopped and disabled at boot; its folder is kept (--purge removes it).",
            "Database account dropped for lb; the shared folder is unmounted there.",
            "lb has no role left: nothing else is changed there.",
        ])
        #expect(changes.map { $0.role } == [.ok, .warning, .warning, .warning])
        // No node changes, but a host without a role: said so.
        var moved = Self.withoutNode02
        moved.loadBalancer.host = "app1"
        #expect(ReviewPage.changes(installed: Self.withoutNode02, answers: moved).map { $0.text }
                == ["No node added or retired.", "lb has no role left: nothing else is changed there."])
    }

    @Test func theReviewShowsTheChangesOnlyOnceInstalled() throws {
        var s = state(installed: nil)
        try review(&s)
        var b = Buffer(width: 80, height: 24)
        AppView.render(s, into: &b, theme: .monochrome())
        #expect(!b.text.contains("Changes to the installed cluster"))
        var t = state(Self.installed)
        try review(&t)
        b = Buffer(width: 80, height: 24)
        AppView.render(t, into: &b, theme: .monochrome())
        #expect(b.text.contains("Changes to the installed cluster"))
        #expect(b.text.contains("No node added or retired."))
    }

    // MARK: Check for changes

    @Test func theCheckListsHostsNotCheckedFirstThenEachChangeWithItsReason() throws {
        let plan = try Planner.plan(Self.withoutNode02, installed: Self.installed)
        var page = DriftScreen(plan: plan)
        page.apply(.started)
        var findings: [DriftFinding] = []
        for step in plan.steps {
            let verdict: DriftVerdict
            if step.check == nil { verdict = step.readOnly ? .probe : .alwaysRuns }
            else if step.host == "lb" { verdict = .notChecked("lb: cannot connect: no SSH server answered on port 22223") }
            else if step.id == "retire.db-account@app1#lb" { verdict = .wouldChange("the account joget@localhost still exists") }
            else { verdict = .inPlace }
            findings.append(DriftFinding(stepID: step.id, host: step.host, verdict: verdict))
        }
        // Live: what is heard so far.
        page.apply(contentsOf: findings.reversed().prefix(3).map(DriftEvent.finding))
        if case .checking = page.phase {} else { Issue.record("not checking") }
        #expect(page.checked == 3)
        page.apply(contentsOf: findings.map(DriftEvent.finding))
        let lbChecked = plan.steps.filter { $0.host == "lb" && $0.check != nil }.count
        #expect(page.entries == [
            .init(changes: false, host: "lb", what: "\(lbChecked) steps", reason: "lb: cannot connect: no SSH server answered on port 22223"),
            .init(changes: true, host: "app1", what: plan.step("retire.db-account@app1#lb")!.title,
                  reason: "the account joget@localhost still exists"),
        ])
        let report = DriftReport(findings: DriftReport.markDependencies(findings, plan: plan))
        page.apply(.finished(report))
        #expect(page.status.0 == report.summary + ".")
        #expect(page.status.1 == .error)
        var b = Buffer(width: 80, height: 21)
        page.render(b.area, into: &b, theme: .monochrome())
        #expect(b.text.contains("not checked   lb    \(lbChecked) steps"))
        #expect(b.text.contains("would change  app1  Drop the database account"))

        #expect(page.handle(.char("r")) == .checkAgain)
        #expect(page.handle(.escape) == .back)
        #expect(page.handle(.char("q")) == .ignored)
        // Checked again: the list starts anew.
        page.apply(.started)
        #expect(page.entries.isEmpty && page.checked == 0)
        page.apply(.finished(DriftReport(findings: [])))
        b = Buffer(width: 80, height: 21)
        page.render(b.area, into: &b, theme: .monochrome())
        #expect(b.text.contains("Nothing would change"))
    }

    @Test func aCheckThatCannotStartSaysWhy() {
        var page = DriftScreen(plan: Plan(steps: []))
        page.apply(.failed("another joget-cluster run is using /x; wait for it to end (or stop it) and try again"))
        #expect(page.status.0.hasPrefix("Not checked: another joget-cluster run"))
        #expect(page.status.1 == .error)
    }
}

/// The backup page's view, at 80x24: the folder and the restore command whole, then the progress.
@Suite struct BackupViewTests {
    @Test func doneShowsTheWholeFolderAndRestoreCommandAboveTheProgress() {
        let folder = "/home/operator/.local/state/joget-cluster/production-eu/backups/production-eu-20261204-211145"
        let view = BackupView(folder: "/home/operator/.local/state/joget-cluster/production-eu/backups",
                              lines: ["database.sql.gz: 1.4 KiB in 0.8 s, copied at 6.1 KiB/s", "wflow.tar.gz: 3.0 KiB in 0.8 s, copied at 15.4 KiB/s"],
                              state: .done(folder))
        var buffer = Buffer(size: Size(width: 80, height: 24))
        view.render(Rect(x: 0, y: 0, width: 80, height: 24), into: &buffer, theme: Theme.monochrome())
        // A path longer than the screen is broken across lines: compared without the breaks.
        let text = buffer.lines().map { $0.trimmingCharacters(in: .whitespaces) }.joined().replacingOccurrences(of: " ", with: "")
        #expect(text.contains("Done:" + folder))
        #expect(text.contains("Restoreitwith:joget-clusterrestore" + folder))
        #expect(text.contains("wflow.tar.gz:3.0KiBin0.8s,copiedat15.4KiB/s"))
        let lines = buffer.lines()
        let restore = lines.lastIndex { $0.contains("joget-cluster restore") } ?? 99
        let progress = lines.firstIndex { $0.contains("database.sql.gz") } ?? -1
        #expect(progress > restore, "the progress comes below the head, not over it")
    }
}
