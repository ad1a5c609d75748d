import ClusterCore
import Foundation
import Subprocess
import Synchronization

/// How commands become root on a host: not at all, `sudo -n`, or `sudo -S` answered on stdin.
enum Elevation: Sendable {
    case none
    case sudo
    case sudoPassword(String)

    /// The argv prefix in front of `/bin/sh -c ...`.
    func prefix(prompt: String) -> [String] {
        switch self {
        case .none: return []
        case .sudo: return ["sudo", "-n", "--"]
        case .sudoPassword: return ["sudo", "-S", "-p", prompt, "--"]
        }
    }
}

/// Starts a process that runs an argv on the target (locally, or as the remote command of a
/// multiplexed ssh session). The argv holds no secrets: those travel over stdin.
struct ShellLauncher: Sendable {
    var hostName: String
    var make: @Sendable (_ argv: [String]) -> (executable: String, arguments: [String], environment: Environment)
}

/// One process on the target that has passed the elevation handshake: it printed a fresh OK marker
/// (after sudo accepted, if sudo was asked), so from here on its stdout and stderr are the body's.
///
/// The handshake: the target runs `[sudo ...] /bin/sh -c 'print OK $$ on stdout and stderr; BODY'`.
/// With `sudo -S -p <prompt>`, the password is written to stdin only when the unique prompt shows up
/// on stderr, so a sudo that does not ask (NOPASSWD, cached) never receives it as shell input; a
/// second prompt means the password was wrong, and the process is ended at once.
final class ShellChannel: Sendable {
    enum Stream: Sendable { case stdout, stderr }
    struct Sink: Sendable {
        var data: @Sendable (Stream, [UInt8]) -> Void
        var exit: @Sendable (_ status: Int32, _ stderrTail: String) -> Void
    }

    private struct State {
        var open = false
        var failure: TransportError? = nil
        var stdoutBuffer: [UInt8] = []
        var stderrBuffer: [UInt8] = []
        var stdoutDone = false
        var stderrDone = false
        var promptsSeen = 0
        var promptCursor = 0
        var wrapperPid: Int32 = 0
        var stderrTail: [UInt8] = []
        var sink: Sink? = nil
        var waiter: CheckedContinuation<Void, Error>? = nil
        var exited = false
    }

    private let state = Mutex(State())
    private let okMarker: [UInt8]
    private let prompt: String
    private let elevation: Elevation
    let hostName: String
    let label: String
    private let processBox = Mutex<LiveProcess?>(nil)

    var process: LiveProcess? { processBox.withLock { $0 } }
    /// The pid of the target-side shell (`$$`): its descendants are the running command.
    var wrapperPid: Int32 { state.withLock { $0.wrapperPid } }
    var stderrTail: String { state.withLock { String(decoding: $0.stderrTail, as: UTF8.self) } }

    private init(hostName: String, label: String, elevation: Elevation) {
        let nonce = ProcessSupport.nonce()
        okMarker = Array("__JC_OK_\(nonce)".utf8)
        prompt = "__JC_SUDO_\(nonce):"
        self.elevation = elevation
        self.hostName = hostName
        self.label = label
    }

    /// Starts `body` (shell code run by `/bin/sh -c` on the target, as root when elevated) and waits
    /// for the handshake. `sink` receives everything after it.
    static func open(launcher: ShellLauncher, elevation: Elevation, body: String, label: String,
                     handshakeTimeout: Duration = .seconds(60), outputPipeSize: Int = 64 << 10,
                     sink: Sink) async throws -> ShellChannel {
        let channel = ShellChannel(hostName: launcher.hostName, label: label, elevation: elevation)
        channel.state.withLock { $0.sink = sink }
        let ok = String(decoding: channel.okMarker, as: UTF8.self)
        let hello = "printf '%s %s\\n' \(ok) \"$$\"; printf '%s\\n' \(ok) >&2; "
        let argv = elevation.prefix(prompt: channel.prompt) + ["/bin/sh", "-c", hello + body]
        let (exe, args, env) = launcher.make(argv)
        let handlers = LiveProcess.Handlers(
            stdout: { [weak channel] bytes in channel?.received(.stdout, bytes) },
            stderr: { [weak channel] bytes in channel?.received(.stderr, bytes) },
            exit: { [weak channel] status in channel?.ended(status) })
        let process = try await LiveProcess.start(exe, args, environment: env, label: label,
                                                  outputPipeSize: outputPipeSize, handlers: handlers)
        channel.processBox.withLock { $0 = process }

        let timeout = Task {
            try await Task.sleep(for: handshakeTimeout)
            channel.fail(.unreachable(host: channel.hostName, detail: "no answer from the remote shell within \(handshakeTimeout)"))
        }
        defer { timeout.cancel() }
        do {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, Error>) in
                let result: Result<Void, TransportError>? = channel.state.withLock { s in
                    if s.open { return .success(()) }
                    if let f = s.failure { return .failure(f) }
                    s.waiter = c; return nil
                }
                if let result { c.resume(with: result) }
            }
        } catch {
            await process.terminate(grace: .milliseconds(500))
            throw error
        }
        return channel
    }

    func write(_ text: String) { process?.write(text) }
    func write(_ bytes: [UInt8]) { process?.write(bytes) }
    /// Writes and waits until the bytes are in the pipe (backpressure for big transfers).
    func writeAndWait(_ bytes: [UInt8]) async -> Bool { await process?.writeAndWait(bytes) ?? false }
    func finishInput() { process?.finishInput() }
    var hasExited: Bool { state.withLock { $0.exited } }
    func waitForExit() async -> Int32 { await process?.waitForExit() ?? 255 }
    func terminate(grace: Duration = .seconds(2)) async { await process?.terminate(grace: grace) }

    private func fail(_ error: TransportError) {
        let waiter: CheckedContinuation<Void, Error>? = state.withLock { s in
            guard !s.open, s.failure == nil else { return nil }
            s.failure = error
            let w = s.waiter; s.waiter = nil; return w
        }
        waiter?.resume(throwing: error)
        if let process { Task { await process.terminate(grace: .milliseconds(300)) } }
    }

    private func received(_ stream: Stream, _ bytes: [UInt8]) {
        var password: String? = nil
        var deliver: [(Stream, [UInt8])] = []
        var failure: TransportError? = nil
        var opened: CheckedContinuation<Void, Error>? = nil
        var sink: Sink? = nil
        state.withLock { s in
            if stream == .stderr {
                s.stderrTail.append(contentsOf: bytes)
                if s.stderrTail.count > 4096 { s.stderrTail.removeFirst(s.stderrTail.count - 4096) }
            }
            if s.open {
                sink = s.sink
                deliver.append((stream, bytes))
                return
            }
            if s.failure != nil { return }
            switch stream {
            case .stdout:
                guard !s.stdoutDone else { s.stdoutBuffer += bytes; return }
                s.stdoutBuffer += bytes
                if let at = ByteSearch.find(okMarker + [0x20], in: s.stdoutBuffer),
                   let nl = s.stdoutBuffer[at...].firstIndex(of: 0x0A) {
                    let pidText = String(decoding: s.stdoutBuffer[(at + okMarker.count + 1)..<nl], as: UTF8.self)
                    s.wrapperPid = Int32(pidText.trimmingCharacters(in: .whitespaces)) ?? 0
                    s.stdoutBuffer.removeFirst(nl + 1)
                    s.stdoutDone = true
                }
            case .stderr:
                guard !s.stderrDone else { s.stderrBuffer += bytes; return }
                s.stderrBuffer += bytes
                let promptBytes = Array(prompt.utf8)
                while let at = ByteSearch.find(promptBytes, in: s.stderrBuffer, from: s.promptCursor) {
                    s.promptCursor = at + promptBytes.count
                    s.promptsSeen += 1
                    if s.promptsSeen == 1 {
                        if case .sudoPassword(let pw) = elevation { password = pw }
                        else { failure = .sudoFailed(host: hostName, detail: "sudo asks for a password, but none is configured") }
                    } else {
                        failure = .sudoFailed(host: hostName, detail: "sudo did not accept the password (wrong sudo password?)")
                    }
                }
                if let at = ByteSearch.find(okMarker + [0x0A], in: s.stderrBuffer) {
                    s.stderrBuffer.removeFirst(at + okMarker.count + 1)
                    s.stderrDone = true
                }
            }
            if failure == nil, s.stdoutDone, s.stderrDone {
                s.open = true
                sink = s.sink
                opened = s.waiter; s.waiter = nil
                if !s.stdoutBuffer.isEmpty { deliver.append((.stdout, s.stdoutBuffer)) }
                if !s.stderrBuffer.isEmpty { deliver.append((.stderr, s.stderrBuffer)) }
                s.stdoutBuffer = []; s.stderrBuffer = []
            }
        }
        if let failure { fail(failure); return }
        if let password { process?.write(password + "\n") }
        if let opened { opened.resume() }
        if let sink { for (st, b) in deliver { sink.data(st, b) } }
    }

    private func ended(_ status: Int32) {
        let (wasOpen, sink, tail): (Bool, Sink?, String) = state.withLock { s in
            s.exited = true
            return (s.open, s.sink, String(decoding: s.stderrTail, as: UTF8.self))
        }
        if wasOpen {
            sink?.exit(status, tail)
        } else {
            fail(ShellChannel.classify(host: hostName, status: status, stderr: tail, elevated: elevation))
        }
    }

    /// Turns a failed start into the error the operator can act on.
    static func classify(host: String, status: Int32, stderr: String, elevated: Elevation) -> TransportError {
        let text = stderr.replacingOccurrences(of: "\r", with: "")
        let lines = text.split(separator: "\n").map { String($0) }.filter { !$0.contains("__JC_") }
        let detail = lines.suffix(3).joined(separator: " / ").trimmingCharacters(in: .whitespaces)
        let d = detail.isEmpty ? "exit status \(status)" : detail
        let lower = text.lowercased()
        if lower.contains("host key verification failed") || lower.contains("remote host identification has changed") {
            return .changedHostKey(host: host, fingerprint: "(see known_hosts)")
        }
        if lower.contains("permission denied") || lower.contains("too many authentication failures") {
            return .authenticationFailed(host: host, detail: d)
        }
        if lower.contains("sudo:") || lower.contains("sorry, try again") {
            return .sudoFailed(host: host, detail: d)
        }
        if case .none = elevated {} else if status == 1 && !lower.contains("ssh:") {
            return .sudoFailed(host: host, detail: d)
        }
        return .unreachable(host: host, detail: d)
    }
}

/// What one frame asks the long-lived shell to run.
enum ShellCommand: Sendable {
    case script(String)
    /// A step's check, then its apply only when the check failed (`__jc_step`); the check's status
    /// comes as `<checked> <status>` on both streams between them.
    case checkThenApply(check: String, apply: String, checked: String)

    /// The line sent to the shell: every script single-quoted, so the shell's own parser reads it.
    func frame(marker: String) -> String {
        switch self {
        case .script(let script): return "__jc_run " + Shell.quote(script) + " " + marker + "\n"
        case .checkThenApply(let check, let apply, let checked):
            return "__jc_step " + Shell.quote(check) + " " + Shell.quote(apply) + " " + marker + " " + checked + "\n"
        }
    }
}

/// The long-lived shell of one host, fed framed commands.
///
/// Each command is sent as one line, `__jc_run <script, single-quoted> <marker>`: the shell's own
/// parser reads the quoted script, so no byte of it can end the frame early or be taken for shell
/// input, and no helper process is needed to read it. `__jc_run` runs it in a subshell with stdin
/// from /dev/null (so the script never reads the command stream), then prints `\n<marker> <status>`
/// on stdout and on stderr. The marker is 128 fresh random bits per command, unknown to the script
/// (the subshell clears its positional parameters before `eval`), so output cannot forge it. The
/// command is complete when both markers are seen, so no stderr line of one step is attributed to
/// the next. A step's check and apply go as one `__jc_step` line (`ShellCommand.checkThenApply`).
final class ShellSession: Sendable {
    enum Outcome: Sendable, Equatable {
        case exited(Int32)
        case lost(String)
    }

    /// The session's PATH and `__jc_run` (assets/scripts/engine/session.sh).
    static let bootstrap = ScriptFile.plain("engine/session.sh") + "\n"

    private struct Pending {
        var marker: String
        var onLines: @Sendable (RawLines) -> Void
        var status: Int32? = nil
        var stderrDone = false
        var continuation: CheckedContinuation<Outcome, Never>
    }

    private struct State {
        var out = StreamFramer()
        var err = StreamFramer()
        var pending: Pending? = nil
        var lost: String? = nil
    }

    private let state = Mutex(State())
    private let channelBox = Mutex<ShellChannel?>(nil)
    var channel: ShellChannel? { channelBox.withLock { $0 } }
    let hostName: String

    private init(hostName: String) { self.hostName = hostName }

    /// Opens the shell (`exec /bin/sh` after the handshake) and defines the wrapper.
    static func open(launcher: ShellLauncher, elevation: Elevation) async throws -> ShellSession {
        let session = ShellSession(hostName: launcher.hostName)
        let sink = ShellChannel.Sink(
            data: { [weak session] stream, bytes in session?.received(stream, bytes) },
            exit: { [weak session] status, tail in session?.ended(status, tail) })
        let channel = try await ShellChannel.open(launcher: launcher, elevation: elevation, body: "exec /bin/sh",
                                                  label: "shell", outputPipeSize: 1 << 20, sink: sink)   // a step may print 100 MB
        session.channelBox.withLock { $0 = channel }
        channel.write(bootstrap)
        return session
    }

    var isAlive: Bool { state.withLock { $0.lost == nil } }
    var wrapperPid: Int32 { channel?.wrapperPid ?? 0 }

    /// Runs one script; returns when both markers are in, or the shell is gone.
    static func newMarker() -> String { "__JC_" + ProcessSupport.nonce() }

    /// True while the command with this marker runs.
    func isRunning(_ marker: String) -> Bool { state.withLock { $0.pending?.marker == marker } }

    func execute(_ script: String, marker: String = ShellSession.newMarker(),
                 onLines: @escaping @Sendable ([OutputLine]) -> Void) async -> Outcome {
        await execute(.script(script), marker: marker, onRaw: { onLines($0.lines) })
    }

    /// The same, with each read's lines handed over as they came, not decoded (`RawLines`).
    func execute(_ command: ShellCommand, marker: String = ShellSession.newMarker(),
                 onRaw: @escaping @Sendable (RawLines) -> Void) async -> Outcome {
        let frame = command.frame(marker: marker)
        return await withCheckedContinuation { (c: CheckedContinuation<Outcome, Never>) in
            let early: Outcome? = state.withLock { s in
                if let lost = s.lost { return .lost(lost) }
                if s.pending != nil { return .lost("another command is still running on this shell") }
                s.out.begin(marker: marker)
                s.err.begin(marker: marker)
                s.pending = Pending(marker: marker, onLines: onRaw, continuation: c)
                return nil
            }
            if let early { c.resume(returning: early); return }
            channel?.write(frame)
        }
    }

    /// Gives up on the shell while the command with this marker still runs: it ends as lost, and
    /// so does the shell process.
    func abandon(ifRunning marker: String, _ reason: String) async {
        guard isRunning(marker) else { return }
        finish(lost: reason)
        await channel?.terminate(grace: .milliseconds(500))
    }

    func close() async {
        finish(lost: "the shell was closed")
        channel?.finishInput()
        if let channel, await channel.process?.waitForExit(limit: .milliseconds(500)) == true { return }
        await channel?.terminate(grace: .seconds(1))
    }

    /// Held while one stream's bytes are parsed and their lines delivered, so the other stream
    /// cannot complete the command while lines of this one are still on their way to the caller.
    /// (`onLines` must not call back into the session.)
    private let delivery = Mutex(())

    private func received(_ stream: ShellChannel.Stream, _ bytes: [UInt8]) {
        let done: (CheckedContinuation<Outcome, Never>, Outcome)? = delivery.withLock { _ in parseAndDeliver(stream, bytes) }
        if let (c, outcome) = done { c.resume(returning: outcome) }
    }

    private func parseAndDeliver(_ stream: ShellChannel.Stream, _ bytes: [UInt8]) -> (CheckedContinuation<Outcome, Never>, Outcome)? {
        var pieces: [StreamFramer.Piece] = []
        var onLines: (@Sendable (RawLines) -> Void)? = nil
        var done: (CheckedContinuation<Outcome, Never>, Outcome)? = nil
        state.withLock { s in
            let status: Int32?
            switch stream {
            case .stdout: status = s.out.feed(bytes, into: &pieces)
            case .stderr: status = s.err.feed(bytes, into: &pieces)
            }
            guard var p = s.pending else { return }
            onLines = p.onLines
            if status != nil {
                if stream == .stdout { p.status = status } else { p.stderrDone = true }
            }
            if let status = p.status, p.stderrDone {
                s.pending = nil
                done = (p.continuation, .exited(status))
            } else {
                s.pending = p
            }
        }
        if let onLines, !pieces.isEmpty {
            // The lines of one read, stamped with the time it came (a line the read before left
            // unfinished comes first, in a batch of its own).
            let kind: OutputLine.Stream = stream == .stdout ? .stdout : .stderr
            let now = Date()
            for piece in pieces { onLines(RawLines(stream: kind, bytes: piece.bytes, ranges: piece.lines, time: now)) }
        }
        return done
    }

    private func ended(_ status: Int32, _ tail: String) {
        let lines = tail.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty && !$0.contains("__JC_") }
        let why = lines.last.map { "\($0) (exit status \(status))" } ?? "the remote shell ended (exit status \(status))"
        finish(lost: why)
    }

    private func finish(lost reason: String) {
        delivery.withLock { _ in finishLocked(lost: reason) }
    }

    private func finishLocked(lost reason: String) {
        var leftovers: [RawLines] = []
        let pending: Pending? = state.withLock { s in
            if s.lost == nil { s.lost = reason }
            guard let p = s.pending else { return nil }
            s.pending = nil
            var ranges: [Range<Int>] = []
            let out = s.out.flush(lines: &ranges)
            if !ranges.isEmpty { leftovers.append(RawLines(stream: .stdout, bytes: out, ranges: ranges, time: Date())) }
            ranges = []
            let err = s.err.flush(lines: &ranges)
            if !ranges.isEmpty { leftovers.append(RawLines(stream: .stderr, bytes: err, ranges: ranges, time: Date())) }
            return p
        }
        guard let pending else { return }
        for batch in leftovers { pending.onLines(batch) }
        pending.continuation.resume(returning: .lost(reason))
    }
}

/// Kills every descendant of the target-side shell (the running command and whatever it started),
/// and their process groups, TERM first for up to 2 s, then KILL. A descendant that started a
/// session of its own (setsid, as the plan's service starts do) is left alone with its children:
/// it is a daemon being started, and signalling one half way up can leave it hung. Runs in a
/// second session with the same elevation, so it can reach root's processes. POSIX sh + awk.
enum JobKiller {
    static func script(wrapperPid: Int32) -> String {
        ScriptFile.plain("engine/stop-tree.sh", ["W": String(wrapperPid)])
    }

    /// Runs the killer in an auxiliary channel; true when the tree is gone.
    static func kill(wrapperPid: Int32, launcher: ShellLauncher, elevation: Elevation) async -> Bool {
        guard wrapperPid > 1 else { return false }
        let sink = ShellChannel.Sink(data: { _, _ in }, exit: { _, _ in })
        guard let channel = try? await ShellChannel.open(launcher: launcher, elevation: elevation,
                                                         body: script(wrapperPid: wrapperPid), label: "kill",
                                                         handshakeTimeout: .seconds(10), sink: sink) else { return false }
        channel.finishInput()
        return await channel.waitForExit() == 0
    }
}
