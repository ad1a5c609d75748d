import ClusterCore
import ClusterEngine
import Foundation
import Testing
@testable import Wizard

/// A drained batch of events leaves the page as the same events applied one by one would, though
/// it makes text only of the lines the panes keep.
@Suite struct RunScreenBatchTests {
    static func batch(_ host: String, _ step: String, _ from: Int, _ n: Int) -> RunEvent {
        .output(OutputBatch(stepID: step, host: host, phase: .apply,
                            lines: (from..<(from + n)).map { OutputLine(stream: $0 % 7 == 0 ? .stderr : .stdout, text: "\(host)\($0)",
                                                                         time: RunFixtures.epoch) }))
    }

    static func events(_ sizes: [Int]) -> [RunEvent] {
        var out: [RunEvent] = [.runStarted(PlanSummary(plan: RunScreenTests.plan), answersHash: nil),
                               .stepStarted(stepID: "hosts.a@a", host: "a", phase: .apply),
                               .stepStarted(stepID: "hosts.b@b", host: "b", phase: .apply)]
        var na = 0, nb = 0
        for (k, n) in sizes.enumerated() {
            out.append(batch("a", "hosts.a@a", na, n)); na += n
            if k % 2 == 0 { out.append(batch("b", "hosts.b@b", nb, n / 3)); nb += n / 3 }
            if k == sizes.count / 2 {
                out.append(.stepFinished(StepOutcome(stepID: "hosts.a@a", host: "a", status: .done, duration: .seconds(1))))
                out.append(.stepStarted(stepID: "files.a@a", host: "a", phase: .apply))
            }
        }
        return out
    }

    @Test func aBatchEndsAsOneByOne() {
        for capacity in [1, 7, 100, 1_000] {
            for sizes in [[0], [3, 5], [150, 1, 99, 2_000, 4], [1_000, 1_000, 1], [6, 6, 6, 6, 6, 6]] {
                let events = Self.events(sizes)
                var one = RunScreenTests.page(capacity: capacity)
                for e in events { one.apply(e) }
                var all = RunScreenTests.page(capacity: capacity)
                all.apply(events, linesLeftOut: [:])
                for host in ["a", "b"] {
                    #expect(all.logLines(host: host) == one.logLines(host: host), "capacity \(capacity), \(sizes), \(host)")
                    #expect(all.logLinesReceived(host: host) == one.logLinesReceived(host: host))
                }
                #expect(RunFixtures.frame(all, width: 80, height: 24).text == RunFixtures.frame(one, width: 80, height: 24).text)
            }
        }
    }

    @Test func twoDrainsEndAsOne() {
        let events = Self.events([400, 30, 900, 5])
        var once = RunScreenTests.page(capacity: 250)
        once.apply(events, linesLeftOut: [:])
        var twice = RunScreenTests.page(capacity: 250)
        twice.apply(Array(events.prefix(5)), linesLeftOut: [:])
        twice.apply(Array(events.dropFirst(5)), linesLeftOut: [:])
        #expect(once.logLines(host: "a") == twice.logLines(host: "a"))
        #expect(once.logLines(host: "b") == twice.logLines(host: "b"))
    }
}
