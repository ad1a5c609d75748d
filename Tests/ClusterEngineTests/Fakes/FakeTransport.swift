import ClusterCore
@testable import ClusterEngine
import Foundation
import Synchronization

/// What a fake host does with a script.
struct FakeBehavior: Sendable {
    var exit: Int32 = 0
    var delay: Duration = .zero
    var lines: [(OutputLine.Stream, String)] = []
    /// Instead of exiting: the connection drops with this reason.
    var connectionLost: String? = nil
    /// Also print the script text itself as a line (to prove secrets are redacted).
    var echoScript = false

    static func exit(_ code: Int32, after delay: Duration = .zero, lines: [String] = []) -> FakeBehavior {
        FakeBehavior(exit: code, delay: delay, lines: lines.map { (.stdout, $0) })
    }
    static let hang = FakeBehavior(exit: 0, delay: .seconds(3600))
}

/// One script run on a fake host.
struct FakeRun: Sendable {
    var host: String
    var script: String
    var start: ContinuousClock.Instant
    var end: ContinuousClock.Instant
    var result: CommandResult
}

/// Every fake host of a test, with one log of what ran, in order.
final class FakeWorld: Sendable {
    private struct State {
        var rules: [(host: String?, contains: String, behavior: FakeBehavior, times: Int?)] = []
        var runs: [FakeRun] = []
        var connects: [String: Int] = [:]
        var connectErrors: [String: TransportError] = [:]
        var uploads: [(host: String, local: String, remote: String)] = []
        var downloads: [(host: String, remote: String, local: String)] = []
        var closed: Set<String> = []
    }
    private let state = Mutex(State())

    /// Scripts containing `contains` (on `host`, or any) behave so; later rules win. `times`: only
    /// for that many runs, then the rule is dropped.
    func on(_ contains: String, host: String? = nil, times: Int? = nil, _ behavior: FakeBehavior) {
        state.withLock { $0.rules.append((host, contains, behavior, times)) }
    }
    func failConnect(_ host: String, _ error: TransportError) { state.withLock { $0.connectErrors[host] = error } }

    var runs: [FakeRun] { state.withLock { $0.runs } }
    var scripts: [String] { runs.map(\.script) }
    func scripts(on host: String) -> [String] { runs.filter { $0.host == host }.map(\.script) }
    func ran(_ script: String) -> Bool { scripts.contains(script) }
    func run(_ script: String) -> FakeRun? { runs.first { $0.script == script } }
    var uploads: [(host: String, local: String, remote: String)] { state.withLock { $0.uploads } }
    var downloads: [(host: String, remote: String, local: String)] { state.withLock { $0.downloads } }
    func connects(_ host: String) -> Int { state.withLock { $0.connects[host] ?? 0 } }
    var closed: Set<String> { state.withLock { $0.closed } }

    func transport(_ host: String) -> any Transport { FakeTransport(hostName: host, world: self) }

    fileprivate func behavior(host: String, script: String) -> FakeBehavior {
        state.withLock { s in
            for i in s.rules.indices.reversed() {
                let r = s.rules[i]
                guard r.host == nil || r.host == host, script.contains(r.contains) else { continue }
                if let t = r.times {
                    if t <= 1 { s.rules.remove(at: i) } else { s.rules[i].times = t - 1 }
                }
                return r.behavior
            }
            // Default: checks say "not done", everything else succeeds.
            return script.hasPrefix("check") ? .exit(1) : .exit(0)
        }
    }
    fileprivate func record(_ run: FakeRun) { state.withLock { $0.runs.append(run) } }
    fileprivate func connect(_ host: String) throws {
        try state.withLock { s in
            s.connects[host, default: 0] += 1
            if let e = s.connectErrors[host] { throw e }
        }
    }
    fileprivate func upload(_ host: String, _ local: String, _ remote: String) { state.withLock { $0.uploads.append((host, local, remote)) } }
    fileprivate func download(_ host: String, _ remote: String, _ local: String) { state.withLock { $0.downloads.append((host, remote, local)) } }
    fileprivate func close(_ host: String) { state.withLock { _ = $0.closed.insert(host) } }
}

/// A Transport that does what its world's rules say, honouring timeouts and cancellation.
struct FakeTransport: Transport {
    let hostName: String
    let world: FakeWorld

    func connect() async throws { try world.connect(hostName) }

    func run(_ script: String, timeout: Duration, onLine: @escaping @Sendable (OutputLine) -> Void) async -> CommandResult {
        let b = world.behavior(host: hostName, script: script)
        let start = ContinuousClock.now
        if b.echoScript { onLine(OutputLine(stream: .stdout, text: script)) }
        for (stream, text) in b.lines { onLine(OutputLine(stream: stream, text: text)) }
        var result: CommandResult
        if let lost = b.connectionLost {
            result = .connectionLost(lost)
        } else {
            do {
                try await Task.sleep(for: min(b.delay, timeout))
                result = b.delay > timeout ? .timedOut : .exited(b.exit)
            } catch {
                result = .cancelled
            }
        }
        world.record(FakeRun(host: hostName, script: script, start: start, end: .now, result: result))
        return result
    }

    /// The check, then the apply when it failed, each recorded as its own run: the rules and
    /// the tests read scripts by what they say, not by how they were framed.
    func runCheckThenApply(check: String, apply: String, timeout: Duration, output: CheckThenApplyOutput) async
        -> (checked: Int32?, result: CommandResult) {
        let start = ContinuousClock.now
        let checked = await run(check, timeout: timeout) { output.check([$0]) }
        guard case .exited(let code) = checked else { return (nil, checked) }
        if code == 0 { return (0, checked) }
        output.applyStarts()
        return (code, await run(apply, timeout: timeout - (ContinuousClock.now - start)) { output.apply([$0]) })
    }

    func upload(localPath: String, remotePath: String, mode: Int) async throws -> UploadOutcome {
        world.upload(hostName, localPath, remotePath)
        let size = (try? FileManager.default.attributesOfItem(atPath: localPath)[.size] as? Int64) ?? 0
        return .sent(bytes: size)
    }

    func download(remotePath: String, localPath: String) async throws {
        world.download(hostName, remotePath, localPath)
        try Data("from \(hostName):\(remotePath)\n".utf8).write(to: URL(fileURLWithPath: localPath))
    }

    func close() async { world.close(hostName) }
}

/// A fresh temporary folder, removed by `cleanup()`.
struct TempDir {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "runner-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// Collects every event of a runner.
final class EventLog: Sendable {
    private let events = Mutex<[RunEvent]>([])
    init(_ runner: Runner) {
        runner.observe { [weak self] e in self?.events.withLock { $0.append(e) } }
    }
    var all: [RunEvent] { events.withLock { $0 } }
    /// Every output line, one event each.
    var outputs: [OutputEvent] {
        all.flatMap { e -> [OutputEvent] in if case .output(let o) = e { return o.events } else { return [] } }
    }
    var finished: [StepOutcome] { all.compactMap { if case .stepFinished(let o) = $0 { o } else { nil } } }
    var notices: [String] { all.compactMap { if case .notice(let n) = $0 { n } else { nil } } }
    func started(_ id: String) -> [StepPhase] {
        all.compactMap { if case .stepStarted(let s, _, let p) = $0, s == id { p } else { nil } }
    }
}

/// Steps whose scripts are `check <id>`, `apply <id>`, `verify <id>`.
func fakeStep(_ id: String, host: String, layer: Layer = .hosts, dependsOn: [String] = [], optional: Bool = false,
              check: Bool = true, verify: Bool = false, timeout: Int = 600) -> Step {
    Step(id: id, layer: layer, host: host, title: id,
         check: check ? Script("check \(id)") : nil, apply: Script("apply \(id)"),
         verify: verify ? Script("verify \(id)") : nil,
         dependsOn: dependsOn, optional: optional, timeoutSeconds: timeout)
}

extension StepOutcome {
    var isFailed: Bool { status.isFailed }
}

extension RunSummary {
    func status(_ id: String) -> StepStatus? { outcome(id)?.status }
}
