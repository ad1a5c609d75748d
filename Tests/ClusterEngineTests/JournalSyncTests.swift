import ClusterCore
@testable import ClusterEngine
import Foundation
import TestSupport
import Testing

/// The journal's group commit: a record is in the kernel when `append` returns (a kill of the
/// wizard cannot lose it), and on disk once `sync` returns; records appended from many tasks at
/// once stay whole lines.
@Suite struct JournalSyncTests {
    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func aRecordIsInTheFileWhenAppendReturnsBeforeAnySync() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.path + "/journal.jsonl"
        let j = try Journal(path: path)
        defer { j.close() }
        try j.append(.stepStart("s1", host: "a", phase: .check, attempt: 1))
        // Read through a descriptor of its own: what another process would see after a kill -9.
        let seen = try lines(path)
        #expect(seen.count == 1)
        #expect(seen.first?.contains("\"step\":\"s1\"") == true)
        try j.sync()
        #expect(try Journal.load(path: path).steps["s1"]?.status == .interrupted)
    }

    @Test(arguments: [false, true]) func recordsFromManyTasksAtOnceStayWholeLines(syncEach: Bool) async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.path + "/journal.jsonl"
        let j = try Journal(path: path, syncEachRecord: syncEach)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<8 {
                group.addTask {
                    for i in 0..<25 { try j.append(.stepStart("s\(t)-\(i)", host: "h\(t)", phase: .check, attempt: 1)) }
                }
            }
            try await group.waitForAll()
        }
        try j.sync()
        j.close()
        let state = try Journal.load(path: path)
        #expect(state.steps.count == 200)
        #expect(try lines(path).count == 200)
    }

    @Test func appendAfterCloseThrowsAndCloseTwiceIsHarmless() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let j = try Journal(path: dir.path + "/journal.jsonl")
        try j.append(.runHeader(answersHash: "h", plan: Plan(steps: [])))
        j.close()
        j.close()
        #expect(throws: JournalError.self) { try j.append(.runHeader(answersHash: "h", plan: Plan(steps: []))) }
        #expect(try lines(dir.path + "/journal.jsonl").count == 1)
    }
}
