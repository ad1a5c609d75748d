import ClusterCore
import Foundation

/// One line of a step's output, as it arrives.
public struct OutputLine: Sendable, Hashable {
    public enum Stream: String, Sendable, Codable { case stdout, stderr }
    public var stream: Stream
    public var text: String   // raw: the runner sanitises and redacts before showing or storing
    public var time: Date
    public init(stream: Stream, text: String, time: Date = Date()) { self.stream = stream; self.text = text; self.time = time }
}

/// How a command ended.
public enum CommandResult: Sendable, Equatable {
    case exited(Int32)
    case timedOut
    case cancelled
    case connectionLost(String)  // the reason, in words
}

/// Where a check-then-apply frame's output goes: the check's lines, the moment the apply starts,
/// the apply's lines.
public struct CheckThenApplyOutput: Sendable {
    public var check: @Sendable ([OutputLine]) -> Void
    public var applyStarts: @Sendable () -> Void
    public var apply: @Sendable ([OutputLine]) -> Void
    public init(check: @escaping @Sendable ([OutputLine]) -> Void, applyStarts: @escaping @Sendable () -> Void,
                apply: @escaping @Sendable ([OutputLine]) -> Void) {
        self.check = check; self.applyStarts = applyStarts; self.apply = apply
    }
}

/// The same for lines as they came (`RawLines`): what the runner cleans itself.
public struct CheckThenApplyRawOutput: Sendable {
    public var check: @Sendable (RawLines) -> Void
    public var applyStarts: @Sendable () -> Void
    public var apply: @Sendable (RawLines) -> Void
    public init(check: @escaping @Sendable (RawLines) -> Void, applyStarts: @escaping @Sendable () -> Void,
                apply: @escaping @Sendable (RawLines) -> Void) {
        self.check = check; self.applyStarts = applyStarts; self.apply = apply
    }
}

public enum UploadOutcome: Sendable, Equatable {
    case sent(bytes: Int64, resumedAt: Int64 = 0)   // bytes sent now; resumedAt: bytes an earlier cut-off copy had left
    case alreadyPresent          // the remote file had the same sha256
}

/// Runs commands on one host: a local shell, or one long-lived remote shell over OpenSSH.
/// Commands run one at a time per transport, as root when the host's sudo answer asks for it.
public protocol Transport: Sendable {
    var hostName: String { get }
    /// Logs in (once); later calls reuse the session. Throws `TransportError` with the reason.
    func connect() async throws
    /// True when the session is up, so `connect()` would return at once (the runner then skips
    /// its login deadline). The default says false: the runner always calls `connect()`.
    var isConnected: Bool { get async }
    /// Runs a shell script (already rendered, secrets filled in: it travels over stdin, never argv)
    /// with stdin from /dev/null, streaming its output lines as they come.
    func run(_ script: String, timeout: Duration, onLine: @escaping @Sendable (OutputLine) -> Void) async -> CommandResult
    /// The same, with the lines handed over in batches (what one read of the output held), in
    /// order; never an empty batch. What the runner uses: a step may print a million lines.
    func runBatched(_ script: String, timeout: Duration, onLines: @escaping @Sendable ([OutputLine]) -> Void) async -> CommandResult
    /// The same, with each batch's lines as the bytes that came (`RawLines`), not yet decoded:
    /// the runner's way, which cleans them as bytes. The default decodes `runBatched`'s lines.
    func runRaw(_ script: String, timeout: Duration, onRaw: @escaping @Sendable (RawLines) -> Void) async -> CommandResult
    /// A step's check, then its apply only when the check failed, in one round trip. `checked` is
    /// the check's status, nil when the check did not end; `result` is the apply's end (the
    /// check's, when it passed or did not end).
    func runCheckThenApply(check: String, apply: String, timeout: Duration, output: CheckThenApplyOutput) async
        -> (checked: Int32?, result: CommandResult)
    /// `runCheckThenApply` with the lines as they came (`RawLines`).
    func runCheckThenApplyRaw(check: String, apply: String, timeout: Duration, output: CheckThenApplyRawOutput) async
        -> (checked: Int32?, result: CommandResult)
    /// Copies a local file to the host, verified by sha256; skipped when the same sum is already there.
    func upload(localPath: String, remotePath: String, mode: Int) async throws -> UploadOutcome
    /// Copies a file from the host.
    func download(remotePath: String, localPath: String) async throws
    /// The same, telling `progress` how many bytes arrived so far, as they come.
    func download(remotePath: String, localPath: String, progress: @escaping @Sendable (Int64) -> Void) async throws
    /// Ends the session and every process it started.
    func close() async
}

extension Transport {
    public var isConnected: Bool { get async { false } }

    /// A transport that cannot tell progress copies the file and says so once at the end.
    public func download(remotePath: String, localPath: String, progress: @escaping @Sendable (Int64) -> Void) async throws {
        try await download(remotePath: remotePath, localPath: localPath)
        let size = (try? FileManager.default.attributesOfItem(atPath: localPath)[.size] as? NSNumber)?.int64Value ?? 0
        progress(size)
    }

    /// One frame through `runBatched`: see `PhaseSplitter`.
    public func runCheckThenApply(check: String, apply: String, timeout: Duration, output: CheckThenApplyOutput) async
        -> (checked: Int32?, result: CommandResult) {
        let splitter = PhaseSplitter(output)
        let result = await runBatched(splitter.frame(check: check, apply: apply), timeout: timeout, onLines: splitter.take)
        return (splitter.checkStatus, result)
    }

    /// Lines of `runBatched`, as bytes.
    public func runRaw(_ script: String, timeout: Duration, onRaw: @escaping @Sendable (RawLines) -> Void) async -> CommandResult {
        await runBatched(script, timeout: timeout, onLines: { onRaw(RawLines($0)) })
    }

    /// Lines of `runCheckThenApply`, as bytes.
    public func runCheckThenApplyRaw(check: String, apply: String, timeout: Duration, output: CheckThenApplyRawOutput) async
        -> (checked: Int32?, result: CommandResult) {
        await runCheckThenApply(check: check, apply: apply, timeout: timeout, output: CheckThenApplyOutput(
            check: { output.check(RawLines($0)) }, applyStarts: output.applyStarts, apply: { output.apply(RawLines($0)) }))
    }

    /// A transport that delivers one line at a time hands each over as a batch of one.
    public func runBatched(_ script: String, timeout: Duration,
                           onLines: @escaping @Sendable ([OutputLine]) -> Void) async -> CommandResult {
        await run(script, timeout: timeout, onLine: { onLines([$0]) })
    }
}

public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// First contact: the operator must accept this key (SHA256 fingerprint) before going on.
    case unknownHostKey(host: String, fingerprint: String, keyType: String)
    /// The host's key is not the one recorded: a hard stop.
    case changedHostKey(host: String, fingerprint: String)
    case authenticationFailed(host: String, detail: String)
    case sudoFailed(host: String, detail: String)
    case unreachable(host: String, detail: String)
    case transferFailed(host: String, detail: String)

    public var description: String {
        switch self {
        case .unknownHostKey(let h, let fp, let type):
            return "\(h): unknown host key \(type) \(fp); accept it in the wizard or pass --accept-host-key \(h)=\(fp)"
        case .changedHostKey(let h, let fp):
            return "\(h): HOST KEY CHANGED (now \(fp)). Stopping: this may be an attack, or the server was reinstalled. Check it, then remove the old key from known_hosts"
        case .authenticationFailed(let h, let d): return "\(h): login failed: \(d)"
        case .sudoFailed(let h, let d): return "\(h): sudo failed: \(d)"
        case .unreachable(let h, let d): return "\(h): cannot connect: \(d)"
        case .transferFailed(let h, let d): return "\(h): file transfer failed: \(d)"
        }
    }
}
