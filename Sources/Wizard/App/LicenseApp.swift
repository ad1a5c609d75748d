import ClusterCore
import ClusterEngine
import Foundation
import TermUI

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
        if page.isNotice {
            return "License checklist: cluster \(page.checklist.cluster) is not installed yet, nothing to activate.\n"
                + "Come back to it once installed with: \(page.comeBack)\n"
        }
        if checklist.liveRows.isEmpty {
            text += "No node is listed yet.\n"
        } else if open.isEmpty {
            text += "Every node is activated.\n"
        } else {
            let width = open.map(\.node.count).max() ?? 0
            text += "Left to do:\n" + open.map { "  " + $0.node.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.statusText + "\n" }.joined()
        }
        text += "Come back to it with: \(page.comeBack)\n"
        return text
    }
}
