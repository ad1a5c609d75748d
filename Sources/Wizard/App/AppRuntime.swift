import ClusterCore
import ClusterEngine
import Foundation
import Synchronization
import TermUI

/// Runs the wizard on a backend: draw a frame, wait for a key (100 ms tick), drain the inbox,
/// `App.update`, carry out the effects. The runtime owns the one inbox and the services doing long
/// work (the install, the checks, connection tests, the pager); they post their results into the
/// inbox as messages.
public final class AppRuntime {
    public private(set) var state: AppState
    public let terminal: Terminal
    public let inbox: AppInbox
    public let services: AppServices
    private var tasks: [Task<Void, Never>] = []
    private var runWork: (any RunWork)?
    private var verifyWork: (any PageWork)?
    private var changesWork: (any PageWork)?
    private var backupWork: (any PageWork)?
    private var licenseService: LicenseService?
    private var checkupWork: (any PageWork)?
    private let clock = ContinuousClock()
    private let startedAt: ContinuousClock.Instant
    /// Send `.time` each turn (off in tests that drive the clock themselves).
    public var sendsTime = true

    public init(state: AppState, backend: any Backend, theme: Theme? = nil, services: AppServices = .none,
                keepLinesPerHost: Int = 5_000) {
        self.state = state
        self.services = services
        inbox = AppInbox(keepLinesPerHost: keepLinesPerHost)
        terminal = Terminal(backend: backend, theme: theme)
        startedAt = clock.now
        self.state.size = backend.size
    }

    /// Replaces the state (tests put the app somewhere directly).
    public func replaceState(_ s: AppState) { state = s }

    /// Runs until the operator quits.
    /// - Parameter turn: looks at the state after each turn (the bench's report); true ends the loop.
    public func run(turn: (AppState) -> Bool = { _ in false }) {
        while !state.done {
            drawFrame()
            let event = terminal.nextEvent(tick: .milliseconds(100))
            handle(event)
            if turn(state) { break }
        }
        finish()
    }

    /// One turn of the loop without drawing: the inbox first, then the event.
    public func handle(_ event: Event) {
        if sendsTime { apply(.time(clock.now - startedAt)) }
        drainInbox()
        let message: AppMessage
        switch event {
        case .key(let k): message = .key(k)
        case .resize(let size): message = .resize(size)
        case .tick: message = .tick
        }
        apply(message)
        drainInbox()
    }

    public func drainInbox() {
        for m in inbox.drain() { apply(m) }
    }

    public func apply(_ message: AppMessage) {
        let effects = App.update(&state, message)
        perform(effects)
    }

    @discardableResult
    public func drawFrame() -> Buffer {
        let s = state
        return terminal.draw { buffer in AppView.render(s, into: &buffer, theme: terminal.theme) }
    }

    /// Waits for background work (tests use it), at most `timeout`.
    public func waitForBackground(timeout: Duration = .seconds(30)) {
        let deadline = ContinuousClock.now + timeout
        let pending = tasks
        let done = Mutex(false)
        Task.detached {
            for t in pending { await t.value }
            done.withLock { $0 = true }
        }
        while !done.withLock({ $0 }) && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
        drainInbox()
    }

    /// Closes the services (a run still going ends its steps as interrupted, recorded for Resume),
    /// waiting a few seconds at most, then cancels what is left.
    /// Awaits the background work started so far, then takes in what it posted (tests).
    public func settle() async {
        for t in tasks { await t.value }
        drainInbox()
    }

    func finish() {
        perform(.run(.close))
        perform(.verify(.close))
        perform(.changes(.close))
        perform(.backup(.close))
        perform(.licenses(.close))
        perform(.checkup(.close))
        waitForBackground(timeout: .seconds(10))
        for t in tasks { t.cancel() }
    }

    // MARK: Effects

    public func perform(_ effects: [AppEffect]) {
        for effect in effects { perform(effect) }
    }

    func perform(_ effect: AppEffect) {
        let inbox = self.inbox
        switch effect {
        case .saveAnswers(let answers):
            inbox.post(AppRuntime.save(answers, config: state.config))
        case .buildPlan(let answers):
            let installed = AppRuntime.loadInstalled(answers, config: state.config)
            do { inbox.post(.planBuilt(.success(try Planner.plan(answers, installed: installed)), installed: installed)) } catch {
                inbox.post(.planBuilt(.failure(error), installed: installed))
            }
        case .readOverview(let answers):
            if let rows = AppStartup.overview(answers, config: state.config) { inbox.post(.overviewRead(rows)) }
        case .testConnection(let hosts, let answers, let secrets, let knownHosts):
            for host in hosts {
                let index = answers.hosts.firstIndex(of: host) ?? 0
                tasks.append(Task.detached {
                    await ConnectionTest.run(host: host, index: index, answers: answers, secrets: secrets,
                                             knownHostsFile: knownHosts, post: inbox.post)
                })
            }
        case .acceptHostKey(let host, let fingerprint, let answers, let secrets, let knownHosts):
            let index = answers.hosts.firstIndex(of: host) ?? 0
            tasks.append(Task.detached {
                do {
                    try await HostKeys.accept(host: host.address, port: host.port, fingerprint: fingerprint,
                                              knownHostsFile: knownHosts)
                } catch {
                    inbox.post(.hostTest(host: host.name, HostTest(checks: [.init("Host key", .fail, "\(error)")], tested: TestedHost(host))))
                    return
                }
                await ConnectionTest.run(host: host, index: index, answers: answers, secrets: secrets,
                                         knownHostsFile: knownHosts, post: inbox.post)
            })
        case .openPager(let path):
            // The terminal goes to `less` (or $PAGER) and comes back repainted.
            runWork?.flushLogs()
            terminal.backend.suspend()
            Pager.show(path)
            terminal.backend.resume()
        case .run(let r): performRun(r)
        case .verify(let v): performVerify(v)
        case .changes(let v): performChanges(v)
        case .backup(let v): performBackup(v)
        case .licenses(let l): performLicenses(l)
        case .checkup(let c): performCheckup(c)
        case .openCluster(let path):
            let config = state.config
            do throws(InvalidAnswers) {
                var startup = try AppStartup.load(answersFile: nil, stateDirectory: nil, cluster: path, environment: config.environment)
                startup.config.knownHostsFile = config.knownHostsFile
                inbox.post(.clusterOpened(.success(startup), path: path))
            } catch {
                inbox.post(.clusterOpened(.failure(error), path: path))
            }
        case .quit:
            state.done = true
        }
        tasks.removeAll { $0.isCancelled }
    }

    func performRun(_ effect: RunEffect) {
        switch effect {
        case .start(let context):
            performRun(.close)
            do {
                let (screen, work) = try services.run(context, inbox)
                runWork = work
                inbox.post(.run(.opened(screen, pagerAvailable: services.pagerAvailable())))
                work.start()
            } catch {
                inbox.post(.run(.cannotStart("The install cannot start: \(error)", context.plan ?? Plan(steps: []))))
            }
        case .retry(let id): runWork?.retry(id)
        case .skip(let id): runWork?.skip(id)
        case .stop: runWork?.stop()
        case .readLog(let path):
            runWork?.flushLogs()
            inbox.post(.run(.log(RunLogViewer(path: path, maxLines: 20_000))))
        case .close:
            guard let work = runWork else { return }
            runWork = nil
            tasks.append(Task.detached { await work.close() })
        }
    }

    func performVerify(_ effect: PageEffect) {
        perform(effect, on: &verifyWork, open: { context, inbox in
            let (checks, work) = try self.services.verify(context, inbox)
            return (work, .verify(.opened(checks)))
        }, cannot: { .verify(.cannotStart("The checks cannot run: \($0)")) })
    }

    func performChanges(_ effect: PageEffect) {
        perform(effect, on: &changesWork, open: { context, inbox in
            let (plan, work) = try self.services.changes(context, inbox)
            return (work, .changes(.opened(plan)))
        }, cannot: { [state] error in
            .changes(.cannotStart("The checks cannot run: \(error)", state.review.plan ?? Plan(steps: [])))
        })
    }

    func performBackup(_ effect: PageEffect) {
        perform(effect, on: &backupWork, open: { context, inbox in
            let (folder, work) = try self.services.backup(context, inbox)
            return (work, .backup(.opened(folder: folder)))
        }, cannot: { error in
            .backup(.ended(.failed("the backup cannot start: \(error)")))
        })
    }

    func performLicenses(_ effect: LicenseEffect) {
        switch effect {
        case .open(let context):
            performLicenses(.close)
            let (page, service) = services.licenses(context, inbox)
            licenseService = service
            inbox.post(.licenses(.opened(page)))
        case .work(let task): licenseService?.run(task)
        case .close:
            guard let service = licenseService else { return }
            licenseService = nil
            tasks.append(Task.detached { await service.close() })
        }
    }

    func performCheckup(_ effect: CheckupEffect) {
        let inbox = self.inbox
        switch effect {
        case .scanKeys(let hosts, let file):
            let scan = services.scanKeys
            tasks.append(Task.detached { inbox.post(.checkup(.keys(await scan(hosts, file)))) })
        case .acceptKey(let host, let fingerprint, let file):
            tasks.append(Task.detached {
                do {
                    try await HostKeys.accept(host: host.address, port: host.port, fingerprint: fingerprint, knownHostsFile: file)
                    inbox.post(.checkup(.keyRecorded(host: host.name, error: nil)))
                } catch {
                    inbox.post(.checkup(.keyRecorded(host: host.name, error: "\(error)")))
                }
            })
        case .start(let context):
            close(&checkupWork)
            do {
                let work = try services.checkup(context, inbox)
                checkupWork = work
                work.start()
            } catch {
                inbox.post(.checkup(.cannotStart("The checks cannot run: \(error)")))
            }
        case .close:
            close(&checkupWork)
        }
    }

    /// The license service's work so far (tests).
    public func settleLicenses() async {
        await licenseService?.settle()
        drainInbox()
    }

    /// Starts, starts again or closes a page's service; what it opened is posted before its work starts.
    private func perform(_ effect: PageEffect, on slot: inout (any PageWork)?,
                         open: (HostedContext, AppInbox) throws -> (any PageWork, AppMessage),
                         cannot: (Error) -> AppMessage) {
        switch effect {
        case .start(let context):
            close(&slot)
            do {
                let (work, opened) = try open(context, inbox)
                slot = work
                inbox.post(opened)
                work.start()
            } catch {
                inbox.post(cannot(error))
            }
        case .again: slot?.start()
        case .close: close(&slot)
        }
    }

    private func close(_ slot: inout (any PageWork)?) {
        guard let work = slot else { return }
        slot = nil
        tasks.append(Task.detached { await work.close() })
    }

    /// What earlier runs of this cluster installed (its state folder's installed.yaml), nil before any.
    public static func loadInstalled(_ answers: Answers, config: AppConfig) -> Answers? {
        guard let dir = config.stateDirectoryPath(cluster: answers.cluster) else { return nil }
        return try? AnswersFile.load(path: dir + "/installed.yaml")
    }

    /// Writes answers.yaml (atomic, no secrets) into the state folder, creating it (0700) first.
    public static func save(_ answers: Answers, config: AppConfig) -> AppMessage {
        guard let dir = config.stateDirectoryPath(cluster: answers.cluster) else {
            return .saved(path: nil, error: "no state folder for cluster \(answers.cluster)")
        }
        do {
            let stateDir = try StateDir(path: dir)
            try AnswersFile.save(answers, to: stateDir.answersPath)
            return .saved(path: stateDir.answersPath, error: nil)
        } catch {
            return .saved(path: nil, error: "\(error)")
        }
    }
}
