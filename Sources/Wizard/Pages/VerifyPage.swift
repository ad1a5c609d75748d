import ClusterCore
import ClusterEngine
import TermUI

/// The Verify page as the app holds it; its checks run in the runtime's verify service.
public struct VerifyPage: Screen {
    public var screen: VerifyScreen
    public var problem: String?
    public var openedAt: Duration

    public init(screen: VerifyScreen, problem: String? = nil, openedAt: Duration = .zero) {
        self.screen = screen
        self.problem = problem
        self.openedAt = openedAt
    }

    public var title: String { screen.title }
    public var legend: [KeyLegend.Item] { problem == nil ? screen.legend : [.init("Esc", "Back")] }
    public var help: String? { screen.help }

    public mutating func handle(_ key: Key) -> ScreenRequest {
        guard problem == nil else { return key == .escape ? .back : .ignored }
        return screen.handle(key)
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        if let problem {
            buffer.clear(area, style: theme[.normal])
            Paragraph(problem, role: .error).render(area.inset(horizontal: 2, vertical: 1), into: &buffer, theme: theme)
            return
        }
        screen.render(area, into: &buffer, theme: theme)
    }
}
