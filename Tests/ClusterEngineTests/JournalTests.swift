import ClusterCore
@testable import ClusterEngine
import Foundation
import TestSupport
import Testing

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        ("The quick brown fox jumps over the lazy dog",
         "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256Hex.of(input) == digest)
    }

    /// A million "a"s from a file, and 3.5 million (three reads of 1 MB and a short one).
    @Test func oneMillionAsFromAFile() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        try Data(repeating: UInt8(ascii: "a"), count: 1_000_000).write(to: URL(fileURLWithPath: dir.path + "/a"))
        #expect(try await SHA256Hex.ofFile(path: dir.path + "/a", host: "local") == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        try Data(repeating: UInt8(ascii: "a"), count: 3_500_000).write(to: URL(fileURLWithPath: dir.path + "/b"))
        #expect(try await SHA256Hex.ofFile(path: dir.path + "/b", length: 1_000_000, host: "local")
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "the first million bytes")
        #expect(try await SHA256Hex.ofFile(path: dir.path + "/b", host: "local")
                == SHA256Hex.of(bytes: [UInt8](repeating: UInt8(ascii: "a"), count: 3_500_000)))
        await #expect(throws: TransportError.self) { try await SHA256Hex.ofFile(path: dir.path + "/none", host: "local") }
    }

    /// Every length around the 55/56/64-byte padding edges, against the system's sha256sum.
    @Test func paddingEdgesMatchSha256sum() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum") else { return }
        let dir = TempDir(); defer { dir.cleanup() }
        for length in [1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let path = dir.path + "/f\(length)"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let out = Program.run(["/usr/bin/sha256sum", path]).output
            #expect(SHA256Hex.of(bytes: bytes) == String(out.prefix(64)), "length \(length)")
        }
    }

    @Test func answersHashIsOfTheCanonicalText() {
        var answers = Answers()
        answers.cluster = "prod"
        #expect(Journal.answersHash(answers) == SHA256Hex.of(AnswersFile.encode(answers)))
        var other = answers
        other.cluster = "test"
        #expect(Journal.answersHash(answers) != Journal.answersHash(other))
    }
}

@Suite struct JournalTests {
    /// Found by the lab: upgrade (answers A), rollback (B), upgrade again (A) killed half way; the
    /// resume must not trust steps the rollback finished, though the answers are A again.
    @Test func stepsDoneUnderOtherAnswersAreNotTrusted() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let j = try Journal(path: dir.path + "/journal.jsonl")
        let plan = Plan(steps: [fakeStep("s1", host: "a"), fakeStep("s2", host: "a")])
        func done(_ id: String) throws {
            try j.append(.stepStart(id, host: "a", phase: .check, attempt: 1))
            try j.append(.stepEnd(StepOutcome(stepID: id, host: "a", status: .done, exitCode: 0), phase: .apply))
        }
        try j.append(.runHeader(answersHash: "A", plan: plan)); try done("s1"); try done("s2")
        try j.append(.runHeader(answersHash: "B", plan: plan)); try done("s1"); try done("s2")
        try j.append(.runHeader(answersHash: "A", plan: plan)); try done("s1")
        let state = try Journal.load(path: dir.path + "/journal.jsonl")
        #expect(state.status(of: "s1") == .done)
        #expect(state.status(of: "s2") == nil, "s2 was done for answers B, not for this run's A")
        // The same answers run after run keep what earlier runs finished.
        try j.append(.runHeader(answersHash: "A", plan: plan))
        #expect(try Journal.load(path: dir.path + "/journal.jsonl").status(of: "s1") == .done)
    }

    func sample(_ path: String) throws {
        let j = try Journal(path: path)
        try j.append(.runHeader(answersHash: "h1", plan: Plan(steps: [fakeStep("a1", host: "a")])))
        try j.append(.stepStart("a1", host: "a", phase: .check, attempt: 1))
        try j.append(.stepEnd(StepOutcome(stepID: "a1", host: "a", status: .failed("apply exited with status 2"), exitCode: 2,
                                          duration: .milliseconds(1500), check: .failed), phase: .apply))
        try j.append(.stepStart("a1", host: "a", phase: .check, attempt: 2))
        try j.append(.stepEnd(StepOutcome(stepID: "a1", host: "a", status: .done, exitCode: 0,
                                          duration: .milliseconds(250), check: .failed, attempt: 2), phase: .apply))
        try j.append(.stepEnd(StepOutcome(stepID: "b1", host: "b", status: .blocked(by: "x"), check: .notRun, attempt: 0), phase: nil))
        j.close()
    }

    @Test func roundTripAndSummary() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.path + "/journal.jsonl"
        try sample(path)
        var info = stat()
        stat(path, &info)
        #expect(Int(info.st_mode) & 0o777 == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 6)
        #expect(text.hasSuffix("\n"))
        let state = try Journal.load(path: path)
        #expect(state.answersHash == "h1")
        #expect(state.runs == 1)
        #expect(!state.runFinished)
        #expect(state.order == ["a1", "b1"])
        let a1 = try #require(state.steps["a1"])
        #expect(a1.status == .done && a1.attempts == 2 && a1.durationMs == 250 && a1.exitCode == 0 && a1.check == .failed)
        #expect(state.steps["b1"]?.status == .blocked(by: "x"))
        #expect(state.messages.isEmpty)
    }

    @Test func startWithoutEndIsInterruptedEvenAcrossRuns() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.path + "/journal.jsonl"
        let j = try Journal(path: path)
        try j.append(.runHeader(answersHash: "h1", plan: Plan(steps: [])))
        try j.append(.stepStart("a1", host: "a", phase: .check, attempt: 1))
        try j.append(.runHeader(answersHash: "h2", plan: Plan(steps: [])))
        try j.append(.runEnd(RunSummary(outcomes: [], remaining: [], stopped: false, duration: .seconds(1))))
        let state = try Journal.load(path: path)
        #expect(state.steps["a1"]?.status == .interrupted)
        #expect(state.answersHash == "h2" && state.runs == 2 && state.runFinished && state.runComplete)
    }

    @Test func cutOffLastLineIsRepaired() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.path + "/journal.jsonl"
        try sample(path)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        // Power loss in the middle of the next record.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"kind":"start","step":"a"#.utf8))
        try handle.close()
        let state = try Journal.load(path: path)
        #expect(state.messages.count == 1)
        #expect(state.messages[0].contains("cut off"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == whole)
        #expect(state.steps["a1"]?.status == .done)
        // Appending after the repair gives a well-formed file.
        let j = try Journal(path: path)
        #expect(j.repairMessage == nil)
        try j.append(.stepStart("c1", host: "c", phase: .apply, attempt: 1))
        #expect(try Journal.load(path: path).steps["c1"]?.status == .interrupted)
    }

    @Test func openingForAppendRepairsToo() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.path + "/journal.jsonl"
        try Data("{\"kind\":\"ru".utf8).write(to: URL(fileURLWithPath: path))
        let j = try Journal(path: path)
        #expect(j.repairMessage != nil)
        try j.append(.runHeader(answersHash: "h", plan: Plan(steps: [])))
        #expect(try Journal.load(path: path).runs == 1)
    }

    @Test func corruptMiddleLineIsBackedUpAndNamed() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.path + "/journal.jsonl"
        try sample(path)
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = "{\"kind\": garbage"
        let damaged = lines.joined(separator: "\n") + "\n"
        try damaged.write(toFile: path, atomically: false, encoding: .utf8)
        do {
            _ = try Journal.load(path: path)
            Issue.record("a damaged journal must not load")
        } catch let JournalError.corrupt(p, line, backup) {
            #expect(p == path && line == 3)
            #expect(backup.hasPrefix(path + ".corrupt-"))
            #expect(try String(contentsOfFile: backup, encoding: .utf8) == damaged)
            #expect(JournalError.corrupt(path: p, line: line, backup: backup).description.contains("line 3"))
        }
        // The file itself is left alone, and opening it for a run refuses too.
        #expect(try String(contentsOfFile: path, encoding: .utf8) == damaged)
        #expect(throws: JournalError.self) { try Journal(path: path) }
    }

    @Test func missingJournalIsEmpty() throws {
        let state = try Journal.load(path: "/nonexistent/journal.jsonl")
        #expect(state.isEmpty && state.runs == 0)
    }

    @Test func recordsAreSingleLinesWithSortedKeys() throws {
        var r = JournalRecord.stepStart("db.create@db", host: "db", phase: .check, attempt: 1)
        r.reason = "line1\nline2"
        let line = String(decoding: r.encodedLine(), as: UTF8.self)
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
        #expect(line.hasPrefix(#"{"attempt":1,"host":"db","kind":"start""#))
    }

    /// The hand-written time is the ISO 8601 formatter's, to the millisecond, for times around now
    /// and across years, and reads back.
    @Test func recordTimesAreWhatTheISOFormatterWrites() {
        var generator = SystemRandomNumberGenerator()
        let now = Date().timeIntervalSinceReferenceDate
        var times = [0, 0.0005, 0.9995, 0.999_999_9, -0.0001, 86_400 * 365 * 30 - 0.0004, now, now.rounded(.down), now.rounded(.down) + 0.001]
        for _ in 0..<5_000 { times.append(Double.random(in: 0...(now * 1.5), using: &generator)) }
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        for t in times {
            let date = Date(timeIntervalSinceReferenceDate: t)
            #expect(JournalTime.format(date) == date.formatted(style), "at \(t)")
        }
        let now2 = Date()
        #expect(abs((JournalTime.parse(JournalTime.format(now2))?.timeIntervalSince(now2) ?? 9)) < 0.001)
    }

    /// The hand-written line is byte for byte what JSONEncoder writes, for every kind of record and
    /// every field, with texts that need escaping; and it reads back as the same record.
    @Test func recordLinesAreWhatJSONEncoderWrites() throws {
        let hostile = ["", "plain", "quote \" and back\\slash", "a/b", "tab\tnew\nline\rcr", "\u{0}\u{1}\u{8}\u{c}\u{1f}\u{7f}",
                       "é ü ☃ 🚀", "\u{2028}\u{2029}", "{\"kind\":\"end\"}"]
        var records: [JournalRecord] = []
        for text in hostile {
            let plan = Plan(steps: [Step(id: "s@" + text, layer: .hosts, host: text, title: "t", check: nil, apply: "true")])
            records.append(.runHeader(answersHash: text, plan: plan))
            records.append(.stepStart("s@" + text, host: text, phase: .apply, attempt: 3))
            for status: StepStatus in [.done, .alreadyDone, .failed(text), .skipped, .interrupted, .blocked(by: text)] {
                let outcome = StepOutcome(stepID: text, host: "h", status: status, exitCode: -2, duration: .milliseconds(1234),
                                          check: .failed, attempt: 2)
                records.append(.stepEnd(outcome, phase: .verify))
            }
            var end = JournalRecord(kind: .runEnd)
            end.complete = false; end.stopped = true; end.remaining = 0; end.durationMs = Int.max
            records.append(end)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for r in records {
            var expected = try encoder.encode(r)
            expected.append(0x0A)
            let line = r.encodedLine()
            #expect(String(decoding: line, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
            #expect(try JSONDecoder().decode(JournalRecord.self, from: line) == r)
        }
    }
}

@Suite struct StateDirTests {
    @Test func defaultPathFollowsXDG() throws {
        #expect(try StateDir.defaultPath(cluster: "prod", environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/home/u"])
                == "/x/state/joget-cluster/prod")
        #expect(try StateDir.defaultPath(cluster: "prod", environment: ["HOME": "/home/u"]) == "/home/u/.local/state/joget-cluster/prod")
        // A relative XDG_STATE_HOME is ignored, as the spec says.
        #expect(try StateDir.defaultPath(cluster: "prod", environment: ["XDG_STATE_HOME": "rel", "HOME": "/home/u"])
                == "/home/u/.local/state/joget-cluster/prod")
        #expect(throws: StateDirError.self) { try StateDir.defaultPath(cluster: "../etc", environment: ["HOME": "/h"]) }
        #expect(throws: StateDirError.self) { try StateDir.defaultPath(cluster: "", environment: ["HOME": "/h"]) }
    }

    @Test func createdPrivate() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let state = try StateDir(cluster: "c1", environment: ["XDG_STATE_HOME": dir.path])
        #expect(state.path == dir.path + "/joget-cluster/c1")
        for p in [state.path, dir.path + "/joget-cluster"] {
            var info = stat()
            #expect(stat(p, &info) == 0)
            #expect(Int(info.st_mode) & 0o777 == 0o700)
        }
        #expect(state.journalPath == state.path + "/journal.jsonl")
        #expect(state.answersPath.hasSuffix("/answers.yaml") && state.knownHostsPath.hasSuffix("/known_hosts"))
        let override = try StateDir(cluster: "c1", override: dir.path + "/elsewhere", environment: [:])
        #expect(override.path == dir.path + "/elsewhere")
    }

    @Test func lockIsExclusiveUntilReleased() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let state = try StateDir(path: dir.path + "/s")
        var first: StateDirLock? = try StateDirLock(state)
        #expect(throws: StateDirLockError.busy(state.path)) { try StateDirLock(state) }
        first?.release()
        let second = try StateDirLock(state)
        second.release()
        first = nil
        _ = try StateDirLock(state)
        #expect(StateDirLockError.busy("/x").description.contains("another joget-cluster run is using /x"))
    }

    /// Two runs on one journal would each start what the other is finishing: the second is refused
    /// until the first runner is gone.
    @Test func aSecondRunnerOnTheSameStateFolderIsRefused() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("assets/examples/two-node.yaml").path
        let session = try InstallSession(answers: try AnswersFile.load(path: example), stateDirectory: dir.path + "/s")
        let pool = session.pool(secrets: SecretValues())
        var first: Runner? = try session.runner(secrets: SecretValues(), pool: pool, resume: true)
        #expect(first != nil)
        #expect(throws: StateDirLockError.busy(session.stateDir.path)) {
            try session.runner(secrets: SecretValues(), pool: pool, resume: true)
        }
        first = nil
        #expect(throws: Never.self) { try session.runner(secrets: SecretValues(), pool: pool, resume: false) }
    }

    @Test func namesAndTransferPaths() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let state = try StateDir(path: dir.path + "/s")
        #expect(state.logPath(host: "db", stepID: "db.create-database@db") == state.path + "/logs/db/db.create-database@db.log")
        #expect(state.logPath(host: "../x", stepID: "a/b") == state.path + "/logs/.._x/a_b.log")
        #expect(StateDir.fileName("..") == "_..")
        #expect(try state.localTransferPath("bundle/x.tgz") == state.path + "/work/bundle/x.tgz")
        #expect(try state.localTransferPath("/abs/x") == "/abs/x")
        #expect(throws: StateDirError.self) { try state.localTransferPath("../../etc/passwd") }
    }
}
