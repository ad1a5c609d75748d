import ClusterCore
import Foundation

/// A cluster kept in the state root (`$XDG_STATE_HOME/joget-cluster/<name>/` with answers.yaml),
/// and how far it got: for the pickers of the wizard's Welcome and of `status`/`resume`/`licenses`.
public struct ClusterFolder: Sendable, Hashable {
    public enum Stage: Sendable, Hashable {
        case notInstalled
        /// Its journal holds a run that did not finish.
        case unfinished
        case installed(nodes: [String])
    }

    /// The folder's name (the cluster's, unless it was renamed).
    public let name: String
    public let path: String
    public let stage: Stage
    /// When its answers.yaml last changed: the wizard opens the newest.
    public let answersChanged: Date

    /// `installed: 2 nodes (node01, node02)`, `install not finished`, `answers saved, not installed yet`.
    public var stageText: String {
        switch stage {
        case .notInstalled: return "answers saved, not installed yet"
        case .unfinished: return "install not finished"
        case .installed(let nodes):
            return "installed: \(nodes.count) node\(nodes.count == 1 ? "" : "s")"
                + (nodes.isEmpty ? "" : " (" + nodes.joined(separator: ", ") + ")")
        }
    }

    /// Reads one folder; nil when it holds no answers.yaml.
    public static func read(_ path: String) -> ClusterFolder? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/answers.yaml") else { return nil }
        let stage: Stage
        if let journal = try? Journal.load(path: path + "/journal.jsonl"), !journal.isEmpty, !journal.runComplete {
            stage = .unfinished
        } else if let installed = try? AnswersFile.load(path: path + "/installed.yaml") {
            stage = .installed(nodes: installed.appServers.nodes.map(\.name))
        } else {
            stage = .notInstalled
        }
        return ClusterFolder(name: (path as NSString).lastPathComponent, path: path, stage: stage,
                             answersChanged: attributes[.modificationDate] as? Date ?? .distantPast)
    }

    /// The state root: the folder that holds every cluster's folder.
    public static func root(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        (try? StateDir.defaultPath(cluster: "x", environment: environment)).map { ($0 as NSString).deletingLastPathComponent }
    }

    /// Every cluster in the state root, by name.
    public static func all(environment: [String: String] = ProcessInfo.processInfo.environment) -> [ClusterFolder] {
        guard let root = root(environment: environment),
              let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        return names.sorted().compactMap { read(root + "/" + $0) }
    }
}
