@testable import ClusterCore
import Foundation
import Testing
import TestSupport

/// The redactor's fast paths (plain text returned as it is) against the full work, on random and
/// hostile text: they must agree on every input.
@Suite struct RedactorEquivalenceTests {
    /// The full work, without any fast path: what the redactor did before it had them.
    struct Reference {
        let redactor: Redactor
        func redact(_ t: String) -> String { redactor.redactSearching(t) }
        static func sanitize(_ t: String) -> String { Redactor.sanitizeScalars(t) }
        static func visible(_ t: String) -> String {
            guard t.contains("\r") else { return t }
            return t.split(separator: "\r", omittingEmptySubsequences: true).last.map(String.init) ?? ""
        }
        func clean(_ t: String) -> String { redact(Reference.sanitize(t)) }
        func cleanOutputLine(_ t: String) -> String { clean(Reference.visible(redact(t))) }
    }

    /// Pieces of hostile text: controls, escape sequences, C1, carriage returns, canonically
    /// equivalent forms (Kelvin sign and K, Greek question mark and `;`, é composed and not),
    /// combining marks, wide and multi-scalar characters, the mask's own `*`.
    static let pieces: [String] = [
        "a", "b", "K", "k", ";", " ", "x", "0", "9", "*", "**", "'", "\\", "=", "\"", "é", "e",
        "\t", "\r", "\u{0}", "\u{7}", "\u{8}", "\u{1B}", "\u{7F}", "\u{80}", "\u{85}", "\u{9B}", "\u{9F}", "\u{A0}",
        "\u{1B}[", "\u{1B}[31m", "\u{1B}[0m", "\u{1B}]0;t\u{7}", "\u{1B}]8;;u\u{1B}\\", "\u{1B}(B", "\u{1B}P", "\u{9B}2J",
        "[", "]", "m", "P", "_", "^", "X", "(",
        "\u{212A}", "\u{37E}", "\u{1FEF}", "`", "\u{301}", "e\u{301}", "\u{E9}", "\u{200B}", "\u{FFFD}",
        "漢", "字", "🙂", "🇸", "🇫", "👩‍👩‍👧", "s3", "cret", "s3cret", "pw", "pa ss",
    ]

    static let fixedSecrets: [String] = [
        "s3cret", "K;", "\u{212A};", "e\u{301}x", "\u{E9}x", "*", "**", "a", "pa ss", "x\ry", "s3\u{1B}[0mcret",
        "'it'\\''s'", "a\\=b", "漢字", "🙂pw", "\u{37E}\u{37E}", "`q", "\u{1FEF}q",
    ]

    static func randomText(_ rng: inout SplitMix64, maxPieces: Int = 14, from pieces: [String] = pieces) -> String {
        let n = Int.random(in: 0...maxPieces, using: &rng)
        return (0..<n).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    /// Secrets never hold a NUL here: Foundation's search stops a needle at one and may then crash
    /// (fast and slow path alike: the filter sends such text to the full search).
    static let secretPieces = pieces.filter { !$0.contains("\u{0}") }

    static func check(_ r: Redactor, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let ref = Reference(redactor: r)
        #expect(Redactor.sanitize(text) == Reference.sanitize(text), "sanitize \(text.debugDescription)", sourceLocation: sourceLocation)
        #expect(r.redact(text) == ref.redact(text), "redact \(text.debugDescription)", sourceLocation: sourceLocation)
        #expect(r.clean(text) == ref.clean(text), "clean \(text.debugDescription)", sourceLocation: sourceLocation)
        #expect(Redactor.visibleAfterCarriageReturns(text) == Reference.visible(text), "visible \(text.debugDescription)",
                sourceLocation: sourceLocation)
        #expect(r.cleanOutputLine(text) == ref.cleanOutputLine(text), "line \(text.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test func fastPathsAgreeOnRandomText() {
        var rng = SplitMix64(state: 0x5EED)
        for round in 0..<4_000 {
            // Fixed secrets, random ones made of the same hostile pieces, or none.
            var secrets: [String] = []
            switch round % 3 {
            case 0: secrets = Self.fixedSecrets
            case 1: secrets = (0..<Int.random(in: 1...4, using: &rng)).map { _ in Self.randomText(&rng, maxPieces: 3, from: Self.secretPieces) }
            default: break
            }
            let r = Redactor(secrets: secrets)
            for _ in 0..<4 {
                var text = Self.randomText(&rng)
                // Often hide a secret inside, whole or with a piece of hostile text in the middle.
                if let s = secrets.randomElement(using: &rng), Bool.random(using: &rng) {
                    var inner = s
                    if Bool.random(using: &rng), inner.count > 1 {
                        let cut = inner.index(inner.startIndex, offsetBy: Int.random(in: 1..<inner.count, using: &rng))
                        inner.insert(contentsOf: Self.pieces.randomElement(using: &rng)!, at: cut)
                    }
                    text = Self.randomText(&rng, maxPieces: 4) + inner + Self.randomText(&rng, maxPieces: 4)
                }
                Self.check(r, text)
            }
        }
    }

    @Test func fastPathsAgreeOnHostileText() {
        let r = Redactor(secrets: Self.fixedSecrets)
        let none = Redactor(secrets: [])
        let texts = [
            "", "plain line of text 0123456789", "tab\tseparated", "ends with cr\r", "\r\r\r", "a\rb\r", "\r\u{301}x",
            "K; in ascii", "k; lower", "\u{212A}; kelvin", "caf\u{E9}x", "cafe\u{301}x", "cafex", "\u{E9}", "e\u{301}",
            "mask **** already", "*", "***", "s3\u{1B}[0mcret", "\u{1B}[1ms3cret\u{1B}[0m", "s3cr\u{9B}0met",
            "progress 10%\rs3cret\r", "x\ry", "x\u{1B}[0m\ry", "'it'\\''s'", "a\\=b", "漢字 wide", "🙂pw", "\u{37E}\u{37E}",
            ";;", "`q", "\u{1FEF}q", String(repeating: "x", count: 300), String(repeating: "s3cret", count: 50),
            "\u{85}next line", "\u{A0}nbsp", "\u{7F}", "seven bytes", "eight!!!", "nine!!!!!", "1234567\u{1B}", "12345678\u{1B}",
        ]
        for t in texts {
            Self.check(r, t)
            Self.check(none, t)
        }
    }

    @Test func theFilterSendsNeedlesAFoundationSearchWouldFindToIt() {
        func maybe(_ needles: [String], _ text: String) -> Bool {
            var t = text
            return t.withUTF8 { ASCIINeedleFilter(needles).mayOccur(in: $0) }
        }
        #expect(maybe(["s3cret"], "x s3cret y") && !maybe(["s3cret"], "x s3cre t y"))
        #expect(maybe(["\u{212A};"], "K;"), "the Kelvin sign is a K to Foundation")
        #expect(maybe(["a\u{37E}"], "a;"), "so is the Greek question mark a ;")
        #expect(maybe(["b\u{0}x"], "ab"), "Foundation stops a needle at NUL")
        #expect(maybe(["x"], "x") && maybe(["x"], "ax") && !maybe(["x"], "ab"))
        #expect(!maybe(["\u{E9}"], "e") && !maybe([], "anything"))
    }

    @Test func cleanedLinesHoldNoControlsAndNoSecret() {
        var rng = SplitMix64(state: 42)
        let r = Redactor(secrets: ["s3cret", "pa ss"])
        for _ in 0..<5_000 {
            let line = r.cleanOutputLine(Self.randomText(&rng))
            #expect(!line.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t") || (0x7F...0x9F).contains($0.value) },
                    "\(line.debugDescription)")
            #expect(!line.contains("s3cret") && !line.contains("pa ss"), "\(line.debugDescription)")
        }
        // A secret split by an escape sequence is masked once the sequence is gone.
        #expect(r.cleanOutputLine("s3\u{1B}[0mcret") == "****")
        #expect(r.cleanOutputLine("pa\u{1B}]0;t\u{7} ss!") == "****!")
        #expect(r.cleanOutputLine("10%\rs3cret\r") == "****")
        // A plain line comes back as it is.
        #expect(r.cleanOutputLine("flood line 000000001 xxxx") == "flood line 000000001 xxxx")
    }
}
