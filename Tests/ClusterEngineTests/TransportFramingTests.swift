@testable import ClusterEngine
import Testing

struct TransportFramingTests {
    let marker = "__JC_" + String(repeating: "ab", count: 16)

    func frame(_ chunks: [String]) -> [StreamFramer.Event] {
        var f = StreamFramer()
        f.begin(marker: marker)
        var events: [StreamFramer.Event] = []
        for c in chunks { f.feed(Array(c.utf8), into: &events) }
        return events
    }

    @Test func markerAfterTrailingNewlineDropsTheWrappersEmptyLine() {
        #expect(frame(["abc\n", "\n\(marker) 0\n"]) == [.line("abc"), .marker(status: 0)])
    }

    @Test func markerAfterPartialLineEndsIt() {
        #expect(frame(["abc", "\n\(marker) 12\n"]) == [.line("abc"), .marker(status: 12)])
    }

    @Test func noOutput() {
        #expect(frame(["\n\(marker) 0\n"]) == [.marker(status: 0)])
    }

    @Test func blankLinesArePreserved() {
        #expect(frame(["a\n\n\nb\n\n", "\n\(marker) 1\n"]) == [.line("a"), .line(""), .line(""), .line("b"), .line(""), .marker(status: 1)])
        #expect(frame(["\n", "\n\(marker) 0\n"]) == [.line(""), .marker(status: 0)])
    }

    @Test func carriageReturnsAreTrimmedAtLineEnds() {
        #expect(frame(["a\r\nb\rc\r\n\n\(marker) 0\n"]) == [.line("a"), .line("b\rc"), .marker(status: 0)])
    }

    @Test func chunksSplitAnywhere() {
        let text = "one\ntwo\n\n\(marker) 5\n"
        let bytes = Array(text.utf8)
        var f = StreamFramer()
        f.begin(marker: marker)
        var events: [StreamFramer.Event] = []
        for b in bytes { f.feed([b], into: &events) }
        #expect(events == [.line("one"), .line("two"), .marker(status: 5)])
    }

    @Test func otherMarkersAndNearMissesAreOutput() {
        let other = "__JC_" + String(repeating: "cd", count: 16)
        #expect(frame(["\(other) 0\n\(marker) x\n\(marker)  1\n\(marker) 1 \n", "\n\(marker) 0\n"])
                == [.line("\(other) 0"), .line("\(marker) x"), .line("\(marker)  1"), .line("\(marker) 1 "), .marker(status: 0)])
    }

    @Test func longLinesAreCutAtUTF8Boundaries() {
        let a = String(repeating: "a", count: StreamFramer.maxLine - 1) + "é" + "bc"  // é straddles the cut
        let events = frame([a, "\n\(marker) 0\n"])
        guard events.count == 3, case .line(let first) = events[0], case .line(let second) = events[1] else {
            Issue.record("\(events.count) events"); return
        }
        #expect(first.utf8.count == StreamFramer.maxLine - 1)
        #expect(second == "ébc")
        #expect(!first.contains("\u{FFFD}"))
    }

    @Test func outputBetweenCommandsIsDropped() {
        var f = StreamFramer()
        var events: [StreamFramer.Event] = []
        f.feed(Array("stray\n".utf8), into: &events)
        #expect(events.isEmpty)
    }

    @Test func flushDeliversAPartialLine() {
        var f = StreamFramer()
        f.begin(marker: marker)
        var events: [StreamFramer.Event] = []
        f.feed(Array("x\npartial".utf8), into: &events)
        f.flush(into: &events)
        #expect(events == [.line("x"), .line("partial")])
    }

    @Test func byteSearch() {
        #expect(ByteSearch.find(Array("lo".utf8), in: Array("hello".utf8)) == 3)
        #expect(ByteSearch.find(Array("xx".utf8), in: Array("hello".utf8)) == nil)
        #expect(ByteSearch.find(Array("l".utf8), in: Array("hello".utf8), from: 3) == 3)
    }

    @Test func acceptOptionParsing() {
        #expect(HostKeys.parseAcceptOption("app1=SHA256:abc")?.fingerprint == "SHA256:abc")
        #expect(HostKeys.parseAcceptOption("app1=MD5:abc") == nil)
        #expect(HostKeys.parseAcceptOption("=SHA256:abc") == nil)
        #expect(HostKeys.knownName(host: "h", port: 22) == "h")
        #expect(HostKeys.knownName(host: "h", port: 2222) == "[h]:2222")
    }
}

struct TransportErrorClassificationTests {
    @Test func sshAndSudoFailuresNameTheirCause() {
        #expect(ShellChannel.classify(host: "h", status: 255, stderr: "jc@x: Permission denied (publickey).\n", elevated: .none)
                == .authenticationFailed(host: "h", detail: "jc@x: Permission denied (publickey)."))
        if case .sudoFailed = ShellChannel.classify(host: "h", status: 1, stderr: "sudo: a password is required\n", elevated: .sudo) {} else {
            Issue.record("sudo -n failure")
        }
        if case .unreachable = ShellChannel.classify(host: "h", status: 255, stderr: "ssh: connect to host x port 22: Connection refused\n", elevated: .sudo) {} else {
            Issue.record("refused")
        }
        if case .changedHostKey = ShellChannel.classify(host: "h", status: 255, stderr: "Host key verification failed.\n", elevated: .none) {} else {
            Issue.record("host key")
        }
    }

    @Test func elevationPrefixes() {
        #expect(Elevation.none.prefix(prompt: "P") == [])
        #expect(Elevation.sudo.prefix(prompt: "P") == ["sudo", "-n", "--"])
        #expect(Elevation.sudoPassword("pw").prefix(prompt: "P") == ["sudo", "-S", "-p", "P", "--"])
    }
}
