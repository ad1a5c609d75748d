import ClusterCore
import ClusterEngine
import Foundation
import Testing

/// The desk over a checklist whose node02 left the answers: its row is kept, retired, and never
/// read, verified or changed again.
@Suite(.serialized) struct LicenseRetireDeskTests {
    /// A desk on the world's state folder for these answers.
    func desk(_ w: LicenseWorld, _ answers: Answers) throws(LicenseStoreError) -> LicenseDesk {
        let shells = w.shells, log = w.log
        return try LicenseDesk(answers: answers, store: LicenseStore(directory: w.stateDir), log: { log.append($0) }) { host in
            guard let shell = shells[host.name] else { throw TransportError.unreachable(host: host.name, detail: "no such fake") }
            return shell
        }
    }

    func without(_ node: String, _ a: Answers) -> Answers {
        var a = a
        a.appServers.nodes.removeAll { $0.name == node }
        return a
    }

    @Test func aRetiredNodeIsNeverReadVerifiedOrChanged() async throws {
        let w = try LicenseWorld()
        do {
            let first = try w.desk()
            try await first.refresh()
            try await first.setLicense(LicenseWorld.license2, for: "node02")
            try await first.save()
            await first.close()
        }
        let desk = try desk(w, without("node02", w.answers))
        #expect(desk.openingNotes.map(\.line) == ["node02: no longer in the answers, retired in the checklist (its system key is kept)"])
        let row = try #require(await desk.checklist.row("node02"))
        #expect(row.status == .retired && row.systemKey == LicenseWorld.key2 && row.licenseKey == LicenseWorld.license2)

        // Every node: node02 is left alone.
        let seen = w.node2.requests.count
        let read = (try await desk.refresh()).map(\.line)
        let checked = (try await desk.verify()).map(\.line)
        #expect(w.node2.requests.count == seen)
        #expect(!(read + checked).contains { $0.hasPrefix("node02") })

        // Named: refused, saying why.
        func refusal(_ body: () async throws -> Void) async -> String {
            do { try await body(); return "accepted" } catch { return "\(error)" }
        }
        #expect(await refusal { try await desk.refresh(["node02"]) } == "node \"node02\": retired (no longer in the answers): nothing to read")
        #expect(await refusal { try await desk.verify(["node01", "node02"]) } == "node \"node02\": retired (no longer in the answers): nothing to verify")
        #expect(await refusal { try await desk.setKey("EE-77aa88bb99cc", for: "node02") }
                == "node \"node02\": retired (no longer in the answers): its system key is kept as recorded; nothing to record")
        #expect(await refusal { try await desk.setLicense("LIC-ANOTHER-0123456789abcdef", for: "node02") }
                == "node \"node02\": retired (no longer in the answers): nothing to record")
        #expect(w.node2.requests.count == seen)
        #expect(await desk.checklist.row("node02") == row)

        // The list for whoever requests licenses names the key node02's license was made for.
        let md = await desk.export(.md)
        #expect(md.contains("| node02 | http://127.0.0.1:\(w.node2.port)/jw/web/console/home | \(LicenseWorld.key2) | enterprise | 8.1.6 | retired |"))
        #expect(!md.contains(LicenseWorld.license2))
        #expect(await desk.table().contains("retired"))

        // Kept across processes; format 2 while it holds a retired row.
        try await desk.save()
        await desk.close()
        let saved = try #require(try LicenseStore(directory: w.stateDir).load())
        #expect(saved.formatVersion == 2 && saved.row("node02")?.status == .retired)
        #expect(try String(contentsOfFile: w.licensesPath, encoding: .utf8).contains("\"status\" : \"retired\""))

        // Back in the answers: its row again, read as any other.
        let back = try self.desk(w, w.answers)
        #expect(back.openingNotes.map(\.line) == ["node02: back in the answers, license entered again"])
        let notes = (try await back.refresh(["node02"])).map(\.line)
        #expect(w.node2.requests.count > seen)
        #expect(notes.isEmpty, "same key, same facts: nothing to say")
        #expect(await back.checklist.row("node02")?.status == .licenseEntered)
        await back.close()
    }

    @Test func aFileWrittenBeforeRetiredRowsStillOpens() async throws {
        let w = try LicenseWorld()
        try FileManager.default.createDirectory(atPath: w.stateDir, withIntermediateDirectories: true)
        // licenses.json as the program wrote it before retired rows existed (format 1).
        let old = """
            {
              "cluster" : "lab",
              "formatVersion" : 1,
              "note" : "License keys are kept in this file only; keep it mode 0600.",
              "rows" : [
                {
                  "address" : "127.0.0.1",
                  "history" : [
                    { "at" : "2026-11-21T10:00:00Z", "status" : "key-needed" },
                    { "at" : "2026-11-21T10:05:00Z", "note" : "key pasted; facts unknown", "status" : "key-recorded" }
                  ],
                  "host" : "app1", "keySource" : "pasted", "node" : "node01", "port" : \(w.node1.port),
                  "reactivation" : [], "status" : "key-recorded", "systemKey" : "\(LicenseWorld.key1)"
                },
                {
                  "address" : "127.0.0.1",
                  "history" : [ { "at" : "2026-11-21T10:00:00Z", "status" : "key-needed" } ],
                  "host" : "app2", "node" : "node02", "port" : \(w.node2.port),
                  "reactivation" : [], "status" : "key-needed"
                }
              ]
            }
            """
        try old.write(toFile: w.licensesPath, atomically: true, encoding: .utf8)
        chmod(w.licensesPath, 0o600)
        let loaded = try #require(try LicenseStore(directory: w.stateDir).load())
        #expect(loaded.formatVersion == 1 && loaded.rows.map(\.status) == [.keyRecorded, .keyNeeded])

        // Opened with node01 out of the answers: retired with its key.
        let desk = try desk(w, without("node01", w.answers))
        #expect(desk.openingNotes.map(\.line) == ["node01: no longer in the answers, retired in the checklist (its system key is kept)"])
        #expect(await desk.checklist.rows.map(\.node) == ["node02", "node01"])
        #expect(await desk.checklist.row("node01")?.systemKey == LicenseWorld.key1)
        await desk.close()
    }
}
