/// The four layers of a Joget cluster, in install order, after preparing the hosts; then, on day
/// two, the retirement of nodes taken out of the answers (after the balancer no longer has them),
/// and what an upgrade of Joget adds to the plan (the maintenance page, node folders set aside).
public enum Layer: Int, CaseIterable, Comparable, Sendable, Codable {
    case hosts = 0, sharedFiles, database, appServers, loadBalancer, retire, upgrade

    public static func < (a: Layer, b: Layer) -> Bool { a.rawValue < b.rawValue }

    public var title: String {
        switch self {
        case .hosts: "Prepare hosts"
        case .sharedFiles: "1 Shared file directory"
        case .database: "2 Shared database"
        case .appServers: "3 Application servers"
        case .loadBalancer: "4 Load balancer"
        case .retire: "Retire nodes"
        case .upgrade: "Upgrade Joget"
        }
    }
    /// Short tag for line output: `[db] db create-database: done`.
    public var tag: String {
        switch self {
        case .hosts: "hosts"
        case .sharedFiles: "files"
        case .database: "db"
        case .appServers: "app"
        case .loadBalancer: "lb"
        case .retire: "retire"
        case .upgrade: "upgrade"
        }
    }
}

/// How a secret's value is written where it lands, before shell quoting.
public enum SecretEncoding: String, Sendable, Hashable, Codable {
    case plain           // as is
    case javaProperties  // a value in a .properties file
    case sqlString       // inside '...' in SQL
    case optionFile      // a double-quoted value in a MySQL option file

    public func encode(_ value: String) -> String {
        switch self {
        case .plain: value
        case .javaProperties: JavaProperties.escapeValue(value)
        case .sqlString: value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''")
        case .optionFile: "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
    }
}

/// Text of a file the plan writes; secrets stay names until the step runs.
public struct FileContent: Sendable, Hashable, Codable {
    public enum Part: Sendable, Hashable, Codable {
        case text(String)
        case secret(SecretName, SecretEncoding)
    }
    public var parts: [Part]
    public init(_ parts: [Part]) { self.parts = parts }
    public init(_ text: String) { self.parts = [.text(text)] }

    /// As shown for review and written by `plan --out`: secrets as ****.
    public var display: String {
        parts.map { if case .text(let t) = $0 { t } else { Redactor.mask } }.joined()
    }
    public var secrets: Set<SecretName> {
        Set(parts.compactMap { if case .secret(let n, _) = $0 { n } else { nil } })
    }
}

/// A file a step writes on its host.
public struct PlannedFile: Sendable, Hashable, Codable {
    public var path: String
    public var content: FileContent
    public var mode: Int          // e.g. 0o640
    public var owner: String      // "root:root", "joget:joget"
    public init(path: String, content: FileContent, mode: Int = 0o644, owner: String = "root:root") {
        self.path = path; self.content = content; self.mode = mode; self.owner = owner
    }
}

/// A file carried between this machine and a host, checked by sha256 on arrival.
public enum Transfer: Sendable, Hashable, Codable {
    /// Sent before `apply`; skipped when the remote file already has the same sum.
    case upload(local: String, remote: String)
    /// Fetched after `apply`; the local path is relative to the run's state folder.
    case download(remote: String, local: String)
}

/// One unit of work on one host: read-only `check` (exit 0 = already done), `apply`, optional `verify`.
public struct Step: Sendable, Hashable, Identifiable {
    public static let localHost = "local"

    public var id: String          // stable across runs: "db.create-database@db"
    public var layer: Layer
    public var host: String        // a host's name, or `Step.localHost` for this machine
    public var title: String
    public var check: Script?      // nil: always apply
    public var apply: Script
    public var verify: Script?
    public var files: [PlannedFile] = []
    public var transfer: Transfer? = nil
    public var dependsOn: [String] = []
    public var optional = false    // may be skipped after a failure
    public var timeoutSeconds = 600
    public var notes: [String] = [] // warnings to show, e.g. "nothing restarts Tomcat after a reboot"
    /// A probe: it reads the host and reports, and changes nothing (so it has no check: it always runs).
    public var readOnly = false

    public init(id: String, layer: Layer, host: String, title: String, check: Script?, apply: Script,
                verify: Script? = nil, files: [PlannedFile] = [], transfer: Transfer? = nil,
                dependsOn: [String] = [], optional: Bool = false, timeoutSeconds: Int = 600, notes: [String] = [],
                readOnly: Bool = false) {
        self.id = id; self.layer = layer; self.host = host; self.title = title; self.check = check
        self.apply = apply; self.verify = verify; self.files = files; self.transfer = transfer
        self.dependsOn = dependsOn; self.optional = optional; self.timeoutSeconds = timeoutSeconds; self.notes = notes
        self.readOnly = readOnly
    }

    /// Every secret the step needs to run.
    public var secrets: Set<SecretName> {
        var names = apply.secrets.union(check?.secrets ?? []).union(verify?.secrets ?? [])
        for file in files { names.formUnion(file.content.secrets) }
        return names
    }
}

/// The ordered steps for valid answers.
public struct Plan: Sendable {
    public var steps: [Step]
    public init(steps: [Step]) { self.steps = steps }

    public func step(_ id: String) -> Step? { steps.first { $0.id == id } }
    /// The probes: steps that only read their host.
    public var readOnlyStepIDs: Set<String> { Set(steps.filter(\.readOnly).map(\.id)) }
    public var hosts: [String] {
        var seen: [String] = []
        for s in steps where !seen.contains(s.host) { seen.append(s.host) }
        return seen
    }
}
