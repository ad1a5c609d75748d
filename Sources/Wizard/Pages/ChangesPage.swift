import ClusterCore
import ClusterEngine
import TermUI

/// "Check for changes" (the dry run) as the app holds it; its checks run in the runtime's drift service.
public struct ChangesPage: ServicePage {
    public var screen: DriftScreen
    public var problem: String?
    /// The app's clock when the current check began.
    public var startedAt: Duration

    public init(screen: DriftScreen, problem: String? = nil, startedAt: Duration = .zero) {
        self.screen = screen
        self.problem = problem
        self.startedAt = startedAt
    }
}
