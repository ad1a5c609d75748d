import ClusterCore
import Foundation

/// What a running step needs, handed to a task off the runner's actor.
struct StepContext: Sendable {
    let transport: any Transport
    let secrets: SecretValues
    let redactor: Redactor
    let logs: LogStore
    let hub: RunEventHub
    let stateDir: StateDir
    let options: Runner.Options
    /// Whether `stop()` was asked: a process it killed exits non-zero, and that is no failure of its own.
    let isStopping: @Sendable () -> Bool
    /// Tells the runner the part the step is in now (for `Runner.state(of:)`).
    let entered: @Sendable (StepPhase) -> Void
}

struct StepTimedOut: Error {}

extension Runner {
    /// One attempt at one step: check → (upload) → apply → verify → (download).
    /// Returns how it ended and the phase it ended in.
    static func execute(_ step: Step, attempt: Int, _ ctx: StepContext) async -> (StepOutcome, StepPhase) {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + .seconds(step.timeoutSeconds)
        var phase: StepPhase = step.check == nil ? .apply : .check
        var check: CheckResult = step.check == nil ? .none : .notRun
        var exitCode: Int32? = nil
        let log = ctx.logs
        log.beginAttempt(stepID: step.id, host: step.host, attempt: attempt)

        func end(_ status: StepStatus) -> (StepOutcome, StepPhase) {
            let outcome = StepOutcome(stepID: step.id, host: step.host, status: status, exitCode: exitCode,
                                      duration: clock.now - started, check: check, attempt: attempt)
            let code = exitCode.map { ", exit \($0)" } ?? ""
            log.note(stepID: step.id, host: step.host,
                     "----- \(status)\(code), \(TimeText.seconds(outcome.duration)) -----")
            return (outcome, phase)
        }
        func failed(_ reason: String) -> (StepOutcome, StepPhase) { end(.failed(ctx.redactor.clean(reason))) }
        func begin(_ p: StepPhase) {
            phase = p
            ctx.entered(p)
            ctx.hub.emit(.stepStarted(stepID: step.id, host: step.host, phase: p))
            log.phase(stepID: step.id, host: step.host, p)
        }
        let budget = "\(step.timeoutSeconds)s"

        // Log in (once per host; later calls reuse the session, and need no deadline).
        do {
            if await !ctx.transport.isConnected {
                try await withDeadline(clock.now + ctx.options.connectTimeout) { try await ctx.transport.connect() }
            }
        } catch is CancellationError {
            return end(.interrupted)
        } catch is StepTimedOut {
            return failed("cannot connect to \(step.host): no answer within \(TimeText.seconds(ctx.options.connectTimeout))")
        } catch let error as TransportError {
            ctx.hub.emit(.hostProblem(host: step.host, cleaned(error, ctx.redactor)))
            return failed(error.description)
        } catch {
            return failed("cannot connect to \(step.host): \(error)")
        }
        if Task.isCancelled { return end(.interrupted) }

        /// Runs one script of the step, rendered with its secrets only now.
        func run(_ script: Script, _ p: StepPhase) async -> Result<Int32, ScriptFailure> {
            begin(p)
            let text: String
            do { text = try script.executable(with: ctx.secrets) } catch let e as SecretError {
                return .failure(.message(e.description))
            } catch {
                return .failure(.message("\(p.rawValue) cannot be rendered: \(error)"))
            }
            let remaining = deadline - clock.now
            guard remaining > .zero else { return .failure(.timedOut) }
            let onLines = linesHandler(step, p, ctx)
            switch await ctx.transport.runRaw(text, timeout: remaining, onRaw: onLines) {
            case .exited(let code) where code != 0 && (Task.isCancelled || ctx.isStopping()):
                return .failure(.cancelled)   // killed by the stop, not a failure of its own
            case .exited(let code): return .success(code)
            case .timedOut: return .failure(.timedOut)
            case .cancelled: return .failure(.cancelled)
            case .connectionLost(let why): return .failure(.message("connection to \(step.host) lost during \(p.rawValue): \(why)"))
            }
        }
        func failure(_ f: ScriptFailure, _ p: StepPhase) -> (StepOutcome, StepPhase) {
            switch f {
            case .timedOut: return failed("timed out in \(p.rawValue) (the step may take \(budget))")
            case .cancelled: return end(.interrupted)
            case .message(let m): return failed(m)
            }
        }

        func download(remote: String, local: String) async -> (StepOutcome, StepPhase)? {
            begin(.download)
            let path: String
            do {
                path = try ctx.stateDir.localTransferPath(local)
                try StateDir.makePrivateDirectory((path as NSString).deletingLastPathComponent)
            } catch { return failed("\(error)") }
            do {
                try await withDeadline(deadline) { try await ctx.transport.download(remotePath: remote, localPath: path) }
                log.note(stepID: step.id, host: step.host, "downloaded \(remote) to \(path)")
                return nil
            } catch is CancellationError {
                return end(.interrupted)
            } catch is StepTimedOut {
                return failed("timed out in download (the step may take \(budget))")
            } catch {
                return failed("download of \(remote) failed: \(error)")
            }
        }

        // check and apply in one round trip: the apply runs on the host only when the check failed.
        if let checkScript = step.check, Self.mayJoin(step, ctx) {
            switch await runCheckThenApply(checkScript, step.apply) {
            case .failure(let f, let inApply):
                if inApply { check = .failed; phase = .apply }
                return failure(f, inApply ? .apply : .check)
            case .checkPassed:
                return await alreadyDone()
            case .applied(let checkCode, let applyCode):
                check = .failed
                phase = .apply
                exitCode = applyCode
                log.note(stepID: step.id, host: step.host, "check exited \(checkCode): applied in the same round trip")
                if applyCode != 0 { return failed("apply exited with status \(applyCode)") }
                return await afterApply()
            }
        }

        // check: exit 0 means already done.
        if let script = step.check {
            switch await run(script, .check) {
            case .success(0):
                return await alreadyDone()
            case .success(let code):
                check = .failed
                exitCode = code
            case .failure(let f):
                return failure(f, .check)
            }
        }
        if Task.isCancelled { return end(.interrupted) }

        // Every secret must be at hand before anything changes on the host.
        if let missing = step.secrets.subtracting(ctx.secrets.names).sorted().first {
            return failed(SecretError.missing(missing).description)
        }

        if case .upload(let local, let remote)? = step.transfer {
            begin(.upload)
            let path: String
            do { path = try ctx.stateDir.localTransferPath(local) } catch { return failed("\(error)") }
            guard FileManager.default.fileExists(atPath: path) else {
                return failed("the file to upload, \(path), does not exist")
            }
            do {
                let sent = try await withDeadline(deadline) {
                    try await ctx.transport.upload(localPath: path, remotePath: remote, mode: ctx.options.uploadMode)
                }
                switch sent {
                case .sent(let bytes, 0): log.note(stepID: step.id, host: step.host, "uploaded \(path) to \(remote) (\(bytes) bytes)")
                case .sent(let bytes, let resumed):
                    log.note(stepID: step.id, host: step.host,
                             "uploaded \(path) to \(remote): went on after the \(resumed) bytes an earlier copy had sent (\(bytes) bytes more)")
                case .alreadyPresent: log.note(stepID: step.id, host: step.host, "\(remote) already has the same sha256: not sent")
                }
            } catch is CancellationError {
                return end(.interrupted)
            } catch is StepTimedOut {
                return failed("timed out in upload (the step may take \(budget))")
            } catch {
                return failed("upload of \(path) to \(remote) failed: \(error)")
            }
        }
        if Task.isCancelled { return end(.interrupted) }

        switch await run(step.apply, .apply) {
        case .success(0): exitCode = 0
        case .success(let code):
            exitCode = code
            return failed("apply exited with status \(code)")
        case .failure(let f): return failure(f, .apply)
        }
        return await afterApply()

        /// The check passed: nothing to apply. A download's local copy may be missing (a new state
        /// folder): it is fetched anyway.
        func alreadyDone() async -> (StepOutcome, StepPhase) {
            check = .passed
            exitCode = 0
            log.note(stepID: step.id, host: step.host, "check passed: already done, apply not run")
            if case .download(let remote, let local)? = step.transfer,
               let path = try? ctx.stateDir.localTransferPath(local), !FileManager.default.fileExists(atPath: path) {
                if let bad = await download(remote: remote, local: local) { return bad }
            }
            return end(.alreadyDone)
        }

        /// What follows a successful apply: verify, then the download.
        func afterApply() async -> (StepOutcome, StepPhase) {
            if Task.isCancelled { return end(.interrupted) }
            if let verify = step.verify {
                switch await run(verify, .verify) {
                case .success(0): exitCode = 0
                case .success(let code):
                    exitCode = code
                    return failed("verify exited with status \(code): apply ran, but the result is not as expected")
                case .failure(let f): return failure(f, .verify)
                }
            }
            if case .download(let remote, let local)? = step.transfer {
                if let bad = await download(remote: remote, local: local) { return bad }
            }
            return end(.done)
        }

        /// Sends check and apply as one frame. The check's status comes back as a line with a fresh
        /// marker, on both streams (as the frame's own end); the check's subshell cannot read the
        /// frame's text, so its output cannot forge it. Lines before the marker are the check's.
        func runCheckThenApply(_ checkScript: Script, _ applyScript: Script) async -> JoinedOutcome {
            begin(.check)
            let checkText: String, applyText: String
            do {
                checkText = try checkScript.executable(with: ctx.secrets)
                applyText = try applyScript.executable(with: ctx.secrets)
            } catch {
                return .failure(.message("the step cannot be rendered: \(error)"), inApply: false)
            }
            let remaining = deadline - clock.now
            guard remaining > .zero else { return .failure(.timedOut, inApply: false) }
            let output = CheckThenApplyRawOutput(check: linesHandler(step, .check, ctx), applyStarts: {
                ctx.entered(.apply)
                ctx.hub.emit(.stepStarted(stepID: step.id, host: step.host, phase: .apply))
                log.phase(stepID: step.id, host: step.host, .apply)
            }, apply: linesHandler(step, .apply, ctx))
            let (checked, result) = await ctx.transport.runCheckThenApplyRaw(check: checkText, apply: applyText, timeout: remaining, output: output)
            switch result {
            case .exited(let code) where code != 0 && (Task.isCancelled || ctx.isStopping()):
                return .failure(.cancelled, inApply: checked != nil)
            case .exited(let code):
                guard let checked else { return .failure(.message("the check ended without its status (exit \(code))"), inApply: false) }
                return checked == 0 ? .checkPassed : .applied(check: checked, apply: code)
            case .timedOut: return .failure(.timedOut, inApply: checked != nil)
            case .cancelled: return .failure(.cancelled, inApply: checked != nil)
            case .connectionLost(let why):
                let p: StepPhase = checked == nil ? .check : .apply
                return .failure(.message("connection to \(step.host) lost during \(p.rawValue): \(why)"), inApply: checked != nil)
            }
        }
    }

    /// The error with its texts sanitised and redacted (ssh's messages are remote data too).
    static func cleaned(_ e: TransportError, _ r: Redactor) -> TransportError {
        switch e {
        case .unknownHostKey(let h, let fp, let type): .unknownHostKey(host: h, fingerprint: r.clean(fp), keyType: r.clean(type))
        case .changedHostKey(let h, let fp): .changedHostKey(host: h, fingerprint: r.clean(fp))
        case .authenticationFailed(let h, let d): .authenticationFailed(host: h, detail: r.clean(d))
        case .sudoFailed(let h, let d): .sudoFailed(host: h, detail: r.clean(d))
        case .unreachable(let h, let d): .unreachable(host: h, detail: r.clean(d))
        case .transferFailed(let h, let d): .transferFailed(host: h, detail: r.clean(d))
        }
    }

    enum ScriptFailure: Error { case timedOut, cancelled, message(String) }

    /// How a check and apply sent as one frame ended.
    enum JoinedOutcome {
        case checkPassed
        case applied(check: Int32, apply: Int32)
        case failure(ScriptFailure, inApply: Bool)
    }

    /// Whether a step's check and apply can go as one frame: nothing is uploaded between them, and
    /// every secret is at hand (the apply is rendered before the check runs).
    static func mayJoin(_ step: Step, _ ctx: StepContext) -> Bool {
        if case .upload? = step.transfer { return false }
        return ctx.options.joinCheckAndApply && step.secrets.isSubset(of: ctx.secrets.names)
    }

    /// Each batch of raw lines: every line redacted, cut to what its carriage returns left visible,
    /// sanitised and redacted again (`Redactor.appendCleanOutputLine`, which copies the usual line
    /// as it is), straight into the log's form; then logged with one write and emitted as one event.
    static func linesHandler(_ step: Step, _ phase: StepPhase, _ ctx: StepContext) -> @Sendable (RawLines) -> Void {
        let redactor = ctx.redactor, logs = ctx.logs, hub = ctx.hub
        let id = step.id, host = step.host
        return { raw in
            // The usual read: its lines, with the newlines between them, are one plain region:
            // one look at it, and each line is copied as it is.
            let plain = raw.region.map { r in
                raw.bytes.withUnsafeBufferPointer { redactor.leavesLinesAsTheyAre(UnsafeBufferPointer(rebasing: $0[r])) }
            } ?? false
            let batch: OutputBatch
            if plain {
                batch = OutputBatch(stepID: id, host: host, phase: phase, plain: raw)
            } else {
                var b = OutputBatch.Builder()
                b.reserve(lines: raw.count, bytes: raw.bytes.count)
                raw.forEachLine { line, stream in
                    b.beginLine(stream)
                    redactor.appendCleanOutputLine(line, to: &b.bytes)
                    b.endLine()
                }
                batch = OutputBatch(stepID: id, host: host, phase: phase, time: raw.time, logBytes: b.bytes, bounds: b.bounds)
            }
            logs.append(batch)
            hub.emit(.output(batch))
        }
    }

    /// Runs `operation`, throwing `StepTimedOut` at `deadline` (the operation is cancelled and
    /// awaited: transports end their work on cancellation).
    static func withDeadline<T: Sendable>(_ deadline: ContinuousClock.Instant,
                                         _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            guard let value = first else { throw StepTimedOut() }
            return value
        }
    }
}
