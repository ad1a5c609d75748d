import ClusterCore
import Foundation

/// One cluster's folder of run state: `$XDG_STATE_HOME/joget-cluster/<cluster>/`
/// (default `~/.local/state/joget-cluster/<cluster>/`), readable by its owner only.
///
/// ```
/// answers.yaml          replayable answers, no secrets
/// journal.jsonl         append-only step records (see `Journal`)
/// logs/<host>/<step>.log full output of each step, sanitised and redacted
/// work/                 local side of file transfers
/// known_hosts           the project's own host keys
/// licenses.json         the license checklist
/// verify.json           the last complete run of the cluster checks (see `VerifyRecord`)
/// ```
public struct StateDir: Sendable, Hashable {
    public let path: String

    /// Opens (creating with mode 0700) the folder at an explicit path: for tests and `--state-dir`.
    public init(path: String) throws {
        self.path = StateDir.standardize(path)
        try StateDir.makePrivateDirectory(self.path)
    }

    /// The default folder for a cluster, or `override` when given.
    public init(cluster: String, override: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if let override, !override.isEmpty {
            try self.init(path: override)
        } else {
            try self.init(path: try StateDir.defaultPath(cluster: cluster, environment: environment))
        }
    }

    /// `$XDG_STATE_HOME/joget-cluster/<cluster>`; XDG_STATE_HOME is used only when absolute, as the spec says.
    public static func defaultPath(cluster: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard isSafeComponent(cluster) else { throw StateDirError.badClusterName(cluster) }
        let base: String
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            base = home + "/.local/state"
        } else {
            base = NSHomeDirectory() + "/.local/state"
        }
        return standardize(base) + "/joget-cluster/" + cluster
    }

    public var answersPath: String { path + "/answers.yaml" }
    public var journalPath: String { path + "/journal.jsonl" }
    public var logsPath: String { path + "/logs" }
    public var workPath: String { path + "/work" }
    public var knownHostsPath: String { path + "/known_hosts" }
    public var licensesPath: String { path + "/licenses.json" }
    public var verifyPath: String { path + "/verify.json" }
    /// What earlier runs installed, in the answers file's format (`Installed`).
    public var installedPath: String { path + "/installed.yaml" }
    /// The upgrade under way or last done (`Upgrade`).
    public var upgradePath: String { path + "/upgrade.json" }

    /// `logs/<host>/<step-id>.log`, each name made safe as one path component.
    public func logPath(host: String, stepID: String) -> String {
        logsPath + "/" + StateDir.fileName(host) + "/" + StateDir.fileName(stepID) + ".log"
    }

    /// Where a transfer's local path lands: relative paths resolve under `work/`; absolute paths stay.
    /// A relative path may not climb out of `work/` with `..`.
    public func localTransferPath(_ local: String) throws -> String {
        if local.hasPrefix("/") { return local }
        let parts = local.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.isEmpty, !parts.contains("..") else { throw StateDirError.badTransferPath(local) }
        return workPath + "/" + parts.joined(separator: "/")
    }

    /// Creates `path` and any missing parents with mode 0700. A folder that exists keeps its mode:
    /// tightening one the operator named (`--state-dir /tmp`) would break everything else in it.
    /// The files that hold anything sensitive are 0600 on their own.
    public static func makePrivateDirectory(_ path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw StateDirError.notADirectory(path) }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path, parent != "/" { try makePrivateDirectory(parent) }
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw StateDirError.cannotCreate(path, String(cString: strerror(errno)))
        }
        // mkdir's mode is cut by the umask; make it exactly 0700.
        if chmod(path, 0o700) != 0 {
            throw StateDirError.cannotCreate(path, String(cString: strerror(errno)))
        }
    }

    /// A name as one safe file name: letters, digits and `. _ - @ +` kept, anything else `_`;
    /// never empty, `.` or `..`.
    public static func fileName(_ name: String) -> String {
        var out = String(name.unicodeScalars.map { scalar -> Character in
            let c = Character(scalar)
            return (scalar.isASCII && (c.isLetter || c.isNumber)) || "._-@+".contains(c) ? c : "_"
        })
        if out.isEmpty || out.allSatisfy({ $0 == "." }) { out = "_" + out }
        return out
    }

    static func isSafeComponent(_ name: String) -> Bool {
        !name.isEmpty && fileName(name) == name && !name.hasPrefix(".")
    }

    static func standardize(_ path: String) -> String {
        var p = (path as NSString).expandingTildeInPath
        if !p.hasPrefix("/") { p = FileManager.default.currentDirectoryPath + "/" + p }
        p = (p as NSString).standardizingPath
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }
}

public enum StateDirError: Error, Equatable, CustomStringConvertible {
    case badClusterName(String)
    case notADirectory(String)
    case cannotCreate(String, String)
    case badTransferPath(String)

    public var description: String {
        switch self {
        case .badClusterName(let n):
            return "cluster name \"\(n)\" cannot name a folder: use letters, digits and . _ - @ +"
        case .notADirectory(let p): return "state folder \(p) exists and is not a folder"
        case .cannotCreate(let p, let why): return "cannot create state folder \(p): \(why)"
        case .badTransferPath(let p):
            return "transfer path \"\(p)\" must be absolute or relative to the state folder's work/ without .."
        }
    }
}
