import ClusterCore
import ClusterEngine
import TermUI

/// What reaches `App.update`: keys and ticks from the terminal, results from background work.
public enum AppMessage: Sendable {
    case key(Key)
    case resize(Size)
    case tick
    /// A connection test's rows so far (or final, when not running).
    case hostTest(host: String, HostTest)
    /// First contact with a host: its key is not in known_hosts. The operator accepts or refuses.
    case hostKeyUnknown(hostIndex: Int, host: String, fingerprint: String, keyType: String)
    /// The plan of the answers, with what earlier runs installed (read again for each plan: a run may have changed it).
    case planBuilt(Result<Plan, InvalidAnswers>, installed: Answers?)
    case saved(path: String?, error: String?)
    /// The runtime's clock (time since it started), sent every turn: the pages' clocks follow it.
    case time(Duration)
    /// From the install service.
    case run(RunMessage)
    /// From the verify service.
    case verify(VerifyMessage)
    /// From the dry-run service of "Check for changes".
    case changes(ChangesMessage)
    /// From the backup service.
    case backup(BackupMessage)
    /// From the license service.
    case licenses(LicenseMessage)
    /// From the host-key scan and the checkup service ("Check hosts and network").
    case checkup(CheckupMessage)
    /// Another cluster of the state root, read for Welcome; or why it could not be.
    case clusterOpened(Result<AppStartup, InvalidAnswers>, path: String)
    /// The installed cluster's overview, read again for Welcome.
    case overviewRead([ClusterOverview.Row])
}

/// What the license service tells the license page.
public enum LicenseMessage: Sendable {
    case opened(LicensePage)
    /// A line the desk logged as it worked.
    case progress(String)
    case finished(LicensePage.Outcome)
}

/// What the dry-run service tells the "Check for changes" page.
public enum ChangesMessage: Sendable {
    case opened(Plan)
    case cannotStart(String, Plan)
    case events([DriftEvent])
}

/// What the backup service tells the Backup page.
public enum BackupMessage: Sendable {
    case opened(folder: String)
    case line(String)
    case ended(BackupView.State)
}

/// What the install service tells the Run page.
public enum RunMessage: Sendable {
    /// The run is set up and started: the page to show.
    case opened(RunScreen, pagerAvailable: Bool)
    /// The run could not be set up: why, and the plan to show behind it.
    case cannotStart(String, Plan)
    /// The runner's events since the last drain, with the output lines the inbox left out per host.
    case events([RunEvent], linesLeftOut: [String: Int])
    /// Nothing of the run is in progress any more (run, retry and skip all ended).
    case idle
    /// A full log read for the page's own viewer (no pager on this machine).
    case log(RunLogViewer)
}

/// What the verify service tells the Verify page.
public enum VerifyMessage: Sendable {
    case opened([ClusterCheck])
    case cannotStart(String)
    case events([VerifyEvent])
}

/// What the host-key scan and the checkup service tell the check page.
public enum CheckupMessage: Sendable {
    /// Each remote host's key against known_hosts.
    case keys([HostKeyScan])
    /// An accepted key was written to known_hosts (or could not be: the error).
    case keyRecorded(host: String, error: String?)
    case cannotStart(String)
    case line(Checkup.Line)
    /// Every line is in.
    case finished
}

/// One host's key as the scan found it.
public struct HostKeyScan: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case known
        case unknown(fingerprint: String, keyType: String)
        case changed(fingerprint: String)
        /// Not scanned (no answer): the checkup's login line says why.
        case failed(String)
    }
    public var host: String
    public var status: Status
    public init(host: String, status: Status) { self.host = host; self.status = status }
}
