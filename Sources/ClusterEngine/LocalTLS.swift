import ClusterCore
import Foundation

/// The balancer's certificate and key when they are on this machine, checked here with the
/// balancer's own check (assets/scripts/lb/tls-check.sh) before anything runs.
public enum LocalTLS {
    public enum Finding: Sendable, Equatable {
        case fine(String)
        case problem(String)
        case notRun(String)
    }

    public static func check(_ tls: LoadBalancer.TLS, serverName: String) async -> Finding {
        guard ["/usr/bin/openssl", "/bin/openssl", "/usr/local/bin/openssl"].contains(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return .notRun("openssl is not installed on this machine")
        }
        let script = ScriptFile.plain("lb/tls-check.sh", ["cert": tls.certificate, "key": tls.key, "server_name": serverName])
        do {
            let r = try await ProcessSupport.collect("/bin/sh", ["-c", script])
            let said = (r.out + r.err).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("chain: ") }
            switch r.status {
            case 0: return .fine(said.joined(separator: "; "))
            case 1: return .problem(said.joined(separator: "; "))
            default: return .notRun(said.joined(separator: "; "))
            }
        } catch {
            return .notRun("\(error)")
        }
    }
}
