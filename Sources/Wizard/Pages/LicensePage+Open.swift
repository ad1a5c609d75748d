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
        if !answers.appServers.nodes.isEmpty, nothingInstalled(stateDirectory: stateDirectory) {
            return (LicensePage(notice: notInstalledText(answers.cluster, comeBack: comeBack), answers: answers,
                                stateDirectory: stateDirectory, comeBack: comeBack, mode: mode), nil)
        }
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

    /// No install has put an app server node in place here (installed.yaml names none) and the
    /// checklist records nothing: there is no system key to read, so "key needed" rows would mislead.
    public static func nothingInstalled(stateDirectory: String) -> Bool {
        if let installed = try? AnswersFile.load(path: stateDirectory + "/installed.yaml"),
           !installed.appServers.nodes.isEmpty { return false }
        let store = LicenseStore(directory: stateDirectory)
        guard store.exists else { return true }
        // A damaged file is for the page to show as such.
        guard let stored = try? store.load() else { return false }
        return !stored.rows.contains { $0.status != .keyNeeded || $0.systemKey != nil }
    }

    /// What the checklist says of a cluster never installed.
    public static func notInstalledText(_ cluster: String, comeBack: String) -> String {
        "Cluster \(cluster) is not installed yet: no node runs Joget, so there is no system key to read and no license to enter.\n\n"
            + editionNote + "\n\nInstall the cluster first; then come back with:\n  \(comeBack)"
    }

    /// Which Joget edition clusters, and how its licenses go (Welcome and the checklist say it).
    public static let editionNote = "From DX 8 on, the Enterprise and Large Enterprise Editions cluster; the free Community Edition does not. "
        + "Each node needs its own license, activated at that node's own URL with its own system key."

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
