@testable import ClusterCore
import Testing
import TestSupport

/// The byte-level output path (`ByteScan`, `Redactor.appendCleanOutputLine`) against the text one:
/// the same bytes out for every input, hostile and invalid UTF-8 included.
@Suite struct RedactorBytesTests {
    typealias Eq = RedactorEquivalenceTests

    /// What the runner did before it cleaned bytes: the line decoded, then `cleanOutputLine`'s full work.
    static func reference(_ r: Redactor, _ raw: [UInt8]) -> [UInt8] {
        Array(Eq.Reference(redactor: r).cleanOutputLine(String(decoding: raw, as: UTF8.self)).utf8)
    }

    static func cleaned(_ r: Redactor, _ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x21]   // something already there stays
        raw.withUnsafeBufferPointer { r.appendCleanOutputLine($0, to: &out) }
        #expect(out.first == 0x21)
        return Array(out.dropFirst())
    }

    static func check(_ r: Redactor, _ raw: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(cleaned(r, raw) == reference(r, raw), "\(raw)", sourceLocation: sourceLocation)
    }

    @Test func plainASCIIEveryByteAtEveryPlace() {
        // Each byte value alone, and inside plain text at every place of the 32- and 16-byte blocks and the tail.
        var wrong: [String] = []
        for b in 0...255 {
            let byte = UInt8(b)
            let plain = byte >= 0x20 && byte < 0x7F || byte == 0x09
            for newlines in [false, true] {
                let want = plain || newlines && byte == 0x0A
                func scan(_ line: [UInt8]) -> Bool { line.withUnsafeBufferPointer { ByteScan.isPlainASCII($0, newlines: newlines) } }
                if scan([byte]) != want { wrong.append("byte \(b), newlines \(newlines)") }
                for length in [1, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 97] {
                    for at in 0..<length {
                        var line = [UInt8](repeating: 0x61, count: length)
                        line[at] = byte
                        if scan(line) != want { wrong.append("byte \(b) at \(at) of \(length), newlines \(newlines)") }
                    }
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(20))")
        #expect([UInt8]().withUnsafeBufferPointer { ByteScan.isPlainASCII($0) })
    }

    @Test func containsAnyAtEveryPlace() {
        let set: [UInt8] = [0x27, 0x73, 0xC3]
        for length in 0...40 {
            #expect(![UInt8](repeating: 0x61, count: length).withUnsafeBufferPointer { ByteScan.containsAny(of: set, in: $0) })
            for at in 0..<length {
                for b in set + [0x00, 0x72, 0x74, 0xFF] {
                    var line = [UInt8](repeating: 0x61, count: length)
                    line[at] = b
                    let found = line.withUnsafeBufferPointer { ByteScan.containsAny(of: set, in: $0) }
                    #expect(found == set.contains(b), "\(b) at \(at) of \(length)")
                }
            }
        }
        #expect(![UInt8](repeating: 0x27, count: 20).withUnsafeBufferPointer { ByteScan.containsAny(of: [], in: $0) })
    }

    @Test func hostileLinesAsBytes() {
        let redactors = [Redactor(secrets: Eq.fixedSecrets), Redactor(secrets: []), Redactor(secrets: ["s3cret"]),
                         // More first bytes than are looked for at once: every line goes to the filter.
                         Redactor(secrets: (0..<12).map { "\(Character(Unicode.Scalar(0x41 + $0)!))secret\($0)" })]
        var lines: [[UInt8]] = [
            [], Array("plain".utf8), [0xFF], [0xC3], [0xC3, 0xA9], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xC2, 0x9B, 0x33, 0x31, 0x6D], [0xC0, 0xAF], Array("s3cret".utf8) + [0xFF], [0xFF] + Array("s3cret".utf8),
            Array("s3".utf8) + [0x1B, 0x5B, 0x30, 0x6D] + Array("cret".utf8), Array("a\rs3cret\r".utf8), Array("ends\r".utf8),
            Array("Asecret0 and Lsecret11".utf8), Array("'it'\\''s' quoted".utf8), Array("x\u{0}y".utf8),
            Array(String(repeating: "s3cret", count: 20).utf8), Array("\u{212A}; kelvin".utf8),
        ]
        for text in ["", "plain line of text 0123456789", "tab\tseparated", "\u{1B}[31mred\u{1B}[0m", "\u{1B}]0;t\u{7}x",
                     "progress 10%\rs3cret\r", "caf\u{E9}x", "cafe\u{301}x", "漢字 wide", "🙂pw", "mask ****", "\u{7F}",
                     String(repeating: "x", count: 300), "1234567\u{1B}", "12345678\u{1B}", "123456789012345\u{1B}"] {
            lines.append(Array(text.utf8))
        }
        for r in redactors { for line in lines { Self.check(r, line) } }
    }

    @Test func randomBytesAndPieces() {
        var rng = SplitMix64(state: 0xB17E5)
        for round in 0..<3_000 {
            let secrets: [String]
            switch round % 3 {
            case 0: secrets = Eq.fixedSecrets
            case 1: secrets = (0..<Int.random(in: 1...3, using: &rng)).map { _ in Eq.randomText(&rng, maxPieces: 3, from: Eq.secretPieces) }
            default: secrets = []
            }
            let r = Redactor(secrets: secrets)
            // Hostile pieces with stray bytes (invalid UTF-8) between them, or mostly plain text with a secret.
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &rng) {
                if Int.random(in: 0..<4, using: &rng) == 0 {
                    bytes.append(UInt8.random(in: 0...255, using: &rng))
                } else {
                    bytes += Array(Eq.pieces.randomElement(using: &rng)!.utf8)
                }
            }
            Self.check(r, bytes)
            if let s = secrets.randomElement(using: &rng) {
                Self.check(r, Array(("some plain text " + s + " more plain text").utf8))
            }
        }
    }

    /// A read's lines as one region: when the redactor says it leaves them as they are, each line
    /// cleaned on its own is indeed the line itself.
    @Test func aPlainRegionIsPlainLineByLine() {
        var rng = SplitMix64(state: 0x5E610)
        let plainPieces = ["flood line ", "0123456789", "x", " ", "\t", "=", "'", "s3", "cret", "K;", "pa ss", "*"]
        var yes = 0
        for round in 0..<3_000 {
            let r = Redactor(secrets: round % 2 == 0 ? Eq.fixedSecrets : [])
            let lines = (0..<Int.random(in: 1...6, using: &rng)).map { _ in
                Array(Eq.randomText(&rng, maxPieces: 8, from: round % 5 == 0 ? Eq.pieces : plainPieces).utf8)
            }
            let region = Array(lines.joined(separator: [0x0A]))
            guard region.withUnsafeBufferPointer(r.leavesLinesAsTheyAre) else { continue }
            yes += 1
            for line in lines { #expect(Self.cleaned(r, line) == line, "\(line) in \(region)") }
        }
        #expect(yes > 500)
    }
}
