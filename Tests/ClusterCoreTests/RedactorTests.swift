import ClusterCore
import Testing

@Suite struct RedactorTests {
    @Test func masksEverySecretLongestFirst() {
        let r = Redactor(secrets: ["pass", "password123", ""])
        #expect(r.redact("user password123 and pass") == "user **** and ****")
        #expect(r.redact("nothing here") == "nothing here")
    }

    @Test func stripsControlSequencesButKeepsTabsAndText() {
        #expect(Redactor.sanitize("\u{1B}[31mred\u{1B}[0m") == "red")
        #expect(Redactor.sanitize("a\u{1B}]0;title\u{07}b") == "ab")
        #expect(Redactor.sanitize("a\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\b") == "alinkb")
        #expect(Redactor.sanitize("col1\tcol2\r") == "col1\tcol2")
        #expect(Redactor.sanitize("bell\u{07} nul\u{00} del\u{7F}") == "bell nul del")
        #expect(Redactor.sanitize("\u{1B}(Bascii \u{9B}2Jx") == "ascii x")
        #expect(Redactor.sanitize("é 漢字") == "é 漢字")
        #expect(Redactor.sanitize("trailing escape \u{1B}") == "trailing escape ")
    }

    @Test func cleanDoesBoth() {
        let r = Redactor(secrets: ["s3cret"])
        #expect(r.clean("\u{1B}[1ms3cret\u{1B}[0m") == "****")
        // A secret hidden by an escape sequence in the middle is still caught after sanitising.
        #expect(r.clean("s3\u{1B}[0mcret") == "****")
    }
}
