import ClusterCore
import ClusterEngine
import Foundation

/// "Test connection" for one host, run in the background: the host key first (an unknown one is
/// asked about in a dialog), then the engine's `Preflight` for the host's roles. Each stage posts
/// the rows so far, so the page fills in as the answers come.
public enum ConnectionTest {
    /// Tests `host` and posts `.hostTest` messages (and `.hostKeyUnknown` on first contact).
    public static func run(host: ClusterCore.Host, index: Int, answers: Answers, secrets: SecretValues, knownHostsFile: String,
                           post: @escaping @Sendable (AppMessage) -> Void) async {
        var checks: [HostTest.Check] = []
        func send(_ running: Bool) { post(.hostTest(host: host.name, HostTest(checks: checks, isRunning: running, tested: TestedHost(host)))) }
        func fail(_ name: String, _ detail: String) {
            checks.append(.init(name, .fail, detail))
            send(false)
        }

        // 1. Host key, before any login.
        if host.auth != .local {
            checks = [.init("Host key", .running, "scanning \(host.address) port \(host.port)")]
            send(true)
            do {
                switch try await HostKeys.check(host: host.address, port: host.port, knownHostsFile: knownHostsFile) {
                case .known:
                    checks = [.init("Host key", .ok, "known")]
                case .unknown(let key):
                    checks = [.init("Host key", .warn, "unknown: \(key.keyType) \(key.fingerprint), accept it to go on")]
                    send(false)
                    post(.hostKeyUnknown(hostIndex: index, host: host.name, fingerprint: key.fingerprint, keyType: key.keyType))
                    return
                case .changed(let key):
                    checks = []
                    fail("Host key", "CHANGED: now \(key.fingerprint). Stopped: check the server, then remove the old key from \(knownHostsFile)")
                    return
                }
            } catch {
                checks = []
                fail("SSH login", (error as? TransportError).map(Preflight.detail) ?? "\(error)")
                return
            }
        }

        // 2. Everything else: the engine's preflight.
        checks.append(.init("SSH login", .running, Preflight.login(of: host)))
        send(true)
        var options = SSHOptions(knownHostsFile: knownHostsFile)
        options.connectTimeout = 8
        let report = await Preflight(secrets: secrets, options: options).preflight(host: host, answers: answers)
        checks.removeLast()
        for row in report.rows {
            let outcome: HostTest.Outcome = switch row.status { case .ok: .ok; case .warn: .warn; case .fail: .fail }
            checks.append(.init(row.item, outcome, row.message))
        }
        send(false)
    }
}
