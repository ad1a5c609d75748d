// Text snapshots of rendered buffers.
//
// `assertSnapshot(buffer, named: "x")` compares `buffer.lines()` joined with "\n" to `Snapshots/x.txt`
// next to the calling test file. Run with `RECORD_SNAPSHOTS=1` to write (or rewrite) the files,
// then read them to check they look right, and run again without it.
// Shared by the test targets through TestSupport.

import Foundation
import Testing
import TermUI

/// The folder holding snapshot files for the test file at `filePath`.
public func snapshotDirectory(for filePath: String) -> URL {
    URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
}

/// Compares a rendered buffer with its stored snapshot, or records it when `RECORD_SNAPSHOTS=1`.
public func assertSnapshot(_ buffer: Buffer, named name: String,
                    filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation) {
    assertSnapshot(text: buffer.lines().joined(separator: "\n"), named: name, filePath: filePath,
                   sourceLocation: sourceLocation)
}

/// Compares any text with its stored snapshot, or records it when `RECORD_SNAPSHOTS=1`.
public func assertSnapshot(text actual: String, named name: String,
                    filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation) {
    let dir = snapshotDirectory(for: filePath)
    let file = dir.appendingPathComponent("\(name).txt")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try (actual + "\n").write(to: file, atomically: true, encoding: .utf8)
        } catch {
            Issue.record("Could not write snapshot \(file.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let data = FileManager.default.contents(atPath: file.path),
          var expected = String(data: data, encoding: .utf8) else {
        Issue.record("""
            Missing snapshot \(file.path).
            Record it with: RECORD_SNAPSHOTS=1 swift test --filter <this test>, then read the file to check it.
            """, sourceLocation: sourceLocation)
        return
    }
    if expected.hasSuffix("\n") { expected.removeLast() }
    guard expected != actual else { return }
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var firstDiff = 0
    while firstDiff < min(e.count, a.count) && e[firstDiff] == a[firstDiff] { firstDiff += 1 }
    let expLine = firstDiff < e.count ? String(e[firstDiff]) : "<none>"
    let actLine = firstDiff < a.count ? String(a[firstDiff]) : "<none>"
    Issue.record("""
        Snapshot \(name) differs at line \(firstDiff + 1):
          expected: \(expLine)
          actual:   \(actLine)
        --- actual ---
        \(actual)
        --- (re-record with RECORD_SNAPSHOTS=1 if the change is intended)
        """, sourceLocation: sourceLocation)
}
