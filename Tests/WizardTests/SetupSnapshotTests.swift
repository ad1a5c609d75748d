import ClusterCore
import TestSupport
import Testing
import TermUI
@testable import Wizard

/// Every setup page drawn on the headless screen at 80x24 and 120x40.
/// Record with RECORD_SNAPSHOTS=1, then read the files in Snapshots/.
@Suite("Setup page snapshots")
struct SetupSnapshotTests {
    static let sizes: [(Int, Int)] = [(80, 24), (120, 40)]

    /// The small example with a finished connection test of app1 and the lb row selected.
    static func tested() -> Answers { Example.small }

    static let appTest = HostTest(checks: [
        .init("Host key", .ok, "known"),
        .init("SSH login", .ok, "jctest@127.0.0.1:22222 (key)"),
        .init("Root access", .ok, "sudo without a password"),
        .init("OS", .ok, "Ubuntu 24.04.1 LTS"),
        .init("Disk", .warn, "3.2 GB free on /"),
        .init("Java", .ok, "not installed yet: the install adds Java 17"),
        .init("Ports", .ok, "free: 3306, 8080, 8005, 4000"),
        .init("Clock", .ok, "+0 s from this machine"),
    ])

    func harness(_ w: Int, _ h: Int, answers: Answers? = Example.small, unicode: Bool = true) -> WizardHarness {
        WizardHarness(width: w, height: h, answers: answers, unicode: unicode)
    }

    @Test(arguments: sizes) func welcome(_ w: Int, _ h: Int) {
        let x = harness(w, h, answers: nil)
        assertSnapshot(x.screen.screen, named: "setup-welcome-\(w)x\(h)")
    }

    @Test(arguments: sizes) func welcomeWithUnfinishedInstall(_ w: Int, _ h: Int) {
        var s = AppState(answers: Example.small, unfinishedInstall: true, found: "An install of cluster lab did not finish (/root/.local/state/joget-cluster/lab).")
        s.size = Size(width: w, height: h)
        var b = Buffer(width: w, height: h)
        AppView.render(s, into: &b, theme: .monochrome())
        assertSnapshot(b, named: "setup-welcome-resume-\(w)x\(h)")
    }

    @Test(arguments: sizes) func hosts(_ w: Int, _ h: Int) {
        let x = harness(w, h)
        x.runtime.apply(.hostTest(host: "app1", Self.appTest))
        x.jump(to: 0)
        x.send(.tab)   // the host list, first row
        assertSnapshot(x.screen.screen, named: "setup-hosts-\(w)x\(h)")
    }

    /// Opens app1 in the host editor, replaces `field` with `text` and leaves the field.
    func editFirstHost(_ x: WizardHarness, _ field: String, _ text: String) {
        x.jump(to: 0)
        x.send(.tab, .enter)     // edit app1
        x.setupPageFocus(field)
        x.send(.ctrl("u"))
        x.type(text)
        x.send(.tab)
    }

    @Test(arguments: sizes) func hostEditorWithError(_ w: Int, _ h: Int) {
        let x = harness(w, h)
        editFirstHost(x, "hosts[].address", "10.0.0.300")
        assertSnapshot(x.screen.screen, named: "setup-host-editor-\(w)x\(h)")
    }

    /// An error longer than the screen is wide takes a second line: its end says what is allowed.
    @Test func longErrorTakesTwoLinesAt80Columns() throws {
        let x = harness(80, 24)
        editFirstHost(x, "hosts[].name", "app1;rm -rf /")
        let rows = x.screen.screen.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let at = try #require(rows.firstIndex { $0.hasPrefix(" ✗ Name: \"app1;rm -rf /\" should be") },
                              "no error line:\n\(x.screen.screen.text)")
        #expect(rows[at + 1].trimmingCharacters(in: .whitespaces).hasSuffix("starting with a letter"))
    }

    @Test(arguments: sizes) func sharedFiles(_ w: Int, _ h: Int) {
        let x = harness(w, h)
        x.jump(to: 1)
        assertSnapshot(x.screen.screen, named: "setup-shared-files-\(w)x\(h)")
    }

    @Test(arguments: sizes) func database(_ w: Int, _ h: Int) {
        var a = Example.small
        a.database.admin = .password
        let x = harness(w, h, answers: a)
        x.jump(to: 2)
        x.setupPageFocus("database.port")
        x.send(.ctrl("u"))
        x.type("99999")
        x.send(.tab)
        assertSnapshot(x.screen.screen, named: "setup-database-\(w)x\(h)")
    }

    @Test(arguments: sizes) func appServers(_ w: Int, _ h: Int) {
        let x = harness(w, h)
        x.jump(to: 3)
        assertSnapshot(x.screen.screen, named: "setup-app-servers-\(w)x\(h)")
    }

    @Test(arguments: sizes) func loadBalancer(_ w: Int, _ h: Int) {
        var a = Example.small
        a.loadBalancer.serverName = ""
        let x = harness(w, h, answers: a)
        x.jump(to: 4)
        x.goNext()   // refused: the server name is missing
        assertSnapshot(x.screen.screen, named: "setup-load-balancer-\(w)x\(h)")
    }

    @Test(arguments: sizes) func review(_ w: Int, _ h: Int) {
        let x = harness(w, h)
        x.jumpToReview()
        assertSnapshot(x.screen.screen, named: "setup-review-\(w)x\(h)")
    }

    @Test(arguments: sizes) func reviewIncomplete(_ w: Int, _ h: Int) {
        var a = Example.small
        a.database.host = ""
        a.appServers.bundle = ""
        let x = harness(w, h, answers: a)
        x.jumpToReview()
        x.send(.char("i"))
        assertSnapshot(x.screen.screen, named: "setup-review-refused-\(w)x\(h)")
    }

    @Test(arguments: sizes) func quitDialog(_ w: Int, _ h: Int) {
        let x = harness(w, h)
        x.jump(to: 3)
        x.send(.f(10))
        assertSnapshot(x.screen.screen, named: "setup-quit-\(w)x\(h)")
    }

    @Test(arguments: sizes) func hostKeyDialog(_ w: Int, _ h: Int) {
        let x = harness(w, h)
        x.jump(to: 0)
        x.runtime.apply(.hostKeyUnknown(hostIndex: 0, host: "app1", fingerprint: "SHA256:q6mLxV3m0c9mN1bS0T1nJ3nH7v0yQ2kZ1pVb8r5aA4E", keyType: "ED25519"))
        x.runtime.drawFrame()
        assertSnapshot(x.screen.screen, named: "setup-host-key-\(w)x\(h)")
    }

    @Test func asciiHostsForVT100() {
        let x = harness(80, 24, unicode: false)
        x.runtime.apply(.hostTest(host: "app1", Self.appTest))
        x.jump(to: 0)
        x.send(.tab)
        assertSnapshot(x.screen.screen, named: "setup-hosts-ascii-80x24")
        #expect(!x.text.contains("─"))
    }

    @Test func tooSmallAndTinyNeverCrash() {
        for (w, h) in [(1, 1), (40, 12), (0, 0), (79, 24), (80, 23)] {
            for page in 0..<8 {
                let x = harness(w, h)
                switch page {
                case 0: break
                case 1...5: x.jump(to: page - 1)
                case 6: x.jumpToReview()
                default: x.send(.f(1))
                }
                x.send(.tab, .down, .enter, .char("a"), .f(1), .escape, .escape)
                #expect(x.screen.drawCount > 0)
                if w >= 10 && h >= 3 { #expect(x.text.contains("too small")) }
            }
        }
        let x = harness(40, 12)
        assertSnapshot(x.screen.screen, named: "setup-too-small-40x12")
    }

    @Test func resizeRedrawsEveryTime() {
        let x = harness(120, 40)
        x.jump(to: 3)
        x.resize(60, 15)
        #expect(x.text.contains("Terminal too small: 60x15, need 80x24"))
        x.resize(80, 24)
        #expect(x.text.contains("3 Application servers"))
        #expect(x.state.size == Size(width: 80, height: 24))
    }
}
