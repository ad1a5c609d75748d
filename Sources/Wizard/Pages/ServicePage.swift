import TermUI

/// A page whose work runs in one of the runtime's services: its screen, or, when the work could
/// not be set up, why (shown instead of the screen; Esc goes back).
public protocol ServicePage: Screen {
    associatedtype Content: Screen
    var screen: Content { get set }
    var problem: String? { get }
}

extension ServicePage {
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
