import ClusterCore
import Testing
import TermUI
@testable import Wizard

/// The setup pages hold no model: a key hands back typed edits, and `App.update` makes them to the
/// one model in the state. The Review page works out its layout when its inputs change, not per frame.
@Suite struct SetupEditTests {
    /// The database page on screen, its name field focused.
    func databasePage() -> AppState {
        var s = AppState(answers: Example.small)
        _ = App.enter(&s, .setup(2))
        s.setup[2].focus = .form
        s.setup[2].fields.form.focus("database.name")
        s.setup[2].syncFocus()
        return s
    }

    @Test func aKeyHandsBackTheEditAndLeavesTheModelToTheApp() {
        var s = databasePage()
        var draft = SetupDraft(s.model)
        _ = s.setup[2].handle(.ctrl("u"), draft: &draft)
        for c in "jw_new" { _ = s.setup[2].handle(.char(c), draft: &draft) }
        #expect(draft.edits.isEmpty, "typing is not an edit yet: the field is checked as it is left")
        _ = s.setup[2].handle(.tab, draft: &draft)
        #expect(draft.edits == [.answer(path: "database.name", item: nil, value: "jw_new")])
        #expect(draft.current.answers.database.name == "jw_new", "the key sees its own edit")
        #expect(s.model.answers.database.name != "jw_new", "the app's model changes only when the app applies it")
        App.apply(&s, draft.edits)
        #expect(s.model.answers.database.name == "jw_new")
    }

    @Test func appUpdateAppliesTheEditsOfAKeyAndSavesTheAnswers() {
        var s = databasePage()
        _ = App.update(&s, .key(.ctrl("u")))
        for c in "jw_new" { _ = App.update(&s, .key(.char(c))) }
        #expect(s.model.answers.database.name != "jw_new")
        let effects = App.update(&s, .key(.tab))
        #expect(s.model.answers.database.name == "jw_new")
        #expect(effects.map(\.name).contains("save"), "\(effects.map(\.name))")
    }

    /// Each edit as `App.update` makes it: a renamed host takes its roles, passwords and test along.
    @Test func editsMadeToTheModel() {
        var m = SetupModel(answers: Example.small)
        m.secrets[SecretName("ssh-app1")] = "pw"
        m.tests["app1"] = HostTest(checks: [.init("SSH login", .ok, "")])
        m.apply(.answer(path: "hosts[].name", item: 0, value: "web1"))
        m.apply(.renameHost(from: "app1", to: "web1"))
        #expect(m.answers.hosts[0].name == "web1")
        #expect(m.answers.database.host == "web1" && m.answers.sharedFiles.server == "web1")
        #expect(m.secrets[SecretName("ssh-web1")] == "pw" && m.secrets[SecretName("ssh-app1")] == nil)
        #expect(m.tests["web1"] != nil && m.tests["app1"] == nil)

        m.apply(.answer(path: "hosts[].user", item: 0, value: "root"))
        m.apply(.followUser(host: 0))
        #expect(m.answers.hosts[0].sudo == .root)

        m.apply(.secret(SecretName("db-password"), "Db-pw-1"))
        #expect(m.secrets[SecretName("db-password")] == "Db-pw-1")
        m.apply(.secret(SecretName("db-password"), nil))
        #expect(m.secrets[SecretName("db-password")] == nil)

        m.apply(.addNode(Node(name: "node03", host: "lb")))
        #expect(m.answers.appServers.nodes.map(\.name) == ["node01", "node02", "node03"])
        m.apply(.removeNode(at: 2))
        #expect(m.answers.appServers.nodes.map(\.name) == ["node01", "node02"])

        m.apply(.addHost(SetupModel.newHost()))
        #expect(m.answers.hosts.count == 3)
        m.apply(.removeHost(at: 0))
        #expect(m.answers.hosts.map(\.name) == ["lb", ""] && m.tests["web1"] == nil)
    }

    /// Removing a host on the Hosts page is a `.removeHost` edit, and its test goes with it.
    @Test func removingAHostIsAnEdit() {
        var s = AppState(answers: Example.small)
        s.model.tests["lb"] = HostTest(checks: [.init("SSH login", .ok, "")])
        _ = App.enter(&s, .setup(0))
        s.setup[0].focus = .list
        s.setup[0].syncFocus()
        var draft = SetupDraft(s.model)
        _ = s.setup[0].handle(.down, draft: &draft)
        _ = s.setup[0].handle(.char("d"), draft: &draft)
        _ = s.setup[0].handle(.left, draft: &draft)     // Keep → Remove
        _ = s.setup[0].handle(.enter, draft: &draft)
        #expect(draft.edits == [.removeHost(at: 1)])
        App.apply(&s, draft.edits)
        #expect(s.model.answers.hosts.map(\.name) == ["app1"] && s.model.tests["lb"] == nil)
    }

    func screen(_ s: AppState) -> String {
        var b = Buffer(width: 80, height: 24)
        AppView.render(s, into: &b, theme: .monochrome())
        return b.text
    }

    /// The Review draws its layout and nothing else: worked out when the plan came, and again only
    /// when the app sees the answers change, never from the model as a frame is drawn.
    @Test func theReviewIsLaidOutWhenItsInputsChangeNotPerFrame() throws {
        var s = AppState(answers: Example.small)
        _ = App.enter(&s, .review)
        #expect(screen(s).contains("checking..."))
        _ = App.update(&s, .planBuilt(.success(try Planner.plan(Example.small, installed: nil)), installed: nil))
        let rows = s.review.rows
        #expect(rows.contains(.host("app1")) && rows.last == .install)
        #expect(screen(s).contains("2 hosts: app1, lb"))

        // Changed behind the app's back: the frame still shows the layout as it was worked out.
        s.model.answers.hosts[1].name = "edge"
        #expect(screen(s).contains("2 hosts: app1, lb"))
        // Told through App.update (an answer changed on a page): laid out again, the plan to be built.
        _ = App.answersChanged(&s)
        #expect(screen(s).contains("checking..."))
        #expect(s.review.rows.count == ReviewPage.layers.count + 2, "no plan yet: no host or file rows")
    }
}
