import TermUI

/// Draws the whole wizard: a header line (product, cluster, step), the page, the key legend, and
/// any dialog on top. Below 80x24 only the "terminal too small" notice.
public enum AppView {
    public static let minimum = Size(width: 80, height: 24)

    /// Where a page is drawn on a screen of `size`: below the header and its rule, above the legend.
    public static func bodyArea(_ size: Size) -> Rect {
        Rect(x: 1, y: 2, width: max(0, size.width - 2), height: max(0, size.height - 3))
    }

    public static func render(_ s: AppState, into buffer: inout Buffer, theme: Theme) {
        let area = buffer.area
        let notice = TooSmallNotice(current: area.size, minimum: minimum)
        if notice.isNeeded {
            notice.render(area, into: &buffer, theme: theme)
            buffer.cursor = nil
            return
        }
        let rows = area.rows(.fixed(1), .fixed(1), .fill, .fixed(1))
        renderHeader(s, in: rows[0], into: &buffer, theme: theme)
        buffer.fill(rows[1], symbol: Character(theme.symbols.border.horizontal), style: theme[.border])
        let body = rows[2].inset(horizontal: 1)
        s.renderPage(body, into: &buffer, theme: theme)
        var legend = s.dialog.map { dialogLegend($0) } ?? s.currentPage.legend
        if s.dialog == nil {
            // The app's keys, unless the page names them itself (the Run page's F10 is "Stop").
            for item in [KeyLegend.Item("F1", "Help"), .init("F10", "Quit")] where !legend.contains(where: { $0.key == item.key }) {
                legend.append(item)
            }
        }
        KeyLegend(legend).render(rows[3].inset(horizontal: 1), into: &buffer, theme: theme)
        if case .secret(let prompt)? = s.dialog {
            prompt.render(area, into: &buffer, theme: theme)
        } else if let d = s.dialog {
            d.dialog.render(area, into: &buffer, theme: theme)
        }
    }

    static func dialogLegend(_ d: AppDialog) -> [KeyLegend.Item] {
        switch d {
        case .quit: return [.init("Left/Right", "Choose"), .init("Enter", "OK"), .init("Esc", "Stay")]
        case .startOver: return [.init("Left/Right", "Choose"), .init("Enter", "OK"), .init("Esc", "Back")]
        case .hostKey: return [.init("Left/Right", "Choose"), .init("Enter", "OK"), .init("Esc", "Refuse")]
        case .help, .message: return [.init("Enter", "Close")]
        case .secret: return [.init("Enter", "OK"), .init("F2", "Show"), .init("Esc", "Back")]
        }
    }

    static func renderHeader(_ s: AppState, in row: Rect, into buffer: inout Buffer, theme: Theme) {
        let left = " Joget DX 8 cluster setup"
        let cluster = "cluster: \(s.model.answers.cluster)"
        var right = s.stepText + " "
        if let e = s.saveError { right = "NOT SAVED: \(e)  " + right }
        buffer.fill(row, style: theme[.title])
        buffer.writeLine(left, in: row, style: theme[.title], ellipsis: theme.symbols.ellipsis)
        let leftWidth = TextWidth.of(left) + 3
        let middle = Rect(x: row.x + leftWidth, y: row.y, width: max(0, row.width - leftWidth - TextWidth.of(right) - 2), height: 1)
        buffer.writeLine(cluster, in: middle, style: theme[.normal], alignment: .center, ellipsis: theme.symbols.ellipsis)
        buffer.writeLine(right, in: row, style: theme[s.saveError == nil ? .title : .error], alignment: .right,
                         ellipsis: theme.symbols.ellipsis)
    }
}
