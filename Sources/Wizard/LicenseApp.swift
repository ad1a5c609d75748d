import ClusterCore
import ClusterEngine
import Foundation
import TermUI

extension LicensePage {
    /// Opens the checklist of `answers` kept in `stateDirectory` (licenses.json, made on first use);
    /// the desk reaches each node's host through `transport`, as the install does. A damaged file
    /// gives a page that says so and touches nothing.
    public static func open(answers: Answers, stateDirectory: String, comeBack: String, mode: Mode = .inFlow,
                            timeZone: TimeZone = .current, wake: @escaping @Sendable () -> Void = {},
                            transport: @escaping @Sendable (ClusterCore.Host) throws -> any Transport) -> LicensePage {
        let stateDirectory = URL(fileURLWithPath: stateDirectory).standardized.path   // shown on the page: whole
        let inbox = Inbox()
        // The state folder, private, before licenses.json is written into it.
        if !answers.appServers.nodes.isEmpty { _ = try? StateDir(path: stateDirectory) }
        let store = LicenseStore(directory: stateDirectory)
        let desk: LicenseDesk
        do {
            desk = try LicenseDesk(answers: answers, store: store, log: { inbox.post(.progress($0)) }, transport: transport)
        } catch {
            return LicensePage(problem: "\(error)", answers: answers, stateDirectory: stateDirectory, comeBack: comeBack, mode: mode)
        }
        // What the desk holds, until its own copy arrives with the first tick.
        var initial: LicenseChecklist
        if let stored = (try? store.load()) ?? nil {
            initial = stored
            _ = initial.sync(with: answers, at: LicenseDesk.wholeSecond())
        } else {
            initial = LicenseChecklist(answers: answers, at: LicenseDesk.wholeSecond())
        }
        return LicensePage(desk: desk, inbox: inbox, checklist: initial, stateDirectory: stateDirectory, comeBack: comeBack,
                           mode: mode, timeZone: timeZone, wake: wake)
    }

    /// The page as the wizard hosts it after Verify, or from the Welcome page's "License checklist".
    public static func hosted(_ context: HostedContext) -> LicensePage {
        var options = SSHOptions(knownHostsFile: context.knownHostsFile)
        options.hashKnownHosts = false
        let ssh = options, secrets = context.secrets
        return open(answers: context.answers, stateDirectory: context.stateDirectory,
                    comeBack: comeBackCommand(stateDirectory: context.stateDirectory, cluster: context.answers.cluster),
                    mode: .inFlow, wake: context.wake) { host in
            Transports.make(host: host, secrets: secrets, options: ssh)
        }
    }

    /// `joget-cluster licenses`, with `--state-dir` when the folder is not the cluster's default one.
    public static func comeBackCommand(stateDirectory: String, cluster: String,
                                       environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let standard = try? StateDir.defaultPath(cluster: cluster, environment: environment)
        let path = URL(fileURLWithPath: stateDirectory).standardized.path
        let same = standard.map { URL(fileURLWithPath: $0).standardized.path == path } ?? false
        return "joget-cluster licenses" + (same ? "" : " --state-dir \(Shell.quote(path))")
    }
}

/// `joget-cluster licenses` on a terminal: the license page alone, framed as the wizard frames
/// its pages (header, key legend, F1 help, "terminal too small" below 80x24), until the operator
/// leaves it.
public final class LicenseApp {
    public private(set) var state: AppState
    public let page: LicensePage
    public let terminal: Terminal

    public init(page: LicensePage, answers: Answers, backend: any Backend, theme: Theme? = nil) {
        self.page = page
        terminal = Terminal(backend: backend, theme: theme)
        var s = AppState(config: AppConfig(stateDirectory: page.stateDirectory), answers: answers)
        s.page = .hosted(.licenses)
        s.hosted = page
        s.size = backend.size
        state = s
    }

    /// The operator left (Esc or F10, then Leave; or Ctrl-C).
    public var isDone: Bool { state.done || page.left }

    /// Runs until the operator leaves.
    public func run() {
        while !isDone {
            drawFrame()
            handle(terminal.nextEvent(tick: .milliseconds(100)))
        }
    }

    public func handle(_ event: Event) {
        let message: AppMessage
        switch event {
        case .key(let k): message = .key(k)
        case .resize(let size): message = .resize(size)
        case .tick: message = .tick
        }
        for effect in App.update(&state, message) {
            if case .quit = effect { state.done = true }
        }
        // Alone, the page is the whole program: nothing to go back or on to.
        if state.page != .hosted(.licenses) || state.hosted == nil {
            state.page = .hosted(.licenses)
            state.hosted = page
        }
    }

    @discardableResult
    public func drawFrame() -> Buffer {
        let s = state
        return terminal.draw { buffer in AppView.render(s, into: &buffer, theme: terminal.theme) }
    }

    /// What to print when the page is left: where the checklist is, what is left, how to come back.
    public static func farewell(_ checklist: LicenseChecklist, page: LicensePage) -> String {
        let open = checklist.liveRows.filter { $0.status != .activated }
        var text = "License checklist saved in \(page.stateDirectory)/\(LicenseStore.fileName).\n"
        if open.isEmpty {
            text += "Every node is activated.\n"
        } else {
            let width = open.map(\.node.count).max() ?? 0
            text += "Left to do:\n" + open.map { "  " + $0.node.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.statusText + "\n" }.joined()
        }
        text += "Come back to it with: \(page.comeBack)\n"
        return text
    }
}
