import ClusterCore
import Foundation
import Testing

@Suite struct LicenseModelTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static func t(_ minutes: Int) -> Date { t0.addingTimeInterval(Double(minutes) * 60) }

    static let key1 = "a4021e833fea1224d13fbff6c505780f"
    static let key2 = "EE-0123abcd4567ef89"
    static let license1 = "LIC1-QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo-x9Z1"
    static let license2 = "LIC2-MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3OD-k2P4"
    static let facts1 = NodeFacts(mac: "02:6a:6c:07:00:13", profile: "default", version: "8.1.6", edition: "enterprise")
    static let facts2 = NodeFacts(mac: "02:6a:6c:07:00:14", profile: "default", version: "8.1.6", edition: "enterprise")

    func fresh() throws -> LicenseChecklist { LicenseChecklist(answers: try exampleAnswers(), at: Self.t0) }

    func observation(_ node: String, _ facts: NodeFacts, key: KeyReading = .notFound("no System Key label")) -> NodeObservation {
        NodeObservation(node: node, facts: facts, key: key, activation: .cannotTell("not looked at"))
    }

    @Test func oneRowPerNodeWithItsOwnURL() throws {
        let c = try fresh()
        #expect(c.cluster == "acme-joget")
        #expect(c.rows.map(\.node) == ["node01", "node02"])
        #expect(c.rows.map(\.url) == ["http://192.168.1.10:8080/jw/web/console/home", "http://192.168.1.11:8080/jw/web/console/home"])
        #expect(c.rows.allSatisfy { $0.status == .keyNeeded && $0.statusSince == Self.t0 })
        #expect(c.rows.map(\.host) == ["app1", "app2"])
    }

    @Test func urlUsesTheNodesOwnPortAndBracketsIPv6() {
        var a = Answers()
        a.hosts = [Host(name: "app1", address: "fd00::10")]
        a.appServers.nodes = [Node(name: "n1", host: "app1", httpPort: 8081), Node(name: "n2", host: "app1", httpPort: 8082)]
        let c = LicenseChecklist(answers: a, at: Self.t0)
        #expect(c.rows.map(\.url) == ["http://[fd00::10]:8081/jw/web/console/home", "http://[fd00::10]:8082/jw/web/console/home"])
    }

    @Test func statusesMoveForwardWithTheirTimes() throws {
        var c = try fresh()
        try c.setSystemKey("  \(Self.key1)\n", for: "node01", facts: Self.facts1, source: .pasted, at: Self.t(1))
        #expect(c.row("node01")?.systemKey == Self.key1)
        #expect(c.row("node01")?.status == .keyRecorded)
        #expect(c.row("node01")?.recorded == Self.facts1)
        try c.setLicense(Self.license1, for: "node01", at: Self.t(2))
        #expect(c.row("node01")?.status == .licenseEntered)
        c.apply(.activated("footer shows no license link"), for: "node01", at: Self.t(3))
        let row = try #require(c.row("node01"))
        #expect(row.status == .activated)
        #expect(row.status.title == "activated (verified)")
        #expect(row.history.map(\.status) == [.keyNeeded, .keyRecorded, .licenseEntered, .activated])
        #expect(row.history.map(\.at) == [Self.t0, Self.t(1), Self.t(2), Self.t(3)])
        #expect(row.statusSince == Self.t(3))
        // The history never holds the license in full.
        #expect(!row.history.contains { $0.note?.contains(Self.license1) ?? false })
        #expect(row.history[2].note == "license ****x9Z1 entered")
    }

    @Test func licenseNeedsAKeyFirst() throws {
        var c = try fresh()
        #expect(throws: LicenseError.self) { try c.setLicense(Self.license1, for: "node02", at: Self.t0) }
        do { try c.setLicense(Self.license1, for: "node02", at: Self.t0) } catch {
            #expect(error.field == "node02 license key")
            #expect(error.message.contains("no system key recorded yet"))
            #expect(error.message.contains("http://192.168.1.11:8080/jw/web/console/home"))
        }
        do { try c.setSystemKey(Self.key1, for: "node09", facts: nil, source: .pasted, at: Self.t0) } catch {
            #expect(error.description == "node \"node09\": there is no app server node by that name (nodes: node01, node02)")
        }
    }

    @Test func systemKeyPlausibility() throws {
        let c = try fresh()
        #expect(try c.checkSystemKey(" \t\(Self.key2) \n", for: "node01") == Self.key2)
        #expect(try c.checkSystemKey("abcdef12", for: "node01") == "abcdef12")          // 8: not 32 hex, still fine
        #expect(try c.checkSystemKey(String(repeating: "f", count: 128), for: "node01").count == 128)
        func message(_ key: String) -> String {
            do { _ = try c.checkSystemKey(key, for: "node01"); return "accepted" } catch { return error.description }
        }
        #expect(message("") == "node01 system key: is empty: copy it from the license pop-up at http://192.168.1.10:8080/jw/web/console/home")
        #expect(message("a402 1e83") == "node01 system key: \"a402 1e83\" has a space or line break inside: paste the key alone")
        #expect(message("abc1234") == "node01 system key: \"abc1234\" is 7 characters long; a system key has 8 to 128")
        #expect(message(String(repeating: "a", count: 129)).contains("is 129 characters long"))
        #expect(message("EE-0123é4567") == "node01 system key: \"EE-0123é4567\" holds the character U+00E9, which no system key has: paste the key alone")
        #expect(message("EE-01\u{1B}[31m23") .contains("\\u{1B}[31m"))   // controls shown, not sent to the terminal
    }

    @Test func duplicateKeyRefusedNamingBothNodes() throws {
        var c = try fresh()
        try c.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .read, at: Self.t(1))
        do {
            try c.setSystemKey(Self.key1.uppercased(), for: "node02", facts: Self.facts2, source: .pasted, at: Self.t(2))
            Issue.record("a duplicate key was accepted")
        } catch {
            #expect(error.field == "node02 system key")
            #expect(error.message == "\"\(Self.key1.uppercased())\" is also node01's key. Two nodes with one key means the key was read through the balancer, not from the node directly: open node02's own URL http://192.168.1.11:8080/jw/web/console/home")
        }
        #expect(c.row("node02")?.status == .keyNeeded)
        // Re-recording node01's own key is not a duplicate.
        try c.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .pasted, at: Self.t(3))
    }

    @Test func nodesSharingAServerMayShareAKey() throws {
        var a = try exampleAnswers()
        a.appServers.nodes = [Node(name: "n1", host: "app1", httpPort: 8080), Node(name: "n2", host: "app1", httpPort: 8081)]
        var c = LicenseChecklist(answers: a, at: Self.t0)
        try c.setSystemKey(Self.key1, for: "n1", facts: Self.facts1, source: .read, at: Self.t0)
        try c.setSystemKey(Self.key1, for: "n2", facts: Self.facts1, source: .read, at: Self.t0)  // same MAC, profile, version, edition
        #expect(c.row("n2")?.systemKey == Self.key1)
    }

    @Test func licenseMaskedUnlessRevealed() throws {
        var c = try fresh()
        try c.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .pasted, at: Self.t0)
        try c.setLicense("  LIC1-QUJDREVGR0hJSktMTU5P\n  UFFSU1RVVldYWVo-x9Z1\n", for: "node01", at: Self.t0)  // wrapped by mail
        let row = try #require(c.row("node01"))
        #expect(row.licenseKey == Self.license1)
        #expect(row.license(revealed: false) == "****x9Z1")
        #expect(row.license(revealed: true) == Self.license1)
        #expect(LicenseRow.mask("short") == "****")
        #expect(c.table().contains("****x9Z1"))
        #expect(!c.table().contains(Self.license1))
        #expect(c.table(revealLicenses: true).contains(Self.license1))
        #expect(c.licenseKeys == [Self.license1])
    }

    @Test func licensePlausibilityNeverShowsTheLicense() throws {
        var c = try fresh()
        try c.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .pasted, at: Self.t0)
        try c.setSystemKey(Self.key2, for: "node02", facts: Self.facts2, source: .pasted, at: Self.t0)
        try c.setLicense(Self.license1, for: "node01", at: Self.t0)
        var messages: [String] = []
        for bad in [Self.license1, "short-lic", Self.key2, "LICENSE-with-ümlaut-0000000000"] {
            do { try c.setLicense(bad, for: "node02", at: Self.t0); Issue.record("accepted \(bad)") } catch { messages.append(error.description) }
        }
        #expect(messages[0] == "node02 license key: ****x9Z1 (\(Self.license1.count) characters) is already node01's license: each node has its own license, made for its own system key")
        #expect(messages[1] == "node02 license key: **** (9 characters) is 9 characters long: too short for a license key")
        #expect(messages[2].hasPrefix("node02 license key: \"\(Self.key2)\" is node02's system key, not a license"))
        #expect(messages[3].contains("outside printable ASCII"))
        for m in messages { #expect(!m.contains(Self.license1)) }
    }

    @Test func macChangeNeedsReactivationSayingOldAndNew() throws {
        var c = try fresh()
        try c.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .read, at: Self.t(1))
        try c.setLicense(Self.license1, for: "node01", at: Self.t(2))
        c.apply(.activated("ok"), for: "node01", at: Self.t(3))
        var moved = Self.facts1
        moved.mac = "02:6A:6C:07:00:99"
        let notes = c.apply(observation("node01", moved), at: Self.t(4)).map(\.line)
        let row = try #require(c.row("node01"))
        #expect(row.status == .needsReactivation)
        #expect(row.reactivation == [FactChange(.mac, old: "02:6a:6c:07:00:13", new: "02:6A:6C:07:00:99")])
        #expect(row.statusText == "needs re-activation: MAC 02:6a:6c:07:00:13 → 02:6A:6C:07:00:99")
        #expect(notes == ["node01: needs re-activation: MAC 02:6a:6c:07:00:13 → 02:6A:6C:07:00:99"])
        #expect(row.statusSince == Self.t(4))
        #expect(row.recorded == Self.facts1)   // what was in force at key capture stays
        // A license cannot be entered for the old key; the new key starts over.
        #expect(throws: LicenseError.self) { try c.setLicense(Self.license2, for: "node01", at: Self.t(5)) }
        try c.setSystemKey("0badc0ffee0badc0ffee0badc0ffee00", for: "node01", facts: moved, source: .pasted, at: Self.t(6))
        #expect(c.row("node01")?.status == .keyRecorded)
        #expect(c.row("node01")?.licenseKey == nil)
        #expect(c.row("node01")?.history.last?.note?.contains("license ****x9Z1 dropped") == true)
    }

    @Test func profileVersionAndEditionChanges() throws {
        var c = try fresh()
        try c.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .read, at: Self.t(1))
        var f = Self.facts1
        f.version = "8.1.7"  // same major version: same key
        c.apply(observation("node01", f), at: Self.t(2))
        #expect(c.row("node01")?.status == .keyRecorded)
        f.profile = "staging"; f.version = "9.0.0"; f.edition = "large-enterprise"
        c.apply(observation("node01", f), at: Self.t(3))
        #expect(c.row("node01")?.reactivation.map(\.description) == [
            "datasource profile default → staging", "Joget version 8.1.6 → 9.0.0", "edition enterprise → large-enterprise"])
        // Unknown facts are not compared: cannot tell is not a change.
        var c2 = try fresh()
        try c2.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .read, at: Self.t(1))
        c2.apply(observation("node01", NodeFacts()), at: Self.t(2))
        #expect(c2.row("node01")?.status == .keyRecorded)
    }

    @Test func factsBackAsRecordedRestoresTheStatus() throws {
        var c = try fresh()
        try c.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .read, at: Self.t(1))
        try c.setLicense(Self.license1, for: "node01", at: Self.t(2))
        var moved = Self.facts1
        moved.profile = "other"
        c.apply(observation("node01", moved), at: Self.t(3))
        #expect(c.row("node01")?.status == .needsReactivation)
        let notes = c.apply(observation("node01", Self.facts1), at: Self.t(4)).map(\.line)
        #expect(c.row("node01")?.status == .licenseEntered)
        #expect(notes == ["node01: facts are again as when the key was recorded: back to license entered"])
    }

    @Test func aNodeThatCouldNotBeReadKeepsItsReactivationFlag() throws {
        var c = try fresh()
        try c.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .read, at: Self.t(1))
        var moved = Self.facts1
        moved.mac = "02:00:00:00:99:99"
        c.apply(observation("node01", moved), at: Self.t(2))
        #expect(c.row("node01")?.status == .needsReactivation)
        // Unreachable: nothing was read, so nothing says the MAC is back.
        c.apply(NodeObservation(node: "node01", facts: NodeFacts(), key: .notFound("no answer"),
                                activation: .cannotTell("no answer"), problems: ["cannot connect"]), at: Self.t(3))
        #expect(c.row("node01")?.status == .needsReactivation)
        #expect(c.row("node01")?.reactivation.map(\.fact) == [.mac])
    }

    @Test func keyShownOnTheNodeDifferentFromTheRecordedOne() throws {
        var c = try fresh()
        try c.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .pasted, at: Self.t(1))
        c.apply(observation("node01", Self.facts1, key: .found("ffffeeee11112222", place: "http://127.0.0.1:8080/jw/web/console/home")), at: Self.t(2))
        #expect(c.row("node01")?.reactivation == [FactChange(.systemKey, old: Self.key1, new: "ffffeeee11112222")])
        #expect(c.row("node01")?.currentKey == "ffffeeee11112222")
    }

    @Test func refreshRecordsAKeyFoundWhereOneWasNeeded() throws {
        var c = try fresh()
        let notes = c.apply(observation("node02", Self.facts2, key: .found(Self.key2, place: "http://127.0.0.1:8080/jw/web/console/home")), at: Self.t(1)).map(\.line)
        #expect(c.row("node02")?.status == .keyRecorded)
        #expect(c.row("node02")?.keySource == .read)
        #expect(c.row("node02")?.recorded == Self.facts2)
        #expect(notes == ["node02: system key \(Self.key2) read from http://127.0.0.1:8080/jw/web/console/home"])
        let missing = c.apply(observation("node01", Self.facts1), at: Self.t(1)).map(\.line)
        #expect(missing == ["node01: system key not found (no System Key label): open http://192.168.1.10:8080/jw/web/console/home, then paste it"])
        #expect(c.row("node01")?.status == .keyNeeded)
        // The same key read for node01 too (through the balancer?) is refused, naming node02.
        let dup = c.apply(observation("node01", Self.facts1, key: .found(Self.key2, place: "x")), at: Self.t(2)).map(\.line)
        #expect(dup.count == 1 && dup[0].contains("is also node02's key"))
        #expect(c.row("node01")?.status == .keyNeeded)
    }

    @Test func factsUnknownAtCaptureAreFilledInLater() throws {
        var c = try fresh()
        try c.setSystemKey(Self.key1, for: "node01", facts: nil, source: .pasted, at: Self.t(1))
        let notes = c.apply(observation("node01", Self.facts1), at: Self.t(2)).map(\.line)
        #expect(c.row("node01")?.recorded == Self.facts1)
        #expect(c.row("node01")?.status == .keyRecorded)
        #expect(notes.first?.contains("facts recorded with the key") == true)
    }

    @Test func verificationOutcomes() throws {
        var c = try fresh()
        try c.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .pasted, at: Self.t(1))
        try c.setLicense(Self.license1, for: "node01", at: Self.t(2))
        let unsure = c.apply(.cannotTell("http://127.0.0.1:8080/jw/web/console/home answered HTTP 302"), for: "node01", at: Self.t(3))?.line
        #expect(unsure == "node01: cannot tell: http://127.0.0.1:8080/jw/web/console/home answered HTTP 302")
        #expect(c.row("node01")?.status == .licenseEntered)
        #expect(c.row("node01")?.lastCheck == "cannot tell: http://127.0.0.1:8080/jw/web/console/home answered HTTP 302")
        c.apply(.notActivated("shows the license link"), for: "node01", at: Self.t(4))
        #expect(c.row("node01")?.status == .licenseEntered)
        c.apply(.activated("no link"), for: "node01", at: Self.t(5))
        c.apply(.notActivated("license link is back"), for: "node01", at: Self.t(6))
        #expect(c.row("node01")?.status == .licenseEntered)
        #expect(c.row("node01")?.history.last?.note == "no longer activated: license link is back")
    }

    @Test func followsTheAnswers() throws {
        var c = try fresh()
        try c.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .pasted, at: Self.t(1))
        var a = try exampleAnswers()
        a.appServers.nodes = [Node(name: "node01", host: "app1", httpPort: 8090), Node(name: "node03", host: "app2")]
        let notes = c.sync(with: a, at: Self.t(2)).map(\.line)
        #expect(c.rows.map(\.node) == ["node01", "node03", "node02"])
        #expect(c.row("node01")?.systemKey == Self.key1)
        #expect(c.row("node02")?.status == .retired)
        #expect(notes == ["node01: URL now http://192.168.1.10:8090/jw/web/console/home (was http://192.168.1.10:8080/jw/web/console/home)",
                          "node03: new node, key needed",
                          "node02: no longer in the answers, retired in the checklist (no system key was recorded)"])
    }

    @Test func bundleNames() {
        func b(_ s: String) -> String { let j = JogetBuild(bundleName: s); return "\(j.edition ?? "unknown") \(j.version ?? "unknown")" }
        #expect(b("/home/admin/joget-enterprise-linux-8.1.6.tar.gz") == "enterprise 8.1.6")
        #expect(b("joget-enterprise-linux-8.1.6") == "enterprise 8.1.6")
        #expect(b("joget-large-enterprise-linux-7.0.34.tgz") == "large-enterprise 7.0.34")
        #expect(b("joget-dx8-enterprise-linux-8.0.1.zip") == "enterprise 8.0.1")
        #expect(b("joget-linux-8.1.6.tar.gz") == "unknown 8.1.6")
        #expect(b("bundle.tar.gz") == "unknown unknown")
        #expect(b("") == "unknown unknown")
        #expect(JogetBuild.major("8.1.6") == "8")
    }

    @Test func exportMarkdownExactly() throws {
        var c = try fresh()
        try c.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .read, at: Self.t(1))
        try c.setLicense(Self.license1, for: "node01", at: Self.t(2))
        let md = c.export(.md)
        #expect(md == """
            # Joget DX licenses for cluster acme-joget

            A Joget DX 8 cluster runs the Enterprise or Large Enterprise Edition (the Community Edition
            does not cluster). Request one license per node with its system key. Activate each node at its
            own URL (log in as admin, footer link "License"), not through the load balancer.

            | Node | URL | System key | Edition | Version | Status |
            |---|---|---|---|---|---|
            | node01 | http://192.168.1.10:8080/jw/web/console/home | a4021e833fea1224d13fbff6c505780f | enterprise | 8.1.6 | license entered |
            | node02 | http://192.168.1.11:8080/jw/web/console/home | (not recorded yet) | unknown | unknown | key needed |

            """)
        #expect(!md.contains(Self.license1) && !md.contains("x9Z1"))
    }

    @Test func exportCSVExactly() throws {
        var c = try fresh()
        try c.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .read, at: Self.t(1))
        try c.setSystemKey(Self.key2, for: "node02", facts: Self.facts2, source: .pasted, at: Self.t(1))
        try c.setLicense(Self.license2, for: "node02", at: Self.t(2))
        var moved = Self.facts1
        moved.mac = "02:6a:6c:07:00:99"
        moved.profile = "p,1"
        c.apply(observation("node01", moved), at: Self.t(3))
        let csv = c.export(.csv)
        #expect(csv == """
            Node,URL,System key,Edition,Version,Status
            node01,http://192.168.1.10:8080/jw/web/console/home,a4021e833fea1224d13fbff6c505780f,enterprise,8.1.6,"needs re-activation: MAC 02:6a:6c:07:00:13 → 02:6a:6c:07:00:99; datasource profile default → p,1"
            node02,http://192.168.1.11:8080/jw/web/console/home,EE-0123abcd4567ef89,enterprise,8.1.6,license entered

            """)
        #expect(!csv.contains(Self.license2) && !csv.contains("k2P4"))
    }

    @Test func markdownCellsCannotBreakTheTable() {
        var a = Answers()
        a.cluster = "c|x"
        a.hosts = [Host(name: "h", address: "10.0.0.1")]
        a.appServers.nodes = [Node(name: "n|1", host: "h")]
        let md = LicenseChecklist(answers: a, at: Self.t0).export(.md)
        #expect(md.contains("| n\\|1 | http://10.0.0.1:8080/jw/web/console/home |"))
        #expect(md.hasPrefix("# Joget DX licenses for cluster c\\|x\n"))
    }

    @Test func tableShowsStatusTimesAndReasons() throws {
        var c = try fresh()
        try c.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .read, at: Self.t(1))
        var moved = Self.facts1
        moved.mac = "02:6a:6c:07:00:99"
        c.apply(observation("node01", moved), at: Self.t(2))
        let table = c.table(timeZone: TimeZone(identifier: "UTC")!)
        #expect(table == """
            NODE    URL (direct, not the balancer)                SYSTEM KEY                        LICENSE  STATUS               SINCE
            node01  http://192.168.1.10:8080/jw/web/console/home  a4021e833fea1224d13fbff6c505780f  -        needs re-activation  2027-01-15 08:02
                changed since the key was recorded: MAC 02:6a:6c:07:00:13 → 02:6a:6c:07:00:99
            node02  http://192.168.1.11:8080/jw/web/console/home  -                                 -        key needed           2027-01-15 08:00

            """)
    }

    @Test func roundTripsThroughJSON() throws {
        var c = try fresh()
        try c.setSystemKey(Self.key1, for: "node01", facts: Self.facts1, source: .read, at: Self.t(1))
        try c.setLicense(Self.license1, for: "node01", at: Self.t(2))
        c.apply(.cannotTell("x"), for: "node01", at: Self.t(3))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let back = try decoder.decode(LicenseChecklist.self, from: encoder.encode(c))
        #expect(back == c)
    }
}
