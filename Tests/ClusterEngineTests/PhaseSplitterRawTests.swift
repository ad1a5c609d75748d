@testable import ClusterEngine
import Foundation
import Synchronization
import Testing

/// The check-then-apply splitter on lines as they came (`take(raw:)`) against the same on text
/// (`take(_:)`): the same lines to the check and to the apply, the same status, the same start.
@Suite struct PhaseSplitterRawTests {
    final class Seen: Sendable {
        let state = Mutex<(check: [OutputLine], apply: [OutputLine], starts: Int)>(([], [], 0))
        func add(check lines: [OutputLine]) { state.withLock { $0.check += lines } }
        func add(apply lines: [OutputLine]) { state.withLock { $0.apply += lines } }
        func started() { state.withLock { $0.starts += 1 } }
        func result(_ marker: String) -> ([String], [String], Int) {
            state.withLock { s in
                let t = { (l: OutputLine) in "\(l.stream) " + l.text.replacingOccurrences(of: marker, with: "{M}") }
                return (s.check.map(t), s.apply.map(t), s.starts)
            }
        }
    }

    static let pieces = ["x", "1", "42", " ", "é", "\u{1B}[0m", "{M} 0", "{M} 3", "{M} x", "{M}  1", "{M} 12 ", "{M} +5", "{M} -0",
                         "{M} 99999999999", "5", "line", "\r"]

    @Test func rawAsText() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let seenText = Seen(), seenRaw = Seen()
            let t = PhaseSplitter(CheckThenApplyOutput(check: seenText.add(check:), applyStarts: seenText.started,
                                                       apply: seenText.add(apply:)))
            let r = PhaseSplitter(raw: CheckThenApplyRawOutput(check: { seenRaw.add(check: $0.lines) }, applyStarts: seenRaw.started,
                                                                apply: { seenRaw.add(apply: $0.lines) }))
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let mixed = Bool.random(using: &rng)
                let stream: OutputLine.Stream = Bool.random(using: &rng) ? .stdout : .stderr
                let lines = (0..<Int.random(in: 0...8, using: &rng)).map { _ in
                    (mixed ? (Bool.random(using: &rng) ? OutputLine.Stream.stdout : .stderr) : stream,
                     (0..<Int.random(in: 0...3, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }.joined())
                }
                let time = Date(timeIntervalSince1970: 1)
                t.take(lines.map { OutputLine(stream: $0.0, text: $0.1.replacingOccurrences(of: "{M}", with: t.marker), time: time) })
                let rawLines = lines.map { OutputLine(stream: $0.0, text: $0.1.replacingOccurrences(of: "{M}", with: r.marker), time: time) }
                if !rawLines.isEmpty { r.take(raw: RawLines(rawLines)) }
            }
            let a = seenText.result(t.marker), b = seenRaw.result(r.marker)
            #expect(a.0 == b.0 && a.1 == b.1 && a.2 == b.2)
            #expect(t.checkStatus == r.checkStatus)
        }
    }
}
