import Testing
@testable import TermUI

@Suite struct TextWidthTests {
    @Test func ascii() {
        #expect("hello".displayWidth == 5)
        #expect(TextWidth.of(Character("\u{7}")) == 0)
    }

    @Test func cjkIsWide() {
        #expect("日本語".displayWidth == 6)
        #expect("한국어".displayWidth == 6)
        #expect("ｆｕｌｌ".displayWidth == 8)   // fullwidth Latin
        #expect("かな".displayWidth == 4)
    }

    @Test func emojiIsWide() {
        #expect("🚀".displayWidth == 2)
        #expect("😀".displayWidth == 2)
        #expect("🇫🇷".displayWidth == 2)          // flag: two regional indicators, one cluster
        #expect("❤️".displayWidth == 2)           // text-default heart with emoji presentation selector
        #expect("👍🏽".displayWidth == 2)          // skin tone modifier
        #expect("👩‍💻".displayWidth == 2)          // ZWJ sequence
    }

    @Test func combiningMarksAreZero() {
        #expect("e\u{301}".displayWidth == 1)    // e + combining acute, one cluster
        #expect("Ame\u{301}lie".displayWidth == 6)
        #expect(TextWidth.of(Unicode.Scalar(0x301)!) == 0)
        #expect(TextWidth.of(Unicode.Scalar(0x200B)!) == 0)
    }

    @Test func narrowSymbols() {
        #expect("─│┌┐└┘├┤".displayWidth == 8)
        #expect("…•✓✗·".displayWidth == 5)
        #expect("é".displayWidth == 1)
    }

    @Test func truncation() {
        #expect(TextLayout.truncate("hello world", to: 8) == "hello w…")
        #expect(TextLayout.truncate("hello", to: 5) == "hello")
        #expect(TextLayout.truncate("hello world", to: 8, ellipsis: "...") == "hello...")
        #expect(TextLayout.truncate("hello", to: 1) == "h")   // no room for text and ellipsis: text wins
        #expect(TextLayout.truncate("ab cdef", to: 4) == "ab…")   // no space before the ellipsis
        #expect(TextLayout.truncate("hello", to: 2, ellipsis: "...") == "he")
        #expect(TextLayout.truncate("hello", to: 0) == "")
        // A wide character never straddles the cut.
        #expect(TextLayout.truncate("日本語テキスト", to: 6) == "日本…")
        #expect(TextLayout.truncate("日本語テキスト", to: 6).displayWidth <= 6)
    }

    @Test func wrapping() {
        #expect(TextLayout.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(TextLayout.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(TextLayout.wrap("a\n\nb", width: 5) == ["a", "", "b"])
        #expect(TextLayout.wrap("日本", width: 1) == ["日", "本"])
        #expect(TextLayout.wrap("x", width: 0) == [])
    }

    @Test func stripsEscapes() {
        #expect(TextLayout.strippingEscapes("\u{1B}[1;32mOK\u{1B}[0m done") == "OK done")
        #expect(TextLayout.strippingEscapes("\u{1B}]0;title\u{7}text") == "text")
        #expect(TextLayout.strippingEscapes("plain") == "plain")
    }
}

/// The fast paths of `TextWidth` against the full work.
@Suite struct TextWidthFastPathTests {
    @Test func commonNarrowSymbolsAsTheirProperties() {
        var wrong: [UInt32] = []
        for v in UInt32(0x2000)...UInt32(0x2FFF) where TextWidth.isCommonNarrow(v) {
            if let s = Unicode.Scalar(v), TextWidth.byProperties(s) != 1 { wrong.append(v) }
        }
        #expect(wrong.isEmpty, "\(wrong.map { String($0, radix: 16) })")
        #expect(!TextWidth.isCommonNarrow(0x25FD) && !TextWidth.isCommonNarrow(0x25FE))
    }

    @Test func asciiTextAsCharacters() {
        // Every ASCII byte alone and in pairs (CR LF is one character), as the character-by-character sum.
        for a in 0..<128 {
            for b in [-1] + Array(0..<128) {
                var bytes = [UInt8(a)]
                if b >= 0 { bytes.append(UInt8(b)) }
                let text = String(decoding: bytes, as: UTF8.self)
                let slow = text.reduce(0) { $0 + TextWidth.of($1) }
                #expect(TextWidth.of(text) == slow, "\(bytes)")
                #expect(TextWidth.of(text[...]) == slow, "\(bytes)")
            }
        }
    }
}
