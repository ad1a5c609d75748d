import ClusterCore
import Foundation
import Testing

/// A node taken out of the answers keeps its checklist row, retired: its system key is what the
/// vendor asks for when the license it frees goes to a new node.
@Suite struct LicenseRetireTests {
    typealias M = LicenseModelTests
    static let t0 = M.t0
    static func t(_ minutes: Int) -> Date { M.t(minutes) }

    /// node01 activated, node02 with its key and license entered.
    func checklist() throws -> LicenseChecklist {
        var c = LicenseChecklist(answers: try exampleAnswers(), at: Self.t0)
        try c.setSystemKey(M.key1, for: "node01", facts: M.facts1, source: .read, at: Self.t(1))
        try c.setLicense(M.license1, for: "node01", at: Self.t(2))
        c.apply(.activated("footer shows no license link"), for: "node01", at: Self.t(3))
        try c.setSystemKey(M.key2, for: "node02", facts: M.facts2, source: .pasted, at: Self.t(4))
        try c.setLicense(M.license2, for: "node02", at: Self.t(5))
        return c
    }

    /// The example answers with these nodes (name, host, HTTP port).
    func answers(_ nodes: [(String, String, Int?)]) throws -> Answers {
        var a = try exampleAnswers()
        a.appServers.nodes = nodes.map { Node(name: $0.0, host: $0.1, httpPort: $0.2) }
        return a
    }

    @Test func syncRetiresTheRowAndKeepsItsKey() throws {
        var c = try checklist()
        let before = try #require(c.row("node02"))
        let notes = c.sync(with: try answers([("node01", "app1", nil), ("node03", "app2", nil)]), at: Self.t(10)).map(\.line)
        #expect(notes == ["node03: new node, key needed",
                          "node02: no longer in the answers, retired in the checklist (its system key is kept)"])
        // Live rows in the answers' order, then the retired one.
        #expect(c.rows.map(\.node) == ["node01", "node03", "node02"])
        #expect(c.liveRows.map(\.node) == ["node01", "node03"])
        let row = try #require(c.row("node02"))
        #expect(row.status == .retired && row.isRetired)
        #expect(row.status.title == "retired")
        #expect(row.statusSince == Self.t(10))
        #expect(row.systemKey == M.key2 && row.keySource == .pasted)
        #expect(row.licenseKey == M.license2)
        #expect(row.license(revealed: false) == "****k2P4")
        #expect(row.recorded == M.facts2)
        #expect(row.host == "app2" && row.url == before.url)
        #expect(row.history.dropLast() == before.history[...])
        #expect(row.history.last == StatusChange(.retired, at: Self.t(10), note: "node02 retired: no longer in the answers; its system key is kept"))
        #expect(c.formatVersion == 2)

        // Nothing more happens to it on the next sync; a second retired row goes after it, in the old order.
        #expect(c.sync(with: try answers([("node01", "app1", nil), ("node03", "app2", nil)]), at: Self.t(11)).isEmpty)
        #expect(c.row("node02")?.history.count == row.history.count)
        _ = c.sync(with: try answers([("node03", "app2", nil)]), at: Self.t(12))
        #expect(c.rows.map(\.node) == ["node03", "node01", "node02"])
        #expect(c.rows.map(\.status) == [.keyNeeded, .retired, .retired])
        #expect(c.row("node01")?.systemKey == M.key1)
        #expect(c.licenseKeys.sorted() == [M.license1, M.license2].sorted(), "still masked in every log line")
    }

    @Test func aRetiredNodeBackInTheAnswersComesBackToLife() throws {
        var c = try checklist()
        _ = c.sync(with: try answers([("node01", "app1", nil)]), at: Self.t(10))
        // Back on another host and port: the status its keys say, the new URL.
        let notes = c.sync(with: try answers([("node01", "app1", nil), ("node02", "app1", 8090)]), at: Self.t(20)).map(\.line)
        #expect(notes == ["node02: back in the answers, license entered again",
                          "node02: URL now http://192.168.1.10:8090/jw/web/console/home (was http://192.168.1.11:8080/jw/web/console/home)"])
        #expect(c.rows.map(\.node) == ["node01", "node02"])
        #expect(c.formatVersion == 1)
        let row = try #require(c.row("node02"))
        #expect(row.status == .licenseEntered && row.statusSince == Self.t(20))
        #expect(row.host == "app1" && row.address == "192.168.1.10" && row.port == 8090)
        #expect(row.systemKey == M.key2 && row.licenseKey == M.license2)
        #expect(row.history.map(\.status) == [.keyNeeded, .keyRecorded, .licenseEntered, .retired, .licenseEntered])
        #expect(row.history.last?.note == "node02 back in the answers on host app1; its recorded key is kept: a refresh tells whether the node still has it")

        // It is read again: on its new host the MAC differs, so it needs re-activation.
        let moved = NodeFacts(mac: "02:6a:6c:07:00:13", profile: "default", version: "8.1.6", edition: "enterprise")
        let read = c.apply(NodeObservation(node: "node02", facts: moved, key: .notFound("x"), activation: .cannotTell("x")), at: Self.t(21)).map(\.line)
        #expect(read == ["node02: needs re-activation: MAC 02:6a:6c:07:00:14 → 02:6a:6c:07:00:13"])

        // An activated node comes back as "license entered" (to verify again); one without a key as "key needed".
        var d = try checklist()
        _ = d.sync(with: try answers([("node03", "app2", nil)]), at: Self.t(10))
        _ = d.sync(with: try answers([("node01", "app1", nil), ("node03", "app2", nil)]), at: Self.t(11))
        #expect(d.row("node01")?.status == .licenseEntered)
        _ = d.sync(with: try answers([("node01", "app1", nil)]), at: Self.t(12))
        let back = d.sync(with: try answers([("node01", "app1", nil), ("node03", "app2", nil)]), at: Self.t(13)).map(\.line)
        #expect(back == ["node03: back in the answers, key needed again"])
        #expect(d.row("node03")?.history.last?.note == "node03 back in the answers on host app2")
    }

    @Test func aRetiredRowIsNeitherChangedNorRead() throws {
        var c = try checklist()
        _ = c.sync(with: try answers([("node01", "app1", nil)]), at: Self.t(10))
        let before = c
        var copy = c
        do throws(LicenseError) {
            try copy.setSystemKey("EE-99998888777766665555", for: "node02", facts: nil, source: .pasted, at: Self.t(11))
            Issue.record("a retired node's key was changed")
        } catch {
            #expect(error.description == "node \"node02\": retired (no longer in the answers): its system key is kept as recorded; nothing to record")
        }
        do throws(LicenseError) {
            try copy.setLicense("LIC9-ABCDEFGHIJKLMNOPQRSTUV", for: "node02", at: Self.t(11))
            Issue.record("a retired node's license was changed")
        } catch {
            #expect(error.description == "node \"node02\": retired (no longer in the answers): nothing to record")
        }
        #expect(copy == before)
        #expect(c.apply(NodeObservation(node: "node02", facts: M.facts1, key: .found(M.key1, place: "p"), activation: .cannotTell("x")), at: Self.t(11)).isEmpty)
        #expect(c.apply(.notActivated("license link"), for: "node02", at: Self.t(11)) == nil)
        #expect(c == before)
        // Its key and license are free again: a node on another host may show the same ones.
        _ = c.sync(with: try answers([("node01", "app1", nil), ("node03", "app2", nil)]), at: Self.t(12))
        c.rows[1].host = "app9"
        try c.setSystemKey(M.key2, for: "node03", facts: nil, source: .pasted, at: Self.t(13))
        try c.setLicense(M.license2, for: "node03", at: Self.t(14))
        #expect(c.row("node03")?.status == .licenseEntered)
    }

    @Test func exportAndTableListTheRetiredRowWithItsKey() throws {
        var c = try checklist()
        _ = c.sync(with: try answers([("node01", "app1", nil)]), at: Self.t(10))
        let md = c.export(.md)
        #expect(md == """
            # Joget DX licenses for cluster acme-joget

            A Joget DX 8 cluster runs the Enterprise or Large Enterprise Edition (the Community Edition
            does not cluster). Request one license per node with its system key. Activate each node at its
            own URL (log in as admin, footer link "License"), not through the load balancer.
            Retired nodes are out of the cluster: their license, made for the system key shown, is free again.

            | Node | URL | System key | Edition | Version | Status |
            |---|---|---|---|---|---|
            | node01 | http://192.168.1.10:8080/jw/web/console/home | a4021e833fea1224d13fbff6c505780f | enterprise | 8.1.6 | activated (verified) |
            | node02 | http://192.168.1.11:8080/jw/web/console/home | EE-0123abcd4567ef89 | enterprise | 8.1.6 | retired |

            """)
        let csv = c.export(.csv)
        #expect(csv.hasSuffix("node02,http://192.168.1.11:8080/jw/web/console/home,EE-0123abcd4567ef89,enterprise,8.1.6,retired\n"))
        for text in [md, csv] { #expect(!text.contains(M.license2) && !text.contains("k2P4")) }
        let table = c.table(timeZone: TimeZone(identifier: "UTC")!)
        #expect(table.hasSuffix("""
            node02  http://192.168.1.11:8080/jw/web/console/home  EE-0123abcd4567ef89               ****k2P4  retired               2027-01-15 08:10

            """))
        #expect(!table.contains(M.license2))
    }

    /// licenses.json as written before retired rows: format 1, no "retired" anywhere.
    static let oldFile = """
        {
          "cluster" : "acme-joget",
          "formatVersion" : 1,
          "note" : "License keys are kept in this file only; keep it mode 0600.",
          "rows" : [
            {
              "address" : "192.168.1.10",
              "history" : [
                { "at" : "2027-01-15T08:00:00Z", "status" : "key-needed" },
                { "at" : "2027-01-15T08:01:00Z", "note" : "key read from http://192.168.1.10:8080/jw/web/console/home", "status" : "key-recorded" }
              ],
              "host" : "app1",
              "keySource" : "read",
              "node" : "node01",
              "port" : 8080,
              "reactivation" : [],
              "recorded" : { "edition" : "enterprise", "mac" : "02:6a:6c:07:00:13", "profile" : "default", "version" : "8.1.6" },
              "status" : "key-recorded",
              "systemKey" : "a4021e833fea1224d13fbff6c505780f"
            },
            {
              "address" : "192.168.1.11",
              "history" : [
                { "at" : "2027-01-15T08:00:00Z", "status" : "key-needed" }
              ],
              "host" : "app2",
              "node" : "node02",
              "port" : 8080,
              "reactivation" : [],
              "status" : "key-needed"
            }
          ]
        }
        """

    @Test func theOldFileFormatStillLoads() throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var c = try decoder.decode(LicenseChecklist.self, from: Data(Self.oldFile.utf8))
        #expect(c.formatVersion == 1)
        #expect(c.rows.map(\.status) == [.keyRecorded, .keyNeeded])
        // Opened with node01 gone: retired, key kept; written as format 2 from then on.
        _ = c.sync(with: try answers([("node02", "app2", nil)]), at: Self.t(10))
        #expect(c.rows.map(\.node) == ["node02", "node01"])
        #expect(c.row("node01")?.status == .retired && c.row("node01")?.systemKey == M.key1)
        #expect(c.formatVersion == 2)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        #expect(try decoder.decode(LicenseChecklist.self, from: encoder.encode(c)) == c)
    }
}
