import ClusterCore
@testable import ClusterEngine
import Foundation
import Synchronization
import Testing

/// LocalTransport: the same framed shell, on this machine.
struct TransportLocalTests {
    /// Markers are 32 lowercase hex digits of fresh random bits: leading zeros kept, never the same twice.
    @Test func noncesAreThirtyTwoHexDigits() {
        let nonces = (0..<2_000).map { _ in ProcessSupport.nonce() }
        #expect(nonces.allSatisfy { $0.utf8.count == 32 && $0.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) } })
        #expect(Set(nonces).count == nonces.count)
        // Some of 4,000 sixteen-digit halves start with a zero digit (about 250 expected): the padding is exercised.
        #expect(nonces.contains { $0.hasPrefix("0") || $0.dropFirst(16).hasPrefix("0") })
    }

    @Test func runsScriptsWithStatusAndStreams() async throws {
        let t = LocalTransport()
        let (r, log) = await t.capture("echo out; echo err >&2; exit 4")
        #expect(r == .exited(4))
        #expect(log.stdout == ["out"])
        #expect(log.stderr == ["err"])
        let (r2, log2) = await t.capture("cd /tmp && pwd; X=1")
        #expect(r2 == .exited(0))
        #expect(log2.stdout == ["/tmp"])
        // Each script runs in its own subshell: nothing leaks into the next.
        let (_, log3) = await t.capture("pwd; echo \"[${X:-}]\"")
        #expect(log3.stdout == ["/", "[]"])
        await t.close()
    }

    @Test func scriptNeverInArgvAndStdinIsNull() async throws {
        let t = LocalTransport()
        let secret = "jc-local-\(ProcessSupport.nonce())"
        let (r, log) = await t.capture("cat; S=\(Shell.quote(secret)); sleep 0.3; echo done")
        #expect(r == .exited(0))
        #expect(log.stdout == ["done"])
        let task = Task { await t.capture("S=\(Shell.quote(secret)); sleep 0.5").0 }
        try await Task.sleep(for: .milliseconds(200))
        #expect(ProcScan.find(Array(secret.utf8)).isEmpty)
        #expect(await task.value == .exited(0))
        await t.close()
    }

    @Test func batchesHoldEveryLineInOrder() async throws {
        let t = LocalTransport()
        let batches = Mutex<[[OutputLine]]>([])
        let r = await t.runBatched("seq 1 200000; echo err >&2; printf 'last'", timeout: .seconds(60)) { batch in
            batches.withLock { $0.append(batch) }
        }
        #expect(r == .exited(0))
        let all = batches.withLock { $0 }
        #expect(!all.contains { $0.isEmpty })
        #expect(all.count < 200_000 / 10, "lines come many at a time")
        let out = all.joined().filter { $0.stream == .stdout }.map(\.text)
        #expect(out == (1...200_000).map(String.init) + ["last"])
        #expect(all.joined().filter { $0.stream == .stderr }.map(\.text) == ["err"])
        // The one-line callback still gets every line.
        let (r2, log) = await t.capture("seq 1 50000")
        #expect(r2 == .exited(0) && log.stdout == (1...50_000).map(String.init))
        await t.close()
    }

    @Test func hostileValuesComeBackExactly() async throws {
        let t = LocalTransport()
        for value in ["'", "\"", "$(echo x)", "`echo x`", "a;b", "l1\nl2", "\\", "ü✓", "--x", ""] {
            let (r, log) = await t.capture("printf '%s\\n' \(Shell.quote(value))")
            #expect(r == .exited(0))
            #expect(log.stdout.joined(separator: "\n") == value)
        }
        await t.close()
    }

    @Test func timeoutKillsTheProcessTree() async throws {
        let t = LocalTransport()
        let (r, _) = await t.capture("sleep 100.45 & sleep 100.46", timeout: .milliseconds(500))
        #expect(r == .timedOut)
        let (gone, _) = await t.capture("pgrep -f 'sleep 100.4[56]'")
        #expect(gone == .exited(1))
        let (next, log) = await t.capture("echo ok")
        #expect(next == .exited(0))
        #expect(log.stdout == ["ok"])
        await t.close()
    }

    /// A service started in a session of its own (setsid) is a daemon on its way up: a timeout
    /// ends the step's own processes and leaves it running.
    @Test func timeoutLeavesADetachedSessionAlone() async throws {
        let t = LocalTransport()
        let (r, _) = await t.capture("setsid sleep 100.65 </dev/null >/dev/null 2>&1 & sleep 100.66", timeout: .milliseconds(500))
        #expect(r == .timedOut)
        let (own, _) = await t.capture("pgrep -f 'sleep 100.66'")
        #expect(own == .exited(1), "the step's own sleep is ended")
        let (detached, _) = await t.capture("pgrep -f 'sleep 100.65'")
        #expect(detached == .exited(0), "the detached one runs on")
        _ = await t.capture("pkill -f 'sleep 100.65'")
        await t.close()
    }

    @Test func cancellation() async throws {
        let t = LocalTransport()
        let task = Task { await t.capture("sleep 100.55").0 }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        #expect(await task.value == .cancelled)
        let (gone, _) = await t.capture("pgrep -f 'sleep 100.55'")
        #expect(gone == .exited(1))
        await t.close()
    }

    @Test func uploadAndDownload() async throws {
        let dir = SSHFixture.tempDir("local")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let src = dir + "/a.txt"
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: src))
        let t = LocalTransport()
        #expect(try await t.upload(localPath: src, remotePath: dir + "/out/b.txt", mode: 0o644) == .sent(bytes: 6))
        #expect(try await t.upload(localPath: src, remotePath: dir + "/out/b.txt", mode: 0o644) == .alreadyPresent)
        try await t.download(remotePath: dir + "/out/b.txt", localPath: dir + "/c.txt")
        #expect(try String(contentsOfFile: dir + "/c.txt", encoding: .utf8) == "hello\n")
        let attrs = try FileManager.default.attributesOfItem(atPath: dir + "/out/b.txt")
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o644)
        await t.close()
    }
}
