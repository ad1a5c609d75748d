import ClusterCore
import Foundation
import Synchronization

/// The wizard's "Test connection": one row per item, each ok / warn / fail with a message.
public struct PreflightReport: Sendable, Equatable {
    public enum Status: String, Sendable, Codable { case ok, warn, fail }
    public struct Row: Sendable, Equatable {
        public var item: String
        public var status: Status
        public var message: String
        public init(item: String, status: Status, message: String) { self.item = item; self.status = status; self.message = message }
    }
    public var host: String
    public var rows: [Row] = []
    /// Why the login failed, when it did (an unknown host key: show the fingerprint and ask).
    public var connectError: TransportError? = nil
    /// Facts read on the host (os_id, os_version, java, cpus, ...), for other checks.
    public var facts: [String: String] = [:]

    public init(host: String) { self.host = host }

    public var passed: Bool { !rows.contains { $0.status == .fail } }
    public func row(_ item: String) -> Row? { rows.first { $0.item == item } }
    mutating func add(_ item: String, _ status: Status, _ message: String) { rows.append(Row(item: item, status: status, message: message)) }
}

/// Checks a host before anything is installed: login, sudo, OS, free disk on / and /opt, Java,
/// ports, clock skew against this machine, CPUs and memory. Read-only on the host.
public struct Preflight: Sendable {
    /// Ports the plan will listen on: they should be free (a listener there is a warning).
    public var freePorts: [Int] = []
    /// Ports that must already be listening (an existing service the cluster uses).
    public var listeningPorts: [Int] = []
    public var minRootFreeMB = 1024
    public var minOptFreeMB = 2048
    public var minMemoryMB = 2048
    public var minCPUs = 2
    public var warnSkewSeconds = 2.0
    public var failSkewSeconds = 60.0
    public var timeout: Duration = .seconds(60)
    private let makeTransport: @Sendable (ClusterCore.Host) -> any Transport

    public init(freePorts: [Int] = [], listeningPorts: [Int] = [],
                makeTransport: @escaping @Sendable (ClusterCore.Host) -> any Transport) {
        self.freePorts = freePorts
        self.listeningPorts = listeningPorts
        self.makeTransport = makeTransport
    }

    /// With the transports the answers ask for.
    public init(secrets: SecretValues, options: SSHOptions = SSHOptions(), freePorts: [Int] = [], listeningPorts: [Int] = []) {
        self.init(freePorts: freePorts, listeningPorts: listeningPorts) { host in
            Transports.make(host: host, secrets: secrets, options: options)
        }
    }

    static let script = """
        LC_ALL=C; export LC_ALL
        echo "uid=$(id -u)"
        echo "user=$(id -un)"
        if [ -r /etc/os-release ]; then . /etc/os-release; echo "os_id=${ID:-}"; echo "os_like=${ID_LIKE:-}"; echo "os_version=${VERSION_ID:-}"; echo "os_name=${PRETTY_NAME:-}"; fi
        for d in / /opt; do
          p=$d; while [ ! -d "$p" ]; do p=$(dirname "$p"); done
          df -Pm "$p" 2>/dev/null | awk -v k="$d" 'NR == 2 { print "disk" k "=" $4 " " $6 }'
        done
        if command -v java >/dev/null 2>&1; then echo "java=$(java -version 2>&1 | head -n 1)"; else echo "java="; fi
        if command -v ss >/dev/null 2>&1; then
          echo "listen=$(ss -Hltn 2>/dev/null | awk '{ n = split($4, a, ":"); print a[n] }' | sort -un | tr '\\n' ' ')"
        elif command -v netstat >/dev/null 2>&1; then
          echo "listen=$(netstat -ltn 2>/dev/null | awk 'NR > 2 { n = split($4, a, ":"); print a[n] }' | sort -un | tr '\\n' ' ')"
        else echo "listen=?"; fi
        echo "cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
        awk '/^MemTotal:/ { print "mem_total_kb=" $2 } /^MemAvailable:/ { print "mem_avail_kb=" $2 }' /proc/meminfo
        echo "epoch=$(date +%s.%N)"
        """

    public func preflight(host: ClusterCore.Host) async -> PreflightReport {
        var report = PreflightReport(host: host.name)
        let transport = makeTransport(host)
        defer { Task { await transport.close() } }
        let how = host.auth == .local ? "this machine" : "\(host.user)@\(host.address):\(host.port) (\(host.auth.rawValue))"
        do {
            try await transport.connect()
        } catch let error as TransportError {
            report.connectError = error
            switch error {
            case .sudoFailed:
                report.add("login", .ok, "logged in to \(how)")
                report.add("sudo", .fail, error.description)
            default:
                report.add("login", .fail, error.description)
            }
            return report
        } catch {
            report.add("login", .fail, "\(host.name): \(error)")
            return report
        }
        report.add("login", .ok, "logged in to \(how)")

        let facts = Locked<[String: String]>([:])
        let errors = Locked<[String]>([])
        let clock = ContinuousClock()
        let before = Date().timeIntervalSince1970
        let start = clock.now
        let result = await transport.run(Preflight.script, timeout: timeout) { line in
            if line.stream == .stderr { errors.withLock { $0.append(line.text) }; return }
            guard let eq = line.text.firstIndex(of: "=") else { return }
            let key = String(line.text[..<eq]), value = String(line.text[line.text.index(after: eq)...])
            facts.withLock { $0[key] = value }
        }
        let elapsed = clock.now - start
        let f = facts.withLock { $0 }
        report.facts = f
        guard result == .exited(0) else {
            let tail = errors.withLock { $0.suffix(2).joined(separator: " / ") }
            report.add("checks", .fail, "the check script did not finish: \(result)\(tail.isEmpty ? "" : ": " + tail)")
            return report
        }

        // sudo
        let uid = f["uid"] ?? ""
        switch (host.sudo, uid) {
        case (_, "0") where host.sudo == .root:
            report.add("sudo", .ok, "the user is root")
        case (_, "0"):
            report.add("sudo", .ok, "sudo (\(host.sudo.rawValue)) gives root")
        default:
            report.add("sudo", .fail, "commands run as \(f["user"] ?? "?") (uid \(uid)), not root: set sudo to nopasswd or password for this host")
        }

        // OS
        let osID = f["os_id"] ?? "", osName = f["os_name"] ?? "", like = f["os_like"] ?? ""
        if osID.isEmpty {
            report.add("os", .warn, "no /etc/os-release: unknown system")
        } else if ["debian", "ubuntu"].contains(osID) || like.contains("debian") {
            report.add("os", .ok, osName.isEmpty ? "\(osID) \(f["os_version"] ?? "")" : osName)
        } else {
            report.add("os", .warn, "\(osName.isEmpty ? osID : osName): only Debian and Ubuntu are tested")
        }

        // disk
        for (key, item, minimum) in [("disk/", "disk /", minRootFreeMB), ("disk/opt", "disk /opt", minOptFreeMB)] {
            guard let text = f[key], let mb = Int(text.split(separator: " ").first ?? "") else {
                report.add(item, .warn, "free space unknown"); continue
            }
            let on = text.split(separator: " ").dropFirst().first.map { " (on \($0))" } ?? ""
            if mb < minimum / 4 { report.add(item, .fail, "\(mb) MB free\(on), need \(minimum) MB") }
            else if mb < minimum { report.add(item, .warn, "\(mb) MB free\(on), \(minimum) MB recommended") }
            else { report.add(item, .ok, "\(mb) MB free\(on)") }
        }

        // Java
        if let java = f["java"], !java.isEmpty {
            report.add("java", .ok, java)
        } else {
            report.add("java", .warn, "no java on PATH: it will be installed")
        }

        // ports
        let listenText = f["listen"] ?? "?"
        if listenText.trimmingCharacters(in: .whitespaces) == "?" {
            if !(freePorts + listeningPorts).isEmpty { report.add("ports", .warn, "neither ss nor netstat: ports not checked") }
        } else {
            let listening = Set(listenText.split(separator: " ").compactMap { Int($0) })
            for port in freePorts {
                if listening.contains(port) { report.add("port \(port)", .warn, "already in use (something listens on \(port))") }
                else { report.add("port \(port)", .ok, "free") }
            }
            for port in listeningPorts {
                if listening.contains(port) { report.add("port \(port)", .ok, "listening") }
                else { report.add("port \(port)", .fail, "nothing listens on \(port)") }
            }
        }

        // clock skew: the remote time against the middle of the round trip
        if let epoch = Double(f["epoch"] ?? "") {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let skew = epoch - (before + seconds / 2)
            report.facts["clock_skew"] = String(format: "%.3f", skew)
            let text = String(format: "%+.1f s against this machine", skew)
            if abs(skew) > failSkewSeconds { report.add("clock", .fail, text + ": set up NTP") }
            else if abs(skew) > warnSkewSeconds { report.add("clock", .warn, text + ": set up NTP") }
            else { report.add("clock", .ok, text) }
        } else {
            report.add("clock", .warn, "time unknown")
        }

        // CPU and memory
        let cpus = Int(f["cpus"] ?? "") ?? 0
        report.add("cpu", cpus >= minCPUs ? .ok : .warn, cpus > 0 ? "\(cpus) CPUs" + (cpus < minCPUs ? ", \(minCPUs) recommended" : "") : "unknown")
        let totalMB = (Int(f["mem_total_kb"] ?? "") ?? 0) / 1024
        let availMB = (Int(f["mem_avail_kb"] ?? "") ?? 0) / 1024
        if totalMB == 0 { report.add("memory", .warn, "unknown") }
        else {
            report.add("memory", totalMB >= minMemoryMB ? .ok : .warn,
                       "\(totalMB) MB, \(availMB) MB available" + (totalMB < minMemoryMB ? ", \(minMemoryMB) MB recommended" : ""))
        }
        return report
    }
}
