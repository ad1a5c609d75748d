import ClusterCore
import Foundation

/// One check's outcome, as the Verify screen and `joget-cluster verify` show it.
public struct CheckOutcome: Sendable, Equatable {
    public var id: String
    public var layer: Layer
    public var title: String
    public var verdict: Verdict
    public var duration: Duration
}

/// Runs the cluster checks: first a login to every host the checks use (at once), then each check's
/// probes in order on their hosts, then its judge. Checks run one after another, so their output
/// reads in the guide's order.
///
/// A host that cannot be logged in to is one outcome, `login@HOST` ("HOST: cannot log in", not run,
/// the reason as evidence), handed over before the checks; every check with a probe on that host is
/// then not run ("cannot log in to HOST") without trying it again.
public struct Verifier: Sendable {
    public var transport: @Sendable (String) -> (any Transport)?
    public var secrets: SecretValues
    public var timeout: Duration
    /// Where a run of every check is recorded (`verify.json`); nil: nowhere.
    public var record: StateDir?

    public init(secrets: SecretValues, timeout: Duration = .seconds(60), record: StateDir? = nil,
                transport: @escaping @Sendable (String) -> (any Transport)?) {
        self.secrets = secrets; self.timeout = timeout; self.record = record; self.transport = transport
    }

    /// The id of the outcome saying that `host` cannot be logged in to.
    public static func loginID(_ host: String) -> String { "login@" + host }

    public func run(_ checks: [ClusterCheck], onOutcome: @Sendable (CheckOutcome) -> Void = { _ in }) async -> [CheckOutcome] {
        let redactor = Redactor(secrets: Runner.redactionNeedles(secrets))
        var outcomes: [CheckOutcome] = []
        var hosts: [String] = []
        for host in checks.flatMap({ $0.probes.map(\.host) }) where !hosts.contains(host) { hosts.append(host) }
        let down = await logIn(hosts, redactor: redactor)
        for host in hosts {
            guard let (why, took) = down[host] else { continue }
            let outcome = CheckOutcome(id: Self.loginID(host), layer: .hosts, title: "\(host): cannot log in",
                                       verdict: .notRun(why), duration: took)
            onOutcome(outcome)
            outcomes.append(outcome)
        }
        for check in checks {
            if Task.isCancelled { break }
            let clock = ContinuousClock()
            let start = clock.now
            if let host = check.probes.map(\.host).first(where: { down[$0] != nil }) {
                let outcome = CheckOutcome(id: check.id, layer: check.layer, title: check.title,
                                           verdict: .notRun("cannot log in to \(host)"), duration: .zero)
                onOutcome(outcome)
                outcomes.append(outcome)
                continue
            }
            var results: [ProbeResult] = []
            for probe in check.probes {
                results.append(await run(probe, redactor: redactor))
                if Task.isCancelled { break }
            }
            var verdict = Self.judge(check, results)
            verdict.evidence = redactor.clean(verdict.evidence)
            let outcome = CheckOutcome(id: check.id, layer: check.layer, title: check.title, verdict: verdict,
                                       duration: clock.now - start)
            onOutcome(outcome)
            outcomes.append(outcome)
        }
        // Only a run that was not stopped says what the cluster is like; a failed save is not the checks' failure.
        if let record, !Task.isCancelled, outcomes.count == checks.count + down.count {
            try? VerifyRecord(outcomes: outcomes).save(to: record)
        }
        return outcomes
    }

    /// Logs in to every host at once; the hosts that failed, with why (without the host's name in
    /// front: the outcome's title has it) and how long it took.
    private func logIn(_ hosts: [String], redactor: Redactor) async -> [String: (String, Duration)] {
        await withTaskGroup(of: (String, String?, Duration).self) { group in
            for host in hosts {
                group.addTask {
                    let clock = ContinuousClock()
                    let start = clock.now
                    guard let transport = transport(host) else { return (host, "no connection to \(host)", .zero) }
                    do {
                        try await transport.connect()
                        return (host, nil, clock.now - start)
                    } catch {
                        var why = redactor.clean("\(error)")
                        if why.hasPrefix(host + ": ") { why.removeFirst(host.count + 2) }
                        return (host, why, clock.now - start)
                    }
                }
            }
            var down: [String: (String, Duration)] = [:]
            for await (host, why, took) in group { if let why { down[host] = (why, took) } }
            return down
        }
    }

    /// The check's verdict from its probes' results: its judge's only when every probe ran; a probe
    /// that could not run (no connection, a timeout, a stop) proves nothing, so the check is not run.
    static func judge(_ check: ClusterCheck, _ results: [ProbeResult]) -> Verdict {
        guard results.count == check.probes.count else { return .notRun("stopped before its probes ran") }
        if let (probe, result) = zip(check.probes, results).first(where: { !$1.ran }) {
            return .notRun("the probe on \(probe.host) could not run: \(result.error ?? "no exit status")")
        }
        return check.judge(results)
    }

    private func run(_ probe: Probe, redactor: Redactor) async -> ProbeResult {
        guard let transport = transport(probe.host) else {
            return ProbeResult(exitCode: nil, output: [], error: "no connection to \(probe.host)")
        }
        let script: String
        do { script = try probe.script.executable(with: secrets) } catch {
            return ProbeResult(exitCode: nil, output: [], error: "\(error)")
        }
        do { try await transport.connect() } catch {
            return ProbeResult(exitCode: nil, output: [], error: redactor.clean("\(error)"))
        }
        let lines = LineCollector()
        let result = await transport.run(script, timeout: timeout) { line in lines.append(redactor.clean(line.text)) }
        switch result {
        case .exited(let code): return ProbeResult(exitCode: code, output: lines.all)
        case .timedOut: return ProbeResult(exitCode: nil, output: lines.all, error: "timed out after \(timeout)")
        case .cancelled: return ProbeResult(exitCode: nil, output: lines.all, error: "cancelled")
        case .connectionLost(let why): return ProbeResult(exitCode: nil, output: lines.all, error: "connection lost: \(why)")
        }
    }
}

/// Lines gathered from a callback that may run on another thread.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
