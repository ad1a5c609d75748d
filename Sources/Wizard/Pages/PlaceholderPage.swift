import TermUI

/// Stands in for a hosted page (run, verify, licenses, summary) whose factory is not wired yet.
public struct PlaceholderPage: Screen {
    public var page: HostedPage
    public var detail: String

    public init(page: HostedPage, detail: String = "") {
        self.page = page
        self.detail = detail
    }

    public var title: String { page.title }
    public var legend: [KeyLegend.Item] { [.init("Esc", "Back")] }
    public var help: String? { nil }

    public mutating func handle(_ key: Key) -> ScreenRequest {
        switch key {
        case .escape, .enter: return .back
        default: return .ignored
        }
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.writeLine(page.title, in: area.row(0), style: theme[.title], ellipsis: theme.symbols.ellipsis)
        var text = "The \(page.rawValue) page is not wired into the wizard yet."
        if !detail.isEmpty { text += "\n\n" + detail }
        text += "\n\nEsc goes back to the review. Your answers are saved."
        Paragraph(text).render(area.inset(top: 2), into: &buffer, theme: theme)
    }
}

/// What a page run by a service shows before the service says it opened (one turn of the loop).
public struct OpeningPage: Screen {
    public var page: HostedPage
    public var title: String { page.title }
    public var legend: [KeyLegend.Item] { [.init("Esc", "Back")] }
    public var help: String? { nil }
    public mutating func handle(_ key: Key) -> ScreenRequest { key == .escape ? .back : .ignored }
    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.writeLine(page.title + ": starting...", in: area.row(0), style: theme[.title], ellipsis: theme.symbols.ellipsis)
    }
}
