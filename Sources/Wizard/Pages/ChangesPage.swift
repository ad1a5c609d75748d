import ClusterCore
import ClusterEngine
import TermUI

/// "Check for changes" (the dry run) as the app holds it; its checks run in the runtime's drift service.
public struct ChangesPage: Screen {
    public var screen: DriftScreen
    public var problem: String?
    /// The app's clock when the current check began.
    public var startedAt: Duration

    public init(screen: DriftScreen, problem: String? = nil, startedAt: Duration = .zero) {
        self.screen = screen
        self.problem = problem
        self.startedAt = startedAt
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
