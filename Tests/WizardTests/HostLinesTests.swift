import ClusterEngine
import Foundation
import TermUI
import Testing
import TestSupport
@testable import Wizard

/// A pane's lines kept as batches against a ring of decoded lines: the same lines, indices and
/// steps after any mix of page lines and batches, whatever the capacity.
@Suite struct HostLinesTests {
    @Test func asARingOfDecodedLines() {
        var rng = SplitMix64(state: 42)
        var n = 0
        for capacity in [1, 2, 3, 10, 64, 500] {
            var lines = HostLines(capacity: capacity)
            var ring = RingBuffer<PaneLine>(capacity: capacity)
            for _ in 0..<400 {
                if Int.random(in: 0..<4, using: &rng) == 0 {
                    let marker = PaneLine(step: Int32.random(in: -1...3, using: &rng), isMarker: true, text: ">>> \(n)")
                    n += 1
                    lines.append(marker)
                    ring.append(marker)
                } else {
                    let step = Int32.random(in: -1...3, using: &rng)
                    let count = [0, 1, 2, 5, 30, 700].randomElement(using: &rng)!
                    let out = (0..<count).map { i in OutputLine(stream: i % 3 == 0 ? .stderr : .stdout, text: "line \(n + i) é") }
                    n += count
                    var batch = OutputBatch(stepID: "s@a", host: "a", phase: .apply, lines: out)
                    if count > 2, Bool.random(using: &rng) {   // the inbox may have left out its first lines
                        let drop = Int.random(in: 1..<count, using: &rng)
                        batch.removeFirst(drop)
                    }
                    lines.append(batch, step: step)
                    for line in batch.lines { ring.append(PaneLine(step: step, isMarker: false, text: line.text)) }
                }
                #expect(lines.lineIndices == ring.stableIndices)
                #expect(lines.count == ring.count && lines.totalAppended == ring.totalAppended)
            }
            for i in (lines.lineIndices.lowerBound - 3)..<(lines.lineIndices.upperBound + 3) {
                let a = lines.entry(at: i), b = ring.element(atStable: i)
                #expect(a?.text == b?.text && a?.step == b?.step && a?.isMarker == b?.isMarker, "capacity \(capacity), index \(i)")
            }
            #expect(lines.texts == ring.map(\.text))
            for step in Int32(-1)...3 {
                let want = Array(ring.filter { $0.step == step && !$0.isMarker }.suffix(7).map(\.text))
                #expect(lines.lastOutput(of: step, count: 7) == want)
            }
        }
    }
}
