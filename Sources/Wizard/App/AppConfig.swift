import ClusterCore
import ClusterEngine
import TermUI

/// How the wizard was started.
public struct AppConfig: Sendable {
    /// `--state-dir`: one folder for this cluster whatever its name. nil: the default folder of the cluster's name.
    public var stateDirectory: String?
    /// The environment, for the default state folder (`XDG_STATE_HOME`, `HOME`).
    public var environment: [String: String]
    /// The known_hosts file host keys are checked against and accepted into (nil: the state folder's).
    public var knownHostsFile: String?

    public init(stateDirectory: String? = nil, environment: [String: String] = [:], knownHostsFile: String? = nil) {
        self.stateDirectory = stateDirectory
        self.environment = environment
        self.knownHostsFile = knownHostsFile
    }

    /// The state folder for answers of this cluster name.
    public func stateDirectoryPath(cluster: String) -> String? {
        if let stateDirectory, !stateDirectory.isEmpty { return stateDirectory }
        return try? StateDir.defaultPath(cluster: cluster, environment: environment)
    }

    public func answersPath(cluster: String) -> String? { stateDirectoryPath(cluster: cluster).map { $0 + "/answers.yaml" } }

    public func knownHostsPath(cluster: String) -> String {
        knownHostsFile ?? (stateDirectoryPath(cluster: cluster) ?? ".") + "/known_hosts"
    }
}
