import ClusterCore
import Foundation
import Testing
import TermUI
@testable import Wizard

/// "Start over" never hides a cluster: it asks first, says what is kept and where, and starts a new
/// cluster under a name that has no state folder yet, so the old answers are not written over.
@Suite struct StartOverTests {
    /// An app on Welcome with cluster acme-joget saved, under HOME `dir` (no --state-dir).
    static func app(_ dir: String, unfinished: Bool = true) throws -> AppState {
        var a = try AnswersFile.decode(Assets.text("assets/examples/two-node.yaml")!)
        a.cluster = "acme-joget"
        let config = AppConfig(stateDirectory: nil, environment: ["HOME": dir])
        for cluster in ["acme-joget", "joget"] {
            try FileManager.default.createDirectory(atPath: config.stateDirectoryPath(cluster: cluster)!, withIntermediateDirectories: true)
        }
        return AppState(config: config, answers: a, savedAnswers: true, unfinishedInstall: unfinished)
    }

    @Test func startOverAsksSaysWhatIsKeptAndPicksAFreshName() throws {
        let dir = NSTemporaryDirectory() + "start-over-" + UUID().uuidString.prefix(6)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var s = try Self.app(dir)
        let index = try #require(s.welcome.options.firstIndex(of: .startOver))
        s.welcome.selected = index
        #expect(App.update(&s, .key(.enter)).isEmpty, "nothing is saved before the operator confirms")
        guard case .startOver(let d, let name)? = s.dialog else { Issue.record("no confirmation: \(String(describing: s.dialog))"); return }
        #expect(name == "joget-2", "joget has a state folder already")
        #expect(d.message.contains("Cluster acme-joget stays as it is") && d.message.contains("joget-cluster --state-dir"))
        // Enter on the focused "Back": nothing changes.
        _ = App.update(&s, .key(.enter))
        #expect(s.dialog == nil && s.page == .welcome && s.model.answers.cluster == "acme-joget")

        _ = App.update(&s, .key(.enter))
        _ = App.update(&s, .key(.left))
        let effects = App.update(&s, .key(.enter))
        #expect(s.page == .setup(0) && s.model.answers.cluster == "joget-2" && s.model.answers.hosts.isEmpty)
        #expect(effects.contains { if case .saveAnswers(let a) = $0 { a.cluster == "joget-2" } else { false } })
    }
}

/// A required choice left unset stops Next with the error on that field, and a layer marked [!]
/// on Review opens with the focus on the field at fault and its error shown.
@Suite struct ReviewOpensTheFieldAtFaultTests {
    @Test func nextIsRefusedWhileNoNFSServerIsChosen() throws {
        var a = try AnswersFile.decode(Assets.text("assets/examples/two-node.yaml")!)
        a.sharedFiles.server = nil
        let dir = NSTemporaryDirectory() + "next-fault-" + UUID().uuidString.prefix(6)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let s = AppState(config: AppConfig(stateDirectory: dir, environment: ["HOME": dir]), answers: a)
        var page = try #require(s.setup.first { $0.spec.id == "sharedFiles" })
        var draft = SetupDraft(s.model)
        #expect(page.next(draft: &draft) == .none, "Next went on with no NFS server chosen")
        #expect(page.fields.form["sharedFiles.server"]?.error == "no host is chosen")
        #expect(page.message?.contains("no host is chosen") == true)
    }

    @Test func anUnsetNFSServerIsFocusedWithItsError() throws {
        var a = try AnswersFile.decode(Assets.text("assets/examples/two-node.yaml")!)
        a.sharedFiles.server = nil
        let dir = NSTemporaryDirectory() + "review-fault-" + UUID().uuidString.prefix(6)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var s = AppState(config: AppConfig(stateDirectory: dir, environment: ["HOME": dir]), answers: a)
        s.page = .review
        _ = App.handleRequest(&s, .edit(setupPage: "sharedFiles"), key: nil)
        guard case .setup(let i) = s.page else { Issue.record("not on a setup page: \(s.page)"); return }
        let page = s.setup[i]
        #expect(page.spec.id == "sharedFiles")
        #expect(page.fields.form.focusedID == "sharedFiles.server")
        #expect(page.fields.form["sharedFiles.server"]?.error == "no host is chosen")
    }
}

/// A host or node given another's name is refused as its field is left, not only at Next: renaming
/// host `app1` to `lb` would otherwise hand app1's roles (files, database, node01) to `lb`.
@Suite struct DuplicateNameTests {
    @Test func aHostRenamedToAnothersNameIsRefusedOnLeavingTheField() {
        let x = WizardHarness(width: 100, height: 30, answers: Example.small)
        x.jump(to: 0)
        x.send(.tab, .enter)     // edit app1
        x.setupPageFocus("hosts[].name")
        x.send(.ctrl("u"))
        x.type("lb")
        x.send(.tab)
        #expect(x.text.contains("\"lb\" is used by another host too"), "\(x.text)")
        #expect(x.state.model.answers.hosts.map(\.name) == ["app1", "lb"])
        #expect(x.state.model.answers.database.host == "app1")
    }

    @Test func aNodeNameDifferingOnlyInCaseIsRefusedOnLeavingTheField() {
        let x = WizardHarness(width: 100, height: 30, answers: Example.small)
        x.jump(to: 3)
        var s = x.runtime.state
        s.setup[3].openEditor(0, model: s.model) // node01
        x.runtime.replaceState(s)
        x.setupPageFocus("appServers.nodes[].name")
        x.send(.ctrl("u"))
        x.type("NODE02")
        x.send(.tab)
        #expect(x.text.contains("\"NODE02\" is used by another node too (jvmRoutes must differ)"), "\(x.text)")
        #expect(x.state.model.answers.appServers.nodes.map(\.name) == ["node01", "node02"])
    }
}
