import ClusterCore
import Foundation
import Synchronization

/// A host's preflight: one row per item, each ok / warn / fail with a message.
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

/// Checks a host before anything is installed, for the wizard's "Test connection" (and any other
/// caller): SSH login, root access, OS, free disk, Java, the ports its layers will listen on, clock
/// skew against this machine, CPUs and memory. What counts as a problem follows the host's roles in
/// the answers (Java matters on app servers, ports on the hosts that will listen). Read-only.
public struct Preflight: Sendable {
    public var minRootFreeMB = 2048
    public var minAppFreeMB = 5120
    public var minMemoryMB = 2048
    public var minCPUs = 2
    public var warnSkewSeconds = 5.0
    public var failSkewSeconds = 60.0
    public var timeout: Duration = .seconds(30)
    private let makeTransport: @Sendable (ClusterCore.Host) -> any Transport
    /// False when the transports are shared (a pool's): the caller closes them.
    private let closesTransport: Bool

    public init(closesTransport: Bool = true, makeTransport: @escaping @Sendable (ClusterCore.Host) -> any Transport) {
        self.makeTransport = makeTransport
        self.closesTransport = closesTransport
    }

    /// With the transports the answers ask for.
    public init(secrets: SecretValues, options: SSHOptions = SSHOptions()) {
        self.init { host in Transports.make(host: host, secrets: secrets, options: options) }
    }

    /// The read-only script that gathers the host's facts (assets/scripts/engine/preflight.sh).
    static let script = ScriptFile.plain("engine/preflight.sh")

    /// Logs in to `host`, runs the read-only script, and judges what it printed for the host's roles.
    public func preflight(host: ClusterCore.Host, answers: Answers) async -> PreflightReport {
        var report = PreflightReport(host: host.name)
        let transport = makeTransport(host)
        defer { if closesTransport { Task { await transport.close() } } }
        let how = Preflight.login(of: host)
        do {
            try await transport.connect()
        } catch {
            let e = error as? TransportError
            report.connectError = e
            if case .sudoFailed(_, let detail)? = e {
                report.add("SSH login", .ok, how)
                report.add("Root access", .fail, detail.trimmingCharacters(in: .whitespacesAndNewlines))
            } else {
                report.add("SSH login", .fail, e.map(Preflight.detail) ?? "\(host.name): \(error)")
            }
            return report
        }
        report.add("SSH login", .ok, how)

        let facts = Mutex<[String: String]>([:])
        let errors = Mutex<[String]>([])
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
        report.facts = facts.withLock { $0 }
        guard result == .exited(0) else {
            let tail = errors.withLock { $0.suffix(2).joined(separator: " / ") }
            report.add("Root access", .fail, "the checks did not run: \(result)\(tail.isEmpty ? "" : ": " + tail)")
            return report
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        judge(&report, host: host, answers: answers, localTime: before + seconds / 2)
        return report
    }

    /// The rows for the facts read, for `host` with its roles in `answers`.
    func judge(_ report: inout PreflightReport, host: ClusterCore.Host, answers: Answers, localTime: Double) {
        let f = report.facts
        let isApp = !answers.nodes(on: host.name).isEmpty

        let sudo: String
        switch host.effectiveSudo {
        case .root: sudo = "logged in as root"
        case .nopasswd: sudo = "sudo without a password"
        case .password: sudo = "sudo with a password"
        }
        if f["uid"] == "0" { report.add("Root access", .ok, sudo) }
        else { report.add("Root access", .fail, "commands run as \(f["user"] ?? "?") (uid \(f["uid"] ?? "?")), not root: set sudo to nopasswd or password for this host") }

        let id = f["os_id"] ?? "", version = f["os_version"] ?? "", name = f["os_name"] ?? ""
        if Distro.releases.contains(where: { $0.id == id && $0.versionID == version }) {
            report.add("OS", .ok, name)
        } else if id == "debian" || id == "ubuntu" {
            report.add("OS", .warn, "\(name): not one of the tested releases (Debian 12, Ubuntu 22.04, 24.04)")
        } else {
            report.add("OS", .fail, "\(name.isEmpty ? "unknown" : name): the wizard installs on Debian or Ubuntu")
        }

        if let mb = f["disk_mb"].flatMap(Int.init) {
            let text = String(format: "%.1f GB free on /", Double(mb) / 1024)
            let wanted = isApp || answers.database.host == host.name ? minAppFreeMB : minRootFreeMB
            if mb < minRootFreeMB { report.add("Disk", .fail, text + ": too little") }
            else if mb < wanted { report.add("Disk", .warn, text + String(format: ", %.0f GB recommended", Double(wanted) / 1024)) }
            else { report.add("Disk", .ok, text) }
        } else {
            report.add("Disk", .warn, "could not read the free space")
        }

        let java = f["java"] ?? ""
        if java.isEmpty {
            report.add("Java", .ok, isApp ? "not installed yet: the install adds Java 17" : "not needed here")
        } else {
            let major = Preflight.javaMajor(java)
            let fine = major == 11 || major == 17
            let shown = Preflight.javaVersion(java).map { "Java \($0)" } ?? java
            report.add("Java", fine || !isApp ? .ok : .warn, fine || !isApp ? shown : "\(shown): Joget DX 8 wants 11 or 17; the install adds 17")
        }

        let wanted = HostRoles.ports(of: host.name, in: answers)
        let listen = (f["listen"] ?? "?").trimmingCharacters(in: .whitespaces)
        if wanted.isEmpty {
            report.add("Ports", .ok, "no layer listens here yet")
        } else if listen == "?" {
            report.add("Ports", .warn, "cannot list listening ports (neither ss nor netstat)")
        } else {
            let used = Set(listen.split(separator: " ").compactMap { Int($0) })
            let busy = wanted.filter { used.contains($0.port) }
            if busy.isEmpty {
                report.add("Ports", .ok, "free: " + wanted.map { String($0.port) }.joined(separator: ", "))
            } else {
                report.add("Ports", .warn, "in use: " + busy.map { "\($0.port) (\($0.what))" }.joined(separator: ", ")
                           + "; fine if an earlier install of this cluster runs there")
            }
        }

        if let remote = Double(f["epoch"] ?? "") {
            let skew = remote - localTime
            report.facts["clock_skew"] = String(format: "%.3f", skew)
            let text = abs(skew) < 2 ? "same time as this machine" : String(format: "%+.0f s from this machine", skew)
            let status: PreflightReport.Status = abs(skew) > failSkewSeconds ? .fail : (abs(skew) > warnSkewSeconds ? .warn : .ok)
            report.add("Clock", status, status == .ok ? text : text + ": set up NTP")
        } else {
            report.add("Clock", .warn, "could not read the time")
        }

        let cpus = Int(f["cpus"] ?? "") ?? 0
        report.add("CPU", cpus >= minCPUs ? .ok : .warn,
                   cpus > 0 ? "\(cpus) CPUs" + (cpus < minCPUs ? ", \(minCPUs) recommended" : "") : "unknown")
        let totalMB = (Int(f["mem_total_kb"] ?? "") ?? 0) / 1024
        let availMB = (Int(f["mem_avail_kb"] ?? "") ?? 0) / 1024
        if totalMB == 0 { report.add("Memory", .warn, "unknown") }
        else {
            report.add("Memory", totalMB >= minMemoryMB ? .ok : .warn,
                       "\(totalMB) MB, \(availMB) MB available" + (totalMB < minMemoryMB ? ", \(minMemoryMB) MB recommended" : ""))
        }
    }

    /// The quoted version: `openjdk version "17.0.9" 2023-10-17` → `17.0.9`.
    static func javaVersion(_ line: String) -> String? {
        guard let open = line.firstIndex(of: "\"") else { return nil }
        let v = line[line.index(after: open)...].prefix { $0 != "\"" }
        return v.isEmpty ? nil : String(v)
    }

    /// `openjdk version "17.0.9" 2023-10-17` → 17; `java version "1.8.0_382"` → 8.
    static func javaMajor(_ line: String) -> Int? {
        guard let version = javaVersion(line) else { return nil }
        let parts = version.split(separator: ".")
        guard let first = parts.first.flatMap({ Int($0) }) else { return nil }
        if first == 1, parts.count > 1 { return Int(parts[1]) }
        return first
    }

    /// How the host is reached, as the SSH login row shows it: `root@10.0.0.5:22 (key)`.
    public static func login(of host: ClusterCore.Host) -> String {
        host.auth == .local ? "this machine, no SSH" : "\(host.user)@\(host.address):\(host.port) (\(host.auth.rawValue))"
    }

    /// A transport error in a row: its detail, without the host name the row already shows.
    public static func detail(_ e: TransportError) -> String {
        switch e {
        case .authenticationFailed(_, let d), .unreachable(_, let d), .sudoFailed(_, let d), .transferFailed(_, let d):
            return d.trimmingCharacters(in: .whitespacesAndNewlines)
        default: return e.description
        }
    }
}
