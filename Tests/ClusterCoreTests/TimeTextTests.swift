@testable import ClusterCore
import Foundation
import Testing

@Suite struct TimeTextTests {
    /// What the durations read as when printf formatted them: the reference the hand-written text keeps.
    private func printfText(_ d: Duration) -> String {
        let s = max(0, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        if s < 60 { return String(format: "%.1fs", s) }
        let whole = Int(s.rounded())
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, (whole % 3600) / 60)
    }

    @Test func durationsReadAsPrintfWroteThem() {
        var generator = SystemRandomNumberGenerator()
        var durations: [Duration] = [.zero, .milliseconds(1), .milliseconds(49), .milliseconds(51), .milliseconds(1234),
                                     .milliseconds(59_949), .milliseconds(59_951), .seconds(60), .milliseconds(60_499),
                                     .milliseconds(60_500), .seconds(3599), .seconds(3600), .seconds(86_400 * 3 + 125),
                                     .milliseconds(-5)]
        for _ in 0..<10_000 {
            durations.append(.nanoseconds(Int64.random(in: 0...(4 * 3_600_000_000_000), using: &generator)))
        }
        for d in durations { #expect(TimeText.seconds(d) == printfText(d), "\(d)") }
        // An exact half goes to the even tenth, as printf rounds a half it can represent exactly.
        #expect(TimeText.seconds(.milliseconds(250)) == "0.2s" && TimeText.seconds(.milliseconds(750)) == "0.8s")
    }
}
