import ClusterCore
import ClusterEngine
import TermUI

/// The Verify page as the app holds it; its checks run in the runtime's verify service.
public struct VerifyPage: ServicePage {
    public var screen: VerifyScreen
    public var problem: String?
    public var openedAt: Duration

    public init(screen: VerifyScreen, problem: String? = nil, openedAt: Duration = .zero) {
        self.screen = screen
        self.problem = problem
        self.openedAt = openedAt
    }
}
