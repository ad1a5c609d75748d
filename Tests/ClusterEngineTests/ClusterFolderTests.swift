import ClusterCore
@testable import ClusterEngine
import Foundation
import Testing

/// The clusters of the state root, each with how far it got, as the pickers list them.
@Suite struct ClusterFolderTests {
    @Test func everyClusterWithAnswersIsListedWithItsStage() throws {
        let home = NSTemporaryDirectory() + "jc-folders-" + UUID().uuidString.prefix(6)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let root = home + "/joget-cluster"
        var a = Answers()
        a.appServers.nodes = [Node(name: "node01", host: "app1"), Node(name: "node02", host: "app2")]
        for name in ["alpha", "beta", "gamma", "empty"] {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            if name != "empty" { try AnswersFile.save(a, to: root + "/\(name)/answers.yaml") }
        }
        try AnswersFile.save(a, to: root + "/beta/installed.yaml")
        // gamma: a run started and never ended (installed.yaml from an earlier run does not hide it).
        try AnswersFile.save(a, to: root + "/gamma/installed.yaml")
        let journal = try Journal(path: root + "/gamma/journal.jsonl")
        try journal.append(.runHeader(answersHash: nil, plan: Plan(steps: [])))
        try journal.append(.stepStart("db.install@app1", host: "app1", phase: .apply, attempt: 1))
        journal.close()

        let folders = ClusterFolder.all(environment: ["XDG_STATE_HOME": home])
        #expect(folders.map(\.name) == ["alpha", "beta", "gamma"], "a folder without answers.yaml is no cluster")
        #expect(folders.map(\.stage) == [.notInstalled, .installed(nodes: ["node01", "node02"]), .unfinished])
        #expect(folders.map(\.stageText) == ["answers saved, not installed yet", "installed: 2 nodes (node01, node02)",
                                             "install not finished"])
        #expect(ClusterFolder.root(environment: ["XDG_STATE_HOME": home]) == root)
    }
}
