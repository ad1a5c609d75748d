import ClusterCore
import ClusterEngine
import Foundation

/// "Test connection" for one host, run in the background: host key, SSH login, root access, then
/// one read-only probe for OS, free disk, Java, ports the host's roles need, and clock skew.
/// Each stage posts the rows so far, so the page fills in as the answers come.
public enum ConnectionTest {
    /// The probe, run as root through the host's transport. Read-only: prints `key=value` lines.
    static let probe = """
        echo "uid=$(id -u)"
        if [ -r /etc/os-release ]; then . /etc/os-release; echo "os_id=${ID:-}"; echo "os_version=${VERSION_ID:-}"; echo "os_name=${PRETTY_NAME:-}"; fi
        df -Pk / 2>/dev/null | awk 'NR==2 {print "disk_kb=" $4}'
        if command -v java >/dev/null 2>&1; then java -version 2>&1 | head -n 1 | sed 's/^/java=/'; else echo "java="; fi
        if command -v ss >/dev/null 2>&1; then ss -Hltn 2>/dev/null | awk '{print "listen=" $4}'; else echo "listen=?"; fi
        echo "clock=$(date +%s)"
        """

    /// Tests `host` and posts `.hostTest` messages (and `.hostKeyUnknown` on first contact).
    public static func run(host: ClusterCore.Host, index: Int, answers: Answers, secrets: SecretValues, knownHostsFile: String,
                           post: @escaping @Sendable (AppMessage) -> Void) async {
        var checks: [HostTest.Check] = []
        func send(_ running: Bool) { post(.hostTest(host: host.name, HostTest(checks: checks, isRunning: running))) }
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
                fail("SSH login", detail(error))
                return
            }
        }

        // 2. Login and root access.
        let loginText = host.auth == .local ? "this machine, no SSH" : "\(host.user)@\(host.address):\(host.port) (\(host.auth.rawValue))"
        checks.append(.init("SSH login", .running, loginText))
        send(true)
        var options = SSHOptions(knownHostsFile: knownHostsFile)
        options.connectTimeout = 8
        let transport = Transports.make(host: host, secrets: secrets, options: options)
        do {
            try await transport.connect()
        } catch let e as TransportError {
            checks.removeLast()
            switch e {
            case .sudoFailed(_, let d):
                checks.append(.init("SSH login", .ok, loginText))
                fail("Root access", d)
            case .unknownHostKey(_, let fp, let type):
                fail("Host key", "unknown: \(type) \(fp)")
            case .changedHostKey(_, let fp):
                fail("Host key", "CHANGED: now \(fp)")
            default:
                fail("SSH login", detail(e))
            }
            await transport.close()
            return
        } catch {
            checks.removeLast()
            fail("SSH login", detail(error))
            await transport.close()
            return
        }
        checks[checks.count - 1] = .init("SSH login", .ok, loginText)
        checks.append(.init("Root access", .running, "checking"))
        send(true)

        // 3. The probe.
        let lines = Lines()
        let before = Date().timeIntervalSince1970
        let result = await transport.run(probe, timeout: .seconds(30)) { line in
            if line.stream == .stdout { lines.append(line.text) }
        }
        let after = Date().timeIntervalSince1970
        await transport.close()
        guard result == .exited(0) else {
            checks.removeLast()
            fail("Root access", "the checks did not run: \(result)")
            return
        }
        checks.removeLast()
        checks += judge(lines.all, host: host, answers: answers, localTime: (before + after) / 2)
        send(false)
    }

    /// The rows for what the probe printed.
    static func judge(_ output: [String], host: ClusterCore.Host, answers: Answers, localTime: Double) -> [HostTest.Check] {
        var v: [String: String] = [:]
        var listening: [String] = []
        for line in output {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq]), value = String(line[line.index(after: eq)...])
            if key == "listen" { listening.append(value) } else { v[key] = value }
        }
        var out: [HostTest.Check] = []
        let sudoText: String
        switch host.sudo {
        case .root: sudoText = "logged in as root"
        case .nopasswd: sudoText = "sudo without a password"
        case .password: sudoText = "sudo with a password"
        }
        out.append(v["uid"] == "0" ? .init("Root access", .ok, sudoText) : .init("Root access", .fail, "commands do not run as root (uid \(v["uid"] ?? "?"))"))

        let id = v["os_id"] ?? "", version = v["os_version"] ?? "", name = v["os_name"] ?? "unknown"
        if Distro.releases.contains(where: { $0.id == id && $0.versionID == version }) {
            out.append(.init("OS", .ok, name))
        } else if id == "debian" || id == "ubuntu" {
            out.append(.init("OS", .warn, "\(name): not one of the tested releases (Debian 12, Ubuntu 22.04, 24.04)"))
        } else {
            out.append(.init("OS", .fail, "\(name.isEmpty ? "unknown" : name): the wizard installs on Debian or Ubuntu"))
        }

        if let kb = v["disk_kb"].flatMap(Double.init) {
            let gb = kb / 1024 / 1024
            let text = String(format: "%.1f GB free on /", gb)
            let isApp = !answers.nodes(on: host.name).isEmpty || answers.database.host == host.name
            out.append(.init("Disk", gb < 2 ? .fail : (gb < 5 && isApp ? .warn : .ok), gb < 2 ? text + ": too little" : text))
        } else {
            out.append(.init("Disk", .warn, "could not read the free space"))
        }

        let java = v["java"] ?? ""
        let needsJava = !answers.nodes(on: host.name).isEmpty
        if java.isEmpty {
            out.append(.init("Java", .ok, needsJava ? "not installed yet: the install adds Java 17" : "not needed here"))
        } else {
            let major = javaMajor(java)
            let fine = major == 11 || major == 17
            let shown = javaVersion(java).map { "Java \($0)" } ?? java
            out.append(.init("Java", fine || !needsJava ? .ok : .warn,
                             fine || !needsJava ? shown : "\(shown): Joget DX 8 wants 11 or 17; the install adds 17"))
        }

        let wanted = HostRoles.ports(of: host.name, in: answers)
        if wanted.isEmpty {
            out.append(.init("Ports", .ok, "no layer listens here yet"))
        } else if listening == ["?"] {
            out.append(.init("Ports", .warn, "cannot list listening ports (no ss)"))
        } else {
            let used = Set(listening.compactMap { addr -> Int? in addr.split(separator: ":").last.flatMap { Int($0) } })
            let busy = wanted.filter { used.contains($0.port) }
            if busy.isEmpty {
                out.append(.init("Ports", .ok, "free: " + wanted.map { String($0.port) }.joined(separator: ", ")))
            } else {
                out.append(.init("Ports", .warn, "in use: " + busy.map { "\($0.port) (\($0.what))" }.joined(separator: ", ")
                                 + "; fine if an earlier install of this cluster runs there"))
            }
        }

        if let remote = v["clock"].flatMap(Double.init) {
            let skew = (remote - localTime).rounded()
            let text = abs(skew) < 2 ? "same time as this machine" : String(format: "%+.0f s from this machine", skew)
            out.append(.init("Clock", abs(skew) > 60 ? .fail : (abs(skew) > 5 ? .warn : .ok), text))
        } else {
            out.append(.init("Clock", .warn, "could not read the time"))
        }
        return out
    }

    /// The quoted version: `openjdk version "17.0.9" 2023-10-17` → `17.0.9`.
    static func javaVersion(_ line: String) -> String? {
        guard let open = line.firstIndex(of: "\"") else { return nil }
        let v = line[line.index(after: open)...].prefix { $0 != "\"" }
        return v.isEmpty ? nil : String(v)
    }

    /// `openjdk version "17.0.9" 2023-10-17` → 17; `java version "1.8.0_382"` → 8.
    static func javaMajor(_ line: String) -> Int? {
        guard let open = line.firstIndex(of: "\"") else { return nil }
        let rest = line[line.index(after: open)...]
        let version = rest.prefix { $0 != "\"" }
        let parts = version.split(separator: ".")
        guard let first = parts.first.flatMap({ Int($0) }) else { return nil }
        if first == 1, parts.count > 1 { return Int(parts[1]) }
        return first
    }

    static func detail(_ error: Error) -> String {
        if let e = error as? TransportError {
            switch e {
            case .authenticationFailed(_, let d), .unreachable(_, let d), .sudoFailed(_, let d), .transferFailed(_, let d):
                return d.trimmingCharacters(in: .whitespacesAndNewlines)
            default: return e.description
            }
        }
        return "\(error)"
    }

    /// Lines collected from a transport's callback.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }
}
