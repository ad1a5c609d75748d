import ClusterCore
import Foundation

/// What `apply --dry-run` found for one step.
public enum DriftVerdict: Sendable, Hashable {
    /// The check passed: apply would leave the step alone.
    case inPlace
    /// The check failed: apply would run the step. The reason is the check's own last line.
    case wouldChange(String)
    /// No check, and the step changes things: apply runs it every time (its apply is idempotent).
    case alwaysRuns
    /// A probe: it only reads its host, so it has no check; apply runs it every time.
    case probe
    /// The check could not run (no connection, a timeout, a missing secret, a stop): not in place either.
    case notChecked(String)
}

/// One step's line in the dry run's report.
public struct DriftFinding: Sendable, Hashable {
    public var stepID: String
    public var host: String
    public var verdict: DriftVerdict
    /// Dependencies that would change (directly, or through steps without a check): the step's own
    /// check may fail only because they are not done yet.
    public var after: [String]

    public init(stepID: String, host: String, verdict: DriftVerdict, after: [String] = []) {
        self.stepID = stepID; self.host = host; self.verdict = verdict; self.after = after
    }
}

/// Every step's verdict, in plan order, and what the command prints and returns.
public struct DriftReport: Sendable {
    public var findings: [DriftFinding]

    public init(findings: [DriftFinding]) { self.findings = findings }

    public var changes: [DriftFinding] { findings.filter { if case .wouldChange = $0.verdict { true } else { false } } }
    public var unchecked: [DriftFinding] { findings.filter { if case .notChecked = $0.verdict { true } else { false } } }
    public var inPlace: Int { findings.filter { $0.verdict == .inPlace }.count }
    public var withoutCheck: Int { findings.filter { $0.verdict == .alwaysRuns || $0.verdict == .probe }.count }

    /// 0: nothing would change; 3: something would; 1: some check could not run (that wins: the
    /// steps not checked may have changed too).
    public var exitCode: Int32 { !unchecked.isEmpty ? 1 : !changes.isEmpty ? 3 : 0 }

    /// `2 steps would change on app1, db; 40 in place; 1 could not be checked; 12 without a check`.
    public var summary: String {
        let n = changes.count
        var hosts: [String] = []
        for f in changes where !hosts.contains(f.host) { hosts.append(f.host) }
        var text = "\(n) step\(n == 1 ? "" : "s") would change"
        if !hosts.isEmpty { text += " on " + hosts.joined(separator: ", ") }
        text += "; \(inPlace) in place; \(unchecked.count) could not be checked"
        if withoutCheck > 0 { text += "; \(withoutCheck) without a check (they run on every apply, not counted)" }
        return text
    }

    /// One line per step that would change or could not be checked, then (unless `quiet`) one per
    /// step without a check, columns aligned:
    /// `would change  app.server-xml@app1#node01  app1  /opt/joget/node01/conf/server.xml differs from the plan`.
    public func lines(quiet: Bool = false) -> [String] {
        var rows: [[String]] = []
        for f in findings {
            switch f.verdict {
            case .wouldChange(let why):
                rows.append(["would change", f.stepID, f.host, why + DriftReport.afterMark(f.after)])
            case .notChecked(let why): rows.append(["not checked", f.stepID, f.host, why])
            default: break
            }
        }
        if !quiet {
            for f in findings {
                switch f.verdict {
                case .alwaysRuns: rows.append(["no check", f.stepID, f.host, "apply runs it every time (the result cannot be read back)"])
                case .probe: rows.append(["probe", f.stepID, f.host, "only reads the host; apply runs it every time"])
                default: break
                }
            }
        }
        guard !rows.isEmpty else { return [] }
        let widths = (0..<3).map { i in rows.map { $0[i].count }.max() ?? 0 }
        return rows.map { r in
            (0..<3).map { r[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + r[3]
        }
    }

    /// ` (after: a changes)`, ` (after: a, b change)`; past three, ` (after: a, b, c and 4 more change)`.
    public static func afterMark(_ ids: [String]) -> String {
        guard !ids.isEmpty else { return "" }
        var names = ids.prefix(3).joined(separator: ", ")
        if ids.count > 3 { names += " and \(ids.count - 3) more" }
        return " (after: \(names) change\(ids.count == 1 ? "s" : ""))"
    }

    /// What a failed check says about itself: its last line on stderr, else on stdout (the plan's
    /// checks print their reason last, to stderr), else its exit status. Lines arrive cleaned.
    public static func reason(_ lines: [OutputLine], exitCode: Int32) -> String {
        func last(_ stream: OutputLine.Stream) -> String? {
            lines.last { $0.stream == stream && !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }?
                .text.trimmingCharacters(in: .whitespaces)
        }
        guard let text = last(.stderr) ?? last(.stdout) else { return "check failed (exit \(exitCode))" }
        return text.count > 300 ? String(text.prefix(299)) + "…" : text
    }

    /// For each step that would change, its dependencies that would change too: walking back from
    /// its `dependsOn`, through steps that were not found in place (no check, not checked), up to
    /// the first that would change on each path.
    public static func markDependencies(_ findings: [DriftFinding], plan: Plan) -> [DriftFinding] {
        var verdict: [String: DriftVerdict] = [:]
        for f in findings { verdict[f.stepID] = f.verdict }
        var order: [String: Int] = [:]
        for (i, s) in plan.steps.enumerated() { order[s.id] = i }
        var deps: [String: [String]] = [:]
        for s in plan.steps { deps[s.id] = s.dependsOn }
        return findings.map { f in
            guard case .wouldChange = f.verdict else { return f }
            var found: Set<String> = []
            var seen: Set<String> = []
            var stack = deps[f.stepID] ?? []
            while let d = stack.popLast() {
                guard seen.insert(d).inserted else { continue }
                switch verdict[d] {
                case .wouldChange?: found.insert(d)
                case .inPlace?: continue
                default: stack += deps[d] ?? []
                }
            }
            var marked = f
            marked.after = found.sorted { (order[$0] ?? 0) < (order[$1] ?? 0) }
            return marked
        }
    }
}

/// `apply --dry-run`: runs each step's read-only check on its host and nothing else: no apply, no
/// verify, no transfer, no journal, no step log. Hosts are checked in parallel, each host's steps
/// one after another in plan order (a transport runs one command at a time). Every check runs,
/// even when a step it depends on would change; the report marks those.
public struct DriftCheck: Sendable {
    public let plan: Plan
    private let secrets: SecretValues
    private let redactor: Redactor
    private let transport: @Sendable (String) -> any Transport
    /// Held while the check lives, when given: an apply running meanwhile would be seen half done.
    private let stateLock: StateDirLock?
    /// Time allowed for one check (the plan's checks read a few files or ask a local service).
    public var checkTimeout: Duration
    /// Time allowed for logging in to a host.
    public var connectTimeout: Duration

    public init(plan: Plan, secrets: SecretValues, stateLock: StateDirLock? = nil,
                checkTimeout: Duration = .seconds(120), connectTimeout: Duration = .seconds(120),
                transports: @escaping @Sendable (String) -> any Transport) {
        self.plan = plan
        self.secrets = secrets
        self.redactor = Redactor(secrets: Runner.redactionNeedles(secrets))
        self.stateLock = stateLock
        self.checkTimeout = checkTimeout
        self.connectTimeout = connectTimeout
        self.transport = transports
    }

    /// Checks every step. `unreachable`: hosts already known not to answer, with the reason (their
    /// steps are not checked). Cancelling the task stops the checks; those left are "not checked".
    /// `progress` hears each step's verdict as it is known, from the host's task (the wizard's live
    /// list); its findings are not yet marked with the dependencies that would change.
    public func run(unreachable: [String: String] = [:],
                    progress: (@Sendable (DriftFinding) -> Void)? = nil) async -> DriftReport {
        var byHost: [String: [Step]] = [:]
        for step in plan.steps { byHost[step.host, default: []].append(step) }
        let verdicts = await withTaskGroup(of: [String: DriftVerdict].self) { group in
            for host in plan.hosts {
                let steps = byHost[host] ?? []
                let down = unreachable[host].map { redactor.clean($0) }
                group.addTask { await self.check(host: host, steps: steps, unreachable: down, progress: progress) }
            }
            var all: [String: DriftVerdict] = [:]
            for await part in group { all.merge(part) { a, _ in a } }
            return all
        }
        let findings = plan.steps.map { DriftFinding(stepID: $0.id, host: $0.host, verdict: verdicts[$0.id] ?? .notChecked("stopped")) }
        return DriftReport(findings: DriftReport.markDependencies(findings, plan: plan))
    }

    /// One host's steps, in plan order.
    private func check(host: String, steps: [Step], unreachable: String?,
                       progress: (@Sendable (DriftFinding) -> Void)?) async -> [String: DriftVerdict] {
        var out: [String: DriftVerdict] = [:]
        func record(_ step: Step, _ verdict: DriftVerdict) {
            out[step.id] = verdict
            progress?(DriftFinding(stepID: step.id, host: host, verdict: verdict))
        }
        var down = unreachable
        var connected = false
        for step in steps {
            guard let script = step.check else {
                record(step, step.readOnly ? .probe : .alwaysRuns)
                continue
            }
            if Task.isCancelled { record(step, .notChecked("stopped")); continue }
            if let down { record(step, .notChecked(down)); continue }
            let t = transport(host)
            if !connected {
                do {
                    try await Runner.withDeadline(.now + connectTimeout) { try await t.connect() }
                    connected = true
                } catch is CancellationError {
                    record(step, .notChecked("stopped")); continue
                } catch is StepTimedOut {
                    down = "cannot connect to \(host): no answer within \(TimeText.seconds(connectTimeout))"
                } catch let e as TransportError {
                    down = Runner.cleaned(e, redactor).description
                } catch {
                    down = redactor.clean("cannot connect to \(host): \(error)")
                }
                if let down { record(step, .notChecked(down)); continue }
            }
            let verdict = await run(script, of: step, on: t)
            record(step, verdict)
            if case .notChecked(let why) = verdict, why.hasPrefix("connection to") { down = why }
        }
        return out
    }

    /// One check, its output cleaned like the runner's (sanitised, secrets masked).
    private func run(_ script: Script, of step: Step, on t: any Transport) async -> DriftVerdict {
        let text: String
        do { text = try script.executable(with: secrets) } catch {
            return .notChecked(redactor.clean("\(error)"))
        }
        let redactor = self.redactor
        let lines = OutputCollector()
        let result = await t.runBatched(text, timeout: checkTimeout) { batch in
            lines.append(batch.map { OutputLine(stream: $0.stream, text: redactor.cleanOutputLine($0.text), time: $0.time) })
        }
        switch result {
        case .exited(0): return .inPlace
        case .exited where Task.isCancelled: return .notChecked("stopped")
        case .exited(let code): return .wouldChange(DriftReport.reason(lines.all, exitCode: code))
        case .timedOut: return .notChecked("the check did not end within \(TimeText.seconds(checkTimeout))")
        case .cancelled: return .notChecked("stopped")
        case .connectionLost(let why): return .notChecked(redactor.clean("connection to \(step.host) lost: \(why)"))
        }
    }
}

/// Output lines gathered from a callback that may run on another thread.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [OutputLine] = []
    func append(_ more: [OutputLine]) { lock.withLock { lines += more } }
    var all: [OutputLine] { lock.withLock { lines } }
}
