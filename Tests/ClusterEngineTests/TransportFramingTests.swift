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

/// The framer against a plain reference (the whole stream in one buffer, scanned a byte at a time),
/// with the stream cut into random chunks: same events whatever the cuts.
struct TransportFramingChunkTests {
    let marker = "__JC_" + String(repeating: "ef", count: 16)

    /// Splits on `\n` (trimming one `\r`), cuts a longer line every `maxLine` bytes at a UTF-8
    /// boundary, holds empty lines until it is known whether the marker follows.
    static func reference(_ bytes: [UInt8], marker: [UInt8]) -> [StreamFramer.Event] {
        var events: [StreamFramer.Event] = []
        var held = false
        var done = false
        func emit(_ line: ArraySlice<UInt8>) {
            if held { held = false; events.append(.line("")) }
            events.append(.line(String(decoding: line, as: UTF8.self)))
        }
        var start = 0
        while start < bytes.count, !done {
            let newline = bytes[start...].firstIndex(of: 0x0A)
            if let newline, newline - start <= StreamFramer.maxLine {
                var end = newline
                if end > start, bytes[end - 1] == 0x0D { end -= 1 }
                let line = bytes[start..<end]
                start = newline + 1
                let text = String(decoding: line, as: UTF8.self)
                let parts = text.split(separator: " ", omittingEmptySubsequences: false)
                if parts.count == 2, parts[0].utf8.elementsEqual(marker), !parts[1].isEmpty, parts[1].count <= 10,
                   parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber), let status = Int32(parts[1]) {
                    events.append(.marker(status: status))
                    done = true
                } else if line.isEmpty {
                    if held { events.append(.line("")) }
                    held = true
                } else {
                    emit(line)
                }
            } else if bytes.count - start > StreamFramer.maxLine {
                var cut = start + StreamFramer.maxLine
                var back = 0
                while back < 3, cut > start, bytes[cut] & 0xC0 == 0x80 { cut -= 1; back += 1 }
                if cut == start { cut = start + StreamFramer.maxLine }
                emit(bytes[start..<cut])
                start = cut
            } else {
                break
            }
        }
        return events
    }

    @Test func anyChunkingGivesTheReferenceEvents() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", "line", "\r", "\r\n", "\n", "\n\n", "é", "漢", "🙂", " ", "\t", "\u{1B}[0m", "\(marker) 7", "\(marker) x"]
        for round in 0..<60 {
            var text = ""
            for _ in 0..<Int.random(in: 0...400, using: &rng) { text += pieces.randomElement(using: &rng)! }
            if round % 10 == 0 { text += String(repeating: "xé", count: StreamFramer.maxLine / 2 + 7) }   // a long line
            text += (Bool.random(using: &rng) ? "\n" : "") + "\n\(marker) \(round)\nafter the marker\n"
            let bytes = Array(text.utf8)
            let expected = Self.reference(bytes, marker: Array(marker.utf8))
            var f = StreamFramer()
            f.begin(marker: marker)
            var events: [StreamFramer.Event] = []
            var at = 0
            while at < bytes.count {
                let n = min(bytes.count - at, Int.random(in: 1...(round % 2 == 0 ? 8 : 70_000), using: &rng))
                f.feed(bytes[at..<(at + n)], into: &events)
                at += n
            }
            #expect(events == expected, "round \(round): \(text.prefix(200).debugDescription)")
            if case .marker? = events.last {} else { Issue.record("round \(round): no marker") }
        }
    }
}
