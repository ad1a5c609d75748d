import ClusterCore
import ClusterEngine
import TermUI

/// The Run page as the app holds it: a value in ``AppState`` (never copied per frame: `update`
/// changes it in place). Its runner lives in the runtime's install service; the page only sees
/// the service's messages and asks for work through effects.
public struct RunPage: ServicePage {
    public var screen: RunScreen
    /// Why the run could not be set up (invalid answers, state folder), shown instead of the page.
    public var problem: String?
    /// Full logs go to the app's pager (`$PAGER` or `less`) instead of the page's own viewer.
    public var opensLogsWithPager: Bool
    /// The service has work in progress (run, retry or skip).
    public var busy: Bool
    /// "Stop and quit" was chosen: the app exits once the service is idle.
    public var quitting = false
    /// The app's clock when the page opened: the page's own clock starts there.
    public var openedAt: Duration

    public init(screen: RunScreen, problem: String? = nil, opensLogsWithPager: Bool = false, busy: Bool = true,
                openedAt: Duration = .zero) {
        self.screen = screen
        self.problem = problem
        self.opensLogsWithPager = opensLogsWithPager
        self.busy = problem == nil && busy
        self.openedAt = openedAt
    }
}
