import ClusterCore
import ClusterEngine
import TermUI

// "Check hosts and network", and the same check before an install from the Review: the hosts'
// keys (unknown ones asked about), then the checkup; the install starts when nothing failed.
extension App {
    /// Shows the check page and scans the remote hosts' keys (the checkup cannot log in to a host
    /// whose key is unknown).
    static func openCheck(_ s: inout AppState, _ purpose: CheckPage.Purpose, _ context: HostedContext) -> [AppEffect] {
        s.page = .hosted(.check)
        var page = CheckPage(purpose: purpose, context: context)
        page.bodyHeight = max(1, s.size.height - 3)
        let remote = context.answers.hosts.filter { $0.auth != .local }
        if remote.isEmpty {
            page.phase = .checking
            s.check = page
            return [.checkup(.start(context))]
        }
        s.check = page
        return [.checkup(.scanKeys(hosts: remote, knownHostsFile: context.knownHostsFile))]
    }

    static func checkupMessage(_ s: inout AppState, _ m: CheckupMessage) -> [AppEffect] {
        guard s.page == .hosted(.check), s.check != nil else { return [] }
        switch m {
        case .keys(let scans): s.check!.take(scans)
        case .keyRecorded(let host, let error): s.check!.recorded(host: host, error: error)
        case .cannotStart(let why): s.check!.cannotStart(why)
        case .line(let line): s.check!.append(line)
        case .finished:
            s.check!.finish()
            // A clean check goes straight on; warnings wait on screen for Enter.
            if s.check!.purpose == .install, !s.check!.failed, s.check!.problem == nil,
               !s.check!.offersInstallAfterWarnings { return installAfterCheck(&s) }
        }
        return checkWork(&s)
    }

    /// The check page's queued work, as effects.
    static func checkWork(_ s: inout AppState) -> [AppEffect] {
        guard s.check != nil else { return [] }
        let context = s.check!.context
        return s.check!.takeWork().compactMap { work in
            switch work {
            case .start: return .checkup(.start(context))
            case .accept(let q):
                guard let host = context.answers.host(named: q.host) else { return nil }
                return .checkup(.acceptKey(host: host, fingerprint: q.fingerprint, knownHostsFile: context.knownHostsFile))
            }
        }
    }

    /// Install from the Review (the check comes first), or "Install anyway" on the check page.
    static func install(_ s: inout AppState) -> [AppEffect] {
        if s.page == .hosted(.check) {
            guard s.check?.offersInstallAnyway == true || s.check?.phase == .finished && s.check?.failed == false else { return [] }
            return installAfterCheck(&s)
        }
        return openHosted(&s, .run)
    }

    /// Leaves the check page for the Run page, past the check.
    static func installAfterCheck(_ s: inout AppState) -> [AppEffect] {
        let closing = leaveHosted(&s)
        s.page = .review
        s.review.checkedForInstall = true
        defer { s.review.checkedForInstall = false }
        return closing + openHosted(&s, .run)
    }

    /// `r` on the check page, or the Review's "Check hosts and network"; nil when not for them.
    static func checkAgain(_ s: inout AppState) -> [AppEffect]? {
        if s.page == .review { return openHosted(&s, .check) }
        guard s.page == .hosted(.check), s.check != nil else { return nil }
        s.check!.restart()
        return checkWork(&s)
    }
}
