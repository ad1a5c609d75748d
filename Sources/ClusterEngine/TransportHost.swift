import ClusterCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The part both transports share: one long-lived framed shell, commands one at a time, kill on
/// timeout or cancellation, verified file transfers through auxiliary sessions.
/// `prepare` gives the launcher and elevation, setting up whatever they need first (the SSH
/// control master); it is called again after the shell was lost.
actor ShellHost {
    typealias Prepare = @Sendable () async throws -> (ShellLauncher, Elevation)

    let hostName: String
    private let prepare: Prepare
    /// Called when a shell cannot be opened over what `prepare` gave (a hung master): start afresh next time.
    private let invalidate: @Sendable () async -> Void
    private var session: ShellSession? = nil
    private var connecting: Task<ShellSession, Error>? = nil
    private var launcher: ShellLauncher? = nil
    private var elevation: Elevation = .none
    private var closed = false
    /// The timeouts of this host's commands.
    private let timer = CommandTimer()

    init(hostName: String, prepare: @escaping Prepare, invalidate: @escaping @Sendable () async -> Void = {}) {
        self.hostName = hostName
        self.prepare = prepare
        self.invalidate = invalidate
    }

    /// Grace after the kill for the command's end marker; past it the shell is abandoned (and restarted).
    static let markerGrace: Duration = .seconds(5)

    func connect() async throws { _ = try await ensureSession() }
    var isConnected: Bool { session?.isAlive == true }

    private func ensureSession() async throws -> ShellSession {
        if let session, session.isAlive { return session }
        if let connecting { return try await connecting.value }
        closed = false
        let prepare = self.prepare
        let invalidate = self.invalidate
        let task = Task { () throws -> ShellSession in
            let (launcher, elevation) = try await prepare()
            self.setRoute(launcher, elevation)
            do {
                return try await ShellSession.open(launcher: launcher, elevation: elevation)
            } catch let error as TransportError {
                if case .unreachable = error { await invalidate() }
                throw error
            }
        }
        connecting = task
        defer { connecting = nil }
        let opened = try await task.value
        session = opened
        return opened
    }

    private func setRoute(_ launcher: ShellLauncher, _ elevation: Elevation) {
        self.launcher = launcher
        self.elevation = elevation
    }

    private final class Interruption: Sendable {
        private struct State {
            var reason: CommandResult?
            var finished = false
            var waiters: [CheckedContinuation<Void, Never>] = []
        }
        private let state = Mutex(State())
        /// True for the first caller only.
        func set(_ r: CommandResult) -> Bool {
            state.withLock { if $0.reason == nil { $0.reason = r; return true } else { return false } }
        }
        var value: CommandResult? { state.withLock { $0.reason } }
        /// The killer is done (or gave up): the shell may take the next command.
        func finish() {
            let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
                s.finished = true
                defer { s.waiters = [] }
                return s.waiters
            }
            waiters.forEach { $0.resume() }
        }
        func waitUntilFinished() async {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let done = state.withLock { s -> Bool in
                    if s.finished { return true }
                    s.waiters.append(c)
                    return false
                }
                if done { c.resume() }
            }
        }
    }

    func run(_ script: String, timeout: Duration, onLines: @escaping @Sendable ([OutputLine]) -> Void) async -> CommandResult {
        await run(script, timeout: timeout, onRaw: { onLines($0.lines) })
    }

    /// Runs a script, handing over each read's lines as they came (`RawLines`).
    func run(_ script: String, timeout: Duration, onRaw: @escaping @Sendable (RawLines) -> Void) async -> CommandResult {
        await run(.script(script), timeout: timeout, onRaw: onRaw)
    }

    /// A step's check and apply as one `__jc_step` frame; `PhaseSplitter` hands each line to its part.
    func runCheckThenApply(check: String, apply: String, timeout: Duration, output: CheckThenApplyRawOutput) async
        -> (checked: Int32?, result: CommandResult) {
        let splitter = PhaseSplitter(raw: output)
        let result = await run(.checkThenApply(check: check, apply: apply, checked: splitter.marker), timeout: timeout,
                               onRaw: splitter.take(raw:))
        return (splitter.checkStatus, result)
    }

    private func run(_ command: ShellCommand, timeout: Duration, onRaw: @escaping @Sendable (RawLines) -> Void) async -> CommandResult {
        if Task.isCancelled { return .cancelled }
        let session: ShellSession
        do { session = try await ensureSession() } catch {
            return .connectionLost(String(describing: error))
        }
        let interruption = Interruption()
        let marker = ShellSession.newMarker()
        let armed = timer.arm(at: .now + timeout) { [weak self] in
            Task { await self?.interrupt(session, marker, .timedOut, interruption) }
        }
        let outcome = await withTaskCancellationHandler {
            await session.execute(command, marker: marker, onRaw: onRaw)
        } onCancel: {
            Task { await self.interrupt(session, marker, .cancelled, interruption) }
        }
        timer.disarm(armed)
        // The marker can come while the killer still walks the shell's descendants: wait for it, or
        // it could kill the next command.
        if interruption.value != nil { await interruption.waitUntilFinished() }
        if !session.isAlive, self.session === session { self.session = nil }
        if let reason = interruption.value { return reason }
        switch outcome {
        case .exited(let status): return .exited(status)
        case .lost(let why): return .connectionLost(why)
        }
    }

    /// Kills the running command's process tree (through a second session), then waits a little for
    /// its end marker; if none comes, the shell is abandoned and the next run starts a new one.
    private func interrupt(_ session: ShellSession, _ marker: String, _ reason: CommandResult, _ interruption: Interruption) async {
        guard session.isRunning(marker), interruption.set(reason) else { return }
        defer { interruption.finish() }
        var killed = false
        if let launcher {
            killed = await JobKiller.kill(wrapperPid: session.wrapperPid, launcher: launcher, elevation: elevation)
        }
        let clock = ContinuousClock()
        let deadline = clock.now + (killed ? ShellHost.markerGrace : .milliseconds(500))
        while session.isRunning(marker), clock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if session.isRunning(marker) {
            await session.abandon(ifRunning: marker, reason == .timedOut ? "timed out, and the command could not be stopped" : "cancelled, and the command could not be stopped")
            if self.session === session { self.session = nil }
        }
    }

    /// An extra session with the same elevation (transfers, the killer).
    func openAuxiliary(body: String, label: String, sink: ShellChannel.Sink) async throws -> ShellChannel {
        _ = try await ensureSession()
        guard let launcher else { throw TransportError.unreachable(host: hostName, detail: "not connected") }
        return try await ShellChannel.open(launcher: launcher, elevation: elevation, body: body, label: label, sink: sink)
    }

    /// Runs a short script and collects its stdout lines (stderr is kept for the error message).
    func capture(_ script: String, timeout: Duration = .seconds(120)) async -> (CommandResult, [String], [String]) {
        let lines = Mutex<([String], [String])>(([], []))
        let result = await run(script, timeout: timeout) { batch in
            lines.withLock { for line in batch { if line.stream == .stdout { $0.0.append(line.text) } else { $0.1.append(line.text) } } }
        }
        let (out, err) = lines.withLock { $0 }
        return (result, out, err)
    }

    func close() async {
        closed = true
        timer.cancelAll()
        if let connecting { connecting.cancel() }
        if let session { await session.close() }
        session = nil
    }

    // MARK: - Files

    /// Sends the file into `.<name>.jc-partial` beside the target, checks its sha256 there, then
    /// renames it. A copy cut off (a lost link, a kill) keeps what arrived: the next upload goes on
    /// from there when those bytes are the same as the start of the local file, else starts over.
    func upload(localPath: String, remotePath: String, mode: Int) async throws -> UploadOutcome {
        let fail = { (detail: String) in TransportError.transferFailed(host: self.hostName, detail: "\(remotePath): \(detail)") }
        let localSum = try await SHA256Hex.ofFile(path: localPath, host: hostName)
        let size = (try? FileManager.default.attributesOfItem(atPath: localPath)[.size] as? NSNumber)?.int64Value ?? 0
        let q = Shell.quote(remotePath)
        let modeText = String(mode, radix: 8)
        let dir = (remotePath as NSString).deletingLastPathComponent
        let base = (remotePath as NSString).lastPathComponent
        let partial = (dir.isEmpty ? "" : dir + "/") + ".\(base).jc-partial", qt = Shell.quote(partial)
        let (probe, out, err) = await capture(ScriptFile.plain("engine/upload-probe.sh", ["target": remotePath, "partial": partial]))
        guard probe == .exited(0), out.count >= 2 else { throw fail("cannot read the remote file's checksum: \(describe(probe, err))") }
        if out[out.count - 2] == localSum {
            let (chmodResult, _, chmodErr) = await capture("chmod \(modeText) \(q) && rm -f \(qt)")
            guard chmodResult == .exited(0) else { throw fail("chmod failed: \(describe(chmodResult, chmodErr))") }
            return .alreadyPresent
        }
        var offset = Int64(out[out.count - 1]) ?? 0
        if offset > 0 {
            let same = offset <= size ? await samePrefix(localPath, remote: qt, length: offset) : false
            if !same { offset = 0 }
        }
        if offset == 0 {
            let (mk, _, mkErr) = await capture((dir.isEmpty ? "" : "mkdir -p \(Shell.quote(dir)) && ") + "rm -f \(qt)")
            guard mk == .exited(0) else { throw fail("cannot create the directory: \(describe(mk, mkErr))") }
        }
        // Stream the rest of the file through its own session, read in chunks with backpressure.
        let sink = ShellChannel.Sink(data: { _, _ in }, exit: { _, _ in })
        let channel = try await openAuxiliary(body: "umask 077 && exec cat >> \(qt)", label: "upload", sink: sink)
        guard let handle = FileHandle(forReadingAtPath: localPath) else {
            await channel.terminate()
            throw fail("cannot read \(localPath)")
        }
        defer { try? handle.close() }
        var sent: Int64 = 0
        do { try handle.seek(toOffset: UInt64(offset)) } catch {
            await channel.terminate(); throw fail("reading \(localPath): \(error)")
        }
        while true {
            if Task.isCancelled {
                await channel.terminate()
                throw CancellationError()
            }
            let chunk: Data
            do { chunk = try handle.read(upToCount: 256 * 1024) ?? Data() } catch {
                await channel.terminate(); throw fail("reading \(localPath): \(error)")
            }
            if chunk.isEmpty { break }
            guard await channel.writeAndWait([UInt8](chunk)) else { break }
            sent += Int64(chunk.count)
        }
        channel.finishInput()
        let status = await channel.waitForExit()
        guard status == 0, offset + sent == size else {
            // What arrived stays for the next upload to go on from.
            throw fail("the copy ended early (status \(status), \(offset + sent) of \(size) bytes): \(channel.stderrTail.suffix(300))")
        }
        let (placed, _, placeErr) = await capture(ScriptFile.plain("engine/upload-place.sh",
                                                                  ["target": remotePath, "partial": partial, "sum": localSum, "mode": modeText]))
        guard placed == .exited(0) else {
            _ = await capture("rm -f \(qt)")
            throw fail(describe(placed, placeErr))
        }
        return .sent(bytes: sent, resumedAt: offset)
    }

    /// True when the remote file's bytes are the first `length` bytes of the local file.
    private func samePrefix(_ localPath: String, remote: String, length: Int64) async -> Bool {
        let (r, out, _) = await capture("__s=$(sha256sum < \(remote)) || exit 4; printf '%s\\n' \"${__s%% *}\"")
        guard r == .exited(0), let remoteSum = out.last else { return false }
        let local = try? await SHA256Hex.ofFile(path: localPath, length: length, host: hostName)
        return local == remoteSum
    }

    func download(remotePath: String, localPath: String, progress: (@Sendable (Int64) -> Void)? = nil) async throws {
        let fail = { (detail: String) in TransportError.transferFailed(host: self.hostName, detail: "\(remotePath): \(detail)") }
        let q = Shell.quote(remotePath)
        let (probe, out, err) = await capture("__s=$(sha256sum < \(q)) || exit 4; printf '%s\\n' \"${__s%% *}\"")
        guard probe == .exited(0), let remoteSum = out.last, remoteSum.count == 64 else {
            throw fail("cannot read the remote file: \(describe(probe, err))")
        }
        let temp = localPath + ".jc-\(ProcessSupport.nonce().prefix(12))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fail("cannot create \(temp): \(String(cString: strerror(errno)))") }
        let writeError = Mutex<String?>(nil)
        let received = Mutex<Int64>(0)
        let sink = ShellChannel.Sink(data: { stream, bytes in
            guard stream == .stdout else { return }
            if !ProcessSupport.writeAll(fd, bytes) { writeError.withLock { $0 = $0 ?? String(cString: strerror(errno)) } }
            if let progress { progress(received.withLock { $0 += Int64(bytes.count); return $0 }) }
        }, exit: { _, _ in })
        let channel: ShellChannel
        do { channel = try await openAuxiliary(body: "exec cat < \(q)", label: "download", sink: sink) } catch {
            ProcessSupport.closeDescriptor(fd); unlink(temp); throw error
        }
        channel.finishInput()
        let status = await channel.waitForExit()
        fsync(fd)
        ProcessSupport.closeDescriptor(fd)
        if let e = writeError.withLock({ $0 }) { unlink(temp); throw fail("writing \(localPath): \(e)") }
        guard status == 0 else { unlink(temp); throw fail("the copy failed (status \(status)): \(channel.stderrTail.suffix(300))") }
        let localSum: String
        do { localSum = try await SHA256Hex.ofFile(path: temp, host: hostName) } catch { unlink(temp); throw error }
        guard localSum == remoteSum else { unlink(temp); throw fail("checksum mismatch after transfer") }
        guard rename(temp, localPath) == 0 else {
            let e = String(cString: strerror(errno)); unlink(temp); throw fail("cannot move into place: \(e)")
        }
    }

    private nonisolated func describe(_ result: CommandResult, _ stderr: [String]) -> String {
        let tail = stderr.suffix(3).joined(separator: " / ")
        return tail.isEmpty ? "\(result)" : "\(result): \(tail)"
    }
}
