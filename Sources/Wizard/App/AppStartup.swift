import ClusterCore
import ClusterEngine
import Foundation

/// What the wizard finds when it starts: answers to pre-fill (`--answers`, or the state folder's
/// answers.yaml), and whether an install there did not finish (its journal).
public struct AppStartup: Sendable {
    public var config: AppConfig
    public var answers: Answers?
    /// Answers came from the state folder (a previous session), not from `--answers`.
    public var savedAnswers: Bool
    public var unfinishedInstall: Bool
    /// What earlier runs installed (the state folder's installed.yaml), nil before the first install.
    public var installed: Answers?
    /// One line for the welcome page: what was found where.
    public var found: String?
    /// Every cluster in the state root, listed on Welcome when there are several (none with
    /// `--answers` or `--state-dir`, which name one).
    public var clusters: [ClusterFolder] = []
    /// An installed cluster at a glance, for Welcome; empty before the first install.
    public var overview: [ClusterOverview.Row] = []

    /// - Parameters:
    ///   - answersFile: `--answers FILE`; its problems are thrown (as for `apply`).
    ///   - stateDirectory: `--state-dir DIR`; without it the newest cluster folder under
    ///     `$XDG_STATE_HOME/joget-cluster/` that has answers is used.
    ///   - cluster: a cluster folder picked on Welcome, instead of the newest.
    public static func load(answersFile: String?, stateDirectory: String?, cluster: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(InvalidAnswers) -> AppStartup {
        var config = AppConfig(stateDirectory: stateDirectory, environment: environment)
        var startup = AppStartup(config: config, answers: nil, savedAnswers: false, unfinishedInstall: false, installed: nil,
                                 found: nil)
        // One look at the state root: the list Welcome shows, and the newest cluster to open.
        let folders = answersFile == nil && stateDirectory == nil ? ClusterFolder.all(environment: environment) : []
        if let answersFile {
            let a = try AnswersFile.load(path: answersFile)
            startup.answers = a
            startup.found = "Answers from \(answersFile): cluster \(a.cluster), \(a.hosts.count) hosts."
        } else if let dir = stateDirectory ?? cluster ?? folders.max(by: { $0.answersChanged < $1.answersChanged })?.path {
            let path = dir + "/answers.yaml"
            if FileManager.default.fileExists(atPath: path) {
                let a = try AnswersFile.load(path: path)
                startup.answers = a
                startup.savedAnswers = true
                startup.found = "Saved answers: cluster \(a.cluster), \(a.hosts.count) hosts."
                if stateDirectory == nil {
                    // Keep writing where they were found, even if that folder is not named after the cluster.
                    let expected = try? StateDir.defaultPath(cluster: a.cluster, environment: environment)
                    if expected != dir { config.stateDirectory = dir; startup.config = config }
                }
            }
        }
        if let a = startup.answers, let dir = config.stateDirectoryPath(cluster: a.cluster) {
            startup.installed = try? AnswersFile.load(path: dir + "/installed.yaml")
            if let journal = try? Journal.load(path: dir + "/journal.jsonl"), !journal.isEmpty, !journal.runComplete {
                startup.unfinishedInstall = true
                startup.found = "An install of cluster \(a.cluster) did not finish: resume it, or review the answers first."
            } else if let installed = startup.installed {
                let nodes = installed.appServers.nodes
                startup.found = "Cluster \(a.cluster) is installed: \(nodes.count) node\(nodes.count == 1 ? "" : "s") ("
                    + nodes.map(\.name).joined(separator: ", ") + ")."
                startup.overview = overview(a, config: config) ?? []
            }
        }
        startup.clusters = folders
        return startup
    }

    /// The app's first state.
    public func makeState(hostedPages: HostedPages = HostedPages()) -> AppState {
        var state = AppState(config: config, answers: answers, savedAnswers: savedAnswers, givenAnswers: answers != nil && !savedAnswers,
                             unfinishedInstall: unfinishedInstall, installed: installed, found: found, hostedPages: hostedPages)
        if clusters.count > 1 {
            let open = answers.flatMap { config.stateDirectoryPath(cluster: $0.cluster) }
            state.welcome.showClusters(clusters, open: open)
        }
        state.welcome.overview = overview
        return state
    }

    /// The overview of the cluster of `answers` from its state folder, or nil without one.
    static func overview(_ answers: Answers, config: AppConfig) -> [ClusterOverview.Row]? {
        guard let dir = config.stateDirectoryPath(cluster: answers.cluster), FileManager.default.fileExists(atPath: dir),
              let stateDir = try? StateDir(path: dir) else { return nil }
        return ClusterOverview(answers: answers, stateDir: stateDir).rows
    }
}

extension AppConfig {
    /// Whether a cluster of that name has a state folder already.
    public func hasStateDirectory(cluster: String) -> Bool {
        stateDirectoryPath(cluster: cluster).map { FileManager.default.fileExists(atPath: $0) } ?? false
    }
}
