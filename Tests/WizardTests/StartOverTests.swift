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
