import ClusterCore
import Foundation
import Synchronization

public enum RunnerError: Error, Equatable, CustomStringConvertible {
    case unknownStep(String)
    case duplicateStep(String)
    case unknownDependency(step: String, dependsOn: String)
    case dependencyCycle([String])
    case requiredStep(String)
    case notRetryable(String, status: String)
    case notSkippable(String, status: String)

    public var description: String {
        switch self {
        case .unknownStep(let id): return "there is no step \(id) in the plan"
        case .duplicateStep(let id): return "the plan has two steps with the id \(id)"
        case .unknownDependency(let step, let dep): return "step \(step) depends on \(dep), which is not in the plan"
        case .dependencyCycle(let ids):
            return "the plan's steps wait on each other in a circle (counting each host's order): \(ids.joined(separator: ", "))"
        case .requiredStep(let id): return "step \(id) is required and cannot be skipped"
        case .notRetryable(let id, let status): return "step \(id) is \(status): only a failed or interrupted step can be retried"
        case .notSkippable(let id, let status): return "step \(id) is \(status) and cannot be skipped now"
        }
    }
}

/// Runs a plan: each host's steps one at a time in plan order, hosts in parallel, `dependsOn`
/// honoured; each step `check` → (upload) → `apply` → `verify` → (download). Every output line is
/// sanitised and redacted before it reaches events, logs or the journal.
///
/// ```
/// let runner = try Runner(plan: plan, secrets: secrets, stateDir: dir, answersHash: hash,
///                         resume: try Journal.load(stateDir: dir)) { host in transports[host]! }
/// let events = runner.events()            // subscribe before running
/// let summary = await runner.run()        // returns when nothing more can run
/// try await runner.retry("db.install@db") // or skip(...) an optional step; both continue the run
/// runner.stop()                           // from a signal handler: running steps end as interrupted
/// await runner.close()
/// ```
public actor Runner {
    public struct Options: Sendable {
        /// Hosts worked on at once; nil: every host.
        public var maxConcurrency: Int?
        /// When true, a failed step also stops the later steps of its host (as blocked);
        /// by default only the steps that depend on it (directly or not) are blocked.
        public var stopHostOnFailure: Bool
        /// Mode of uploaded files on the host; the step's apply sets the final owner and mode.
        public var uploadMode: Int
        /// Time allowed for logging in to a host (not counted in the step's timeout).
        public var connectTimeout: Duration
        /// A step's check and apply go to the host as one frame (one round trip); false sends them
        /// one after the other (the benchmark's baseline).
        public var joinCheckAndApply: Bool
        /// Every journal record waits for its `fsync` before the run goes on (the benchmark's
        /// baseline); by default the journal's syncer makes records durable behind the run.
        public var syncEachJournalRecord: Bool

        public init(maxConcurrency: Int? = nil, stopHostOnFailure: Bool = false, uploadMode: Int = 0o600,
                    connectTimeout: Duration = .seconds(120), joinCheckAndApply: Bool = true,
                    syncEachJournalRecord: Bool = false) {
            self.maxConcurrency = maxConcurrency; self.stopHostOnFailure = stopHostOnFailure
            self.uploadMode = uploadMode; self.connectTimeout = connectTimeout; self.joinCheckAndApply = joinCheckAndApply
            self.syncEachJournalRecord = syncEachJournalRecord
        }
    }

    public nonisolated let plan: Plan
    public nonisolated let stateDir: StateDir
    /// Held for the runner's life when given: no second run drives the same state folder meanwhile.
    private let stateLock: StateDirLock?
    /// Full logs on disk, one file per host and step.
    public nonisolated let logs: LogStore
    /// Every event goes through here; `events()` and `observe` subscribe.
    public nonisolated let hub: RunEventHub
    public nonisolated let answersHash: String?
    /// True when resuming from a journal whose answers hash differs: every step is checked again.
    public nonisolated let answersChanged: Bool

    private nonisolated let journal: Journal
    private nonisolated let secrets: SecretValues
    private nonisolated let redactor: Redactor
    private nonisolated let options: Options
    private nonisolated let makeTransport: @Sendable (String) -> any Transport

    private struct Control {
        var stopping = false
        var tasks: [String: Task<Void, Never>] = [:]
        /// The part each running step is in, set from its task as it moves on.
        var phases: [String: StepPhase] = [:]
    }
    private nonisolated let control = Mutex(Control())

    /// Where each step stands; for a finished one, `outcomes` has the details (time, exit code, journal).
    /// Written only through `setState`, which keeps the scheduler's indexes below in step with it.
    private var states: [String: StepState] = [:]
    /// The step running on each host (a host runs one at a time).
    private var runningOnHost: [String: String] = [:]
    /// Per host, the position in `hostOrder` before which no step is pending.
    private var pendingFrom: [String: Int] = [:]
    /// Per host, its steps that ended in failure.
    private var failedOnHost: [String: Set<String>] = [:]
    private var outcomes: [String: StepOutcome] = [:]
    private var attempts: [String: Int] = [:]
    private var transports: [String: any Transport] = [:]
    private var notices: [String] = []
    private var announcedJournal = false
    private var active = false
    private var driveStart = ContinuousClock.now
    private var waiters: [CheckedContinuation<RunSummary, Never>] = []
    private var lastSummary: RunSummary? = nil
    private let hostOrder: [String: [String]]
    private let stepByID: [String: Step]
    /// The plan's hosts in order of first appearance.
    private let hosts: [String]
    /// A step's position in its host's `hostOrder`.
    private let positionOnHost: [String: Int]

    /// - Parameters:
    ///   - answersHash: `Journal.answersHash(answers)`, recorded in each run header.
    ///   - resume: the journal's state: steps it records done, already done or skipped are trusted
    ///     and not run again, unless the answers hash changed, when every step is checked again.
    ///   - transports: gives the transport of a host (asked once per host; `Step.localHost` gets the local one).
    ///   - stateLock: the state folder's lock, taken before `resume` was read; kept until the runner goes.
    public init(plan: Plan, secrets: SecretValues, stateDir: StateDir, answersHash: String?,
                options: Options = Options(), resume: JournalState? = nil, stateLock: StateDirLock? = nil,
                transports: @escaping @Sendable (String) -> any Transport) throws {
        try Runner.validate(plan)
        self.plan = plan
        self.stateDir = stateDir
        self.stateLock = stateLock
        self.secrets = secrets
        self.redactor = Redactor(secrets: Runner.redactionNeedles(secrets))
        self.answersHash = answersHash
        self.options = options
        self.makeTransport = transports
        self.logs = LogStore(stateDir: stateDir)
        self.hub = RunEventHub()
        self.journal = try Journal(stateDir: stateDir, syncEachRecord: options.syncEachJournalRecord)
        var byHost: [String: [String]] = [:]
        var byID: [String: Step] = [:]
        var position: [String: Int] = [:]
        for step in plan.steps {
            position[step.id] = byHost[step.host, default: []].count
            byHost[step.host, default: []].append(step.id)
            byID[step.id] = step
        }
        hostOrder = byHost
        stepByID = byID
        hosts = plan.hosts
        positionOnHost = position

        var states: [String: StepState] = [:]
        var outcomes: [String: StepOutcome] = [:]
        for step in plan.steps { states[step.id] = .pending }
        var notices: [String] = []
        if let m = journal.repairMessage { notices.append(m) }
        var changed = false
        if let resume, !resume.isEmpty {
            notices += resume.messages
            changed = resume.runs > 0 && resume.answersHash != answersHash
            if changed {
                notices.append("The answers changed since the last run (answers hash \(Runner.short(resume.answersHash)) → "
                               + "\(Runner.short(answersHash))): every step is checked again, even those done before.")
            } else {
                for step in plan.steps {
                    guard let e = resume.steps[step.id] else { continue }
                    switch e.status {
                    case .done, .alreadyDone, .skipped:
                        states[step.id] = .finished(e.status)
                        outcomes[step.id] = StepOutcome(
                            stepID: step.id, host: step.host, status: e.status, exitCode: e.exitCode,
                            duration: .milliseconds(e.durationMs ?? 0), check: e.check ?? .notRun, attempt: 0,
                            fromJournal: true, endedAt: e.time ?? Date())
                    default: break
                    }
                }
            }
        }
        answersChanged = changed
        self.states = states
        self.outcomes = outcomes
        self.notices = notices
    }

    // MARK: observing

    /// Every event from now on; subscribe before `run()`. The stream ends at `close()`.
    public nonisolated func events() -> AsyncStream<RunEvent> { hub.subscribe() }

    /// Calls `observer` with every event, on the emitting task.
    @discardableResult
    public nonisolated func observe(_ observer: @escaping @Sendable (RunEvent) -> Void) -> Int { hub.observe(observer) }

    /// Where a step stands now; a running step says the part it is in.
    public func state(of stepID: String) -> StepState? {
        guard case .running(let started)? = states[stepID] else { return states[stepID] }
        return .running(control.withLock { $0.phases[stepID] } ?? started)
    }
    /// How a finished step ended, in full.
    public func outcome(of stepID: String) -> StepOutcome? { outcomes[stepID] }
    /// Every step's state, in plan order.
    public func snapshot() -> [(step: Step, state: StepState)] { plan.steps.map { ($0, state(of: $0.id) ?? .pending) } }
    public var isRunning: Bool { active }

    // MARK: driving

    /// Runs everything not yet finished (steps left interrupted by an earlier `stop()` are checked
    /// and run again; failed steps wait for `retry`). Returns when nothing more can run: all done,
    /// or what remains is failed, blocked, or left by `stop()`.
    @discardableResult
    public func run() async -> RunSummary {
        begin(clearStop: false)
        for step in plan.steps where states[step.id] == .finished(.interrupted) {
            setPending(step.id)
            unblock(dependentsOf: step.id)
        }
        return await wait()
    }

    /// Runs a failed or interrupted step again (check first), then whatever it unblocks.
    /// While a run is going, it joins it; returns when the run goes idle.
    @discardableResult
    public func retry(_ stepID: String) async throws -> RunSummary {
        guard stepByID[stepID] != nil else { throw RunnerError.unknownStep(stepID) }
        switch states[stepID] {
        case .finished(let status)? where status == .interrupted || status.isFailed:
            break
        case .finished(let status)?: throw RunnerError.notRetryable(stepID, status: status.description)
        case .running?: throw RunnerError.notRetryable(stepID, status: "running")
        default: throw RunnerError.notRetryable(stepID, status: "not run yet")
        }
        begin(clearStop: true)
        setPending(stepID)
        unblock(dependentsOf: stepID)
        return await wait()
    }

    /// Marks an optional step skipped (it must be pending, failed, interrupted or blocked), which
    /// unblocks the steps depending on it; then, when `continueRun`, goes on like `run()`.
    @discardableResult
    public func skip(_ stepID: String, continueRun: Bool = true) async throws -> RunSummary {
        guard let step = stepByID[stepID] else { throw RunnerError.unknownStep(stepID) }
        guard step.optional else { throw RunnerError.requiredStep(stepID) }
        switch states[stepID] {
        case .running?: throw RunnerError.notSkippable(stepID, status: "running")
        case .finished(let status)? where status.satisfiesDependents:
            throw RunnerError.notSkippable(stepID, status: status.description)
        default: break
        }
        if continueRun { begin(clearStop: true) }
        let outcome = StepOutcome(stepID: stepID, host: step.host, status: .skipped, exitCode: nil,
                                  check: .notRun, attempt: attempts[stepID] ?? 0)
        record(outcome, phase: nil)
        unblock(dependentsOf: stepID)
        if !continueRun {
            pump()
            return summary(stopped: false)
        }
        return await wait()
    }

    /// Stops the run: running steps are cancelled (the transport ends their processes) and recorded
    /// as interrupted; nothing new starts. Safe to call from any thread, e.g. a signal handler's task.
    /// Called while idle, the next `run()` returns at once (stopped) without starting anything.
    public nonisolated func stop() {
        control.withLock { c in
            c.stopping = true
            for task in c.tasks.values { task.cancel() }
        }
    }

    nonisolated var stopRequested: Bool { control.withLock { $0.stopping } }

    /// Closes every transport, the journal and the event streams. The runner is not used afterwards.
    public func close() async {
        for t in transports.values { await t.close() }
        transports.removeAll()
        journal.close()
        hub.close()
    }

    // MARK: scheduling

    /// Starts a drive (journal header, runStarted). A `stop()` that came while idle is kept for
    /// `run()` (a Ctrl-C just before it still counts) and dropped by `retry`/`skip`, which the
    /// operator asks for after stopping.
    private func begin(clearStop: Bool) {
        guard !active else { return }
        active = true
        if clearStop { control.withLock { $0.stopping = false } }
        driveStart = .now
        let trusted = outcomes.values.filter(\.fromJournal).count
        appendJournal(.runHeader(answersHash: answersHash, plan: plan))
        hub.emit(.runStarted(PlanSummary(plan: plan, trustedFromJournal: announcedJournal ? 0 : trusted), answersHash: answersHash))
        for n in notices { hub.emit(.notice(n)) }
        notices.removeAll()
        if !announcedJournal {
            announcedJournal = true
            for step in plan.steps {
                if let o = outcomes[step.id], o.fromJournal { hub.emit(.stepFinished(o)) }
            }
        }
    }

    private func wait() async -> RunSummary {
        pump()
        if !active, let s = lastSummary { return s }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<RunSummary, Never>) in
                self.waiters.append(c)
            }
        } onCancel: {
            self.stop()
        }
    }

    private enum Readiness { case ready, wait, blocked(by: String) }

    private func readiness(_ step: Step) -> Readiness {
        var waiting = false
        for dep in step.dependsOn {
            switch states[dep] {
            case .finished(let status)? where status.satisfiesDependents: continue
            case .finished?: return .blocked(by: dep)
            default: waiting = true
            }
        }
        if options.stopHostOnFailure, let failed = failedOnHost[step.host], let mine = positionOnHost[step.id] {
            let earlier = failed.compactMap { id in positionOnHost[id].map { (id, $0) } }.filter { $0.1 < mine }
            if let first = earlier.min(by: { $0.1 < $1.1 }) { return .blocked(by: first.0) }
        }
        return waiting ? .wait : .ready
    }

    /// Sets a step's state and the indexes the scheduler reads instead of scanning every step.
    private func setState(_ id: String, _ state: StepState) {
        guard let step = stepByID[id] else { return }
        let host = step.host
        if case .running = states[id], runningOnHost[host] == id { runningOnHost[host] = nil }
        states[id] = state
        switch state {
        case .running: runningOnHost[host] = id
        case .pending: if let p = positionOnHost[id], p < pendingFrom[host, default: 0] { pendingFrom[host] = p }
        case .finished: break
        }
        if state.status?.isFailure == true { failedOnHost[host, default: []].insert(id) } else { failedOnHost[host]?.remove(id) }
    }

    /// The host's first pending step, in plan order.
    private func nextPending(on host: String) -> Step? {
        guard let ids = hostOrder[host] else { return nil }
        var i = pendingFrom[host, default: 0]
        while i < ids.count, states[ids[i]] != .pending { i += 1 }
        pendingFrom[host] = i
        return i < ids.count ? stepByID[ids[i]] : nil
    }

    /// Starts what can start; when nothing runs any more, the run goes idle.
    private func pump() {
        guard active else { return }
        let stopping = control.withLock { $0.stopping }
        let limit = max(1, options.maxConcurrency ?? hosts.count)
        if !stopping {
            var changed = true
            while changed {
                changed = false
                for host in hosts {
                    guard runningOnHost.count < limit else { break }
                    if runningOnHost[host] != nil { continue }
                    guard let step = nextPending(on: host) else { continue }
                    switch readiness(step) {
                    case .wait: continue
                    case .blocked(let by):
                        record(StepOutcome(stepID: step.id, host: step.host, status: .blocked(by: by), exitCode: nil,
                                           check: .notRun, attempt: attempts[step.id] ?? 0), phase: nil)
                        changed = true
                    case .ready:
                        launch(step)
                        changed = true
                    }
                }
            }
        }
        if runningOnHost.isEmpty { finishDrive(stopped: stopping) }
    }

    /// A step ready to run, with what it runs with.
    private struct Launch: Sendable {
        let step: Step
        let attempt: Int
        let context: StepContext
    }

    /// While a host's task reports its step's end: the task, and the host's next step when the
    /// scheduler picks one, which that task runs next instead of a new task starting.
    private var handOff: (host: String, task: Task<Void, Never>?, next: Launch?)? = nil

    private func launch(_ step: Step) {
        let attempt = (attempts[step.id] ?? 0) + 1
        attempts[step.id] = attempt
        let phase: StepPhase = step.check == nil ? .apply : .check
        setState(step.id, .running(phase))
        control.withLock { $0.phases[step.id] = phase }
        appendJournal(.stepStart(step.id, host: step.host, phase: phase, attempt: attempt))
        let id = step.id
        let context = StepContext(transport: transport(for: step.host), secrets: secrets, redactor: redactor,
                                  logs: logs, hub: hub, stateDir: stateDir, options: options,
                                  isStopping: { [weak self] in self?.stopRequested ?? true },
                                  entered: { [weak self] p in self?.control.withLock { $0.phases[id] = p } })
        let launch = Launch(step: step, attempt: attempt, context: context)
        if let h = handOff, h.host == step.host, h.next == nil, let task = h.task {
            handOff?.next = launch
            control.withLock { $0.tasks[step.id] = task }
            return
        }
        // One task per host runs its steps one after another: no task to start and no thread to
        // wake between two steps of a host.
        let task = Task.detached { [weak self] in
            var next: Launch? = launch
            while let l = next {
                let (outcome, phase) = await Runner.execute(l.step, attempt: l.attempt, l.context)
                next = await self?.finished(outcome, phase: phase)
            }
        }
        control.withLock { $0.tasks[step.id] = task }
    }

    /// Records a step's end and schedules what can run; returns the host's next step when it may
    /// start now, for the calling task to run.
    private func finished(_ outcome: StepOutcome, phase: StepPhase) -> Launch? {
        let task = control.withLock {
            $0.phases[outcome.stepID] = nil
            return $0.tasks.removeValue(forKey: outcome.stepID)
        }
        logs.endAttempt(stepID: outcome.stepID, host: outcome.host)
        record(outcome, phase: phase)
        handOff = (outcome.host, task, nil)
        pump()
        defer { handOff = nil }
        return handOff?.next
    }

    /// A step's end: state, journal, event. A step that did not succeed has its log written out
    /// first: the operator's next look is at that log.
    private func record(_ outcome: StepOutcome, phase: StepPhase?) {
        setState(outcome.stepID, .finished(outcome.status))
        outcomes[outcome.stepID] = outcome
        appendJournal(.stepEnd(outcome, phase: phase))
        if outcome.status.isFailure { logs.flush() }
        hub.emit(.stepFinished(outcome))
    }

    /// Steps blocked (directly or through others) by `root` become pending again.
    private func unblock(dependentsOf root: String) {
        var freed: Set<String> = [root]
        var changed = true
        while changed {
            changed = false
            for step in plan.steps {
                if case .finished(.blocked(let by))? = states[step.id], freed.contains(by) {
                    setPending(step.id)
                    freed.insert(step.id)
                    changed = true
                }
            }
        }
    }

    /// Back to waiting (a retry, a step unblocked): its old outcome goes.
    private func setPending(_ stepID: String) {
        setState(stepID, .pending)
        outcomes[stepID] = nil
    }

    private func finishDrive(stopped: Bool) {
        guard active else { return }
        active = false
        let s = summary(stopped: stopped)
        control.withLock { $0.stopping = false }
        lastSummary = s
        appendJournal(.runEnd(s))
        logs.flush()
        // The run's end is reported only once its every record is on disk.
        do { try journal.sync() } catch {
            hub.emit(.notice("The journal could not be made durable (\(redactor.clean(String(describing: error)))): "
                             + "a power cut now could lose its last records; resume would check those steps again."))
        }
        hub.emit(.runFinished(s))
        let w = waiters
        waiters.removeAll()
        for c in w { c.resume(returning: s) }
    }

    private func summary(stopped: Bool) -> RunSummary {
        var outcomes: [StepOutcome] = []
        var remaining: [String] = []
        for step in plan.steps {
            if let o = self.outcomes[step.id] { outcomes.append(o) } else { remaining.append(step.id) }
        }
        return RunSummary(outcomes: outcomes, remaining: remaining, stopped: stopped, duration: .now - driveStart)
    }

    private func transport(for host: String) -> any Transport {
        if let t = transports[host] { return t }
        let t = makeTransport(host)
        transports[host] = t
        return t
    }

    /// The journal is the record resume trusts: if it cannot be written, the run stops.
    private func appendJournal(_ record: JournalRecord) {
        do { try journal.append(record) } catch {
            hub.emit(.notice("Stopping: the journal cannot be written (\(redactor.clean(String(describing: error)))). "
                             + "Without it a later resume could not be trusted."))
            stop()
        }
    }

    /// Every form a secret can take in output: as given, and as each encoding and the shell's quoting
    /// write it (`set -x` echoes `'it'\''s'`, a properties file shows `a\=b`), so none gets through.
    public static func redactionNeedles(_ secrets: SecretValues) -> [String] {
        var needles: Set<String> = []
        for value in secrets.allValues where !value.isEmpty {
            needles.insert(value)
            for encoding in [SecretEncoding.plain, .javaProperties, .sqlString, .optionFile] {
                let encoded = encoding.encode(value)
                needles.insert(encoded)
                needles.insert(Shell.quote(encoded))
                // Inside a longer quoted word (a file's text), as a script holds it.
                needles.insert(encoded.replacingOccurrences(of: "'", with: #"'\''"#))
                if encoding == .optionFile { needles.insert(String(encoded.dropFirst().dropLast())) }
            }
        }
        return needles.sorted()
    }

    static func short(_ hash: String?) -> String { hash.map { String($0.prefix(12)) } ?? "none" }

    // MARK: validation

    /// Unique ids, known dependencies, and no circle once each host's order is counted as waiting too.
    static func validate(_ plan: Plan) throws {
        var index: [String: Int] = [:]
        for (i, s) in plan.steps.enumerated() {
            if index[s.id] != nil { throw RunnerError.duplicateStep(s.id) }
            index[s.id] = i
        }
        var incoming = [Int](repeating: 0, count: plan.steps.count)
        var outgoing = [[Int]](repeating: [], count: plan.steps.count)
        var lastOnHost: [String: Int] = [:]
        for (i, s) in plan.steps.enumerated() {
            for dep in s.dependsOn {
                guard let d = index[dep] else { throw RunnerError.unknownDependency(step: s.id, dependsOn: dep) }
                outgoing[d].append(i); incoming[i] += 1
            }
            if let p = lastOnHost[s.host] { outgoing[p].append(i); incoming[i] += 1 }
            lastOnHost[s.host] = i
        }
        var ready = (0..<plan.steps.count).filter { incoming[$0] == 0 }
        var seen = 0
        while let n = ready.popLast() {
            seen += 1
            for m in outgoing[n] {
                incoming[m] -= 1
                if incoming[m] == 0 { ready.append(m) }
            }
        }
        if seen < plan.steps.count {
            throw RunnerError.dependencyCycle(plan.steps.indices.filter { incoming[$0] > 0 }.map { plan.steps[$0].id })
        }
    }
}
