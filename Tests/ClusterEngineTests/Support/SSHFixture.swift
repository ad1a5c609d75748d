import ClusterCore
@testable import ClusterEngine
import Foundation
import Synchronization

/// The private sshd servers of Tests/support/sshd-fixture.sh, started once per test process
/// (the script is idempotent: a running fixture is reused).
enum SSHFixture {
    struct Env: Sendable {
        var values: [String: String]
        subscript(_ key: String) -> String { values[key] ?? "" }
        var port: Int { Int(self["JC_SSHD_PORT"]) ?? 22222 }
        var portB: Int { Int(self["JC_SSHD_PORT_B"]) ?? 22223 }
        var address: String { self["JC_SSHD_HOST"] }
        var keyUser: String { self["JC_SSHD_KEY_USER"] }
        var keyFile: String { self["JC_SSHD_KEY"] }
        var knownHosts: String { self["JC_SSHD_KNOWN_HOSTS"] }
        var passUser: String { self["JC_SSHD_PASS_USER"] }
        var password: String { self["JC_SSHD_PASSWORD"] }
        var fingerprint: String { self["JC_SSHD_FINGERPRINT"] }
        var fingerprintB: String { self["JC_SSHD_FINGERPRINT_B"] }
    }

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("support/sshd-fixture.sh").path
    }

    /// Starts the fixture (needs root: it creates users); nil when it cannot run here.
    static let env: Env? = {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: script) else { return nil }
        guard shell([script, "start"]).status == 0 else { return nil }
        let out = shell([script, "env"])
        guard out.status == 0 else { return nil }
        var values: [String: String] = [:]
        for line in out.text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let eq = line.firstIndex(of: "=") else { continue }
            values[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return Env(values: values)
    }()

    static var available: Bool { env != nil }

    /// Runs a local command to the end, synchronously (popen: for the one-time fixture start).
    @discardableResult
    static func shell(_ argv: [String]) -> (status: Int32, text: String) {
        let command = argv.map(Shell.quote).joined(separator: " ") + " 2>/dev/null"
        guard let pipe = popen(command, "r") else { return (127, "") }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, pipe)
            if n <= 0 { break }
            data += buffer[0..<n]
        }
        let status = pclose(pipe)
        return ((status >> 8) & 0xFF, String(decoding: data, as: UTF8.self))
    }

    static func keyHost(name: String = "fixture", sudo: ClusterCore.Host.Sudo = .nopasswd, port: Int? = nil) -> ClusterCore.Host {
        let e = env!
        return ClusterCore.Host(name: name, address: e.address, user: e.keyUser, port: port ?? e.port, auth: .key,
                                keyFile: e.keyFile, sudo: sudo)
    }

    static func passwordHost(name: String = "fixture-pw", sudo: ClusterCore.Host.Sudo = .password) -> ClusterCore.Host {
        let e = env!
        return ClusterCore.Host(name: name, address: e.address, user: e.passUser, port: e.port, auth: .password, sudo: sudo)
    }

    static func options(knownHosts: String? = nil) -> SSHOptions {
        SSHOptions(knownHostsFile: knownHosts ?? env!.knownHosts)
    }

    /// A fresh temp directory for one test.
    static func tempDir(_ tag: String = "t") -> String {
        let path = NSTemporaryDirectory() + "jc-\(tag)-\(ProcessSupport.nonce().prefix(10))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Collects output lines of a run.
final class LineLog: Sendable {
    private let lines = Mutex<[OutputLine]>([])
    var all: [OutputLine] { lines.withLock { $0 } }
    var stdout: [String] { all.filter { $0.stream == .stdout }.map(\.text) }
    var stderr: [String] { all.filter { $0.stream == .stderr }.map(\.text) }
    var sink: @Sendable (OutputLine) -> Void { { [self] line in self.lines.withLock { $0.append(line) } } }
}

extension Transport {
    /// Runs and collects.
    func capture(_ script: String, timeout: Duration = .seconds(30)) async -> (CommandResult, LineLog) {
        let log = LineLog()
        let result = await run(script, timeout: timeout, onLine: log.sink)
        return (result, log)
    }
}
