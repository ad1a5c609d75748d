import ClusterCore
import Foundation
import Testing
import TermUI
@testable import Wizard

@Suite("App update")
struct AppUpdateTests {
    /// Welcome → Hosts, list focused, a new host's editor open.
    func openNewHost(_ h: WizardHarness) {
        h.send(.enter)            // New install
        #expect(h.state.page == .setup(0))
        h.send(.tab)              // cluster name → host list
        h.send(.char("a"))        // add a host: its editor opens
        #expect(h.setupPage?.itemEditor != nil)
    }

    @Test func invalidAddressShowsErrorBesideFieldAndNextIsRefused() {
        let h = WizardHarness()
        openNewHost(h)
        h.type("app1")
        h.send(.tab)
        h.type("999.1.1.1")
        h.send(.tab)
        let error = h.setupPage?.itemEditor?.form["hosts[].address"]?.error
        #expect(error?.contains("\"999.1.1.1\"") == true)
        // Drawn on the Address row, right of the input box, and in full on the message line.
        let row = h.line(containing: "Address")
        #expect(row?.contains("[999.1.1.1") == true)
        #expect(row?.contains("\"999.1.1.1\" is not") == true)
        #expect(h.text.contains("Address: \"999.1.1.1\" is not an IP address or a DNS name"))
        // The bad value never reached the answers.
        #expect(h.state.model.answers.hosts[0].address == "")

        // Back to the list (the typed text is kept), then Next: refused.
        h.send(.escape)
        h.send(.tab)              // list → buttons
        h.send(.enter)            // Next
        #expect(h.state.page == .setup(0))
        #expect(h.setupPage?.message?.contains("Address") == true)
        #expect(h.line(containing: "app1")?.contains("!") == true)

        // Correct it: reopen the row, the draft is still there; fix the address.
        h.send(.enter)            // edit the selected host
        #expect(h.setupPage?.itemEditor?.form.value("hosts[].address") == "999.1.1.1")
        h.setupPageFocus("hosts[].address")
        h.send(.ctrl("u"))
        h.type("10.0.0.5")
        h.send(.tab)
        #expect(h.setupPage?.itemEditor?.form["hosts[].address"]?.error == nil)
        #expect(h.state.model.answers.hosts[0].address == "10.0.0.5")
        #expect(!h.text.contains("is not an IP address"))
    }

    @Test func escGoesBackWithoutLosingInput() {
        var a = Example.small
        a.database.name = "jwedb"
        let h = WizardHarness(answers: a)
        h.send(.enter)                        // Continue where you left off: everything is complete → review
        h.runtime.apply(.key(.escape))        // review → load balancer
        h.send(.escape, .escape)              // → app servers → database
        #expect(h.state.page == .setup(2))
        h.setupPageFocus("database.name")
        h.send(.ctrl("u"))
        h.type("bad name!")                   // invalid: stays a draft
        h.send(.escape)                       // back to shared files
        #expect(h.state.page == .setup(1))
        h.send(.tab, .tab, .tab, .tab, .tab)  // to the buttons
        h.goNext()
        #expect(h.state.page == .setup(2))
        #expect(h.setupPage?.fields.form.value("database.name") == "bad name!")
        #expect(h.setupPage?.fields.form["database.name"]?.error?.contains("\"bad name!\"") == true)
        #expect(h.state.model.answers.database.name == "jwedb")
        // A valid change is kept in the answers when going back and forth.
        h.setupPageFocus("database.name")
        h.send(.ctrl("u"))
        h.type("jw_prod")
        h.send(.escape)
        h.goNext()
        #expect(h.setupPage?.fields.form.value("database.name") == "jw_prod")
        #expect(h.state.model.answers.database.name == "jw_prod")
    }

    @Test func quitAndRestartKeepsEveryAnswer() throws {
        let dir = WizardHarness.tempDir()
        let first = WizardHarness(dir: dir)
        openNewHost(first)
        first.type("app1"); first.send(.tab)
        first.type("10.0.0.5"); first.send(.tab)
        first.send(.ctrl("u")); first.type("admin"); first.send(.tab)
        first.send(.escape)                    // back to the list
        first.send(.backTab)                   // cluster name
        first.send(.ctrl("u")); first.type("prod")
        first.send(.tab)
        first.send(.f(10))
        #expect(first.text.contains("Quit? Your answers are kept."))
        first.send(.left, .enter)              // Quit
        #expect(first.state.done)
        let saved = first.state.model.answers
        #expect(saved.cluster == "prod")
        #expect(saved.hosts.first?.user == "admin")

        let second = WizardHarness(dir: dir, startup: true)
        #expect(second.state.model.answers == saved)
        #expect(second.text.contains("Continue where you left off"))
        second.send(.enter)
        // Continue opens the first page with something missing: hosts are complete, shared files are not.
        #expect(second.state.page == .setup(1))
        second.send(.escape)
        #expect(second.state.page == .setup(0))
        #expect(second.text.contains("10.0.0.5"))
    }

    @Test func passwordsNeverReachTheAnswersFile() throws {
        let h = WizardHarness()
        openNewHost(h)
        h.type("app2"); h.send(.tab)
        h.type("10.0.0.6"); h.send(.tab, .tab, .tab)
        h.send(.right, .right)                 // Login with: agent → key → password
        #expect(h.setupPage?.itemEditor?.form["hosts[].sshPassword"] != nil)
        h.send(.tab)
        h.type("Pw-s3cret!x")
        h.send(.tab)
        #expect(h.state.model.secrets[SecretName("ssh-app2")] == "Pw-s3cret!x")
        #expect(h.text.contains("•••••••••••"))
        #expect(!h.text.contains("Pw-s3cret"))
        h.send(.escape)
        // Database password on the database page.
        h.jump(to: 2)
        h.setupPageFocus("database.password")
        h.type("Db-s3cret!y")
        h.send(.tab)
        #expect(h.state.model.secrets[SecretName("db-password")] == nil, "kept once typed twice")
        h.type("Db-s3cret!y")
        h.send(.tab)
        #expect(h.state.model.secrets[SecretName("db-password")] == "Db-s3cret!y")
        let file = try String(contentsOfFile: h.answersPath, encoding: .utf8)
        #expect(file.contains("app2"))
        #expect(!file.contains("s3cret"))
        #expect(file.contains("passwordSecret: db-password"))
    }

    @Test func showIfHidesFieldsLive() {
        let h = WizardHarness(answers: Example.small)
        h.jump(to: 1)   // shared files
        #expect(h.setupPage?.fields.form["sharedFiles.server"] != nil)
        h.setupPageFocus("sharedFiles.provider")
        h.send(.right)  // nfs → existing
        #expect(h.state.model.answers.sharedFiles.provider == .existing)
        #expect(h.setupPage?.fields.form["sharedFiles.server"] == nil)
        #expect(!h.text.contains("NFS server"))
    }

    @Test func hostFieldsOfferTheHostNames() {
        let h = WizardHarness(answers: Example.small)
        h.jump(to: 4)   // load balancer
        #expect(h.line(containing: "Balancer host")?.contains("( ) app1  (•) lb") == true)
        h.setupPageFocus("loadBalancer.host")
        h.send(.left)
        #expect(h.state.model.answers.loadBalancer.host == "app1")
    }

    @Test func nextRunsTheValidatorAndFocusesTheFirstError() {
        var a = Example.small
        a.loadBalancer.serverName = ""
        let h = WizardHarness(answers: a)
        h.jump(to: 4)
        h.setupPageFocus("loadBalancer.host")
        h.goNext()
        #expect(h.state.page == .setup(4))
        #expect(h.setupPage?.fields.form.focusedID == "loadBalancer.serverName")
        #expect(h.line(containing: "Server name")?.contains("is required") == true)
    }

    @Test func reviewRefusesInstallWithTheReasonAndListsThePlan() {
        var a = Example.small
        a.database.host = ""
        let h = WizardHarness(answers: a)
        h.send(.enter)                      // continue: database is incomplete
        #expect(h.state.page == .setup(2))
        h.runtime.apply(.key(.escape))
        // Straight to the review through the hub key path.
        h.jumpToReview()
        #expect(h.text.contains("[!] 2 Shared database"))
        #expect(h.text.contains("[x] 1 Shared file directory"))
        h.send(.char("i"))
        #expect(h.text.contains("Not ready to install"))
        #expect(h.text.contains("Database host: no host is chosen"))
        h.send(.enter)
        // Open the database layer from the hub, fix it, Next returns to the review.
        h.send(.down, .down, .enter)
        #expect(h.state.page == .setup(2))
        h.setupPageFocus("database.host")
        h.send(.space)
        #expect(h.state.model.answers.database.host == "app1")
        h.goNext()
        #expect(h.state.page == .review)
        #expect(h.text.contains("[x] 2 Shared database"))
        #expect(h.text.contains("Plan:"))
        h.send(.char("i"))
        // The database password was never typed (answers only): it is asked before the run starts.
        #expect(h.text.contains("Password needed"))
        #expect(h.text.contains("The install needs db-password: the password of the database user joget"))
        #expect(h.state.page == .review)
        h.send(.enter)
        #expect(h.text.contains("db-password: empty. Type the password, or Esc to go back."))
        h.type("s3cret pw")
        #expect(!h.text.contains("s3cret"), "typed as stars")
        h.send(.enter)
        // A new database password: typed twice.
        #expect(h.text.contains("Type it again, the same."))
        h.type("s3cret pw")
        h.send(.enter)
        // The hosts are checked first (no checkup service here: nothing to check), then the run page.
        #expect(h.state.page == .hosted(.check))
        for _ in 0..<3 { h.runtime.waitForBackground() }
        if case .hosted(.run) = h.state.page {} else { Issue.record("install did not hand over to the run page") }
        #expect(h.state.model.secrets[SecretName("db-password")] == "s3cret pw")
    }

    @Test func thePasswordPromptGoesBackWithEsc() {
        let h = WizardHarness(answers: Example.small)
        h.jumpToReview()
        h.send(.char("i"))
        #expect(h.text.contains("Password needed"))
        h.send(.escape)
        #expect(h.state.page == .review)
        #expect(h.state.dialog == nil)
        #expect(h.state.model.secrets[SecretName("db-password")] == nil)
    }

    @Test func reviewShowsEveryRenderedFile() {
        let h = WizardHarness(answers: Example.small)
        h.jumpToReview()
        let review = h.state.review
        #expect(review.isComplete)
        let fileRow = review.rows.firstIndex { if case .file = $0 { true } else { false } }!
        for _ in 0..<fileRow { h.send(.down) }
        h.send(.enter)
        #expect(h.state.review.viewer != nil)
        let first = review.files[0]
        #expect(h.text.contains(first.host + ":" + first.path))
        let shortLine = first.text.split(separator: "\n").first { $0.count > 5 && $0.count < 60 } ?? ""
        #expect(h.text.contains(String(shortLine)))
        h.send(.escape)
        #expect(h.state.review.viewer == nil)
    }

    @Test func ctrlCAndQAskBeforeQuitting() {
        let h = WizardHarness()
        h.send(.char("q"))
        #expect(h.text.contains("Quit? Your answers are kept."))
        h.send(.escape)
        #expect(h.state.dialog == nil)
        h.send(.ctrl("c"))
        #expect(h.text.contains("Quit?"))
        h.send(.ctrl("c"))
        #expect(h.state.done)
    }

    @Test func qIsTextInsideAField() {
        let h = WizardHarness()
        h.send(.enter)
        h.send(.ctrl("u"))
        h.type("q")
        #expect(h.state.dialog == nil)
        #expect(h.setupPage?.fields.form.value("cluster") == "q")
    }

    @Test func f1ShowsTheFocusedFieldsHelp() {
        let h = WizardHarness(answers: Example.small)
        h.jump(to: 3)
        h.setupPageFocus("appServers.membership")
        h.send(.f(1))
        #expect(h.text.contains("multicast: nodes find each other"))
        h.send(.enter)
        #expect(h.state.dialog == nil)
    }
}

extension WizardHarness {
    /// Focuses a field of the page (or its open row editor) by id, as Tab would.
    func setupPageFocus(_ id: String) {
        guard case .setup(let i) = state.page else { return }
        var s = runtime.state
        if s.setup[i].itemEditor != nil {
            s.setup[i].itemEditor!.form.focus(id)
        } else {
            s.setup[i].focus = .form
            s.setup[i].fields.form.focus(id)
            s.setup[i].syncFocus()
        }
        runtime.replaceState(s)
        runtime.drawFrame()
    }

    /// Shows setup page `i` as the flow would.
    func jump(to i: Int) {
        var s = runtime.state
        let effects = App.enter(&s, .setup(i))
        runtime.replaceState(s)
        runtime.perform(effects)
        runtime.drainInbox()
        runtime.drawFrame()
    }

    func jumpToReview() {
        var s = runtime.state
        let effects = App.enter(&s, .review)
        runtime.replaceState(s)
        runtime.perform(effects)
        runtime.drainInbox()
        runtime.drawFrame()
    }

    /// The page's Next (its check runs).
    func goNext() {
        guard case .setup(let i) = state.page else { return }
        var s = runtime.state
        s.setup[i].focus = .buttons
        s.setup[i].buttons.focused = 1
        s.setup[i].syncFocus()
        runtime.replaceState(s)
        send(.enter)
    }
}
