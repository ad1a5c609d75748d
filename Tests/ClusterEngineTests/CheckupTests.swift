import ClusterCore
import Testing
@testable import ClusterEngine

/// How `check` sums up: the clocks between hosts, and its exit status.
@Suite struct CheckupTests {
    static func report(_ host: String, skew: String?) -> PreflightReport {
        var r = PreflightReport(host: host)
        if let skew { r.facts["clock_skew"] = skew }
        return r
    }

    @Test func clocksApartMoreThanTwoSecondsAreAWarningNamingBothHosts() throws {
        let apart = try #require(Checkup.clocks([Self.report("db", skew: "0.400"), Self.report("app1", skew: "-2.100"),
                                                 Self.report("lb", skew: "1.000")], maxSkew: 2))
        #expect(apart.status == .warn)
        #expect(apart.evidence.hasPrefix("lb is 3.1 s ahead of app1"))
        let close = try #require(Checkup.clocks([Self.report("db", skew: "0.4"), Self.report("app1", skew: "0.1")], maxSkew: 2))
        #expect(close.status == .pass && close.evidence == "within 0.3 s of each other")
        // One reading, or none: nothing to compare, so no line (never a pass on nothing).
        #expect(Checkup.clocks([Self.report("db", skew: "0.4"), Self.report("app1", skew: nil)], maxSkew: 2) == nil)
    }

    @Test func aFailureWinsThenWhatDidNotRunWarningsDoNotCount() {
        func line(_ s: Checkup.Line.Status) -> Checkup.Line { Checkup.Line(status: s, title: "t", evidence: "") }
        #expect(Checkup.exitCode([line(.pass), line(.warn)]) == 0)
        #expect(Checkup.exitCode([line(.pass), line(.notRun)]) == Checkup.notRunExitCode)
        #expect(Checkup.exitCode([line(.notRun), line(.fail), line(.warn)]) == 1)
        #expect(Checkup.summary([line(.pass), line(.warn), line(.fail)]) == "1 passed, 1 warning, 1 failed, 0 not run")
        #expect(line(.notRun).text == "NOT RUN  t")
    }

    /// A FAIL stops the install without a question; warnings or checks that did not run ask the
    /// operator when there is one (and the answer decides), and go on when there is none.
    @Test func warningsAskTheOperatorAndAFailureStopsWithoutAsking() {
        func line(_ s: Checkup.Line.Status) -> Checkup.Line { Checkup.Line(status: s, title: "t", evidence: "") }
        var asked = 0
        let yes = { asked += 1; return true }, no = { asked += 1; return false }
        #expect(Checkup.installGoesOn(after: [line(.pass)], ask: no) && asked == 0)
        #expect(!Checkup.installGoesOn(after: [line(.warn), line(.fail)], ask: yes) && asked == 0)
        #expect(!Checkup.installGoesOn(after: [line(.pass), line(.warn)], ask: no) && asked == 1)
        #expect(Checkup.installGoesOn(after: [line(.notRun)], ask: yes) && asked == 2)
        #expect(!Checkup.installGoesOn(after: [line(.notRun)], ask: no) && asked == 3)
        // No one to ask (apply --yes, input that is not a terminal): warnings go on, a FAIL does not.
        #expect(Checkup.installGoesOn(after: [line(.warn), line(.notRun)], ask: nil))
        #expect(!Checkup.installGoesOn(after: [line(.fail)], ask: nil))
    }
}
