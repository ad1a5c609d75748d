import ClusterCore
import ClusterEngine
import Foundation
import Testing

/// Two fake nodes (HTTP servers on loopback) on two fake hosts (MAC and route in temp folders),
/// read through a real local shell, with the checklist kept in a temp state folder.
final class LicenseWorld: @unchecked Sendable {
    static let key1 = "EE-0123abcd4567ef89"
    static let key2 = "a4021e833fea1224d13fbff6c505780f"
    static let mac1 = "02:6a:6c:07:00:13"
    static let mac2 = "02:6a:6c:07:00:14"
    static let license1 = "LIC-QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0001-aZ01"
    static let license2 = "LIC-MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODk-bY02"

    let tmp: LicenseTempDir
    let node1: LicenseFakeNode
    let node2: LicenseFakeNode
    let host1: LicenseFakeHost
    let host2: LicenseFakeHost
    let answers: Answers
    let shells: [String: LicenseShell]
    let log = LicenseLog()

    init(key1: String? = LicenseWorld.key1, key2: String? = LicenseWorld.key2, app2Reachable: Bool = true) throws {
        tmp = try LicenseTempDir()
        let root = tmp.path
        node1 = try LicenseFakeNode(dir: root + "/node01", key: key1)
        node2 = try LicenseFakeNode(dir: root + "/node02", key: key2)
        host1 = try LicenseFakeHost(name: "app1", dir: root + "/app1", mac: Self.mac1)
        host2 = try LicenseFakeHost(name: "app2", dir: root + "/app2", mac: Self.mac2)
        try FileManager.default.createDirectory(atPath: root + "/wflow", withIntermediateDirectories: true)
        try "#Sat Nov 21 10:00:00 UTC 2026\ncurrentProfile=default\n".write(toFile: root + "/wflow/app_datasource.properties", atomically: true, encoding: .utf8)
        // The bundle as the install lays it out on a node.
        let top = root + "/opt/.bundle/unpacked/joget-enterprise-linux-8.1.6"
        try FileManager.default.createDirectory(atPath: top + "/apache-tomcat-9.0.90/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/opt/.bundle/tomcat", withDestinationPath: top + "/apache-tomcat-9.0.90")
        try (root + "/opt/.bundle/joget-enterprise-linux-8.1.6.tar.gz\n").write(toFile: root + "/opt/.bundle/source", atomically: true, encoding: .utf8)
        var a = Answers()
        a.cluster = "lab"
        a.hosts = [Host(name: "app1", address: "127.0.0.1", auth: .local), Host(name: "app2", address: "127.0.0.1", auth: .local)]
        a.sharedFiles.mountPoint = root + "/wflow"
        a.appServers.installDir = root + "/opt"
        a.appServers.bundle = "/srv/joget-enterprise-linux-8.1.6.tar.gz"
        a.appServers.nodes = [Node(name: "node01", host: "app1", httpPort: node1.port), Node(name: "node02", host: "app2", httpPort: node2.port)]
        answers = a
        shells = ["app1": LicenseShell(hostName: "app1", environment: host1.environment),
                  "app2": LicenseShell(hostName: "app2", environment: host2.environment, reachable: app2Reachable)]
    }

    var stateDir: String { tmp.path + "/state" }
    var licensesPath: String { stateDir + "/licenses.json" }

    func setProfile(_ name: String) throws {
        try "currentProfile=\(name)\n".write(toFile: tmp.path + "/wflow/app_datasource.properties", atomically: true, encoding: .utf8)
    }

    /// Opened and read again, as the license screen does when it is re-opened.
    func reopen() async throws(LicenseStoreError) -> (desk: LicenseDesk, notes: [String]) {
        let shells = self.shells, log = self.log
        let (desk, notes) = try await LicenseDesk.reopen(answers: answers, store: LicenseStore(directory: stateDir), log: { log.append($0) }) { host in
            guard let shell = shells[host.name] else { throw TransportError.unreachable(host: host.name, detail: "no such fake") }
            return shell
        }
        return (desk, notes.map(\.line))
    }

    /// A new desk, as a new process would open it: new store, new transports' session.
    func desk() throws(LicenseStoreError) -> LicenseDesk {
        let shells = self.shells, log = self.log
        return try LicenseDesk(answers: answers, store: LicenseStore(directory: stateDir), log: { log.append($0) }) { host in
            guard let shell = shells[host.name] else { throw TransportError.unreachable(host: host.name, detail: "no such fake") }
            return shell
        }
    }

}

@Suite(.serialized) struct LicenseDeskTests {
    @Test func autoCaptureRecordsKeysAndTheFactsBehindThem() async throws {
        let w = try LicenseWorld()
        let desk = try w.desk()
        let notes = (try await desk.refresh()).map(\.line)
        let c = await desk.checklist
        let r1 = try #require(c.row("node01")), r2 = try #require(c.row("node02"))
        #expect(r1.status == .keyRecorded && r2.status == .keyRecorded)
        #expect(r1.systemKey == LicenseWorld.key1 && r1.keySource == .read)
        #expect(r2.systemKey == LicenseWorld.key2)
        #expect(r1.recorded == NodeFacts(mac: LicenseWorld.mac1, profile: "default", version: "8.1.6", edition: "enterprise"))
        #expect(r2.recorded == NodeFacts(mac: LicenseWorld.mac2, profile: "default", version: "8.1.6", edition: "enterprise"))
        #expect(r1.url == "http://127.0.0.1:\(w.node1.port)/jw/web/console/home")
        #expect(notes.contains("node01: system key \(LicenseWorld.key1) read from http://127.0.0.1:\(w.node1.port)/jw/web/console/home"))
        // Each node was read directly on its own port: the console page and the footer fragment.
        #expect(w.node1.requests == ["/jw/web/console/home", "/jw/web/json/plugin/org.joget.apps.ext.ConsoleWebPlugin/service?spot=footer"])
        #expect(w.node2.requests.count == 2)
        await desk.close()
    }

    /// Each note comes with the node it is about: a screen files it under that node without reading
    /// the node's name back out of the words (the refusal below names node02 and node01 in its text).
    @Test func notesComePairedWithTheirNode() async throws {
        let w = try LicenseWorld(key1: LicenseWorld.key1, key2: LicenseWorld.key1)
        let desk = try w.desk()
        let notes = try await desk.refresh()
        #expect(!notes.isEmpty && notes.allSatisfy { $0.node == "node01" || $0.node == "node02" })
        let read = try #require(notes.first { $0.node == "node01" })
        #expect(read.text == "system key \(LicenseWorld.key1) read from http://127.0.0.1:\(w.node1.port)/jw/web/console/home")
        #expect(read.line == "node01: " + read.text)
        // An error names its node itself: its text is the whole line, filed under node02 all the same.
        let refusal = try #require(notes.first { $0.line.hasPrefix("node02 system key:") })
        #expect(refusal.node == "node02" && refusal.text == refusal.line)
        let checked = try await desk.verify(["node01"])
        #expect(checked.map(\.node) == ["node01"])
        #expect(checked.first?.text.hasPrefix("not activated yet") == true)
        await desk.close()
    }

    @Test func manualPasteWhenThePageShowsNoKey() async throws {
        let w = try LicenseWorld(key2: "")
        let desk = try w.desk()
        let notes = (try await desk.refresh()).map(\.line)
        var c = await desk.checklist
        #expect(c.row("node02")?.status == .keyNeeded)
        let expected = "node02: system key not found (http://127.0.0.1:\(w.node2.port)/jw/web/console/home: a System Key label without a key after it; "
            + "http://127.0.0.1:\(w.node2.port)/jw/web/json/plugin/org.joget.apps.ext.ConsoleWebPlugin/service?spot=footer: a System Key label without a key after it): "
            + "open http://127.0.0.1:\(w.node2.port)/jw/web/console/home, then paste it"
        #expect(notes.contains(expected))
        try await desk.setKey("  EE-77aa88bb99cc  \n", for: "node02")
        c = await desk.checklist
        let row = try #require(c.row("node02"))
        #expect(row.status == .keyRecorded && row.systemKey == "EE-77aa88bb99cc" && row.keySource == .pasted)
        #expect(row.recorded == NodeFacts(mac: LicenseWorld.mac2, profile: "default", version: "8.1.6", edition: "enterprise"))
        await desk.close()
    }

    @Test func duplicateKeyRefused() async throws {
        // Both "nodes" answer with one key: what reading through the balancer looks like.
        let w = try LicenseWorld(key1: LicenseWorld.key1, key2: LicenseWorld.key1)
        let desk = try w.desk()
        let notes = (try await desk.refresh()).map(\.line)
        var c = await desk.checklist
        #expect(c.row("node01")?.status == .keyRecorded)
        #expect(c.row("node02")?.status == .keyNeeded)
        let refusal = "node02 system key: \"\(LicenseWorld.key1)\" is also node01's key. Two nodes with one key means the key was read through the balancer, "
            + "not from the node directly: open node02's own URL http://127.0.0.1:\(w.node2.port)/jw/web/console/home"
        #expect(notes.contains(refusal))
        await #expect(throws: LicenseError.self) { try await desk.setKey(LicenseWorld.key1, for: "node02") }
        do { try await desk.setKey(" \(LicenseWorld.key1) ", for: "node02") } catch {
            #expect(error.description == refusal)
        }
        c = await desk.checklist
        #expect(c.row("node02")?.systemKey == nil)
        await desk.close()
    }

    @Test func macChangeAfterActivationNeedsReactivation() async throws {
        let w = try LicenseWorld()
        do {
            let desk = try w.desk()
            try await desk.refresh()
            try await desk.setLicense(LicenseWorld.license1, for: "node01")
            var notes = (try await desk.verify(["node01"])).map(\.line)
            #expect(notes == ["node01: not activated yet: http://127.0.0.1:\(w.node1.port)/jw/web/console/home shows the license link; "
                              + "http://127.0.0.1:\(w.node1.port)/jw/web/json/plugin/org.joget.apps.ext.ConsoleWebPlugin/service?spot=footer shows the license link"])
            w.node1.set("activated", "Example Org")
            notes = (try await desk.verify(["node01"])).map(\.line)
            #expect(notes.first?.hasPrefix("node01: activated (verified): http://127.0.0.1:\(w.node1.port)/jw/web/console/home shows \"Licensed to Example Org\"") == true)
            #expect(await desk.checklist.row("node01")?.status == .activated)
            try await desk.save()
            await desk.close()
        }
        // Days later: the server's network card was replaced. A new process reopens the checklist.
        w.host1.setMAC("02:6a:6c:07:00:99")
        let (desk, notes) = try await w.reopen()
        let row = try #require(await desk.checklist.row("node01"))
        #expect(row.status == .needsReactivation)
        #expect(row.reactivation == [FactChange(.mac, old: LicenseWorld.mac1, new: "02:6a:6c:07:00:99")])
        #expect(notes.contains("node01: needs re-activation: MAC 02:6a:6c:07:00:13 → 02:6a:6c:07:00:99"))
        #expect(await desk.checklist.row("node02")?.status == .keyRecorded)
        #expect(await desk.export(.csv).contains("needs re-activation: MAC 02:6a:6c:07:00:13 → 02:6a:6c:07:00:99"))
        // The profile changes too: both are named.
        try w.setProfile("staging")
        try await desk.refresh(["node01"])
        #expect(await desk.checklist.row("node01")?.reactivation.map(\.description)
                == ["MAC 02:6a:6c:07:00:13 → 02:6a:6c:07:00:99", "datasource profile default → staging"])
        await desk.close()
    }

    @Test func verificationSaysWhenItCannotTell() async throws {
        let w = try LicenseWorld()
        let desk = try w.desk()
        try await desk.refresh()
        w.node1.set("mode", "unexpected")
        var notes = (try await desk.verify(["node01"])).map(\.line)
        let base = "http://127.0.0.1:\(w.node1.port)"
        #expect(notes == ["node01: cannot tell: unexpected page at \(base)/jw/web/console/home: \"It works!\"; "
                          + "unexpected page at \(base)/jw/web/json/plugin/org.joget.apps.ext.ConsoleWebPlugin/service?spot=footer: \"It works!\""])
        w.node1.set("mode", "login")
        w.node1.set("activated", "Example Org")
        notes = (try await desk.verify(["node01"])).map(\.line)  // the console redirects, the footer fragment still tells
        #expect(notes.first?.hasPrefix("node01: activated (verified): \(base)/jw/web/json/plugin/") == true)
        w.node1.stop()
        notes = (try await desk.verify(["node01"])).map(\.line)
        #expect(notes.first?.hasPrefix("node01: cannot tell: \(base)/jw/web/console/home did not answer") == true)
        #expect(await desk.checklist.row("node01")?.status == .activated)  // not guessed away
        await desk.close()
    }

    @Test func anUnreachableHostChangesNothing() async throws {
        let w = try LicenseWorld(app2Reachable: false)
        let desk = try w.desk()
        let notes = (try await desk.refresh()).map(\.line)
        #expect(notes.filter { $0.hasPrefix("node02") } == ["node02: could not read the node: app2: cannot connect: connection refused"])
        #expect(await desk.checklist.row("node02")?.lastCheck?.hasPrefix("system key not found (could not read the node") == true)
        #expect(await desk.checklist.row("node02")?.status == .keyNeeded)
        let verify = (try await desk.verify(["node02"])).map(\.line)
        #expect(verify == ["node02: cannot tell: could not read the node: app2: cannot connect: connection refused"])
        // A key pasted while the host cannot be read is kept with unknown facts; a later read fills them in.
        try await desk.setKey("EE-55aa66bb77cc", for: "node02")
        #expect(await desk.checklist.row("node02")?.recorded == nil)
        await desk.close()
    }

    @Test func exportsForWhoeverRequestsTheLicenses() async throws {
        let w = try LicenseWorld()
        let desk = try w.desk()
        try await desk.refresh()
        try await desk.setLicense(LicenseWorld.license1, for: "node01")
        let p1 = w.node1.port, p2 = w.node2.port
        #expect(await desk.export(.csv) == """
            Node,URL,System key,Edition,Version,Status
            node01,http://127.0.0.1:\(p1)/jw/web/console/home,EE-0123abcd4567ef89,enterprise,8.1.6,license entered
            node02,http://127.0.0.1:\(p2)/jw/web/console/home,a4021e833fea1224d13fbff6c505780f,enterprise,8.1.6,key recorded

            """)
        let md = await desk.export(.md)
        #expect(md.contains("| node01 | http://127.0.0.1:\(p1)/jw/web/console/home | EE-0123abcd4567ef89 | enterprise | 8.1.6 | license entered |\n"))
        #expect(md.contains("| node02 | http://127.0.0.1:\(p2)/jw/web/console/home | a4021e833fea1224d13fbff6c505780f | enterprise | 8.1.6 | key recorded |\n"))
        #expect(!md.contains(LicenseWorld.license1) && !md.contains("aZ01"))
        await desk.close()
    }

    @Test func storedWithMode0600Atomically() async throws {
        let w = try LicenseWorld()
        let desk = try w.desk()
        try await desk.refresh()
        try await desk.save()
        var info = stat()
        #expect(stat(w.licensesPath, &info) == 0)
        #expect(Int(info.st_mode) & 0o777 == 0o600)
        let firstInode = info.st_ino
        // A reader holding the old file keeps a whole old version: the new one arrives by rename.
        let reader = try #require(FileHandle(forReadingAtPath: w.licensesPath))
        try await desk.setLicense(LicenseWorld.license1, for: "node01")
        try await desk.save()
        #expect(stat(w.licensesPath, &info) == 0)
        #expect(info.st_ino != firstInode)
        #expect(Int(info.st_mode) & 0o777 == 0o600)
        let old = String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
        try reader.close()
        #expect(old.contains("\"key-recorded\"") && !old.contains(LicenseWorld.license1))
        // No temp file left beside it; the license is in the file (its one place), in full.
        let names = try FileManager.default.contentsOfDirectory(atPath: w.stateDir)
        #expect(names == ["licenses.json"])
        let stored = try String(contentsOfFile: w.licensesPath, encoding: .utf8)
        #expect(stored.contains("\"licenseKey\" : \"\(LicenseWorld.license1)\""))
        #expect(stored.contains("License keys are kept in this file only; keep it mode 0600."))
        await desk.close()
    }

    @Test func reopenedByANewProcessShowsTheSameState() async throws {
        let w = try LicenseWorld()
        let before: LicenseChecklist
        do {
            let desk = try w.desk()
            try await desk.refresh()
            try await desk.setLicense(LicenseWorld.license1, for: "node01")
            w.node1.set("activated", "Example Org")
            try await desk.verify()
            try await desk.save()
            before = await desk.checklist
            await desk.close()
        }
        let again = try w.desk()
        #expect(await again.checklist == before)
        #expect(again.openingNotes.isEmpty)
        #expect(await again.checklist.row("node01")?.status == .activated)
        #expect(await again.checklist.row("node01")?.licenseKey == LicenseWorld.license1)
        #expect(await again.table() == before.table())
        // Reading the nodes again changes nothing when nothing changed.
        try await again.refresh()
        #expect(await again.checklist.rows.map(\.status) == before.rows.map(\.status))
        await again.close()
    }

    @Test func licenseKeysNeverInExportsOrLogs() async throws {
        let w = try LicenseWorld()
        let desk = try w.desk()
        try await desk.refresh()
        try await desk.setLicense(LicenseWorld.license1, for: "node01")
        try await desk.setLicense("\n" + LicenseWorld.license2 + "\n", for: "node02")
        do { try await desk.setLicense(LicenseWorld.license1, for: "node02") } catch { w.log.append(error.description) }
        w.node1.set("activated", LicenseWorld.license1)   // even a page that shows a license key
        try await desk.verify()
        try await desk.save()
        await desk.close()
        let again = try w.desk()
        try await again.refresh()
        let outputs = [await again.export(.md), await again.export(.csv), await again.table()] + w.log.all
            + (await again.checklist.rows.compactMap(\.lastCheck))
        #expect(w.log.all.count > 6)
        for text in outputs {
            #expect(!text.contains(LicenseWorld.license1), "license 1 in: \(text)")
            #expect(!text.contains(LicenseWorld.license2), "license 2 in: \(text)")
        }
        #expect(w.log.all.contains { $0.contains("****aZ01") })
        await again.close()
    }

    @Test func aDamagedFileIsNeverOverwritten() async throws {
        let w = try LicenseWorld()
        try FileManager.default.createDirectory(atPath: w.stateDir, withIntermediateDirectories: true)
        let damaged = "{\"formatVersion\": 1, \"rows\": [ {\"node\": \"node01\", \"licenseKey\": \"keep-me\""
        try damaged.write(toFile: w.licensesPath, atomically: true, encoding: .utf8)
        chmod(w.licensesPath, 0o600)
        #expect(throws: LicenseStoreError.self) { _ = try w.desk() }
        do { _ = try w.desk() } catch {
            #expect(error.description.hasPrefix("license checklist \(w.licensesPath) is damaged"))
            #expect(error.description.contains("left as it is"))
        }
        #expect(try String(contentsOfFile: w.licensesPath, encoding: .utf8) == damaged)
        try "{\"formatVersion\": 7}".write(toFile: w.licensesPath, atomically: true, encoding: .utf8)
        do { _ = try w.desk() } catch {
            #expect(error == .newerFormat(path: w.licensesPath, version: 7))
        }
    }

    @Test func aLooseFileModeIsTightened() async throws {
        let w = try LicenseWorld()
        do {
            let desk = try w.desk()
            try await desk.save()
        }
        chmod(w.licensesPath, 0o644)
        let desk = try w.desk()
        #expect(desk.openingNotes.map(\.line) == ["\(w.licensesPath) was readable by others (mode 644); it holds license keys: now 0600"])
        var info = stat()
        stat(w.licensesPath, &info)
        #expect(Int(info.st_mode) & 0o777 == 0o600)
    }

    @Test func captureScriptRunsInAPlainShellWithoutTheOverrides() async throws {
        // The real paths: whatever this machine has, the script runs to its end and says what it found.
        let w = try LicenseWorld()
        let shell = LicenseShell(hostName: "app1", environment: [:])
        let probe = LicenseProbes.capture(w.answers.appServers.nodes[0], answers: w.answers)
        let lines = LicenseLog()
        let result = await shell.run(try probe.script.executable(with: SecretValues()), timeout: .seconds(30)) { lines.append($0.text) }
        #expect(result == .exited(0))
        #expect(lines.all.contains { $0.hasPrefix("JC dev=") })
        #expect(lines.all.contains("JC profile=default"))
        #expect(lines.all.filter { $0.hasPrefix("JC bundle=") } 
                == ["JC bundle=joget-enterprise-linux-8.1.6", "JC bundle=joget-enterprise-linux-8.1.6", "JC bundle=joget-enterprise-linux-8.1.6.tar.gz"])
    }
}
