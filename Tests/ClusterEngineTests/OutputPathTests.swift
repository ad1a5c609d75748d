import ClusterCore
@testable import ClusterEngine
import Foundation
import Testing
import TestSupport

/// The runner's output path on bytes (the framer's lines as they came, `Runner.linesHandler`
/// cleaning them into the log's form): whatever the reads' cuts, the page's lines and the log file
/// are those of the whole lines cleaned as text, and no secret or escape gets through.
@Suite struct OutputPathTests {
    static let marker = "__JC_" + String(repeating: "5a", count: 16)
    static let secret = "Xy-9!s3cr3t"

    struct Result: Equatable {
        var lines: [OutputLine.Stream: [String]]
        var log: String
    }

    /// Feeds `stream` to a framer in `chunks` (cut points), through the runner's handler; the lines
    /// of the events and the step's log file.
    static func run(_ bytes: [UInt8], cuts: [Int], secrets: [String] = [secret],
                    stream: OutputLine.Stream = .stdout) throws -> Result {
        let dir = TempDir(); defer { dir.cleanup() }
        let state = try StateDir(path: dir.path + "/state")
        let step = Step(id: "s@h", layer: .hosts, host: "h", title: "t", check: nil, apply: "x")
        let hub = RunEventHub()
        let seen = Locked<[OutputLine]>([])
        hub.observe { e in if case .output(let o) = e { seen.withLock { $0 += o.lines } } }
        let logs = LogStore(stateDir: state)
        let ctx = StepContext(transport: LocalTransport(), secrets: SecretValues(), redactor: Redactor(secrets: secrets),
                              logs: logs, hub: hub, stateDir: state, options: Runner.Options(), isStopping: { false },
                              entered: { _ in })
        let handler = Runner.linesHandler(step, .apply, ctx)
        var framer = StreamFramer()
        framer.begin(marker: marker)
        let all = bytes + Array("\n\(marker) 0\n".utf8)
        var at = 0
        for cut in (cuts.filter { $0 > 0 && $0 < all.count } + [all.count]) where cut > at {
            var pieces: [StreamFramer.Piece] = []
            _ = framer.feed(Array(all[at..<cut]), into: &pieces)
            for piece in pieces { handler(RawLines(stream: stream, bytes: piece.bytes, ranges: piece.lines, time: Date())) }
            at = cut
        }
        logs.endAttempt(stepID: step.id, host: step.host)
        let log = logs.fullText(host: "h", stepID: step.id) ?? ""
        var lines: [OutputLine.Stream: [String]] = [:]
        for l in seen.withLock({ $0 }) { lines[l.stream, default: []].append(l.text) }
        return Result(lines: lines, log: log)
    }

    /// The whole stream's lines, each cleaned as text (what the runner did before it cleaned bytes).
    static func expected(_ bytes: [UInt8], secrets: [String] = [secret]) -> [String] {
        let r = Redactor(secrets: secrets)
        var events: [StreamFramer.Event] = []
        var f = StreamFramer()
        f.begin(marker: marker)
        f.feed(bytes + Array("\n\(marker) 0\n".utf8), into: &events)
        return events.compactMap { if case .line(let t) = $0 { r.cleanOutputLine(t) } else { nil } }
    }

    /// Cut once at every byte boundary, and a byte at a time.
    static func checkEveryCut(_ text: [UInt8], secrets: [String] = [secret], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let want = expected(text, secrets: secrets)
        let whole = try run(text, cuts: [], secrets: secrets)
        #expect(whole.lines[.stdout] ?? [] == want, sourceLocation: sourceLocation)
        #expect(whole.log.contains(want.map { "  " + $0 + "\n" }.joined()), sourceLocation: sourceLocation)
        for cut in 1..<(text.count + 1) {
            #expect(try run(text, cuts: [cut], secrets: secrets) == whole, "cut at \(cut)", sourceLocation: sourceLocation)
        }
        #expect(try run(text, cuts: Array(1..<(text.count + 20)), secrets: secrets) == whole, "a byte at a time",
                sourceLocation: sourceLocation)
        for s in secrets { #expect(!whole.log.contains(s), sourceLocation: sourceLocation) }
        #expect(!whole.log.contains("\u{1B}") && !whole.log.contains("\r"), sourceLocation: sourceLocation)
    }

    @Test func aSecretSplitAtEveryByteBoundary() throws {
        try Self.checkEveryCut(Array("before\nthe value \(Self.secret) in a line\n\(Self.secret)\nafter\n".utf8))
    }

    @Test func escapesSplitAcrossReads() throws {
        try Self.checkEveryCut(Array("\u{1B}[31mred\u{1B}[0m\n\u{1B}]0;title\u{07}x\n\u{9B}2Jy\nXy-9\u{1B}[0m!s3cr3t\n".utf8))
    }

    @Test func carriageReturnsSplitAcrossReads() throws {
        try Self.checkEveryCut(Array("progress 10%\r\(Self.secret)\r\ndone\r\n\r\r\nlast\r".utf8))
    }

    @Test func invalidUTF8SplitAcrossReads() throws {
        let bytes: [UInt8] = Array("caf".utf8) + [0xC3, 0xA9] + [0x0A, 0xFF, 0x61, 0xC3, 0x0A, 0xE2, 0x82, 0xAC, 0xE2, 0x82, 0x0A]
            + Array(Self.secret.utf8) + [0xC2, 0x9B] + Array("0m\n".utf8)
        try Self.checkEveryCut(bytes)
    }

    @Test func noSecretsPlainFlood() throws {
        let text = (0..<200).map { "flood line \($0) " + String(repeating: "x", count: $0 % 40) + "\n" }.joined()
        let bytes = Array(text.utf8)
        let whole = try Self.run(bytes, cuts: [], secrets: [])
        #expect(whole.lines[.stdout] == Self.expected(bytes, secrets: []))
        var rng = SplitMix64(state: 7)
        for _ in 0..<20 {
            let cuts = (0..<30).map { _ in Int.random(in: 1..<bytes.count, using: &rng) }.sorted()
            #expect(try Self.run(bytes, cuts: cuts, secrets: []) == whole)
        }
    }

    @Test func stderrLinesAreMarkedInTheLog() throws {
        let r = try Self.run(Array("one\ntwo \(Self.secret)\n".utf8), cuts: [5], stream: .stderr)
        #expect(r.lines[.stderr] == ["one", "two ****"])
        #expect(r.log.contains("! one\n! two ****\n"))
    }
}

