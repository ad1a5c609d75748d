import ClusterCore
import Testing
import TermUI
@testable import Wizard

/// A connection test's result belongs to the host as tested: an edit of its address, port or user
/// marks it stale on screen, and a result that lands after the edit is stale too.
@Suite("Connection test results")
struct ConnectionTestStaleTests {
    static let ok = HostTest(checks: [.init("Host key", .ok, "known"), .init("SSH login", .ok, "jctest@127.0.0.1:22222")])

    /// The hosts page with the list focused on app1 and a finished test of app1 as it is now.
    func testedHarness() -> WizardHarness {
        let x = WizardHarness(width: 100, height: 30, answers: Example.small)
        x.jump(to: 0)
        x.runtime.apply(.hostTest(host: "app1", Self.ok))
        x.send(.tab)
        return x
    }

    func editFirstHost(_ x: WizardHarness, _ field: String, _ text: String) {
        x.send(.enter)
        x.setupPageFocus(field)
        x.send(.ctrl("u"))
        x.type(text)
        x.send(.escape)   // back to the list; the edit is kept
    }

    @Test func aResultIsFreshUntilTheHostIsEdited() throws {
        let x = testedHarness()
        let row = try #require(x.line(containing: "app1"))
        #expect(row.contains("ok") && !row.contains("stale"), "\(x.text)")
        #expect(!x.text.contains("Stale:"))

        editFirstHost(x, "hosts[].address", "127.0.0.2")
        #expect(x.state.model.answers.hosts[0].address == "127.0.0.2")
        let edited = try #require(x.line(containing: "app1"))
        #expect(edited.contains("stale"), "\(x.text)")
        #expect(x.text.contains("Stale: this tested app1 at jctest@127.0.0.1:22222 before an edit"), "\(x.text)")
    }

    @Test(arguments: [("hosts[].port", "2222"), ("hosts[].user", "deploy")])
    func portAndUserEditsMakeItStale(_ field: String, _ value: String) throws {
        let x = testedHarness()
        editFirstHost(x, field, value)
        #expect(try #require(x.line(containing: "app1")).contains("stale"), "\(x.text)")
    }

    /// A test started before the edit and finishing after it: its result is shown as stale.
    @Test func aLateResultOfTheOldAddressIsStale() throws {
        var s = AppState(answers: Example.small)
        var host = s.model.answers.hosts[0]
        s.model.answers.hosts[0].address = "10.0.0.9"
        var late = Self.ok
        late.tested = TestedHost(host)
        _ = App.update(&s, .hostTest(host: "app1", late))
        let now = s.model.answers.hosts[0]
        #expect(s.model.tests["app1"]?.isStale(for: now) == true)
        #expect(s.model.tests["app1"]?.summary(for: now) == "stale")
        // Put back as tested: fresh again.
        host.address = "127.0.0.1"
        #expect(s.model.tests["app1"]?.isStale(for: host) == false)
    }

    /// Testing again after the edit replaces the stale result with one of the host as it is now.
    @Test func testingAgainRecordsTheEditedHost() {
        var s = AppState(answers: Example.small)
        s.model.tests["app1"] = HostTest(checks: Self.ok.checks, tested: TestedHost(s.model.answers.hosts[0]))
        s.model.answers.hosts[0].port = 2222
        let effects = App.update(&s, .key(.char("t")))   // welcome page: not a test
        #expect(effects.isEmpty)
        var page = s
        _ = App.enter(&page, .setup(0))
        page.setup[0].focus = .list
        page.setup[0].syncFocus()
        let test = App.update(&page, .key(.char("t")))
        #expect(test.map(\.name) == ["test:app1"])
        #expect(page.model.tests["app1"]?.isStale(for: page.model.answers.hosts[0]) == false)
        #expect(page.model.tests["app1"]?.tested?.port == 2222)
    }
}
