import ClusterCore
import Foundation
import Testing
import TestSupport

/// The example timers (assets/examples/systemd): systemd reads every unit without a word, and the
/// command line each service runs is one joget-cluster accepts.
struct SystemdExampleTests {
    static let units = ["backup", "drift"]
    static let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func text(_ unit: String, _ kind: String) -> String {
        Assets.text("assets/examples/systemd/joget-cluster-\(unit).\(kind)") ?? ""
    }

    /// The service's ExecStart, split on spaces (it has no quoting), the program first.
    static func execStart(_ unit: String) -> [String] {
        let line = text(unit, "service").split(separator: "\n").first { $0.hasPrefix("ExecStart=") } ?? ""
        return line.dropFirst("ExecStart=".count).split(separator: " ").map(String.init)
    }

    @Test(.enabled(if: analyze != nil && BuiltBinary.path != nil, "needs systemd-analyze and the built binary"), arguments: units)
    func systemdReadsTheUnitsWithoutAWarning(unit: String) throws {
        let dir = NSTemporaryDirectory() + "jc-units-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // verify wants the program to exist and the user to be known: this machine's binary, root.
        let service = Self.text(unit, "service")
            .replacingOccurrences(of: "ExecStart=/usr/local/bin/joget-cluster", with: "ExecStart=" + (try #require(BuiltBinary.path)))
            .replacingOccurrences(of: "User=joget-admin", with: "User=root")
        let timer = Self.text(unit, "timer")
        #expect(service != Self.text(unit, "service"), "the program was replaced")
        try service.write(toFile: "\(dir)/joget-cluster-\(unit).service", atomically: true, encoding: .utf8)
        try timer.write(toFile: "\(dir)/joget-cluster-\(unit).timer", atomically: true, encoding: .utf8)
        let r = Program.run([try #require(Self.analyze), "verify", "\(dir)/joget-cluster-\(unit).service", "\(dir)/joget-cluster-\(unit).timer"])
        #expect(r.status == 0, "\(r.errors)")
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(timer.contains("OnCalendar=") && timer.contains("Persistent=true"))
    }

    @Test(.enabled(if: BuiltBinary.path != nil, "the joget-cluster binary is not built"),
          arguments: [("backup", ["backup"]), ("drift", ["apply", "--dry-run"])])
    func theServicesCommandLineIsOneJogetClusterAccepts(unit: String, command: [String]) throws {
        let argv = Self.execStart(unit)
        #expect(argv.first == "/usr/local/bin/joget-cluster")
        #expect(Array(argv.dropFirst().prefix(command.count)) == command)
        #expect(argv.contains("--secrets") && argv.contains("--state-dir"))
        // Its options parse; it stops at the answers, which are not on this machine.
        let r = Program.run([try #require(BuiltBinary.path)] + argv.dropFirst(), environment: ["HOME": NSTemporaryDirectory(), "PATH": "/usr/bin:/bin"])
        #expect(r.status == 2)
        #expect(!r.errors.contains("Usage:"), "\(r.errors)")
        #expect(r.errors.contains("/home/joget-admin/.local/state/joget-cluster/acme-joget/answers.yaml"), "\(r.errors)")
    }

    /// Secrets come from the 0600 secrets file, never from a unit (world-readable) or argv.
    @Test(arguments: units)
    func noSecretIsInTheUnit(unit: String) {
        #expect(!Self.execStart(unit).isEmpty)
        #expect(!Self.text(unit, "service").contains("JOGET_SECRET_") && !Self.text(unit, "service").contains("Environment"))
        #expect(!Self.execStart(unit).contains { $0.lowercased().contains("password") })
    }
}
