import Foundation
import TestSupport
import Testing

/// `--plain` runs the checks of `check` before it installs, as apply does: a FAIL stops it before
/// anything changes.
@Suite("Line mode checks first", .enabled(if: BuiltBinary.path != nil))
struct PlainCheckTests {
    @Test func yesToInstallChecksTheHostsFirstAndAFailChangesNothing() throws {
        let dir = NSTemporaryDirectory() + "plain-check-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir + "/state", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // No SSH server answers on ports 1 and 3: the check fails; the bundle is on the servers (not read here).
        try """
            version: 1
            cluster: lab
            hosts:
              - {name: app1, address: 127.0.0.1, user: admin, port: 1, auth: agent, sudo: nopasswd}
              - {name: lb, address: 127.0.0.1, user: admin, port: 3, auth: agent, sudo: nopasswd}
            sharedFiles: {provider: nfs, server: app1, exportPath: /export/wflow, mountPoint: /opt/joget/shared/wflow}
            database: {engine: mariadb, host: app1, port: 3306, name: jwedb, user: joget, passwordSecret: db-password, admin: socket}
            appServers:
              bundle: /opt/joget.tar.gz
              bundleOn: server
              nodes: [{name: node01, host: app1}]
            loadBalancer: {host: lb, serverName: joget.example.test, httpPort: 80}

            """.write(toFile: dir + "/state/answers.yaml", atomically: true, encoding: .utf8)

        let (status, output) = try Self.answerEveryQuestion([BuiltBinary.path!, "--plain", "--state-dir", dir + "/state"],
                                                            environment: ["HOME": dir, "PATH": "/usr/bin:/bin",
                                                                          "JOGET_SECRET_DB_PASSWORD": "pw"])
        #expect(output.contains("Install now? [y/N]"))
        #expect(output.contains("Checking the hosts and the network between them"), "\(output)")
        #expect(output.contains("FAIL  app1: SSH login"))
        #expect(output.contains("failed"))
        #expect(output.contains("a check failed, so nothing was changed"))
        #expect(status == 5)
        #expect(!FileManager.default.fileExists(atPath: dir + "/state/journal.jsonl"), "no step ran")
    }

    /// Runs `argv`, pressing Enter at each question (keeping the value shown) and answering y to
    /// "Install now?". A line is sent only once the program waits: its output ends with a prompt,
    /// or has not moved for a while (a password prompt may sit in a buffer).
    static func answerEveryQuestion(_ argv: [String], environment: [String: String]) throws -> (Int32, String) {
        let input = Program.pipe()
        let out = NSTemporaryDirectory() + "plain-out-" + UUID().uuidString.prefix(8)
        defer { unlink(out) }
        let outFD = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let pid = try Program.spawn(argv, environment: environment, stdin: input.read, stdout: outFD, stderr: outFD)
        close(input.read)
        close(outFD)
        var writer: Int32? = input.write
        var lastFed = "", lastChange = Date(), seen = ""
        let deadline = Date().addingTimeInterval(120)
        var raw: Int32 = 0
        while waitpid(pid, &raw, WNOHANG) == 0 {
            if Date() > deadline { kill(pid, SIGKILL) }
            Thread.sleep(forTimeInterval: 0.02)
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            if text != seen { seen = text; lastChange = Date() }
            guard let fd = writer else { continue }
            if text.hasSuffix("Install now? [y/N] ") {
                _ = "y\n".withCString { write(fd, $0, 2) }
                close(fd)
                writer = nil
                continue
            }
            let waiting = text != lastFed && (text.hasSuffix(": ") || text.hasSuffix("] "))
            if waiting || Date().timeIntervalSince(lastChange) > 0.5 {
                _ = "\n".withCString { write(fd, $0, 1) }
                lastFed = text
                lastChange = Date()
            }
        }
        if let writer { close(writer) }
        let status = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        return (status, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
    }
}
