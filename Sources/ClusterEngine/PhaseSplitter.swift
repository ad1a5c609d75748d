import ClusterCore
import Foundation
import Synchronization

/// Splits the output of a step's check and apply sent as one frame: the frame prints the check's
/// status after it as `<marker> <status>` on stdout and on stderr; on each stream, what comes
/// before is the check's and what comes after is the apply's. The marker is fresh for each frame.
final class PhaseSplitter: Sendable {
    let marker: String
    /// The marker and the space after it, as the line holds them.
    private let markerSpace: [UInt8]
    private let output: CheckThenApplyOutput
    private let rawOutput: CheckThenApplyRawOutput?
    private struct State { var past: Set<OutputLine.Stream> = []; var status: Int32? = nil }
    private let state = Mutex(State())

    private init(_ output: CheckThenApplyOutput, raw: CheckThenApplyRawOutput?) {
        marker = "__jc_checked_" + ProcessSupport.nonce()
        markerSpace = Array(marker.utf8) + [0x20]
        self.output = output
        rawOutput = raw
    }

    convenience init(_ output: CheckThenApplyOutput) { self.init(output, raw: nil) }

    /// For `take(raw:)`: the lines go on as they came.
    convenience init(raw output: CheckThenApplyRawOutput) {
        self.init(CheckThenApplyOutput(check: { output.check(RawLines($0)) }, applyStarts: output.applyStarts,
                                       apply: { output.apply(RawLines($0)) }), raw: output)
    }

    /// The check's status once its marker was seen; nil before (or when it never came).
    var checkStatus: Int32? { state.withLock { $0.status } }

    /// The frame: the check in a subshell that cannot see the frame's text (`__jc_c` holds it), its
    /// status on both streams, then the apply only when the check failed; the frame's status is the
    /// apply's (0 when the check passed).
    func frame(check: String, apply: String) -> String {
        "unset __jc_c\n(eval \(Shell.quote(check)))\n__jc_k=$?\n"
            + "printf '%s %s\\n' \(marker) \"$__jc_k\"; printf '%s %s\\n' \(marker) \"$__jc_k\" >&2\n"
            + "[ \"$__jc_k\" = 0 ] && exit 0\n(eval \(Shell.quote(apply)))\n"
    }

    /// Takes a batch of lines (one stream's, in order) and hands each part to its phase.
    func take(_ lines: [OutputLine]) {
        var before: [OutputLine] = [], after: [OutputLine] = []
        var starts = false
        state.withLock { s in
            for line in lines {
                if s.past.contains(line.stream) { after.append(line); continue }
                guard let (head, status) = split(line.text) else { before.append(line); continue }
                // Output the check left without a newline ends up in front of the marker.
                if !head.isEmpty { before.append(OutputLine(stream: line.stream, text: head, time: line.time)) }
                s.past.insert(line.stream)
                if s.status == nil {
                    s.status = status
                    starts = status != 0
                }
            }
        }
        if !before.isEmpty { output.check(before) }
        if starts { output.applyStarts() }
        if !after.isEmpty { output.apply(after) }
    }

    /// The same for lines as they came: a batch wholly before or wholly after the marker is handed
    /// on as it is; only a line that ends in a digit can be the marker's (`<marker> <status>`), and
    /// only such a line is looked at as text.
    func take(raw batch: RawLines) {
        guard let rawOutput else { take(batch.lines); return }
        var before: [Int] = [], after: [Int] = []
        var heads: [(at: Int, line: OutputLine)] = []
        var starts = false
        let markerLength = marker.utf8.count
        state.withLock { s in
            batch.bytes.withUnsafeBufferPointer { all in
                for i in 0..<batch.count {
                    let stream = batch.stream(i)
                    if s.past.contains(stream) { after.append(i); continue }
                    let r = batch.ranges[i]
                    guard r.count > markerLength, (0x30...0x39).contains(all[r.upperBound - 1]),
                          let (text, status) = split(batch.text(i)) else { before.append(i); continue }
                    // Output the check left without a newline ends up in front of the marker.
                    if !text.isEmpty { heads.append((before.count + heads.count, OutputLine(stream: stream, text: text, time: batch.time))) }
                    s.past.insert(stream)
                    if s.status == nil {
                        s.status = status
                        starts = status != 0
                    }
                }
            }
        }
        if before.count == batch.count {
            rawOutput.check(batch)
        } else if !heads.isEmpty {
            // The line in front of a marker, as text: a batch made anew (once per stream and step).
            var lines = before.map { OutputLine(stream: batch.stream($0), text: batch.text($0), time: batch.time) }
            for h in heads { lines.insert(h.line, at: h.at) }
            rawOutput.check(RawLines(lines))
        } else if !before.isEmpty {
            rawOutput.check(batch.selecting(before))
        }
        if starts { rawOutput.applyStarts() }
        if after.count == batch.count { rawOutput.apply(batch) } else if !after.isEmpty { rawOutput.apply(batch.selecting(after)) }
    }

    /// What precedes the marker, and the status after it, when the line ends with the marker and a number.
    private func split(_ text: String) -> (String, Int32)? {
        let bytes = Array(text.utf8)
        guard let at = ByteSearch.findLast(markerSpace, in: bytes),
              let status = Int32(String(decoding: bytes[(at + markerSpace.count)...], as: UTF8.self)) else { return nil }
        return (String(decoding: bytes[..<at], as: UTF8.self), status)
    }
}
