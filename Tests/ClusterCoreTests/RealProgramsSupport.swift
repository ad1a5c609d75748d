import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import ClusterCore

/// Which real programs this machine has. A test that needs a missing one is skipped with a message
/// naming Tests/support/install-test-deps.sh (CI runs it, so there they run).
enum Installed {
    static func exists(_ path: String) -> Bool { FileManager.default.isExecutableFile(atPath: path) }

    static let apache = exists("/usr/sbin/apache2") && exists("/usr/sbin/apache2ctl")
        && FileManager.default.fileExists(atPath: "/usr/lib/apache2/modules/mod_proxy_balancer.so")
    static let tomcat = exists("/usr/share/tomcat10/bin/catalina.sh") && exists("/usr/bin/java")
    /// `java File.java` needs the compiler module, which a JRE lacks.
    static let javaSource: Bool = {
        guard exists("/usr/bin/java") else { return false }
        return (try? Run.program("/usr/bin/java", ["--list-modules"]))?.output.contains("jdk.compiler") ?? false
    }()
    static let systemdAnalyze = exists("/usr/bin/systemd-analyze")
    static let python = exists("/usr/bin/python3")
    static let curl = exists("/usr/bin/curl")
    /// runuser (the plan's way to act as the service user) needs root.
    static let root = getuid() == 0
    /// A private network namespace (root, unshare, ip).
    static let netns = root && exists("/usr/bin/unshare") && (exists("/usr/sbin/ip") || exists("/usr/bin/ip"))

    /// The reason shown when a test is skipped.
    static func missing(_ what: String) -> Comment {
        Comment(rawValue: "SKIPPED: \(what) is not installed here; run Tests/support/install-test-deps.sh as root")
    }
}

enum Net {
    /// A TCP port nobody listens on right now, from the kernel.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Whether 127.0.0.1:port can be bound now.
    static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// An HTTP port for a Tomcat node whose shutdown port (75 below) is free too, below the kernel's
    /// ephemeral range: a port from `freePort()` left the shutdown port to chance (seen taken in CI).
    static func freeNodePort() -> Int {
        for _ in 0..<200 {
            let p = Int.random(in: 20100..<30000)
            if canBind(p) && canBind(p - 75) { return p }
        }
        return freePort()
    }

    /// A free port whose next port is free too, below the kernel's ephemeral range (where freePort's
    /// ports, and other programs' outgoing connections, come from), so nothing takes the second meanwhile.
    static func freePortPair() -> Int {
        for _ in 0..<200 {
            let p = Int.random(in: 20000..<30000)
            if canBind(p) && canBind(p + 1) { return p }
        }
        return freePort()
    }
}
