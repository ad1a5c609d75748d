import ClusterCore
import Foundation
import Testing
import TermUI
import TestSupport
@testable import Wizard

/// The rough edges of a first try as a new user (issue 16), through messages and the headless screen.
@Suite("Rough edges")
struct RoughEdgesTests {
    /// The Database page with two problems: a bad database name, a bad user name.
    func databaseWithTwoProblems() -> WizardHarness {
        var a = Example.small
        a.database.user = "bad user"
        a.database.name = "bad name"
        let h = WizardHarness(answers: a)
        h.send(.enter)                        // Continue: the first page with something missing
        #expect(h.state.page == .setup(2))
        return h
    }

    @Test func errorSummaryFollowsTheFixes() {
        let h = databaseWithTwoProblems()
        for _ in 0..<8 where h.setupPage?.message == nil { h.send(.enter) }   // through the fields to Next
        #expect(h.state.page == .setup(2))
        #expect(h.setupPage?.message?.contains("(+1 more)") == true, "\(h.setupPage?.message ?? "nil")\n\(h.text)")
        // Fix the name: the summary no longer counts it.
        let form = h.setupPage!.fields.form
        while h.setupPage!.fields.form.focusedID != "database.name" { h.send(.tab) }
        #expect(form.fields.count > 3)
        h.send(.ctrl("u"))
        h.type("jwedb")
        h.send(.tab)
        #expect(h.state.model.answers.database.name == "jwedb")
        let message = h.setupPage?.message ?? ""
        #expect(!message.contains("more") && message.contains("App user"), "\(message)")
        #expect(h.setupPage?.fields.form["database.name"]?.error == nil)
        #expect(!h.text.contains("(+1 more)"))
        // Fix the user too: nothing is left to say.
        h.send(.ctrl("u"))
        h.type("joget")
        h.send(.tab)
        #expect(h.state.model.answers.database.user == "joget")
        #expect(h.setupPage?.message == nil)
        #expect(!h.text.contains("App user:"))
        #expect(!h.text.contains("✗"))
    }

    @Test func f10WhileTooSmallOpensNoDialog() {
        let h = WizardHarness()
        h.resize(60, 15)
        #expect(h.text.contains("Terminal too small"))
        h.send(.f(10))
        #expect(h.state.dialog == nil, "no dialog behind the notice")
        h.send(.char("?"))
        #expect(h.state.dialog == nil)
        h.send(.enter)
        #expect(h.state.page == .welcome, "no key acts on a page no one sees")
        h.resize(80, 24)
        #expect(!h.text.contains("Quit?"))
        h.send(.f(10))
        #expect(h.text.contains("Quit? Your answers are kept."))
        // Ctrl-C still leaves a screen too small to ask on.
        h.send(.enter)
        h.resize(60, 15)
        h.send(.ctrl("c"))
        #expect(h.state.done)
    }

    @Test func questionMarkOpensHelpWhereNoTextIsTyped() {
        // Welcome.
        let h = WizardHarness(answers: Example.small)
        h.send(.char("?"))
        if case .help? = h.state.dialog {} else { Issue.record("no help on Welcome") }
        h.send(.enter)
        #expect(h.state.dialog == nil)
        // A choice field (Engine on the Database page): help.
        var s = AppState(answers: Example.small)
        _ = App.enter(&s, .setup(2))
        _ = App.update(&s, .key(.char("?")))
        if case .help(let d)? = s.dialog { #expect(d.title == "Help: Engine") } else { Issue.record("no help on a choice") }
        _ = App.update(&s, .key(.enter))
        // A text field takes it as typed text.
        while s.setup[2].fields.form.focusedID != "database.name" { _ = App.update(&s, .key(.tab)) }
        _ = App.update(&s, .key(.char("?")))
        #expect(s.dialog == nil)
        #expect(s.setup[2].fields.form.value("database.name")?.hasSuffix("?") == true)
        // The list of hosts, and the Review.
        var t = AppState(answers: Example.small)
        _ = App.enter(&t, .setup(0))
        _ = App.update(&t, .key(.tab))
        _ = App.update(&t, .key(.char("?")))
        if case .help? = t.dialog {} else { Issue.record("no help on the host list") }
        _ = App.update(&t, .key(.enter))
        _ = App.enter(&t, .review)
        _ = App.update(&t, .key(.char("?")))
        if case .help? = t.dialog {} else { Issue.record("no help on the Review") }
    }

    @Test func questionMarkOpensHelpOnTheHostedPages() {
        var s = AppState(answers: Example.small)
        s.page = .hosted(.run)
        s.run = RunPage(screen: RunFixtures.midInstall(RunFixtures.twoHosts))
        _ = App.update(&s, .key(.char("?")))
        if case .help? = s.dialog {} else { Issue.record("no help on the Run page") }
        s.dialog = nil
        s.page = .hosted(.verify)
        s.run = nil
        s.verify = VerifyPage(screen: VerifyScreen(rows: []))
        _ = App.update(&s, .key(.char("?")))
        if case .help? = s.dialog {} else { Issue.record("no help on the Verify page") }
        s.dialog = nil
        s.page = .hosted(.licenses)
        s.licenses = LicensePage(checklist: LicenseChecklist(answers: Example.small, at: Date()), stateDirectory: "/state",
                                 comeBack: "joget-cluster licenses")
        _ = App.update(&s, .key(.char("?")))
        if case .help? = s.dialog {} else { Issue.record("no help on the license checklist") }
        s.dialog = nil
        s.page = .hosted(.summary)
        s.hosted = SummaryScreen(answers: Example.small, stateDir: "/state")
        _ = App.update(&s, .key(.char("?")))
        if case .help? = s.dialog {} else { Issue.record("no help on the Summary") }
    }

    @Test func aNewDatabasePasswordIsTypedTwiceOnThePage() {
        let h = WizardHarness(answers: Example.small)
        h.jump(to: 2)
        h.setupPageFocus("database.password")
        h.type("Db-pw-1")
        h.send(.tab)
        #expect(h.setupPage?.fields.form.focusedID == "database.password#again")
        h.type("Db-pw-2")
        h.send(.tab)
        #expect(h.state.model.secrets[SecretName("db-password")] == nil)
        #expect(h.text.contains("does not match the password above"))
        // Next refuses the page while they differ.
        h.goNext()
        #expect(h.state.page == .setup(2))
        h.setupPageFocus("database.password#again")
        h.send(.ctrl("u"))
        h.type("Db-pw-1")
        h.send(.tab)
        #expect(h.state.model.secrets[SecretName("db-password")] == "Db-pw-1")
        #expect(!h.text.contains("does not match"))
        h.goNext()
        #expect(h.state.page == .setup(3))
    }

    @Test func theInstallPromptAsksANewDatabasePasswordTwice() {
        var p = SecretPrompt(missing: [SecretName("db-password")], answers: Example.small, then: .run)
        for c in "one" { _ = p.handle(.char(c)) }
        #expect(p.handle(.enter) == .none)
        #expect(p.dialog.message.contains("Type it again"))
        for c in "two" { _ = p.handle(.char(c)) }
        #expect(p.handle(.enter) == .none)
        #expect(p.dialog.message.contains("The two passwords differ"))
        for c in "pw" { _ = p.handle(.char(c)) }
        _ = p.handle(.enter)
        for c in "pw" { _ = p.handle(.char(c)) }
        #expect(p.handle(.enter) == .entered(SecretName("db-password"), "pw"))
        // Once installed, the user exists: asked once.
        var again = SecretPrompt(missing: [SecretName("db-password")], answers: Example.small, installed: Example.small, then: .run)
        for c in "pw" { _ = again.handle(.char(c)) }
        #expect(again.handle(.enter) == .entered(SecretName("db-password"), "pw"))
    }

    @Test func aNewHostIsAUserWithSudoNotRoot() {
        let h = WizardHarness()
        h.send(.enter, .tab, .char("a"))
        let host = h.state.model.answers.hosts.first
        #expect(host?.user == "" && host?.sudo == .password)
        #expect(h.text.contains("Sudo password"))
        h.type("app1"); h.send(.tab)
        h.type("10.0.0.5"); h.send(.tab)
        h.type("root"); h.send(.tab)
        // Root over SSH needs no sudo: the choice follows the user.
        #expect(h.state.model.answers.hosts.first?.sudo == .root)
        #expect(!h.text.contains("Sudo password"))
        h.setupPageFocus("hosts[].user")
        h.send(.ctrl("u")); h.type("admin"); h.send(.tab)
        #expect(h.state.model.answers.hosts.first?.sudo == .password)
    }

    // MARK: Line mode and the commands, as the binary runs them

    @Test(.enabled(if: BuiltBinary.path != nil)) func plainThatRunsOutOfInputExitsNonZero() {
        let dir = WizardHarness.tempDir()
        let r = Program.run([BuiltBinary.path!, "--plain", "--state-dir", dir + "/state"], input: "lab\napp1\n",
                            environment: ["HOME": dir, "PATH": "/usr/bin:/bin"], mergeErrors: true)
        #expect(r.output.contains("Input ended"))
        #expect(r.status == 1, "\(r.output)")
    }

    @Test(.enabled(if: BuiltBinary.path != nil)) func licensesTableOnAClusterNeverInstalledSaysSo() throws {
        let dir = WizardHarness.tempDir()
        try AnswersFile.save(Example.small, to: dir + "/answers.yaml")
        let r = Program.run([BuiltBinary.path!, "licenses", "--table", "--answers", dir + "/answers.yaml", "--state-dir", dir + "/state"],
                            environment: ["HOME": dir, "PATH": "/usr/bin:/bin"], mergeErrors: true)
        #expect(r.status == 0)
        #expect(r.output.contains("Cluster lab is not installed yet"), "\(r.output)")
        #expect(r.output.contains("Community Edition does not"))
        #expect(!r.output.contains("key needed"))
    }

    @Test func plainGoesOnToVerifyTheChecklistAndTheSummary() async throws {
        let out = Lines()
        let follow = PlainFollowUp(verify: { out.add("PASS  a check"); return 1 },
                                   licenses: { out.add("node01  key needed") },
                                   summary: { SummaryScreen(answers: Example.small, stateDir: "/state").plainText() },
                                   write: { out.add($0) })
        let code = try await follow.run()
        #expect(code == 1, "a failed check is the exit status")
        let text = out.text
        let order = ["== Verify ==", "PASS  a check", "== License checklist ==", "node01  key needed", "== Summary ==",
                     "Joget cluster \"lab\" is installed."]
        var from = text.startIndex
        for part in order {
            guard let r = text.range(of: part, range: from..<text.endIndex) else { Issue.record("\(part) missing or out of order in\n\(text)"); return }
            from = r.upperBound
        }
    }
}

/// Text gathered from several tasks.
final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [String] = []
    func add(_ s: String) { lock.withLock { parts.append(s) } }
    var text: String { lock.withLock { parts.joined(separator: "\n") } }
}
