import Foundation
import TestSupport
import Testing
@testable import TermUI

/// Composed screens, compared with text files in Snapshots/ (see TestSupport/SnapshotTesting.swift).
@Suite struct SnapshotTests {
    /// A wizard page: title bar, step list, form with errors, buttons, key legend.
    func wizardPage(width: Int, height: Int, theme: Theme) -> Buffer {
        var b = Buffer(width: width, height: height)
        let rows = b.area.rows(.fixed(1), .fill, .fixed(1))
        b.writeLine(" Joget DX 8 cluster setup  -  Step 3 of 6: Database",
                    in: rows[0], style: theme[.title], ellipsis: theme.symbols.ellipsis)
        let cols = rows[1].columns(.fixed(24), .fill)
        let side = Block(title: "Steps")
        side.render(cols[0], into: &b, theme: theme)
        StatusList([.init(.checked, "Welcome"), .init(.checked, "Shared files"),
                    .init(.attention, "Database", detail: "2 missing"), .init(.unchecked, "Nodes"),
                    .init(.unchecked, "Load balancer"), .init(.unchecked, "Review")],
                   selected: 2).render(side.inner(cols[0]), into: &b, theme: theme)
        let main = Block(title: "Database")
        main.render(cols[1], into: &b, theme: theme)
        let inner = main.inner(cols[1]).inset(horizontal: 1)
        let parts = inner.rows(.fixed(2), .fill, .fixed(1))
        Paragraph("Where the shared Joget database lives. All nodes connect to it.", role: .muted)
            .render(parts[0], into: &b, theme: theme)
        var form = Form([
            .choice("engine", "Engine", options: ["MySQL", "MariaDB", "PostgreSQL"]),
            .text("host", "Host", value: "db.internal.example", width: 28),
            .text("port", "Port", value: "33O6", width: 8),
            .text("name", "Database name", placeholder: "jwdb", width: 20),
            .text("user", "User", width: 20),
            .password("pass", "Password", value: "hunter2", width: 20),
        ])
        form.setError("port", "digits only")
        form.setError("user", "required")
        form.focus("pass")
        form.render(parts[1], into: &b, theme: theme)
        ButtonRow(["Back", "Next"], focused: 1, isFocused: false, alignment: .right)
            .render(parts[2], into: &b, theme: theme)
        KeyLegend([("Tab", "Next field"), ("Enter", "Next"), ("Esc", "Back"), ("F1", "Help"), ("F10", "Quit")])
            .render(rows[2], into: &b, theme: theme)
        return b
    }

    @Test func wizardPageUnicode() {
        assertSnapshot(wizardPage(width: 80, height: 24, theme: .monochrome()), named: "wizard-page-80x24")
    }

    @Test func wizardPageASCII() {
        assertSnapshot(wizardPage(width: 80, height: 24, theme: .monochrome(symbols: .ascii)), named: "wizard-page-ascii-80x24")
    }

    @Test func wizardPageWide() {
        assertSnapshot(wizardPage(width: 120, height: 40, theme: .colored()), named: "wizard-page-120x40")
    }

    /// The install screen: steps, overall progress, and the log pane with a search match.
    @Test func installScreen() {
        let theme = Theme.colored()
        var b = Buffer(width: 80, height: 24)
        let rows = b.area.rows(.fixed(1), .fixed(8), .fixed(1), .fill, .fixed(1))
        b.writeLine(" Installing", in: rows[0], style: theme[.title])
        StatusList([.init(.done, "Check hosts"), .init(.done, "Install Java 17"), .init(.skipped, "Create database", detail: "exists"),
                    .init(.running, "Copy Joget to app1", detail: "412 MB"), .init(.pending, "Copy Joget to app2"),
                    .init(.pending, "Configure load balancer"), .init(.pending, "Start nodes"),
                    .init(.pending, "Smoke test")], spinnerFrame: 2)
            .render(rows[1].inset(horizontal: 1), into: &b, theme: theme)
        ProgressBar(fraction: 0.5, label: "Overall", elapsed: .seconds(80), estimatedTotal: .seconds(160))
            .render(rows[2].inset(horizontal: 1), into: &b, theme: theme)
        var log = RingBuffer<String>(capacity: 1000)
        for i in 1...500 { log.append("[app1] copying webapps/jw/WEB-INF/lib/part-\(i).jar") }
        log.append("[app1] warning: slow disk, 12 MB/s")
        for i in 501...510 { log.append("[app1] copying webapps/jw/WEB-INF/lib/part-\(i).jar") }
        var view = LogView(title: "Log  (app1)")
        for k: Key in [.char("/")] + "warning".map(Key.char) + [.enter] {
            _ = view.handle(k, source: log, viewHeight: rows[3].height)
        }
        view.render(rows[3], into: &b, source: log, theme: theme)
        KeyLegend([("PgUp/PgDn", "Scroll"), ("/", "Search"), ("End", "Follow"), ("F10", "Quit")])
            .render(rows[4], into: &b, theme: theme)
        assertSnapshot(b, named: "install-screen-80x24")
    }

    @Test func dialogOverPage() {
        var b = wizardPage(width: 40, height: 12, theme: .monochrome())
        Dialog(title: "Quit setup?", message: "Answers so far are kept in answers.yaml.", buttons: ["Quit", "Stay"],
               focused: 1, cancelIndex: 1).render(b.area, into: &b, theme: .monochrome())
        assertSnapshot(b, named: "dialog-40x12")
    }

    @Test func tooSmall() {
        var b = Buffer(width: 60, height: 15)
        let notice = TooSmallNotice(current: b.size)
        notice.render(b.area, into: &b, theme: .monochrome())
        assertSnapshot(b, named: "too-small-60x15")
    }

    @Test func listEditorWithWideText() {
        let theme = Theme.monochrome()
        var b = Buffer(width: 50, height: 8)
        Block(title: "Nodes").render(b.area, into: &b, theme: theme)
        ListEditor(headers: ["Name", "Address", "Note"],
                   rows: [["app1", "10.0.0.11", "primary"], ["app2", "10.0.0.12", "東京データセンター 🚀"],
                          ["app3-with-a-long-name", "10.0.0.13", "a very long note that will not fit"]],
                   selectedIndex: 1, isFocused: true)
            .render(b.area.inset(1), into: &b, theme: theme)
        assertSnapshot(b, named: "list-editor-50x8")
    }
}

@Suite struct SnapshotHelperTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != "1"))
    func missingSnapshotFailsWithHowToRecord() {
        withKnownIssue {
            assertSnapshot(text: "anything", named: "no-such-snapshot")
        } matching: { issue in
            issue.description.contains("RECORD_SNAPSHOTS=1")
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != "1"))
    func differenceFails() {
        var b = Buffer(width: 10, height: 2)
        b.write("changed", x: 0, y: 0)
        withKnownIssue {
            assertSnapshot(b, named: "too-small-60x15")
        } matching: { issue in
            issue.description.contains("differs at line 1")
        }
    }
}
