import ClusterCore
@testable import ClusterEngine
import Foundation
import Testing
import TestSupport

/// The manifest: written last, sums checked, a damaged part refused by name.
struct BackupManifestTests {
    static func folder(_ dir: String) throws -> String {
        let f = dir + "/b"
        try FileManager.default.createDirectory(atPath: f, withIntermediateDirectories: true)
        for (name, text) in [("database.sql.gz", "dump"), ("wflow.tar.gz", "files"), ("answers.yaml", "version: 1\n")] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: f + "/" + name))
        }
        return f
    }

    @Test func aFolderWithoutManifestIsNotABackup() async throws {
        let dir = SSHFixture.tempDir("bk-man"); defer { try? FileManager.default.removeItem(atPath: dir) }
        let f = try Self.folder(dir)
        await #expect(throws: BackupError.damaged("\(f) has no manifest.json: it is not a finished backup")) {
            try await BackupManifest.check(folder: f)
        }
    }

    @Test func theManifestHoldsEachPartsSizeAndSum() async throws {
        let dir = SSHFixture.tempDir("bk-man"); defer { try? FileManager.default.removeItem(atPath: dir) }
        let f = try Self.folder(dir)
        let m = try await BackupManifest.write(folder: f, cluster: "c", createdAt: Date(timeIntervalSince1970: 0),
                                               jogetVersion: "unknown", nodes: ["node01@app1"])
        #expect(m.parts.map(\.name) == BackupManifest.partNames)
        #expect(m.parts[0].size == 4)
        // sha256 of "dump"
        #expect(m.parts[0].sha256 == "b6ca0868bca6a2926b70aa1a71592038d9030fe26d4214edcfbd6cf41f2f4654")
        #expect(m.createdAt == "1970-01-01T00:00:00Z")
        let again = try await BackupManifest.check(folder: f)
        #expect(again == m)
        let mode = try FileManager.default.attributesOfItem(atPath: f + "/manifest.json")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test(arguments: BackupManifest.partNames)
    func aDamagedPartIsRefusedByName(_ part: String) async throws {
        let dir = SSHFixture.tempDir("bk-man"); defer { try? FileManager.default.removeItem(atPath: dir) }
        let f = try Self.folder(dir)
        _ = try await BackupManifest.write(folder: f, cluster: "c", createdAt: Date(), jogetVersion: "8.1.6", nodes: [])
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: f + "/" + part)))
        bytes[0] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: f + "/" + part))
        do {
            _ = try await BackupManifest.check(folder: f)
            Issue.record("a damaged \(part) was accepted")
        } catch let e as BackupError {
            #expect("\(e)".contains(part), "\(e)")
        }
        try FileManager.default.removeItem(atPath: f + "/" + part)
        await #expect(throws: BackupError.damaged("\(part) is missing")) { try await BackupManifest.check(folder: f) }
    }

    @Test func theFolderIsNamedAfterTheClusterAndUTCTime() {
        #expect(Backup.folderName(cluster: "acme", at: Date(timeIntervalSince1970: 86_400 + 3_661)) == "acme-19700102-010101")
    }
}

/// A transport that sets the private MariaDB's client options before every script.
struct PrefixedTransport: Transport {
    let inner: any Transport
    let prefix: String
    var hostName: String { inner.hostName }
    func connect() async throws { try await inner.connect() }
    func run(_ script: String, timeout: Duration, onLine: @escaping @Sendable (OutputLine) -> Void) async -> CommandResult {
        await inner.run(prefix + script, timeout: timeout, onLine: onLine)
    }
    func upload(localPath: String, remotePath: String, mode: Int) async throws -> UploadOutcome {
        try await inner.upload(localPath: localPath, remotePath: remotePath, mode: mode)
    }
    func download(remotePath: String, localPath: String) async throws { try await inner.download(remotePath: remotePath, localPath: localPath) }
    func download(remotePath: String, localPath: String, progress: @escaping @Sendable (Int64) -> Void) async throws {
        try await inner.download(remotePath: remotePath, localPath: localPath, progress: progress)
    }
    func close() async { await inner.close() }
}

/// Backup and restore against a real MariaDB and a real directory, over a local shell and over the
/// loopback sshd: a row and files survive being destroyed, byte for byte; a damaged copy is refused.
@Suite(.serialized)
struct BackupEndToEndTests {
    static let canRun = geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/mariadbd")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/mariadb-install-db")

    static func sh(_ script: String) -> Program.Result { Program.run(["/bin/sh", "-c", script], mergeErrors: true) }

    @Test(.enabled(if: canRun, "needs root and MariaDB"), arguments: ["local", "ssh"])
    func aBackupBringsBackTheRowAndTheFiles(_ via: String) async throws {
        if via == "ssh", !SSHFixture.available { return }
        let dir = SSHFixture.tempDir("bk-e2e")
        chmod(dir, 0o755)
        defer {
            _ = Self.sh("kill $(cat \(dir)/db/pid) 2>/dev/null; sleep 1")
            try? FileManager.default.removeItem(atPath: dir)
        }
        let db = dir + "/db"
        try FileManager.default.createDirectory(atPath: db, withIntermediateDirectories: true)
        try "[client]\nsocket=\(db)/sock\n".write(toFile: db + "/my.cnf", atomically: true, encoding: .utf8)
        let start = Self.sh("""
            mariadb-install-db --no-defaults --datadir=\(db)/data --user=root --auth-root-authentication-method=socket --skip-test-db >\(db)/install.log 2>&1 || exit 1
            mariadbd --no-defaults --datadir=\(db)/data --socket=\(db)/sock --skip-networking --pid-file=\(db)/pid --user=root \
                --log-error=\(db)/error.log --skip-log-bin </dev/null >/dev/null 2>&1 &
            i=0; until MYSQL_HOME=\(db) mariadb -e 'SELECT 1' >/dev/null 2>&1; do i=$((i+1)); [ $i -lt 300 ] || exit 1; sleep 0.1; done
            """)
        try #require(start.status == 0, Comment(rawValue: "the private MariaDB did not start: \(start.output)"))
        let client = "MYSQL_HOME=\(db) mariadb"
        let seed = Self.sh("""
            \(client) -e "CREATE DATABASE jwedb; CREATE TABLE jwedb.marker (id INT PRIMARY KEY, note VARCHAR(40), b BLOB); \
            INSERT INTO jwedb.marker VALUES (1, 'before the backup', UNHEX('00FF0A0D27'))" &&
            mkdir -p \(dir)/shared/app_src/x && printf 'one\\n' > \(dir)/shared/app_src/x/a.txt &&
            head -c 100000 /dev/urandom > \(dir)/shared/blob.bin && printf 'd\\n' > \(dir)/shared/.hidden &&
            chmod 0640 \(dir)/shared/app_src/x/a.txt && chown 65534:65534 \(dir)/shared/blob.bin && chmod 0751 \(dir)/shared
            """)
        try #require(seed.status == 0, Comment(rawValue: seed.output))
        let dumpNow = "MYSQL_HOME=\(db) mariadb-dump --skip-dump-date --skip-comments jwedb"
        let listing = "cd \(dir)/shared && find . -printf '%p %m %U:%G %s\\n' | sort && find . -type f -exec sha256sum {} + | sort"
        let dbBefore = Self.sh(dumpNow).output, filesBefore = Self.sh(listing).output

        var a = Answers()
        a.cluster = "bk-e2e"
        let host = via == "ssh" ? SSHFixture.keyHost(name: "box") : Host(name: "box", address: "127.0.0.1", auth: .local, sudo: .root)
        a.hosts = [host]
        a.sharedFiles.provider = .existing
        a.sharedFiles.mountPoint = dir + "/shared"
        a.database.host = "box"
        a.appServers.installDir = dir + "/opt"
        a.appServers.bundle = dir + "/joget-enterprise-linux-8.1.6.tar.gz"
        a.appServers.bundleOn = .server
        a.appServers.nodes = [Node(name: "node01", host: "box")]
        a.loadBalancer.host = "box"
        a.loadBalancer.serverName = "joget.test"
        let inner: any Transport = via == "ssh"
            ? SSHTransport(host: host, secrets: SecretValues(), options: SSHFixture.options())
            : LocalTransport(name: "box")
        let transport = PrefixedTransport(inner: inner, prefix: "export MYSQL_HOME=\(Shell.quote(db))\n")
        defer { Task { await transport.close() } }
        let said = LineBox()
        let backup = Backup(answers: a, secrets: SecretValues(), transports: { _ in transport }, say: { said.add($0) })

        let folder = try await backup.take(into: dir + "/backups")
        #expect(folder.hasPrefix(dir + "/backups/bk-e2e-"))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names == ["answers.yaml", "database.sql.gz", "manifest.json", "wflow.tar.gz"])
        #expect((try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int) == 0o700)
        #expect(said.all.contains { $0.hasPrefix("database.sql.gz: ") && $0.contains("/s") })
        #expect(Self.sh("ls -d /var/tmp/joget-cluster-backup.* 2>/dev/null | wc -l").output.trimmingCharacters(in: .whitespacesAndNewlines) == "0")

        // Destroy both.
        let destroy = Self.sh("\(client) -e 'DROP TABLE jwedb.marker' && rm -rf \(dir)/shared/app_src \(dir)/shared/.hidden && echo stray > \(dir)/shared/stray")
        try #require(destroy.status == 0, Comment(rawValue: destroy.output))
        #expect(Self.sh(dumpNow).output != dbBefore)

        // A copy with one byte changed is refused by name, and nothing is changed.
        let bad = dir + "/bad"
        // Invert the byte rather than write a fixed one: the archive's bytes differ each run.
        _ = Self.sh("cp -a \(folder) \(bad)")
        let damaged = URL(fileURLWithPath: bad + "/wflow.tar.gz")
        var bytes = try Data(contentsOf: damaged)
        try #require(bytes.count > 100)
        bytes[100] ^= 0xFF
        try bytes.write(to: damaged)
        do {
            _ = try await BackupManifest.check(folder: bad)
            Issue.record("a damaged backup was accepted")
        } catch let e as BackupError { #expect("\(e)".contains("wflow.tar.gz"), "\(e)") }
        #expect(FileManager.default.fileExists(atPath: dir + "/shared/stray"))

        _ = try await BackupManifest.check(folder: folder)
        try await backup.loadDatabase(from: folder)
        try await backup.replaceFiles(from: folder)
        #expect(Self.sh(dumpNow).output == dbBefore)
        #expect(Self.sh(listing).output == filesBefore)
        #expect(Self.sh("\(client) -N -B -e 'SELECT note, HEX(b) FROM jwedb.marker'").output == "before the backup\t00FF0A0D27\n")
    }
}

final class LineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ s: String) { lock.withLock { lines.append(s) } }
    var all: [String] { lock.withLock { lines } }
}
