import ClusterCore
import ClusterEngine
import Foundation
import Testing
import TermUI
@testable import Wizard

/// An installed cluster's Welcome starts with the cluster at a glance (as `status` does), in place
/// of the first-install intro, and reads it again each time the page comes back.
struct WelcomeOverviewTests {
    @Test func theInstalledClustersWelcomeShowsItAtAGlance() throws {
        let x = try DayTwoSnapshotTests().harness(80, 24, startup: true)
        #expect(x.state.welcome.overview.map(\.label) == ["Installed", "Answers", "Verify", "Backup", "Licenses"])
        #expect(!x.text.contains("This wizard installs"), "the intro gives way:\n\(x.text)")
        #expect(x.line(containing: "Installed")?.contains("Joget bundle joget-linux: node01 on app1, node02 on lb") == true, "\(x.text)")
        #expect(x.line(containing: "! Backup")?.contains("none found in") == true, "\(x.text)")
        #expect(x.line(containing: "! Verify")?.hasSuffix("never run to the end here") == true, "no command hint: the menu is the action\n\(x.text)")
        #expect(x.text.contains("> Change this cluster"))
        #expect(x.lines.allSatisfy { $0.count <= 80 })
    }

    /// A long row wraps under its own text, whatever the text starts with (a number is no list item).
    @Test func aLongRowWrapsUnderItsText() throws {
        let x = try DayTwoSnapshotTests().harness(80, 24, startup: true)
        let row = ClusterOverview.Row(label: "Licenses", text: "0 of 2 nodes activated; node01: key recorded, node02: key recorded, node03: key needed",
                                      needsAttention: true)
        x.runtime.apply(.overviewRead([row]))
        x.runtime.drawFrame()
        let first = try #require(x.lines.firstIndex { $0.hasPrefix(" ! Licenses  0 of 2 nodes activated;") }, "\(x.text)")
        let column = try #require(x.lines[first].range(of: "0 of 2")).lowerBound.utf16Offset(in: x.lines[first])
        let next = x.lines[first + 1]
        #expect(next.prefix(column).allSatisfy { $0 == " " } && next.dropFirst(column).hasPrefix("recorded,"), "[\(next)]\n\(x.text)")
        #expect(x.lines.allSatisfy { $0.count <= 80 })
    }

    @Test func aFirstInstallKeepsTheIntro() {
        let x = WizardHarness(answers: Example.twoNode)
        #expect(x.state.welcome.overview.isEmpty)
        #expect(x.text.contains("This wizard installs"))
    }

    @Test func comingBackToWelcomeReadsTheOverviewAgain() throws {
        var s = try DayTwoSnapshotTests().harness(80, 24, startup: true).state
        let effects = App.enter(&s, .welcome)
        #expect(effects.map(\.name) == ["overview"])
        let fresh = [ClusterOverview.Row(label: "Backup", text: "2026-12-05 12:06:38 (just now): /b/lab-20261205-120638", next: nil, needsAttention: false)]
        #expect(App.update(&s, .overviewRead(fresh)).isEmpty)
        #expect(s.welcome.overview == fresh)
    }
}

/// `status`'s overview lines: wrapped under their text at a terminal, one line per row otherwise.
struct StatusOverviewTextTests {
    static let overview: [ClusterOverview.Row] = [
        .init(label: "Installed", text: "Joget 8.1.6: node01 on app1, node02 on app2; through http://joget.example.com:80/jw"),
        .init(label: "Backup", text: "none found in backups/", next: "joget-cluster backup takes one", needsAttention: true),
    ]

    @Test func atATerminalLongRowsWrapUnderTheirText() {
        let text = LineOutput.overview(Self.overview, cluster: "acme", stateDir: "/s", width: 60)
        #expect(text == """
            Cluster acme (state folder /s)
              Installed  Joget 8.1.6: node01 on app1, node02 on app2;
                         through http://joget.example.com:80/jw
            ! Backup     none found in backups/: joget-cluster backup
                         takes one
            """)
    }

    @Test func intoAPipeEachRowIsOneLine() {
        let text = LineOutput.overview(Self.overview, cluster: "acme", stateDir: "/s")
        #expect(text.split(separator: "\n").count == 3)
        #expect(text.contains("! Backup     none found in backups/: joget-cluster backup takes one"))
        #expect(LineOutput.terminalWidth(fileDescriptor: -1) == nil)
    }
}

/// A size stays whole when a row wraps.
struct OverviewWrapTests {
    @Test func aNumberAndItsUnitStayTogether() {
        #expect(OverviewLines.wrap("aaaa 6 B", width: 6) == ["aaaa", "6 B"])
        #expect(OverviewLines.wrap("backups/lab (6.1 KiB, Joget 8.1.6)", width: 16) == ["backups/lab", "(6.1 KiB, Joget", "8.1.6)"])
        #expect(OverviewLines.wrap("copied 3.3 KiB, Joget 8.1.6", width: 11) == ["copied", "3.3 KiB,", "Joget 8.1.6"])
        #expect(OverviewLines.wrap("node 6 Bees here", width: 6) == ["node 6", "Bees", "here"])
        #expect(OverviewLines.wrap("no size here", width: 80) == ["no size here"])
    }
}
