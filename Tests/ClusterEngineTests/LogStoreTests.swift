import ClusterCore
@testable import ClusterEngine
import Foundation
import Testing

@Suite struct LogStoreTests {
    @Test func filesArePrivateAndAttemptsAppend() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let state = try StateDir(path: dir.path + "/s")
        let logs = LogStore(stateDir: state)
        logs.beginAttempt(stepID: "app.install@app1", host: "app1", attempt: 1)
        logs.phase(stepID: "app.install@app1", host: "app1", .apply)
        logs.append(stepID: "app.install@app1", host: "app1", stream: .stdout, text: "unpacking")
        logs.append(stepID: "app.install@app1", host: "app1", stream: .stderr, text: "warning: x")
        logs.endAttempt(stepID: "app.install@app1", host: "app1")
        logs.beginAttempt(stepID: "app.install@app1", host: "app1", attempt: 2)
        logs.append(stepID: "app.install@app1", host: "app1", stream: .stdout, text: "again")
        logs.endAttempt(stepID: "app.install@app1", host: "app1")
        logs.flush()   // the writes are queued for the log's thread

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

        #expect(logs.failures.isEmpty)
        #expect(logs.fullText(host: "app1", stepID: "app.install@app1") == text)
    }

    @Test func batchesAreWrittenLikeSingleLines() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let state = try StateDir(path: dir.path + "/s")
        let logs = LogStore(stateDir: state)
        logs.beginAttempt(stepID: "s", host: "h", attempt: 1)
        logs.append(stepID: "s", host: "h", lines: [OutputLine(stream: .stdout, text: "one"), OutputLine(stream: .stderr, text: "two"),
                                                    OutputLine(stream: .stdout, text: ""), OutputLine(stream: .stdout, text: "ü✓")])
        logs.append(stepID: "s", host: "h", lines: [])
        logs.append(stepID: "s", host: "h", stream: .stdout, text: "five")
        logs.endAttempt(stepID: "s", host: "h")
        logs.flush()
        let path = state.logPath(host: "h", stepID: "s")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.dropFirst().map(String.init) == ["  one", "! two", "  ", "  ü✓", "  five", ""])
        var info = stat()
        stat(path, &info); #expect(Int(info.st_mode) & 0o777 == 0o600)
        #expect(logs.failures.isEmpty)
    }
}
