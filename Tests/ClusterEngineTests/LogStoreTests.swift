import ClusterCore
@testable import ClusterEngine
import Foundation
import Testing

@Suite struct LogStoreTests {
    func line(_ i: Int) -> LogLine { LogLine(stepID: "s", kind: .output(.stdout), text: "line \(i)", time: Date()) }

    @Test func ringKeepsTheNewestByAbsoluteIndex() {
        var ring = LogRing(capacity: 3)
        #expect(ring.bounds == 0..<0 && ring[absolute: 0] == nil)
        for i in 0..<5 { ring.append(line(i)) }
        #expect(ring.bounds == 2..<5 && ring.count == 3 && ring.total == 5)
        #expect(ring[absolute: 1] == nil)
        #expect(ring[absolute: 2]?.text == "line 2")
        #expect(ring[absolute: 4]?.text == "line 4")
        #expect(ring.lines(0..<10).map(\.text) == ["line 2", "line 3", "line 4"])
        #expect(ring.lines(3..<4).map(\.text) == ["line 3"])
    }

    @Test func filesArePrivateAndAttemptsAppend() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let state = try StateDir(path: dir.path + "/s")
        let logs = LogStore(stateDir: state, ringCapacity: 4)
        logs.beginAttempt(stepID: "app.install@app1", host: "app1", attempt: 1)
        logs.phase(stepID: "app.install@app1", host: "app1", .apply)
        logs.append(stepID: "app.install@app1", host: "app1", stream: .stdout, text: "unpacking")
        logs.append(stepID: "app.install@app1", host: "app1", stream: .stderr, text: "warning: x")
        logs.endAttempt(stepID: "app.install@app1", host: "app1")
        logs.beginAttempt(stepID: "app.install@app1", host: "app1", attempt: 2)
        logs.append(stepID: "app.install@app1", host: "app1", stream: .stdout, text: "again")
        logs.endAttempt(stepID: "app.install@app1", host: "app1")

        let path = state.logPath(host: "app1", stepID: "app.install@app1")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[0].contains("attempt 1") && lines[4].contains("attempt 2"))
        #expect(lines[1] == "--- apply ---" && lines[2] == "  unpacking" && lines[3] == "! warning: x" && lines[5] == "  again")
        var info = stat()
        stat(path, &info); #expect(Int(info.st_mode) & 0o777 == 0o600)
        stat(state.logsPath + "/app1", &info); #expect(Int(info.st_mode) & 0o777 == 0o700)
        stat(state.logsPath, &info); #expect(Int(info.st_mode) & 0o777 == 0o700)

        // The ring holds only the last 4 of the 6 lines; the file keeps them all.
        #expect(logs.bounds(host: "app1") == 2..<6)
        #expect(logs.line(host: "app1", at: 5)?.text == "again")
        #expect(logs.tail(host: "app1", count: 2).map(\.text) == [lines[4], "again"])
        #expect(logs.lines(host: "other", 0..<3).isEmpty)
        #expect(logs.hosts == ["app1"])
        #expect(logs.failures.isEmpty)
        #expect(logs.fullText(host: "app1", stepID: "app.install@app1") == text)
    }

    @Test func batchesAreWrittenLikeSingleLines() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let state = try StateDir(path: dir.path + "/s")
        let logs = LogStore(stateDir: state, ringCapacity: 3)
        logs.beginAttempt(stepID: "s", host: "h", attempt: 1)
        logs.append(stepID: "s", host: "h", lines: [OutputLine(stream: .stdout, text: "one"), OutputLine(stream: .stderr, text: "two"),
                                                    OutputLine(stream: .stdout, text: ""), OutputLine(stream: .stdout, text: "ü✓")])
        logs.append(stepID: "s", host: "h", lines: [])
        logs.append(stepID: "s", host: "h", stream: .stdout, text: "five")
        logs.endAttempt(stepID: "s", host: "h")
        let path = state.logPath(host: "h", stepID: "s")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.dropFirst().map(String.init) == ["  one", "! two", "  ", "  ü✓", "  five", ""])
        #expect(logs.bounds(host: "h") == 3..<6)
        #expect(logs.lines(host: "h", 0..<6).map(\.text) == ["", "ü✓", "five"])
        #expect(logs.line(host: "h", at: 3)?.kind == .output(.stdout))
        var info = stat()
        stat(path, &info); #expect(Int(info.st_mode) & 0o777 == 0o600)
        #expect(logs.failures.isEmpty)
    }

    @Test func manyLinesStayBounded() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let logs = LogStore(stateDir: try StateDir(path: dir.path + "/s"))
        for i in 0..<25_000 { logs.append(stepID: "s", host: "h", stream: .stdout, text: "n\(i)") }
        logs.endAttempt(stepID: "s", host: "h")
        #expect(logs.bounds(host: "h") == 15_000..<25_000)
        #expect(logs.line(host: "h", at: 24_999)?.text == "n24999")
        let onDisk = try String(contentsOfFile: dir.path + "/s/logs/h/s.log", encoding: .utf8)
        #expect(onDisk.split(separator: "\n").count == 25_000)
    }
}
