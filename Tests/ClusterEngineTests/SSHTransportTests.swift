import ClusterCore
@testable import ClusterEngine
import Foundation
import Synchronization
import Testing

/// Against the real sshd of Tests/support/sshd-fixture.sh (started here when not running).
@Suite(.serialized, .enabled(if: SSHFixture.available, "needs root and the sshd fixture"))
struct SSHTransportTests {
    let env = SSHFixture.env!

    func keyTransport(sudo: ClusterCore.Host.Sudo = .nopasswd, secrets: SecretValues = SecretValues()) -> SSHTransport {
        SSHTransport(host: SSHFixture.keyHost(sudo: sudo), secrets: secrets, options: SSHFixture.options())
    }

    func passwordSecrets(ssh: String? = nil, sudo: String? = nil, host: String = "fixture-pw") -> SecretValues {
        var s = SecretValues()
        s[.sshPassword(host: host)] = ssh ?? env.password
        s[.sudoPassword(host: host)] = sudo ?? env.password
        return s
    }

    // MARK: Login and sudo

    @Test func keyLoginSudoNopasswd() async throws {
        let t = keyTransport()
        try await t.connect()
        let (r, log) = await t.capture("id -u; echo err >&2; exit 3")
        #expect(r == .exited(3))
        #expect(log.stdout == ["0"])
        #expect(log.stderr == ["err"])
        let (r2, log2) = await t.capture("printf 'no newline'")
        #expect(r2 == .exited(0))
        #expect(log2.stdout == ["no newline"])
        await t.close()
    }

    @Test func sudoRootMeansNoSudo() async throws {
        let t = keyTransport(sudo: .root)
        let (r, log) = await t.capture("id -un")
        #expect(r == .exited(0))
        #expect(log.stdout == [env.keyUser])
        await t.close()
    }

    @Test func agentLogin() async throws {
        let dir = SSHFixture.tempDir("agent")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sock = dir + "/a"
        let agent = try await LiveProcess.start("/usr/bin/ssh-agent", ["-D", "-a", sock], label: "agent",
                                                handlers: .init(stdout: { _ in }, stderr: { _ in }, exit: { _ in }))
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: sock) { try await Task.sleep(for: .milliseconds(10)) }
        let add = try await ProcessSupport.collect("/usr/bin/ssh-add", [env.keyFile],
                                                   environment: .inherit.updating(["SSH_AUTH_SOCK": sock]))
        #expect(add.status == 0)
        var host = SSHFixture.keyHost(name: "fixture-agent")
        host.auth = .agent
        host.keyFile = nil
        var options = SSHFixture.options()
        options.agentSocket = sock
        let t = SSHTransport(host: host, secrets: SecretValues(), options: options)
        let (r, log) = await t.capture("id -u")
        #expect(r == .exited(0))
        #expect(log.stdout == ["0"])
        await t.close()
        // Without the agent's key there is no login.
        let emptyAgentSock = dir + "/none"
        options.agentSocket = emptyAgentSock
        let t2 = SSHTransport(host: host, secrets: SecretValues(), options: options)
        await #expect(throws: TransportError.self) { try await t2.connect() }
        await t2.close()
        await agent.terminate()
    }

    /// Password login through askpass and sudo with a password; the password (hostile on purpose)
    /// is never in any process's argv or environment, never executed, and never left on disk.
    @Test func passwordLoginAndSudoPasswordLeaveNoTrace() async throws {
        for canary in ["/tmp/jc-canary-pw", "/tmp/jc-canary-bt"] { unlink(canary) }
        let t = SSHTransport(host: SSHFixture.passwordHost(), secrets: passwordSecrets(), options: SSHFixture.options())
        let scanner = Task.detached { () -> [String] in
            var hits: [String] = []
            let needle = Array(SSHFixture.env!.password.utf8)
            while !Task.isCancelled {
                hits += ProcScan.find(needle)
                try? await Task.sleep(for: .milliseconds(5))
            }
            return hits
        }
        try await t.connect()
        if let dir = await t.runtimeDirectory {
            let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("pw-") || $0.hasPrefix("ap-") }
            #expect(left.isEmpty, "askpass files left in the runtime dir: \(left)")
        }
        let (r, log) = await t.capture("id -u; sleep 0.3")
        #expect(r == .exited(0))
        #expect(log.stdout == ["0"])
        // An auxiliary session (sudo again, with the password on its prompt) as well.
        let src = SSHFixture.tempDir("pwup") + "/f"
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: src))
        _ = try await t.upload(localPath: src, remotePath: "/tmp/jc-pw-upload-test", mode: 0o600)
        scanner.cancel()
        let hits = await scanner.value
        #expect(hits.isEmpty, "password found in: \(Set(hits))")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/jc-canary-pw"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/jc-canary-bt"))
        _ = await t.capture("rm -f /tmp/jc-pw-upload-test")
        await t.close()
    }

    @Test func wrongSudoPasswordIsSudoFailed() async throws {
        let t = SSHTransport(host: SSHFixture.passwordHost(), secrets: passwordSecrets(sudo: "not-the-password"),
                             options: SSHFixture.options())
        do {
            try await t.connect()
            Issue.record("connected with a wrong sudo password")
        } catch let e as TransportError {
            guard case .sudoFailed(let host, _) = e else { Issue.record("expected sudoFailed, got \(e)"); return }
            #expect(host == "fixture-pw")
        }
        await t.close()
    }

    @Test func wrongSSHPasswordIsAuthenticationFailed() async throws {
        let t = SSHTransport(host: SSHFixture.passwordHost(), secrets: passwordSecrets(ssh: "wrong"), options: SSHFixture.options())
        do {
            try await t.connect()
            Issue.record("logged in with a wrong password")
        } catch let e as TransportError {
            guard case .authenticationFailed = e else { Issue.record("expected authenticationFailed, got \(e)"); return }
        }
        await t.close()
    }

    /// `sudo: password` on a host where sudo does not ask: the password must not reach the shell.
    @Test func sudoPasswordNotAskedIsNeverSent() async throws {
        let canary = "/tmp/jc-canary-nopw-\(ProcessSupport.nonce().prefix(6))"
        var secrets = SecretValues()
        secrets[.sudoPassword(host: "fixture")] = "touch \(canary)"
        let t = keyTransport(sudo: .password, secrets: secrets)
        let (r, log) = await t.capture("id -u")
        #expect(r == .exited(0))
        #expect(log.stdout == ["0"])
        _ = await t.capture("true")
        #expect(!FileManager.default.fileExists(atPath: canary))
        await t.close()
    }

    // MARK: Host keys

    @Test func firstContactAsksThenAccepts() async throws {
        let dir = SSHFixture.tempDir("kh")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/known_hosts"
        let t = SSHTransport(host: SSHFixture.keyHost(), secrets: SecretValues(), options: SSHFixture.options(knownHosts: file))
        do {
            try await t.connect()
            Issue.record("connected to an unknown host")
        } catch let e as TransportError {
            #expect(e == .unknownHostKey(host: "fixture", fingerprint: env.fingerprint, keyType: "ED25519"))
        }
        try await HostKeys.accept(host: env.address, port: env.port, fingerprint: env.fingerprint, knownHostsFile: file, hashed: true)
        #expect(try await HostKeys.check(host: env.address, port: env.port, knownHostsFile: file) == .known)
        let (r, _) = await t.capture("true")
        #expect(r == .exited(0))
        await t.close()
    }

    @Test func acceptHostKeyOptionMustMatch() async throws {
        let dir = SSHFixture.tempDir("kh2")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/known_hosts"
        var wrong = SSHFixture.options(knownHosts: file)
        wrong.acceptedHostKeys = ["fixture": env.fingerprintB]
        let t1 = SSHTransport(host: SSHFixture.keyHost(), secrets: SecretValues(), options: wrong)
        await #expect(throws: TransportError.unknownHostKey(host: "fixture", fingerprint: env.fingerprint, keyType: "ED25519")) {
            try await t1.connect()
        }
        await t1.close()
        let parsed = HostKeys.parseAcceptOption("fixture=\(env.fingerprint)")
        #expect(parsed?.host == "fixture")
        var right = SSHFixture.options(knownHosts: file)
        right.acceptedHostKeys = [parsed!.host: parsed!.fingerprint]
        let t2 = SSHTransport(host: SSHFixture.keyHost(), secrets: SecretValues(), options: right)
        try await t2.connect()
        await t2.close()
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("[127.0.0.1]:\(env.port) ssh-ed25519 "))
    }

    @Test func changedHostKeyIsAHardStop() async throws {
        let dir = SSHFixture.tempDir("kh3")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/known_hosts"
        // Server B recorded with server A's key: B now shows another key.
        let aKey = try String(contentsOfFile: env.knownHosts, encoding: .utf8).split(separator: " ").dropFirst().prefix(2).joined(separator: " ")
        try "[\(env.address)]:\(env.portB) \(aKey)\n".write(toFile: file, atomically: true, encoding: .utf8)
        let t = SSHTransport(host: SSHFixture.keyHost(name: "moved", port: env.portB), secrets: SecretValues(),
                             options: SSHFixture.options(knownHosts: file))
        await #expect(throws: TransportError.changedHostKey(host: "moved", fingerprint: env.fingerprintB)) { try await t.connect() }
        // Even without our own check, ssh refuses (StrictHostKeyChecking=yes).
        var unchecked = SSHFixture.options(knownHosts: file)
        unchecked.checkHostKeys = false
        let t2 = SSHTransport(host: SSHFixture.keyHost(name: "moved", port: env.portB), secrets: SecretValues(), options: unchecked)
        do { try await t2.connect(); Issue.record("ssh accepted a changed key") } catch let e as TransportError {
            guard case .changedHostKey = e else { Issue.record("expected changedHostKey, got \(e)"); return }
        }
        await t.close()
        await t2.close()
    }

    // MARK: Data

    @Test func hostileValuesComeBackExactly() async throws {
        unlink("/tmp/CANARY")
        let values = ["'", "\"", "$(touch /tmp/CANARY)", "`touch /tmp/CANARY`", "a;touch /tmp/CANARY", "line1\nline2",
                      "back\\slash", "ünïcødé ✓ 日本", "--help", "-n", "$HOME", "*", "a b  c", "'\"'\"'", "%s%n", ""]
        let t = keyTransport()
        for value in values {
            let (r, log) = await t.capture("printf '%s\\n' \(Shell.quote(value))")
            #expect(r == .exited(0))
            #expect(log.stdout.joined(separator: "\n") == value, "value \(value.debugDescription)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/CANARY"))
        await t.close()
    }

    @Test func scriptStdinIsNotTheCommandStream() async throws {
        let t = keyTransport()
        let (r, log) = await t.capture("cat; read x; echo \"after:$x\"")
        #expect(r == .exited(0))
        #expect(log.stdout == ["after:"])
        let (r2, log2) = await t.capture("echo next")
        #expect(r2 == .exited(0))
        #expect(log2.stdout == ["next"])
        await t.close()
    }

    @Test func forgedMarkersAreJustOutput() async throws {
        let t = keyTransport()
        let fake = "__JC_" + String(repeating: "0", count: 32)
        let (r, log) = await t.capture("echo '\(fake) 0'; echo '\(fake) 0' >&2; printf '\\n__JC_OK_x 1\\n'; exit 7")
        #expect(r == .exited(7))
        #expect(log.stdout == ["\(fake) 0", "", "__JC_OK_x 1"])
        #expect(log.stderr == ["\(fake) 0"])
        await t.close()
    }

    @Test func escapeSequencesAreDeliveredRaw() async throws {
        let t = keyTransport()
        let (r, log) = await t.capture("printf '\\033[31mred\\033[0m\\r\\n\\033]0;title\\007x\\n'")
        #expect(r == .exited(0))
        #expect(log.stdout == ["\u{1B}[31mred\u{1B}[0m", "\u{1B}]0;title\u{07}x"])
        await t.close()
    }

    @Test func outputStaysWithItsStep() async throws {
        let t = keyTransport()
        for i in 0..<20 {
            let (r, log) = await t.capture("echo out\(i); echo err\(i) >&2; printf 'tail\(i)' >&2")
            #expect(r == .exited(0))
            #expect(log.stdout == ["out\(i)"])
            #expect(log.stderr == ["err\(i)", "tail\(i)"])
        }
        let (r, log) = await t.capture("true")
        #expect(r == .exited(0))
        #expect(log.all.isEmpty)
        await t.close()
    }

    @Test func longLinesAreSplitAndManyLinesArrive() async throws {
        let t = keyTransport()
        let (r, log) = await t.capture("head -c 200000 /dev/zero | tr '\\0' a; echo; seq 1 20000")
        #expect(r == .exited(0))
        let out = log.stdout
        #expect(out.prefix(4).map(\.count) == [65536, 65536, 65536, 200000 - 3 * 65536])
        let numbers = Array(out.dropFirst(4))
        #expect(numbers.count == 20000)
        #expect(numbers.elementsEqual((1...20000).map(String.init)), "lines out of order or changed")
        await t.close()
    }

    // MARK: Interruptions

    @Test func timeoutKillsTheRemoteCommand() async throws {
        let t = keyTransport()
        let (r, _) = await t.capture("echo started; sleep 100.25; echo never", timeout: .seconds(1))
        #expect(r == .timedOut)
        let (gone, _) = await t.capture("pgrep -f 'sleep 100.25'")
        #expect(gone == .exited(1))
        let (next, log) = await t.capture("echo still-here")
        #expect(next == .exited(0))
        #expect(log.stdout == ["still-here"])
        await t.close()
    }

    @Test func cancellationKillsTheRemoteCommand() async throws {
        let t = keyTransport()
        try await t.connect()
        let task = Task { await t.capture("sleep 100.35 & sleep 100.36; wait").0 }
        try await Task.sleep(for: .milliseconds(500))
        task.cancel()
        #expect(await task.value == .cancelled)
        let (gone, _) = await t.capture("pgrep -f 'sleep 100.3[56]'")
        #expect(gone == .exited(1))
        await t.close()
    }

    @Test func lostShellIsReportedAndReplaced() async throws {
        let t = keyTransport()
        // The script kills the shell that runs it ($$ is the wrapper shell).
        let (r, _) = await t.capture("kill -9 $$; sleep 0.2")
        #expect(r.isConnectionLost, "expected connectionLost, got \(r)")
        let (next, log) = await t.capture("echo back")
        #expect(next == .exited(0))
        #expect(log.stdout == ["back"])
        await t.close()
    }

    @Test func lostMasterIsReportedAndReconnected() async throws {
        let t = keyTransport()
        try await t.connect()
        let pid = try #require(await t.masterPid)
        let task = Task { await t.capture("sleep 5").0 }
        try await Task.sleep(for: .milliseconds(300))
        kill(pid, SIGKILL)
        let r = await task.value
        #expect(r.isConnectionLost, "expected connectionLost, got \(r)")
        let (next, log) = await t.capture("echo again")
        #expect(next == .exited(0))
        #expect(log.stdout == ["again"])
        #expect(await t.masterPid != pid)
        await t.close()
    }

    /// Check and apply as one frame through the real session framing (`__jc_run`): the check
    /// cannot read the frame, each phase gets its own lines, the apply runs after a failed check.
    @Test func checkThenApplyIsOneFrame() async throws {
        let t = keyTransport()
        try await t.connect()
        let lines = Mutex<[String]>([])
        let output = CheckThenApplyOutput(check: { b in lines.withLock { $0 += b.map { "check " + $0.text } } }, applyStarts: {},
                                          apply: { b in lines.withLock { $0 += b.map { "apply " + $0.text } } })
        let (checked, result) = await t.runCheckThenApply(check: "echo \"[${__jc_c:-unseen}]\"; exit 1", apply: "id -u; exit 0",
                                                          timeout: .seconds(20), output: output)
        #expect(checked == 1 && result == .exited(0))
        #expect(lines.withLock { $0 } == ["check [unseen]", "apply 0"])
        await t.close()
    }

    /// A run cut off in the middle of a step (its connection gone) leaves the step's apply running
    /// on the host. The run that resumes it waits for that apply (the host's step lock) before its
    /// own, instead of racing it.
    @Test func anApplyLeftRunningByALostRunIsWaitedFor() async throws {
        let log = "/tmp/joget-cluster-step-lock-\(ProcessSupport.nonce())"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let first = keyTransport()
        try await first.connect()
        let pid = try #require(await first.masterPid)
        let quiet = CheckThenApplyRawOutput(check: { _ in }, applyStarts: {}, apply: { _ in })
        let cut = Task {
            await first.runCheckThenApplyRaw(check: "exit 1", apply: "sleep 2; echo first >> \(log)", timeout: .seconds(20), output: quiet).result
        }
        try await Task.sleep(for: .milliseconds(500))
        kill(pid, SIGKILL)
        #expect(await cut.value.isConnectionLost)

        let second = keyTransport()
        try await second.connect()
        let lines = Mutex<[String]>([])
        let output = CheckThenApplyRawOutput(check: { _ in }, applyStarts: {}, apply: { b in lines.withLock { $0 += b.lines.map(\.text) } })
        // The session's own framing (`__jc_step`), as the runner sends a step.
        let (checked, result) = await second.runCheckThenApplyRaw(check: "exit 1", apply: "echo second >> \(log)",
                                                                  timeout: .seconds(20), output: output)
        #expect(checked == 1 && result == .exited(0))
        #expect(lines.withLock { $0 } == ["waiting for a step that an earlier run left running on this host"])
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "first\nsecond\n", "the second apply ran after the first ended")
        await first.close()
        await second.close()
    }

    @Test func closeEndsEverything() async throws {
        let t = keyTransport()
        try await t.connect()
        let pid = try #require(await t.masterPid)
        let dir = try #require(await t.runtimeDirectory)
        await t.close()
        #expect(kill(pid, 0) != 0)
        #expect(!FileManager.default.fileExists(atPath: dir))
    }

    // MARK: Files

    @Test func uploadIsVerifiedAndSkippedWhenPresent() async throws {
        let dir = SSHFixture.tempDir("up")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let local = dir + "/bundle.bin"
        var bytes = [UInt8](repeating: 0, count: 3 * 1024 * 1024 + 17)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2654435761 >> 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: local))
        let top = "/root/jc-upload-\(ProcessSupport.nonce().prefix(6))"
        let remote = top + "/sub dir/bundle.bin"
        let t = keyTransport()
        #expect(try await t.upload(localPath: local, remotePath: remote, mode: 0o640) == .sent(bytes: Int64(bytes.count)))
        #expect(try await t.upload(localPath: local, remotePath: remote, mode: 0o640) == .alreadyPresent)
        let (r, log) = await t.capture("stat -c '%a %U' \(Shell.quote(remote)); sha256sum < \(Shell.quote(remote))")
        #expect(r == .exited(0))
        #expect(log.stdout.first == "640 root")
        let localSum = try await SHA256Hex.ofFile(path: local, host: "x")
        #expect(log.stdout.last?.hasPrefix(localSum) == true)
        // A copy cut off earlier left its start: the next upload goes on from there...
        let partial = top + "/sub dir/.bundle.bin.jc-partial"
        bytes[2_000_000] ^= 0xFF    // the local file changes after the first 1,000,000 bytes the remote has
        try Data(bytes).write(to: URL(fileURLWithPath: local))
        #expect(await t.capture("head -c 1000000 \(Shell.quote(remote)) > \(Shell.quote(partial))").0 == .exited(0))
        #expect(try await t.upload(localPath: local, remotePath: remote, mode: 0o600)
                == .sent(bytes: Int64(bytes.count) - 1_000_000, resumedAt: 1_000_000))
        let (listed, files) = await t.capture("ls -A \(Shell.quote(top + "/sub dir")); sha256sum < \(Shell.quote(remote))")
        #expect(listed == .exited(0) && files.stdout.first == "bundle.bin" && files.stdout.count == 2, "in the folder: \(files.stdout)")
        #expect(files.stdout.last?.hasPrefix(try await SHA256Hex.ofFile(path: local, host: "x")) == true)
        // ...but not from bytes that are not the local file's start: those are sent again.
        bytes[5] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: local))
        #expect(await t.capture("head -c 4096 /dev/zero > \(Shell.quote(partial))").0 == .exited(0))
        #expect(try await t.upload(localPath: local, remotePath: remote, mode: 0o600) == .sent(bytes: Int64(bytes.count)))
        let back = dir + "/back.bin"
        try await t.download(remotePath: remote, localPath: back)
        #expect(try Data(contentsOf: URL(fileURLWithPath: back)) == Data(bytes))
        await #expect(throws: TransportError.self) { try await t.download(remotePath: "/nonexistent/x", localPath: dir + "/y") }
        _ = await t.capture("rm -rf \(Shell.quote(top))")
        await t.close()
    }
}

extension SSHTransportTests {
    /// An upload stopped half way keeps what arrived; the next one sends only the rest.
    @Test func aStoppedUploadGoesOnWhereItStopped() async throws {
        let dir = SSHFixture.tempDir("resume")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let local = dir + "/bundle.tar.gz"
        let size = 96 << 20
        var bytes = [UInt8](repeating: 0, count: size)
        for i in stride(from: 0, to: size, by: 4096) { bytes[i] = UInt8(truncatingIfNeeded: i >> 12) }
        try Data(bytes).write(to: URL(fileURLWithPath: local))
        let top = "/root/jc-resume-\(ProcessSupport.nonce().prefix(6))"
        let remote = top + "/bundle.tar.gz", partial = top + "/.bundle.tar.gz.jc-partial"
        let t = keyTransport(), watcher = keyTransport()
        defer { Task { _ = await watcher.capture("rm -rf \(Shell.quote(top))"); await watcher.close() } }
        let upload = Task { try await t.upload(localPath: local, remotePath: remote, mode: 0o640) }
        let clock = ContinuousClock(), end = clock.now + .seconds(30)
        var arrived = 0
        while arrived == 0, clock.now < end {
            let (_, out) = await watcher.capture("stat -c %s \(Shell.quote(partial)) 2>/dev/null || echo 0")
            arrived = Int(out.stdout.last ?? "") ?? 0
            if arrived == 0 { try await Task.sleep(for: .milliseconds(5)) }
        }
        upload.cancel()
        let first = await upload.result
        if case .success = first {
            Issue.record("the upload finished before it could be stopped: nothing to go on from")
            return
        }
        let (_, left) = await watcher.capture("stat -c %s \(Shell.quote(partial))")
        let kept = Int64(left.stdout.last ?? "") ?? 0
        #expect(kept > 0 && kept < Int64(size), "kept \(kept) of \(size) bytes")

        guard case .sent(let sent, let resumedAt) = try await t.upload(localPath: local, remotePath: remote, mode: 0o640) else {
            Issue.record("the second upload sent nothing"); return
        }
        #expect(resumedAt > 0 && sent + resumedAt == Int64(size), "sent \(sent) after \(resumedAt)")
        let (_, sum) = await watcher.capture("sha256sum < \(Shell.quote(remote)); ls -A \(Shell.quote(top))")
        #expect(sum.stdout.first?.hasPrefix(try await SHA256Hex.ofFile(path: local, host: "x")) == true)
        #expect(sum.stdout.dropFirst() == ["bundle.tar.gz"], "left: \(sum.stdout)")
        await t.close()
    }
}

extension CommandResult {
    var isConnectionLost: Bool { if case .connectionLost = self { return true } else { return false } }
}

/// Looks for a byte string in every process's argv and environment.
enum ProcScan {
    static func find(_ needle: [UInt8]) -> [String] {
        var hits: [String] = []
        guard let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        for pid in pids where pid.allSatisfy(\.isNumber) {
            for file in ["cmdline", "environ"] {
                guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/\(file)") else { continue }
                if ByteSearch.find(needle, in: [UInt8](data)) != nil {
                    let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map {
                        String(decoding: $0.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self) } ?? "?"
                    hits.append("\(pid)/\(file): \(cmd.prefix(80))")
                }
            }
        }
        return hits
    }
}
