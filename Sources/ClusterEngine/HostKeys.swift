import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Host keys. `ssh-keygen` looks the host up in the chosen known_hosts file (hashed entries too);
/// a host not on record is scanned (`ssh-keyscan`, SHA256 fingerprints by `ssh-keygen`) before the
/// first login, and the operator accepts the fingerprint (`accept`), which appends the scanned
/// line. ssh itself always runs with `StrictHostKeyChecking=yes` against the same file; when it
/// refuses a recorded host's key, the scan names the new key: a hard stop.
public enum HostKeys {
    public struct ScannedKey: Sendable, Equatable {
        /// The known_hosts line as scanned (`[host]:port type base64`, or hashed).
        public var line: String
        /// `ED25519`, `ECDSA`, `RSA`.
        public var keyType: String
        /// `SHA256:...`
        public var fingerprint: String
        /// The key's algorithm and base64 blob, for comparisons.
        var blob: String {
            let fields = line.split(separator: " ")
            return fields.count >= 3 ? fields[(fields.count - 2)...].joined(separator: " ") : line
        }
    }

    public enum Status: Sendable, Equatable {
        case known
        case unknown(ScannedKey)
        case changed(ScannedKey)
    }

    /// The operator's own file: the default.
    public static var defaultKnownHostsFile: String {
        (ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()) + "/.ssh/known_hosts"
    }

    /// How known_hosts names a host: `host`, or `[host]:port` off port 22.
    public static func knownName(host: String, port: Int) -> String {
        port == 22 ? host : "[\(host)]:\(port)"
    }

    /// The server's keys, preferred first (ED25519, ECDSA, RSA: the order ssh negotiates).
    public static func scan(host: String, port: Int, hashed: Bool = false, timeout: Int = 5) async throws -> [ScannedKey] {
        guard let keyscan = ProcessSupport.which("ssh-keyscan"), let keygen = ProcessSupport.which("ssh-keygen") else {
            throw TransportError.unreachable(host: host, detail: "ssh-keyscan/ssh-keygen are not installed (openssh-client)")
        }
        var args = ["-T", String(timeout), "-p", String(port)]
        if hashed { args.append("-H") }
        args += ["--", host]
        let scanned: ProcessSupport.Collected
        do { scanned = try await ProcessSupport.collect(keyscan, args) } catch {
            throw TransportError.unreachable(host: host, detail: "ssh-keyscan: \(error)")
        }
        let lines = scanned.out.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && $0.split(separator: " ").count >= 3 }
        guard !lines.isEmpty else {
            let why = scanned.err.split(separator: "\n").filter { !$0.hasPrefix("#") }.last.map(String.init)
            throw TransportError.unreachable(host: host, detail: why ?? "no SSH server answered on port \(port)")
        }
        var keys: [ScannedKey] = []
        for line in lines {
            let fp = try await ProcessSupport.collect(keygen, ["-l", "-E", "sha256", "-f", "-"], input: Array((line + "\n").utf8))
            let fields = fp.out.split(separator: " ")
            guard fp.status == 0, fields.count >= 2, fields[1].hasPrefix("SHA256:") else { continue }
            var type = String(fields.last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if type.hasPrefix("("), type.hasSuffix(")") { type = String(type.dropFirst().dropLast()) }
            keys.append(ScannedKey(line: line, keyType: type, fingerprint: String(fields[1])))
        }
        let rank = { (k: ScannedKey) -> Int in ["ED25519": 0, "ECDSA": 1, "RSA": 2][k.keyType] ?? 3 }
        return keys.sorted { rank($0) < rank($1) }
    }

    /// The recorded key lines for a host (hashed lines are matched by ssh-keygen).
    static func recorded(host: String, port: Int, knownHostsFile: String) async throws -> [String] {
        guard FileManager.default.fileExists(atPath: knownHostsFile) else { return [] }
        guard let keygen = ProcessSupport.which("ssh-keygen") else { return [] }
        let found = try await ProcessSupport.collect(keygen, ["-F", knownName(host: host, port: port), "-f", knownHostsFile])
        return found.out.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
    }

    /// Compares the server's keys with the file.
    public static func check(host: String, port: Int, knownHostsFile: String) async throws -> Status {
        let scanned = try await scan(host: host, port: port)
        let recorded = try await recorded(host: host, port: port, knownHostsFile: knownHostsFile)
        guard let preferred = scanned.first else {
            throw TransportError.unreachable(host: host, detail: "the server offered no host key")
        }
        if recorded.isEmpty { return .unknown(preferred) }
        let revoked = recorded.filter { $0.hasPrefix("@revoked") }
        let plain = recorded.filter { !$0.hasPrefix("@") }
        func blob(_ line: String) -> String {
            let f = line.split(separator: " ")
            return f.count >= 3 ? f[(f.count - 2)...].joined(separator: " ") : line
        }
        if scanned.contains(where: { k in revoked.contains { blob($0) == k.blob } }) { return .changed(preferred) }
        // Compare each recorded key with the scanned key of its own type.
        if let match = scanned.first(where: { k in plain.contains { blob($0) == k.blob } }) { _ = match; return .known }
        if plain.isEmpty { return .unknown(preferred) }
        return .changed(preferred)
    }

    /// Records the host's key whose fingerprint the operator accepted. Rescans and refuses when the
    /// server no longer shows that fingerprint.
    @discardableResult
    public static func accept(host: String, port: Int, fingerprint: String, knownHostsFile: String,
                              hashed: Bool = false) async throws -> ScannedKey {
        let keys = try await scan(host: host, port: port, hashed: hashed)
        guard let key = keys.first(where: { $0.fingerprint == fingerprint }) else {
            let offered = keys.map { "\($0.keyType) \($0.fingerprint)" }.joined(separator: ", ")
            throw TransportError.unknownHostKey(host: host, fingerprint: keys.first?.fingerprint ?? "?",
                                                keyType: keys.first.map { "\($0.keyType) (the accepted \(fingerprint) is not offered; offered: \(offered))" } ?? "?")
        }
        try append(line: key.line, to: knownHostsFile)
        return key
    }

    static func append(line: String, to file: String) throws {
        let dir = (file as NSString).deletingLastPathComponent
        if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        let fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw TransportError.unreachable(host: "", detail: "cannot write \(file): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        // Start on a line of its own when the file does not end with a newline.
        var prefix = ""
        var info = stat()
        if fstat(fd, &info) == 0, info.st_size > 0 {
            let rfd = open(file, O_RDONLY | O_CLOEXEC)
            if rfd >= 0 {
                var last: UInt8 = 0
                if pread(rfd, &last, 1, off_t(info.st_size - 1)) == 1, last != 0x0A { prefix = "\n" }
                close(rfd)
            }
        }
        let bytes = Array((prefix + line + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            throw TransportError.unreachable(host: "", detail: "cannot write \(file): \(String(cString: strerror(errno)))")
        }
    }

    /// `HOST=SHA256:...` as given to `--accept-host-key`.
    public static func parseAcceptOption(_ text: String) -> (host: String, fingerprint: String)? {
        guard let eq = text.firstIndex(of: "=") else { return nil }
        let host = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        let fp = String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        guard !host.isEmpty, fp.hasPrefix("SHA256:"), fp.count > 7 else { return nil }
        return (host, fp)
    }
}
