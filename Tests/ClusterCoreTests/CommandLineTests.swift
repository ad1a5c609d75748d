import Foundation
import Testing
import TestSupport

/// A command line the program refuses exits 2, as every command's help says for invalid input,
/// names the option and the value, and runs nothing.
@Suite(.enabled(if: BuiltBinary.path != nil, "the joget-cluster binary is not built"))
struct CommandLineTests {
    @Test(arguments: [
        (["backup", "--keep", "0"], "--keep: 0 keeps no backup"),
        (["backup", "--keep=-3"], "--keep: -3 keeps no backup"),
        (["backup", "--keep", "seven"], "'seven' is invalid for '--keep"),
        (["licenses", "--export", "pdf"], "--export must be md or csv, not \"pdf\""),
        (["upgrade"], "give either --bundle FILE or --rollback"),
        (["apply", "--no-such-option"], "Unknown option '--no-such-option'"),
    ])
    func refusedCommandLinesExitTwoNamingTheValue(arguments: [String], message: String) throws {
        let home = NSTemporaryDirectory() + "jc-cli-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let r = Program.run([try #require(BuiltBinary.path)] + arguments + ["--state-dir", home + "/state"],
                            environment: ["HOME": home, "PATH": "/usr/bin:/bin"])
        #expect(r.status == 2, "\(r.errors)")
        #expect(r.errors.contains(message), "\(r.errors)")
        #expect(r.errors.contains("Usage: joget-cluster"), "the usage follows the message")
        #expect(r.output.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: home + "/state"), "nothing was started")
    }

    @Test func helpStillExitsZero() throws {
        let r = Program.run([try #require(BuiltBinary.path), "backup", "--help"])
        #expect(r.status == 0)
        #expect(r.output.contains("--keep <keep>"))
    }
}
