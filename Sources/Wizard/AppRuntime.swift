import ClusterCore
import ClusterEngine
import Foundation
import Synchronization
import TermUI

/// Messages posted by background work, from any thread; the loop drains them every frame.
public final class AppInbox: Sendable {
    private let queue = Mutex<[AppMessage]>([])

    public init() {}

    public func post(_ message: AppMessage) { queue.withLock { $0.append(message) } }

    public func drain() -> [AppMessage] { queue.withLock { q in defer { q = [] }; return q } }

    public var isEmpty: Bool { queue.withLock { $0.isEmpty } }
}

/// Runs the wizard on a backend: draw a frame, wait for a key (100 ms tick), drain the inbox,
/// `App.update`, carry out the effects. Background work (connection tests) posts into the inbox.
public final class AppRuntime {
    public private(set) var state: AppState
    public let terminal: Terminal
    public let inbox = AppInbox()
    private var tasks: [Task<Void, Never>] = []

    public init(state: AppState, backend: any Backend, theme: Theme? = nil) {
        self.state = state
        terminal = Terminal(backend: backend, theme: theme)
        self.state.size = backend.size
        let inbox = self.inbox
        self.state.wake = { inbox.post(.tick) }
    }

    /// Replaces the state (tests put the app somewhere directly).
    public func replaceState(_ s: AppState) { state = s }

    /// Runs until the operator quits.
    public func run() {
        while !state.done {
            drawFrame()
            let event = terminal.nextEvent(tick: .milliseconds(100))
            handle(event)
        }
        finish()
    }

    /// One turn of the loop without drawing: the inbox first, then the event.
    public func handle(_ event: Event) {
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

    func finish() {
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
            terminal.backend.suspend()
            Pager.show(path)
            terminal.backend.resume()
        case .quit:
            state.done = true
        }
        tasks.removeAll { $0.isCancelled }
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
