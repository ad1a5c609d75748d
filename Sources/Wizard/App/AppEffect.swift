import ClusterCore
import ClusterEngine
import TermUI

/// Work `update` asks the runtime to do; results come back as messages.
public enum AppEffect: Sendable {
    /// Write answers.yaml (no secrets) atomically in the state folder.
    case saveAnswers(Answers)
    /// Run "Test connection" for these hosts in the background.
    case testConnection(hosts: [Host], answers: Answers, secrets: SecretValues, knownHostsFile: String)
    /// Record an accepted host key, then test the host again.
    case acceptHostKey(host: Host, fingerprint: String, answers: Answers, secrets: SecretValues, knownHostsFile: String)
    /// Build the plan of the answers (for the review), reading installed.yaml for the nodes to retire.
    case buildPlan(Answers)
    /// Give the terminal to a pager on this file (a hosted page's "open the full log"), then take it back.
    case openPager(String)
    /// Work of the install service.
    case run(RunEffect)
    /// Work of the verify service.
    case verify(PageEffect)
    /// Work of the dry-run service.
    case changes(PageEffect)
    /// Work of the backup service.
    case backup(PageEffect)
    /// Work of the license service.
    case licenses(LicenseEffect)
    /// The host-key scan and the checkup ("Check hosts and network").
    case checkup(CheckupEffect)
    /// Read another cluster's folder of the state root (Welcome's list), to show it instead.
    case openCluster(path: String)
    /// Read the installed cluster's overview again (Welcome shows it; a backup may have changed it).
    case readOverview(Answers)
    case quit

    /// A short name, for tests and logs.
    public var name: String {
        switch self {
        case .saveAnswers: return "save"
        case .testConnection(let hosts, _, _, _): return "test:" + hosts.map(\.name).joined(separator: ",")
        case .acceptHostKey(let host, let fp, _, _, _): return "accept:\(host.name)=\(fp)"
        case .buildPlan: return "plan"
        case .openPager(let path): return "pager:\(path)"
        case .run(let r): return "run:" + r.name
        case .verify(let v): return "verify:" + v.name
        case .changes(let v): return "changes:" + v.name
        case .backup(let v): return "backup:" + v.name
        case .licenses(let l): return "licenses:" + l.name
        case .checkup(let c): return "checkup:" + c.name
        case .openCluster(let path): return "open:\(path)"
        case .readOverview: return "overview"
        case .quit: return "quit"
        }
    }
}

/// Work asked of the install service.
public enum RunEffect: Sendable {
    /// Set up the run of this context (saving the answers) and start or resume it.
    case start(HostedContext)
    case retry(step: String)
    case skip(step: String)
    case stop
    /// Read a full log for the page's own viewer.
    case readLog(String)
    /// The page was left: stop, wait, close.
    case close

    public var name: String {
        switch self {
        case .start: return "start"
        case .retry(let id): return "retry:\(id)"
        case .skip(let id): return "skip:\(id)"
        case .stop: return "stop"
        case .readLog(let path): return "log:\(path)"
        case .close: return "close"
        }
    }
}

/// Work asked of a page's service (verify, the dry run, a backup).
public enum PageEffect: Sendable {
    case start(HostedContext)
    case again
    case close

    public var name: String {
        switch self {
        case .start: return "start"
        case .again: return "again"
        case .close: return "close"
        }
    }
}

/// Work asked of the license service.
public enum LicenseEffect: Sendable {
    case open(HostedContext)
    case work(LicenseTask)
    case close

    public var name: String {
        switch self {
        case .open: return "open"
        case .work(let t): return "\(t.kind)"
        case .close: return "close"
        }
    }
}

/// Work asked for the check page: the hosts' keys first, then the checkup.
public enum CheckupEffect: Sendable {
    case scanKeys(hosts: [Host], knownHostsFile: String)
    case acceptKey(host: Host, fingerprint: String, knownHostsFile: String)
    case start(HostedContext)
    case close

    public var name: String {
        switch self {
        case .scanKeys(let hosts, _): return "keys:" + hosts.map(\.name).joined(separator: ",")
        case .acceptKey(let host, let fp, _): return "accept:\(host.name)=\(fp)"
        case .start: return "start"
        case .close: return "close"
        }
    }
}
