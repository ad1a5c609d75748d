import ClusterCore
import ClusterEngine
import Foundation
import TermUI

/// The Run page: live progress of an install, fed the runner's events.
///
/// A value in the app's state. The app (or a ``RunController``) feeds it ``apply(_:)`` with every
/// ``RunEvent`` and ``tick(elapsed:)`` each frame, passes it keys, and carries out the requests it
/// returns:
///
/// | request | what the app does |
/// |---|---|
/// | `.run(.retry(step:))` | `runner.retry(step)` (``RunController/perform(_:)`` does it) |
/// | `.run(.skip(step:))` | `runner.skip(step)`: the page only asks it for optional steps |
/// | `.run(.abort)` | `runner.stop()`: running steps end as interrupted, the page stays |
/// | `.run(.stopAndQuit)` | `runner.stop()`, wait for the run to end, then quit (no second question) |
/// | `.openLog(path:)` | suspend the terminal and run `less <path>`; or, without a pager, ``showLog(path:)`` |
/// | `.next` | the install succeeded and Enter was pressed: go on to Verify |
/// | `.quit` | nothing is running: the app's usual "Quit?" |
///
/// Memory is bounded: each host keeps its last ``ringCapacity`` lines (the full text is on disk),
/// ``apply(_:)`` costs O(1) per batch of output lines (a pane keeps the batches and decodes a line
/// only when it is read), and rendering reads only the lines on screen.
public struct RunScreen: Screen, Sendable {
    public struct StepRow: Hashable, Sendable {
        public let id: String
        public let layer: Layer
        public let host: String
        public let title: String
        public let optional: Bool
        /// A probe that only reads the host: shown as "passed" rather than "done".
        public var readOnly = false
        public internal(set) var state: StepState = .pending
        /// Page time (see ``RunScreen/elapsed``) when the current or last attempt started.
        public internal(set) var startedAt: Duration?
        /// How long the last finished attempt took.
        public internal(set) var duration: Duration?
        /// Attempts started while this page watched.
        public internal(set) var attempts = 0
        /// Finished in an earlier run (resume): not run now.
        public internal(set) var fromJournal = false

        /// How long it has run (running) or took (finished); nil when it never ran here.
        public func shownDuration(now: Duration) -> Duration? {
            if state.isRunning, let s = startedAt { return now - s }
            return fromJournal ? nil : duration
        }
    }

    /// Where the run stands.
    public enum RunState: Hashable, Sendable {
        /// No event yet.
        case waiting
        case running
        /// The runner went idle: everything done, or failed steps wait, or it was stopped.
        case idle(RunSummary)
    }

    /// Log panes: one host at a time with tabs, or several side by side.
    public enum LogLayout: String, Hashable, Sendable, CaseIterable { case tabs, split }

    /// What the arrow and paging keys move.
    public enum Focus: Hashable, Sendable { case log, steps }

    /// Counts of one layer (or the whole plan).
    public struct Progress: Hashable, Sendable {
        public var total = 0
        /// Done, already done or skipped.
        public var settled = 0
        public var running = 0
        public var failed = 0
        /// Finished in an earlier run: no work now.
        public var trusted = 0
        /// Of `settled`, those that finished under this page (the work that took time).
        public var settledNow = 0
        public var fraction: Double { total == 0 ? 1 : Double(settled) / Double(total) }
        public var isComplete: Bool { settled == total }
    }

    // MARK: State

    public internal(set) var steps: [StepRow]
    /// Hosts in plan order: the log panes' order.
    public let hostNames: [String]
    /// The hosts' answers, for the shell command of the failure dialog.
    public let hosts: [String: ClusterCore.Host]
    public let stateDir: StateDir?
    /// The known_hosts file the install uses, added to the shell command when given.
    public let knownHostsFile: String?
    /// Lines kept per host.
    public let ringCapacity: Int

    var stepIndex: [String: Int] = [:]
    var hostIndex: [String: Int] = [:]
    var panes: [HostPane]
    var lastPhaseStep: [Int32]          // per host: the step whose marker was written last

    /// Tabs or split; the app may save it with the wizard's settings.
    public var logLayout: LogLayout
    public var focus: Focus = .log
    /// The host whose log is shown (tabs) or focused (split).
    public internal(set) var selectedHost = 0
    /// The selected step while the step list has focus.
    public internal(set) var selectedStep = 0
    /// The rectangle the app renders the page into: paging keys use its height.
    public var area = Rect(x: 0, y: 1, width: 80, height: 22)

    /// Time since the page started watching, from ``tick(elapsed:)``.
    public internal(set) var elapsed: Duration = .zero
    var runStartedAt: Duration?
    var idleSince: Duration?
    public internal(set) var runState: RunState = .waiting
    /// Notices of the runner (journal repaired, answers changed...), newest last, at most 20.
    public internal(set) var notices: [String] = []
    /// A one-line message for the operator; the next key clears it.
    public internal(set) var message: String?
    public internal(set) var hostProblems: [String: String] = [:]
    /// Output lines the controller left out because the app drained slower than they came (all hosts).
    public internal(set) var linesLeftOut = 0

    /// Failed steps waiting for a decision, oldest first.
    public internal(set) var failureQueue: [String] = []
    /// The failure dialog on screen, if any.
    public internal(set) var failure: FailureDialog?
    /// Esc put the failure dialog away; `f` brings it back.
    var failureDeferred = false
    /// Abort was chosen: no more failure dialogs pop up.
    public internal(set) var aborted = false
    var quitConfirm: Dialog?
    /// The full log shown in the page (the fallback of `.openLog`).
    public internal(set) var viewer: RunLogViewer?

    // MARK: Making

    /// - Parameters:
    ///   - hosts: the answers' hosts, for the failure dialog's ssh command.
    ///   - stateDir: where the steps' full logs are (`logs/<host>/<step>.log`).
    ///   - ringCapacity: lines kept in memory per host.
    public init(plan: Plan, hosts: [ClusterCore.Host] = [], stateDir: StateDir? = nil, knownHostsFile: String? = nil,
                logLayout: LogLayout = .tabs, ringCapacity: Int = 5_000) {
        steps = plan.steps.map {
            StepRow(id: $0.id, layer: $0.layer, host: $0.host, title: $0.title, optional: $0.optional, readOnly: $0.readOnly)
        }
        hostNames = plan.hosts
        var byName: [String: ClusterCore.Host] = [:]
        for h in hosts { byName[h.name] = h }
        self.hosts = byName
        self.stateDir = stateDir
        self.knownHostsFile = knownHostsFile
        self.ringCapacity = max(1, ringCapacity)
        self.logLayout = logLayout
        panes = plan.hosts.map { HostPane(name: $0, capacity: max(1, ringCapacity)) }
        lastPhaseStep = Array(repeating: -1, count: plan.hosts.count)
        for (i, s) in steps.enumerated() { stepIndex[s.id] = i }
        for (i, h) in plan.hosts.enumerated() { hostIndex[h] = i }
    }

    /// For a whole install: the plan of these answers' session, its hosts, state folder and known_hosts.
    public init(session: InstallSession, logLayout: LogLayout = .tabs, ringCapacity: Int = 5_000) {
        self.init(plan: session.plan, hosts: session.answers.hosts, stateDir: session.stateDir,
                  knownHostsFile: session.ssh.knownHostsFile, logLayout: logLayout, ringCapacity: ringCapacity)
    }

    // MARK: Feeding

    /// Advances the clock: `elapsed` is the time since the page started watching (the app's
    /// monotonic clock). Running steps' durations, the spinner and the estimates follow it.
    public mutating func tick(elapsed: Duration) {
        self.elapsed = max(self.elapsed, elapsed)
    }

    /// Applies every event in order.
    public mutating func apply<S: Sequence>(contentsOf events: S) where S.Element == RunEvent {
        for e in events { apply(e) }
    }

    /// Applies one event. O(1) per batch of output lines (two dictionary lookups, the batch kept).
    public mutating func apply(_ event: RunEvent) {
        switch event {
        case .output(let o):
            guard let h = hostIndex[o.host] else { return }
            applyOutput(o, pane: h)

        case .runStarted:
            if runStartedAt == nil { runStartedAt = elapsed }
            runState = .running
            idleSince = nil

        case .notice(let text):
            notices.append(text)
            if notices.count > 20 { notices.removeFirst(notices.count - 20) }

        case .stepStarted(let id, let host, let phase):
            guard let i = stepIndex[id] else { return }
            if runState == .waiting { runState = .running; runStartedAt = runStartedAt ?? elapsed }
            let first = !steps[i].state.isRunning
            if first {
                steps[i].startedAt = elapsed
                steps[i].attempts += 1
                steps[i].fromJournal = false
                removeFromFailures(id)
            }
            steps[i].state = .running(phase)
            if let h = hostIndex[host] {
                let attempt = steps[i].attempts > 1 ? ", attempt \(steps[i].attempts)" : ""
                let text = first || lastPhaseStep[h] != Int32(i)
                    ? ">>> \(steps[i].title) (\(id)): \(phase.rawValue)\(attempt)"
                    : ">>> \(phase.rawValue)"
                panes[h].lines.append(PaneLine(step: Int32(i), isMarker: true, text: text))
                lastPhaseStep[h] = Int32(i)
            }

        case .hostProblem(let host, let error):
            hostProblems[host] = error.description

        case .stepFinished(let o):
            guard let i = stepIndex[o.stepID] else { return }
            steps[i].state = .finished(o.status)
            steps[i].fromJournal = o.fromJournal
            if !o.fromJournal { steps[i].duration = o.duration }
            if !o.fromJournal, o.attempt > 0, let h = hostIndex[o.host] {
                let took = LineOutput.seconds(o.duration)
                let text: String
                switch o.status {
                case .failed(let why): text = "<<< FAILED after \(took): \(why)"
                case .alreadyDone: text = "<<< already done (its check passed), \(took)"
                default: text = "<<< \(o.status.description), \(took)"
                }
                panes[h].lines.append(PaneLine(step: Int32(i), isMarker: true, text: text))
                lastPhaseStep[h] = -1
            }
            if o.status.isFailed {
                if !failureQueue.contains(o.stepID) { failureQueue.append(o.stepID) }
                showNextFailure()
            } else {
                removeFromFailures(o.stepID)
            }

        case .runFinished(let summary):
            runState = .idle(summary)
            idleSince = elapsed
            message = nil
        }
    }

    /// Shows a log file inside the page (the fallback when the app has no pager for `.openLog`).
    public mutating func showLog(path: String, maxLines: Int = 20_000) {
        viewer = RunLogViewer(path: path, maxLines: maxLines)
    }

    // MARK: Reading

    public func step(_ id: String) -> StepRow? { stepIndex[id].map { steps[$0] } }

    /// Lines held for a host's pane (at most ``ringCapacity``).
    public func logLineCount(host: String) -> Int { hostIndex[host].map { panes[$0].lines.count } ?? 0 }
    /// Lines ever received for a host.
    public func logLinesReceived(host: String) -> Int { hostIndex[host].map { panes[$0].lines.totalAppended } ?? 0 }
    /// The lines held for a host, oldest first (tests and diagnostics; copies them).
    public func logLines(host: String) -> [String] { hostIndex[host].map { panes[$0].lines.texts } ?? [] }
    /// The view state of a host's pane.
    public func logView(host: String) -> LogView? { hostIndex[host].map { panes[$0].view } }
    public var selectedHostName: String? { hostNames.indices.contains(selectedHost) ? hostNames[selectedHost] : nil }

    /// Progress of one layer, or of the whole plan with `nil`.
    public func progress(of layer: Layer? = nil) -> Progress {
        var p = Progress()
        for s in steps where layer == nil || s.layer == layer {
            p.total += 1
            if s.state.isSettled {
                p.settled += 1
                if s.fromJournal { p.trusted += 1 } else { p.settledNow += 1 }
            }
            if s.state.isRunning { p.running += 1 }
            if s.state.isFailed { p.failed += 1 }
        }
        return p
    }

    /// Layers that have steps in this plan, in order.
    public var layers: [Layer] { Layer.allCases.filter { l in steps.contains { $0.layer == l } } }

    /// The run's time so far (frozen while the runner is idle).
    public var runElapsed: Duration {
        guard let start = runStartedAt else { return .zero }
        return (idleSince ?? elapsed) - start
    }

    /// Estimated total time of the run: the time so far scaled by the work still to do
    /// (steps finished in earlier runs cost nothing). Nil until one step finished, and once all did.
    public func estimatedTotal(of layer: Layer? = nil) -> Duration? {
        let p = progress(of: layer)
        let work = p.total - p.trusted
        guard work > 0, p.settledNow > 0, p.settledNow < work else { return nil }
        let spent = layer.map { layerElapsed($0) } ?? runElapsed
        guard spent > .zero else { return nil }
        return spent.scaled(by: Double(work) / Double(p.settledNow))
    }

    /// Time from a layer's first start to its last end (or to now while it works).
    public func layerElapsed(_ layer: Layer) -> Duration {
        var first: Duration?
        var last: Duration = .zero
        var open = false
        for s in steps where s.layer == layer {
            guard let start = s.startedAt else { continue }
            first = min(first ?? start, start)
            if s.state.isRunning { open = true } else { last = max(last, start + (s.duration ?? .zero)) }
        }
        guard let first else { return .zero }
        return (open ? (idleSince ?? elapsed) : max(last, first)) - first
    }

    /// True while the runner works (quitting then asks to stop it first).
    public var isRunning: Bool { runState == .running }

    /// The run ended with every step done, already done or skipped.
    public var succeeded: Bool {
        if case .idle(let s) = runState { return s.succeeded }
        return false
    }

    public var stopped: Bool {
        if case .idle(let s) = runState { return s.stopped }
        return false
    }

    /// The step's full log on disk.
    public func logPath(of stepID: String) -> String? {
        guard let dir = stateDir, let s = step(stepID) else { return nil }
        return dir.logPath(host: s.host, stepID: stepID)
    }

    // MARK: Failures

    mutating func removeFromFailures(_ id: String) {
        failureQueue.removeAll { $0 == id }
        if failure?.stepID == id { failure = nil }
        showNextFailure()
    }

    /// Opens the dialog for the oldest failed step, unless one is open, it was put away, or the run was aborted.
    mutating func showNextFailure() {
        guard failure == nil, !failureDeferred, !aborted, let id = failureQueue.first else { return }
        failure = FailureDialog(stepID: id, optional: step(id)?.optional ?? false)
        if let s = step(id), let h = hostIndex[s.host] { selectedHost = h }
    }
}

extension Duration {
    /// Seconds as a Double.
    var secondsValue: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    func scaled(by factor: Double) -> Duration { .milliseconds(Int64((secondsValue * 1000 * factor).rounded())) }
}
