import ClusterCore
import ClusterEngine
import Foundation
import TermUI

extension LicensePage {
    /// Opens the checklist of `answers` kept in `stateDirectory` (licenses.json, made on first use)
    /// with its service; the desk reaches each node's host through `transport`, as the install does,
    /// and posts into `inbox`. A damaged file gives a page that says so, touches nothing and has no service.
    public static func open(answers: Answers, stateDirectory: String, comeBack: String, mode: Mode = .inFlow,
                            timeZone: TimeZone = .current, now: @escaping @Sendable () -> Date = LicenseDesk.wholeSecond,
                            inbox: AppInbox,
                            transport: @escaping @Sendable (ClusterCore.Host) throws -> any Transport) -> (LicensePage, LicenseService?) {
        let stateDirectory = URL(fileURLWithPath: stateDirectory).standardized.path   // shown on the page: whole
        // The state folder, private, before licenses.json is written into it.
        if !answers.appServers.nodes.isEmpty { _ = try? StateDir(path: stateDirectory) }
        let store = LicenseStore(directory: stateDirectory)
        let desk: LicenseDesk
        do {
            desk = try LicenseDesk(answers: answers, store: store, now: now, log: { inbox.post(.licenses(.progress($0))) },
                                   transport: transport)
        } catch {
            return (LicensePage(problem: "\(error)", answers: answers, stateDirectory: stateDirectory, comeBack: comeBack, mode: mode), nil)
        }
        // What the desk holds, until its own copy arrives with the first outcome.
        var initial: LicenseChecklist
        if let stored = (try? store.load()) ?? nil {
            initial = stored
            _ = initial.sync(with: answers, at: LicenseDesk.wholeSecond())
        } else {
            initial = LicenseChecklist(answers: answers, at: LicenseDesk.wholeSecond())
        }
        let page = LicensePage(checklist: initial, stateDirectory: stateDirectory, comeBack: comeBack, mode: mode,
                               timeZone: timeZone, openingNotes: desk.openingNotes)
        return (page, LicenseService(desk: desk, inbox: inbox))
    }

    /// The page as the wizard hosts it after Verify, or from the Welcome page's "License checklist".
    public static func hosted(_ context: HostedContext, inbox: AppInbox) -> (LicensePage, LicenseService?) {
        var options = SSHOptions(knownHostsFile: context.knownHostsFile)
        options.hashKnownHosts = false
        let ssh = options, secrets = context.secrets
        return open(answers: context.answers, stateDirectory: context.stateDirectory,
                    comeBack: comeBackCommand(stateDirectory: context.stateDirectory, cluster: context.answers.cluster),
                    mode: .inFlow, inbox: inbox) { host in
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

/// `joget-cluster licenses` on a terminal: the license page alone, on the wizard's runtime (its
/// frame: header, key legend, F1 help, "terminal too small" below 80x24), until the operator leaves it.
public enum LicenseApp {
    /// A runtime showing the checklist of `answers` alone; `open` makes the page and its service
    /// (``LicensePage/open(answers:stateDirectory:comeBack:mode:timeZone:now:inbox:transport:)`` in standalone mode).
    public static func runtime(answers: Answers, stateDirectory: String, backend: any Backend, theme: Theme? = nil,
                               open: @escaping @Sendable (AppInbox) -> (LicensePage, LicenseService?)) -> AppRuntime {
        var state = AppState(config: AppConfig(stateDirectory: stateDirectory), answers: answers)
        state.page = .hosted(.licenses)
        let services = AppServices(run: AppServices.none.run, verify: AppServices.none.verify,
                                   licenses: { _, inbox in open(inbox) }, pagerAvailable: { false })
        let runtime = AppRuntime(state: state, backend: backend, theme: theme, services: services)
        let context = HostedContext(answers: answers, secrets: SecretValues(), plan: nil, stateDirectory: stateDirectory,
                                    knownHostsFile: stateDirectory + "/known_hosts", resume: false)
        runtime.perform([.licenses(.open(context))])
        runtime.drainInbox()
        return runtime
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
