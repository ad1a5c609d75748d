import ClusterCore
import Foundation

/// What a finished backup holds, written last: a folder without it is not a backup.
public struct BackupManifest: Codable, Sendable, Equatable {
    public struct Part: Codable, Sendable, Equatable {
        public var name: String
        public var size: Int64
        public var sha256: String
    }
    public var format = 1
    public var cluster: String
    public var createdAt: String          // UTC, ISO 8601
    public var jogetVersion: String       // "unknown" when jw.war did not say
    public var nodes: [String]            // "node01@app1"
    public var parts: [Part]

    public static let fileName = "manifest.json"
    public static let partNames = ["database.sql.gz", "wflow.tar.gz", "answers.yaml"]

    /// Sums the parts as they are in `folder` and writes the manifest there, last, atomically.
    public static func write(folder: String, cluster: String, createdAt: Date, jogetVersion: String, nodes: [String]) async throws -> BackupManifest {
        var parts: [Part] = []
        for name in partNames {
            let path = folder + "/" + name
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            parts.append(Part(name: name, size: size, sha256: try await SHA256Hex.ofFile(path: path, host: "local")))
        }
        let manifest = BackupManifest(cluster: cluster, createdAt: Backup.iso(createdAt), jogetVersion: jogetVersion, nodes: nodes, parts: parts)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(manifest) + Data("\n".utf8), to: folder + "/" + fileName, mode: 0o600)
        return manifest
    }

    /// Reads the manifest and checks every part's size and sha256; throws naming what is wrong.
    public static func check(folder: String) async throws -> BackupManifest {
        let path = folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BackupError.damaged("\(folder) has no \(fileName): it is not a finished backup")
        }
        let manifest: BackupManifest
        do { manifest = try JSONDecoder().decode(BackupManifest.self, from: data) } catch {
            throw BackupError.damaged("\(path) cannot be read: \(error)")
        }
        for name in partNames where !manifest.parts.contains(where: { $0.name == name }) {
            throw BackupError.damaged("the manifest lists no \(name)")
        }
        for part in manifest.parts {
            let file = folder + "/" + part.name
            guard let attrs = try? FileManager.default.attributesOfItem(atPath: file) else {
                throw BackupError.damaged("\(part.name) is missing")
            }
            let size = (attrs[.size] as? NSNumber)?.int64Value ?? -1
            if size != part.size { throw BackupError.damaged("\(part.name) is \(size) bytes, the manifest says \(part.size)") }
            let sum = try await SHA256Hex.ofFile(path: file, host: "local")
            if sum != part.sha256 { throw BackupError.damaged("\(part.name) does not match its sha256 in the manifest (damaged)") }
        }
        return manifest
    }
}

public enum BackupError: Error, Sendable, Equatable, CustomStringConvertible {
    case damaged(String)
    case failed(host: String, what: String, detail: String)
    public var description: String {
        switch self {
        case .damaged(let why): return "backup refused: \(why)"
        case .failed(let host, let what, let detail): return "\(host): \(what) failed: \(detail)"
        }
    }
}

/// Backup and restore of a cluster's data: the database and the shared directory. Each part is
/// made on its host, copied here through the host's transport (streamed to the file, sha256
/// checked), and its folder on the host removed.
public struct Backup: Sendable {
    public let answers: Answers
    public let secrets: SecretValues
    /// Masks what a host prints, as the runner masks a step's output.
    let redactor: Redactor
    public let transports: @Sendable (String) -> any Transport
    /// One line for the operator (progress, what is being done).
    public let say: @Sendable (String) -> Void

    public init(answers: Answers, secrets: SecretValues, transports: @escaping @Sendable (String) -> any Transport,
                say: @escaping @Sendable (String) -> Void) {
        self.answers = answers; self.secrets = secrets; self.transports = transports; self.say = say
        redactor = Redactor(secrets: Runner.redactionNeedles(secrets))
    }

    public static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter(); f.timeZone = TimeZone(identifier: "UTC"); return f.string(from: date)
    }

    /// `<cluster>-yyyyMMdd-HHmmss`, UTC.
    public static func folderName(cluster: String, at date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd-HHmmss"
        return "\(cluster)-\(f.string(from: date))"
    }

    /// Runs a script on its host; its stdout lines, or throws with the end of its stderr.
    @discardableResult
    func run(_ s: BackupScripts.OnHost, _ what: String, timeout: Duration = .seconds(3600)) async throws -> [String] {
        let text = try s.script.executable(with: secrets)
        let log = LinesBox()
        let result = await transports(s.host).run(text, timeout: timeout) { log.add($0) }
        guard result == .exited(0) else {
            let tail = redactor.clean(log.stderr.suffix(5).joined(separator: " / "))
            throw BackupError.failed(host: s.host, what: what, detail: tail.isEmpty ? "\(result)" : "\(result): \(tail)")
        }
        for line in log.stderr where !line.isEmpty { say("  \(s.host): \(redactor.clean(line))") }
        return log.stdout
    }

    static func value(_ key: String, in lines: [String]) -> String? {
        lines.last { $0.hasPrefix("JC \(key)=") }.map { String($0.dropFirst(key.count + 4)) }
    }

    // MARK: - Backup

    /// Takes a backup into a new folder in `directory` (made 0700); returns its path.
    /// The hosts a backup logs in to: the database's, and the first app host (the shared folder).
    public static func hosts(_ a: Answers) -> [String] {
        let db = a.database.host, app = a.appServers.nodes[0].host
        return db == app ? [db] : [db, app]
    }

    /// What a backup needs to be told: the logins of its hosts, and the database's admin password.
    public static func neededSecrets(_ a: Answers) -> Set<SecretName> {
        var names = BackupScripts.dumpDatabase(a).script.secrets.union(BackupScripts.archiveFiles(a).script.secrets)
        for host in hosts(a).compactMap(a.host(named:)) { names.formUnion(host.loginSecrets) }
        return names
    }

    public func take(into directory: String, now: Date = Date()) async throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let folder = directory + "/" + Backup.folderName(cluster: answers.cluster, at: now)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        chmod(folder, 0o700)
        say("backup of \(answers.cluster) into \(folder)")
        try await fetch(BackupScripts.dumpDatabase(answers), part: "database.sql.gz", into: folder,
                        what: "dumping the database \(answers.database.name)")
        try await fetch(BackupScripts.archiveFiles(answers), part: "wflow.tar.gz", into: folder,
                        what: "archiving the shared directory \(answers.sharedFiles.mountPoint)")
        try AtomicFile.write(Data(AnswersFile.encode(answers).utf8), to: folder + "/answers.yaml", mode: 0o600)
        let version = (try? await run(BackupScripts.jogetVersion(answers), "reading jw.war's version", timeout: .seconds(60)))
            .flatMap { Backup.value("version", in: $0) } ?? "unknown"
        let manifest = try await BackupManifest.write(folder: folder, cluster: answers.cluster, createdAt: now, jogetVersion: version,
                                                      nodes: answers.appServers.nodes.map { "\($0.name)@\($0.host)" })
        let total = manifest.parts.reduce(Int64(0)) { $0 + $1.size }
        say("backup complete: \(folder) (\(Backup.bytes(total)), Joget \(version))")
        return folder
    }

    /// Makes a part on its host, copies it here with progress, removes it there.
    private func fetch(_ s: BackupScripts.OnHost, part: String, into folder: String, what: String) async throws {
        say("\(part): \(what) on \(s.host)")
        let started = Date()
        let out = try await run(s, what)
        guard let remote = Backup.value("file", in: out), let dir = Backup.value("dir", in: out) else {
            throw BackupError.failed(host: s.host, what: what, detail: "the script did not say where the file is")
        }
        let transport = transports(s.host)
        let copyStart = Date()
        let last = LastReport()
        do {
            try await transport.download(remotePath: remote, localPath: folder + "/" + part) { bytes in
                if last.due() { say("\(part): \(Backup.bytes(bytes)) copied, \(Backup.speed(bytes, since: copyStart))") }
            }
        } catch {
            _ = await transport.run((try? BackupScripts.removePartFolder(dir).executable(with: secrets)) ?? "true", timeout: .seconds(60)) { _ in }
            throw error
        }
        _ = await transport.run((try? BackupScripts.removePartFolder(dir).executable(with: secrets)) ?? "true", timeout: .seconds(60)) { _ in }
        let size = (try? FileManager.default.attributesOfItem(atPath: folder + "/" + part)[.size] as? NSNumber)?.int64Value ?? 0
        say("\(part): \(Backup.bytes(size)) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s, copied at \(Backup.speed(size, since: copyStart))")
    }

    /// A size as people read it: 512 B, 3.3 KiB, 1.2 GiB.
    public static func bytes(_ n: Int64) -> String {
        if n < 1024 { return "\(n) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var v = Double(n) / 1024, i = 0
        while v >= 1024, i < units.count - 1 { v /= 1024; i += 1 }
        return String(format: "%.1f %@", v, units[i])
    }

    static func speed(_ n: Int64, since: Date) -> String {
        let s = max(Date().timeIntervalSince(since), 0.001)
        return bytes(Int64(Double(n) / s)) + "/s"
    }

    // MARK: - Restore

    /// Where the parts go on their hosts before they are loaded.
    static let remoteDump = BackupScripts.hostFolder + "/database.sql.gz"
    static let remoteArchive = BackupScripts.hostFolder + "/wflow.tar.gz"

    /// Drops and recreates the database, and loads the backup's dump.
    public func loadDatabase(from folder: String) async throws {
        let host = answers.database.host
        say("database: sending the dump to \(host)")
        _ = try await transports(host).upload(localPath: folder + "/database.sql.gz", remotePath: Backup.remoteDump, mode: 0o600)
        say("database: dropping, recreating and loading \(answers.database.name) on \(host)")
        for line in try await run(BackupScripts.loadDatabase(answers, remote: Backup.remoteDump), "loading the dump") { say("  \(line)") }
    }

    /// Replaces the shared directory's content with the backup's archive.
    public func replaceFiles(from folder: String) async throws {
        let s = BackupScripts.replaceFiles(answers, remote: Backup.remoteArchive)
        say("shared directory: sending the archive to \(s.host)")
        _ = try await transports(s.host).upload(localPath: folder + "/wflow.tar.gz", remotePath: Backup.remoteArchive, mode: 0o600)
        say("shared directory: replacing the content of \(answers.sharedFiles.mountPoint) on \(s.host)")
        for line in try await run(s, "replacing the shared directory") { say("  \(line)") }
    }

    public func stopNodes() async throws {
        for node in answers.appServers.nodes {
            say("stopping \(node.name) on \(node.host)")
            try await run(BackupScripts.stopNode(answers, node), "stopping \(node.name)", timeout: .seconds(180))
        }
    }

    /// Starts the first node alone and waits until it answers, then the others (the plan's start steps).
    public func startNodes(plan: Plan) async throws {
        for node in answers.appServers.nodes {
            guard let step = plan.steps.first(where: { $0.id == BackupScripts.startStepID(node) }) else {
                throw BackupError.failed(host: node.host, what: "starting \(node.name)", detail: "the plan has no start step for it")
            }
            say("starting \(node.name) on \(node.host) and waiting until it answers")
            try await run(BackupScripts.OnHost(host: node.host, script: step.apply), "starting \(node.name)",
                          timeout: .seconds(Int64(step.timeoutSeconds)))
            say("\(node.name) answers")
        }
    }
}

private final class LinesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [OutputLine] = []
    func add(_ l: OutputLine) { lock.withLock { lines.append(l) } }
    var stdout: [String] { lock.withLock { lines.filter { $0.stream == .stdout }.map(\.text) } }
    var stderr: [String] { lock.withLock { lines.filter { $0.stream == .stderr }.map(\.text) } }
}

/// At most one progress line a second.
private final class LastReport: @unchecked Sendable {
    private let lock = NSLock()
    private var last = Date()
    func due() -> Bool {
        lock.withLock {
            if Date().timeIntervalSince(last) >= 1 { last = Date(); return true }
            return false
        }
    }
}
