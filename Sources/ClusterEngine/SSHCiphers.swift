import Foundation

/// Which cipher order the control master asks for. OpenSSH's first choice, ChaCha20-Poly1305, is
/// computed by ssh itself; AES-GCM runs on the CPU's AES instructions and moves a large upload or a
/// flooding log with about a quarter less CPU on both ends (bench/log-flood). The order is changed
/// only when nobody chose one (the host's effective list is OpenSSH's built-in list) and this CPU
/// has AES instructions; no cipher is ever added or removed, so the server's choice still applies.
enum SSHCiphers {
    /// The reordered list, or nil to leave ssh's own order alone.
    static func preferred(effective: [String], builtIn: [String], cpuHasAES: Bool) -> [String]? {
        guard cpuHasAES, !effective.isEmpty, effective == builtIn else { return nil }
        let gcm = effective.filter { $0.hasPrefix("aes") && $0.hasSuffix("-gcm@openssh.com") }
        guard let first = effective.first, !gcm.isEmpty, !gcm.contains(first) else { return nil }
        return gcm + effective.filter { !gcm.contains($0) }
    }

    /// The `ciphers` line of `ssh -G` output.
    static func parse(_ output: String) -> [String] {
        for line in output.split(separator: "\n") where line.hasPrefix("ciphers ") {
            return line.dropFirst("ciphers ".count).split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        return []
    }

    /// True when /proc/cpuinfo lists the `aes` flag (x86 "flags", ARM "Features").
    static let cpuHasAES: Bool = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
        for line in text.split(separator: "\n") where line.hasPrefix("flags") || line.hasPrefix("Features") {
            if let colon = line.firstIndex(of: ":"), line[line.index(after: colon)...].split(separator: " ").contains("aes") { return true }
        }
        return false
    }()

    /// `-o Ciphers=...` for the master, or nothing. Asks ssh itself (`ssh -G`, no network) for the
    /// host's effective list and for the built-in one (`-F /dev/null`).
    static func arguments(program: String, options: [String], address: String) async -> [String] {
        guard cpuHasAES else { return [] }
        async let effective = query(program, options + ["-G", "--", address])
        async let builtIn = query(program, ["-F", "/dev/null", "-G", "--", address])
        guard let list = preferred(effective: await effective, builtIn: await builtIn, cpuHasAES: true) else { return [] }
        return ["-o", "Ciphers=" + list.joined(separator: ",")]
    }

    private static func query(_ program: String, _ arguments: [String]) async -> [String] {
        guard let r = try? await ProcessSupport.collect(program, arguments, limit: 1 << 20), r.status == 0 else { return [] }
        return parse(r.out)
    }
}
