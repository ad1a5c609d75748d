import ClusterCore
import ClusterEngine
import Foundation
import TermUI

/// The Verify page with its checks running, as the app hosts it: `tick()` takes in outcomes,
/// `.checkAgain` runs them anew here; the app sees `.next`, `.back` and `.quit`.
public final class LiveVerifyPage: Screen {
    public private(set) var screen: VerifyScreen
    public let controller: VerifyController?
    public let problem: String?

    public init(controller: VerifyController, start: Bool = true) {
        self.controller = controller
        screen = VerifyScreen(checks: controller.checks)
        problem = nil
        if start { controller.start() }
    }

    public init(context: HostedContext) {
        do {
            let session = try InstallSession(answers: context.answers, stateDirectory: context.stateDirectory,
                                             knownHostsFile: context.knownHostsFile)
            let controller = VerifyController(session: session, secrets: context.secrets)
            self.controller = controller
            screen = VerifyScreen(checks: controller.checks)
            problem = nil
            controller.start()
        } catch {
            controller = nil
            screen = VerifyScreen(rows: [])
            problem = "The checks cannot run: \(error)"
        }
    }

    deinit {
        if let controller { Task { await controller.close() } }
    }

    public var title: String { screen.title }
    public var legend: [KeyLegend.Item] { problem == nil ? screen.legend : [.init("Esc", "Back")] }
    public var help: String? { screen.help }

    public func handle(_ key: Key) -> ScreenRequest {
        guard let controller, problem == nil else { return key == .escape ? .back : .ignored }
        let request = screen.handle(key)
        return controller.perform(request) ? .none : request
    }

    public func tick() -> ScreenRequest {
        controller?.drain(into: &screen)
        return .none
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        screen.area = area
        if let problem {
            buffer.clear(area, style: theme[.normal])
            Paragraph(problem, role: .error).render(area.inset(horizontal: 2, vertical: 1), into: &buffer, theme: theme)
            return
        }
        screen.render(area, into: &buffer, theme: theme)
    }
}
