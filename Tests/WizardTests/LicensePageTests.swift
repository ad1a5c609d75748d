import ClusterCore
@testable import ClusterEngine
import Foundation
import TermUI
import TestSupport
import Testing
@testable import Wizard

@Suite("License page") struct LicensePageTests {
    typealias F = LicenseFixtures

    /// `snapshot`: a fixed folder of that name, so paths on the page do not change between runs.
    static func open(_ nodes: Int, stages: [F.Stage], mode: LicensePage.Mode = .standalone,
                     snapshot: String? = nil) async throws -> (LicenseHarness, Answers, String) {
        let a = F.answers(nodes: nodes)
        let dir = try F.stateDir(a, stages: stages, in: snapshot.map(F.fixedDir))
        return (try await F.page(a, dir: dir, mode: mode), a, dir)
    }

    static func text(_ page: LicenseHarness, _ a: Answers, _ w: Int = 80, _ h: Int = 24) -> String {
        F.frame(page, a, width: w, height: h).text
    }

    static func type(_ page: LicenseHarness, _ text: String) { for c in text { _ = page.handle(.char(c)) } }

    // MARK: Snapshots

    @Test func snapshotsTwoAndEightNodes() async throws {
        for (nodes, stages) in [(2, F.two), (8, F.eight)] {
            let (page, a, _) = try await Self.open(nodes, stages: stages, snapshot: "\(nodes)nodes")
            for (w, h) in [(80, 24), (120, 40)] {
                assertSnapshot(F.frame(page, a, width: w, height: h), named: "license-\(nodes)nodes-\(w)x\(h)")
            }
        }
    }

    @Test func snapshotsOfEachStatusDetail() async throws {
        let (page, a, _) = try await Self.open(8, stages: F.eight, snapshot: "detail")
        // node04 needs re-activation; node08 (scrolled to) is activated; node05's key was not found.
        for (index, tag) in [(3, "reactivation"), (4, "not-found"), (7, "activated")] {
            while page.selected < index { _ = page.handle(.down) }
            assertSnapshot(F.frame(page, a, width: 80, height: 24), named: "license-detail-\(tag)-80x24")
        }
        // The detail scrolls: the history at the end of node08's.
        _ = page.handle(.pageDown)
        _ = page.handle(.pageDown)
        assertSnapshot(F.frame(page, a, width: 80, height: 24), named: "license-detail-scrolled-80x24")
    }

    @Test func snapshotKeyDialogWithDuplicateKey() async throws {
        let (page, a, _) = try await Self.open(8, stages: F.eight, snapshot: "duplicate")
        _ = page.handle(.down); _ = page.handle(.down)   // node03: key recorded
        #expect(page.handle(.char("k")) == .none)
        Self.type(page, F.systemKey(1))                  // node01's key
        _ = page.handle(.enter)
        guard case .systemKey(let node, let field)? = page.modal else {
            Issue.record("the key dialog closed on a duplicate key"); return
        }
        #expect(node == "node03")
        #expect(field.error?.hasPrefix("node03 system key:") == true)
        #expect(field.error?.contains("also node01's key") == true)
        for (w, h) in [(80, 24), (120, 40)] {
            assertSnapshot(F.frame(page, a, width: w, height: h), named: "license-key-duplicate-\(w)x\(h)")
        }
    }

    @Test func snapshotLicenseDialogAndLeave() async throws {
        let (page, a, _) = try await Self.open(2, stages: F.two, snapshot: "dialogs")
        _ = page.handle(.char("l"))                      // node01: license entered; enter it again
        Self.type(page, "JLIC-new-0123456789abcdef-77AB")
        assertSnapshot(F.frame(page, a, width: 80, height: 24), named: "license-license-dialog-80x24")
        _ = page.handle(.escape)
        _ = page.handle(.escape)
        assertSnapshot(F.frame(page, a, width: 80, height: 24), named: "license-leave-80x24")
    }

    @Test func snapshotASCII() async throws {
        let (page, a, _) = try await Self.open(8, stages: F.eight, snapshot: "ascii")
        assertSnapshot(F.frame(page, a, width: 80, height: 24, theme: .monochrome(symbols: .ascii)), named: "license-8nodes-ascii-80x24")
    }

    // MARK: Layout

    @Test func wholeURLAndKeyAlwaysReachable() async throws {
        var a = F.answers(nodes: 2)
        a.hosts[1].address = "app-server-one.datacenter-north.production.example-corporation.internal"
        let dir = try F.stateDir(a, stages: F.two)
        let page = try await F.page(a, dir: dir)
        let url = try #require(page.current?.url)
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = F.frame(page, a, width: w, height: h).lines()
            // The detail holds the URL whole, wrapped over lines when it is wider than the pane.
            let joined = screen.map { $0.trimmingCharacters(in: .whitespaces) }.joined()
            #expect(joined.contains(url), "the whole URL at \(w)x\(h)")
            #expect(screen.allSatisfy { TextWidth.of($0) <= w })
        }
        let key = F.systemKey(1)
        #expect(Self.text(page, a).contains(key), "the selected node's whole key in its detail")
    }

    @Test func columnsLineUp() async throws {
        let (page, a, _) = try await Self.open(8, stages: F.eight)
        for (w, h) in [(80, 24), (120, 40)] {
            let lines = F.frame(page, a, width: w, height: h).lines()
            let header = try #require(lines.first { $0.contains("NODE") && $0.contains("STATUS") })
            let statusColumn = try #require(header.range(of: "STATUS")).lowerBound
            let x = header.distance(from: header.startIndex, to: statusColumn)
            let rows = lines.filter { $0.contains("node0") && ($0.contains("key needed") || $0.contains("activated") || $0.contains("recorded") || $0.contains("entered") || $0.contains("needs re-")) && !$0.contains("Left to do") }
            #expect(rows.count >= 6)
            for row in rows where row.count > x {
                let before = row.prefix(x)
                #expect(before.last == " ", "status starts in its column at \(w)x\(h): \(row)")
            }
        }
    }

    @Test func tableScrollsWithEightNodes() async throws {
        let (page, a, _) = try await Self.open(8, stages: F.eight)
        #expect(!Self.text(page, a).contains("node08 "))
        for _ in 0..<7 { _ = page.handle(.down) }
        let screen = Self.text(page, a)
        #expect(screen.contains("node08"))
        #expect(screen.contains("▲"))
        #expect(page.current?.node == "node08")
        _ = page.handle(.home)
        #expect(page.current?.node == "node01")
    }

    // MARK: State

    @Test func recordingAKeyMovesTheStatusAndIsSaved() async throws {
        let (page, _, dir) = try await Self.open(2, stages: F.two)
        _ = page.handle(.down)
        #expect(page.current?.status == .keyNeeded)
        _ = page.handle(.char("k"))
        Self.type(page, "  EE-0f1e2d3c4b5a69788796a5b4c3d2e1f0 ")
        _ = page.handle(.enter)
        #expect(page.modal == nil)
        await page.settle()
        let row = try #require(page.checklist.row("node02"))
        #expect(row.status == .keyRecorded)
        #expect(row.systemKey == "EE-0f1e2d3c4b5a69788796a5b4c3d2e1f0")
        #expect(page.message?.contains("node02: system key EE-0f1e2d3c4b5a69788796a5b4c3d2e1f0 recorded") == true)
        let saved = try #require(try LicenseStore(directory: dir).load())
        #expect(saved.row("node02")?.status == .keyRecorded)
    }

    @Test func enterDoesTheNextStep() async throws {
        let (page, _, _) = try await Self.open(2, stages: F.two)
        _ = page.handle(.down)
        _ = page.handle(.enter)
        if case .systemKey(let node, _)? = page.modal { #expect(node == "node02") } else { Issue.record("no key dialog") }
        _ = page.handle(.escape)
        #expect(page.modal == nil)
    }

    @Test func duplicateKeyRefusedAndNothingChanges() async throws {
        let (page, _, dir) = try await Self.open(2, stages: F.two)
        let before = try #require(try LicenseStore(directory: dir).load())
        _ = page.handle(.down)
        _ = page.handle(.char("k"))
        Self.type(page, F.systemKey(1).uppercased())
        _ = page.handle(.enter)
        guard case .systemKey(_, let field)? = page.modal else { Issue.record("dialog closed"); return }
        #expect(field.error?.contains("node02 system key") == true)
        #expect(field.error?.contains("node01's key") == true)
        #expect(page.running == 0, "nothing was sent to the desk")
        // Typing clears the error; Esc leaves the node as it was.
        _ = page.handle(.backspace)
        if case .systemKey(_, let f)? = page.modal { #expect(f.error == nil) }
        _ = page.handle(.escape)
        await page.settle()
        #expect(page.checklist.row("node02")?.status == .keyNeeded)
        #expect(try LicenseStore(directory: dir).load()?.row("node02") == before.row("node02"))
    }

    @Test func licenseIsMaskedAndRevealedOnlyOnRequest() async throws {
        let (page, a, dir) = try await Self.open(8, stages: F.eight)
        _ = page.handle(.down); _ = page.handle(.down)   // node03: key recorded
        let license = "JLIC-3-secret-value-0123456789-ABCD"
        _ = page.handle(.char("l"))
        Self.type(page, license)
        let typing = Self.text(page, a)
        #expect(!typing.contains("secret-value"), "masked while typed")
        _ = page.handle(.enter)
        await page.settle()
        let row = try #require(page.checklist.row("node03"))
        #expect(row.status == .licenseEntered)
        #expect(row.licenseKey == license)
        var screen = Self.text(page, a)
        #expect(!screen.contains(license))
        #expect(screen.contains("****ABCD"))
        #expect(page.message?.contains(license) == false)
        _ = page.handle(.char("v"))
        screen = Self.text(page, a)
        #expect(screen.contains(license), "v shows it")
        _ = page.handle(.char("v"))
        #expect(!Self.text(page, a).contains(license), "v again hides it")
        // Moving away and back does not show it either.
        _ = page.handle(.down); _ = page.handle(.up)
        #expect(!Self.text(page, a).contains(license))
        // The file keeps it (0600); nothing else does.
        let data = try #require(FileManager.default.contents(atPath: dir + "/licenses.json"))
        #expect(String(decoding: data, as: UTF8.self).contains(license))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: dir + "/licenses.json")[.posixPermissions] as? Int)
        #expect(mode == 0o600)
    }

    @Test func licenseRefusedWithoutAKey() async throws {
        let (page, _, _) = try await Self.open(2, stages: F.two)
        _ = page.handle(.down)                            // node02: key needed
        _ = page.handle(.char("l"))
        #expect(page.modal == nil)
        #expect(page.messageRole == .error)
        #expect(page.message?.contains("node02 has no system key recorded yet") == true)
    }

    @Test func exportsNeverHoldLicenseKeys() async throws {
        let (page, _, dir) = try await Self.open(8, stages: F.eight)
        _ = page.handle(.char("e"))
        await page.settle()
        #expect(page.message?.contains(dir + "/licenses.md") == true)
        _ = page.handle(.char("E"))
        await page.settle()
        #expect(page.message?.contains(dir + "/licenses.csv") == true)
        for ext in ["md", "csv"] {
            let text = try String(contentsOfFile: dir + "/licenses." + ext, encoding: .utf8)
            #expect(text.contains(F.systemKey(1)))
            #expect(text.contains("http://127.0.1.11:8080/jw/web/console/home"))
            for i in 1...8 { #expect(!text.contains(F.license(i)), "no license key in the \(ext) export") }
            #expect(!text.contains("JLIC"))
        }
    }

    @Test func checkSaysWhatItSaw() async throws {
        let (page, a, _) = try await Self.open(2, stages: F.two)
        _ = page.handle(.char("c"))
        await page.settle()
        #expect(page.message?.contains("node01: cannot tell: could not read the node") == true)
        #expect(page.messageRole == .warning)
        #expect(page.checklist.row("node01")?.status == .licenseEntered, "cannot tell changes nothing")
        #expect(Self.text(page, a, 120, 40).contains("Seen"))
    }

    @Test func refreshShowsWhatEachNodeShowed() async throws {
        let (page, a, _) = try await Self.open(2, stages: F.two)
        _ = page.handle(.char("r"))
        await page.settle()
        #expect(page.message?.contains("2 could not be") == true)
        #expect(page.seen["node01"]?.first?.hasPrefix("could not read the node") == true)
        #expect(Self.text(page, a, 120, 40).contains("could not read the node"))
    }

    @Test func backgroundWorkNeverHoldsUpKeys() async throws {
        let gate = Gate()
        let a = F.answers(nodes: 8)
        let dir = try F.stateDir(a, stages: F.eight)
        let page = try await F.page(a, dir: dir) { GatedTransport(hostName: $0.name, gate: gate) }
        #expect(page.handle(.char("r")) == .none)
        #expect(page.running == 1)
        // The read waits at the first host's login; keys go on.
        for _ in 0..<3 { _ = page.handle(.down) }
        #expect(page.current?.node == "node04")
        _ = page.handle(.char("e"))
        #expect(page.running == 2, "the export waits its turn behind the read")
        let busy = Self.text(page, a)
        #expect(busy.contains("Reading every node") || busy.contains("reading MAC"))
        gate.open()
        await page.settle()
        #expect(page.running == 0)
        #expect(gate.arrived == 8)
        #expect(FileManager.default.fileExists(atPath: dir + "/licenses.md"))
    }

    @Test func leavingShowsHowToComeBack() async throws {
        let (page, a, dir) = try await Self.open(2, stages: F.two)
        #expect(Self.text(page, a).contains("Do it later: joget-cluster licenses --state-dir \(dir)"))
        _ = page.handle(.escape)
        let screen = Self.text(page, a)
        #expect(screen.contains("joget-cluster licenses --state-dir"))
        #expect(screen.contains("Left to do: node01 (license entered), node02 (key needed)"))
        _ = page.handle(.escape)                          // Stay
        #expect(page.modal == nil && !page.left)
        _ = page.handle(.f(10))
        _ = page.handle(.enter)                           // Leave
        #expect(page.left)
        let farewell = LicenseApp.farewell(page.checklist, page: page.value)
        #expect(farewell.contains("Come back to it with: joget-cluster licenses --state-dir \(dir)"))
    }

    @Test func inTheFlowEscGoesOnToTheSummary() async throws {
        let (page, _, _) = try await Self.open(2, stages: F.two, mode: .inFlow)
        #expect(page.handle(.f(10)) == .ignored, "F10 is the app's quit")
        _ = page.handle(.escape)
        #expect(page.handle(.enter) == .next)
        #expect(page.handle(.char("n")) == .next)
    }

    @Test func damagedFileIsShownNotOverwritten() async throws {
        let a = F.answers(nodes: 2)
        let dir = F.tempDir()
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: dir + "/licenses.json"))
        let page = LicenseHarness.opening(a, dir: dir, mode: .standalone)
        #expect(page.problem?.contains("damaged") == true)
        #expect(Self.text(page, a).contains("cannot be opened"))
        _ = page.handle(.escape)
        #expect(page.left)
        #expect(try String(contentsOfFile: dir + "/licenses.json", encoding: .utf8) == "{ not json")
    }

    // MARK: In the app

    @Test func welcomeOpensTheChecklist() async throws {
        let dir = F.tempDir("app")
        let a = F.answers(nodes: 2)
        try AnswersFile.encode(a).write(toFile: dir + "/installed.yaml", atomically: true, encoding: .utf8)
        let start = AppState(config: AppConfig(stateDirectory: dir, environment: ["HOME": dir]), answers: a, givenAnswers: true,
                             hostedPages: HostedPages(OperatorPages.factories()))
        let runtime = AppRuntime(state: start, backend: HeadlessScreen(width: 80, height: 24), services: .live)
        runtime.sendsTime = false
        while runtime.state.welcome.selectedOption != .licenses { runtime.handle(.key(.down)) }
        runtime.handle(.key(.enter))
        #expect(runtime.state.page == .hosted(.licenses))
        let page = try #require(runtime.state.licenses)
        #expect(page.mode == .inFlow)
        #expect(page.comeBack == "joget-cluster licenses --state-dir \(dir)")
        await runtime.settleLicenses()
        #expect(FileManager.default.fileExists(atPath: dir + "/licenses.json"), "saved on the first visit")
        var b = Buffer(width: 80, height: 24)
        AppView.render(runtime.state, into: &b, theme: .monochrome())
        #expect(b.text.contains("License activation: 0 of 2 nodes activated"))
        // n goes on to the Summary.
        runtime.handle(.key(.char("n")))
        #expect(runtime.state.page == .hosted(.summary))
    }

    @Test func aClusterNeverInstalledSaysSoInsteadOfKeyNeededRows() async throws {
        let dir = F.tempDir("never")
        let a = F.answers(nodes: 2)
        let page = LicenseHarness.opening(a, dir: dir, mode: .standalone)
        await page.settle()
        let text = Self.text(page, a)
        #expect(text.contains("is not installed yet"), "\(text)")
        #expect(text.contains("Community Edition does not"))
        #expect(!text.contains("key needed") && !text.contains("cannot be opened"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/licenses.json"), "nothing to save")
        #expect(LicenseApp.farewell(page.checklist, page: page.value).contains("not installed yet"))
        // Once a node is installed, the rows are there.
        try AnswersFile.encode(a).write(toFile: dir + "/installed.yaml", atomically: true, encoding: .utf8)
        #expect(!LicensePage.nothingInstalled(stateDirectory: dir))
    }

    @Test func doItLaterWithNoNodesDoesNotSayEveryNodeIsActivated() {
        var a = F.answers(nodes: 2)
        a.appServers.nodes = []
        var page = LicensePage(checklist: LicenseChecklist(answers: a, at: Date()), stateDirectory: "/state",
                               comeBack: "joget-cluster licenses")
        page.askLeave()
        guard case .leave(let d)? = page.modal else { Issue.record("no Do it later dialog"); return }
        #expect(!d.message.contains("Every node is activated"))
        #expect(d.message.contains("No node is listed yet."))
        #expect(!LicenseApp.farewell(page.checklist, page: page).contains("Every node is activated"))
    }

    @Test func answersWithoutNodesShowNothingToLicenseAndWriteNothing() async throws {
        let dir = F.tempDir("empty") + "/state"
        var a = F.answers(nodes: 2)
        a.appServers.nodes = []
        let page = LicenseHarness.opening(a, dir: dir, mode: .inFlow)
        await page.settle()
        #expect(Self.text(page, a).contains("No app server nodes in the answers: nothing to license."))
        #expect(page.handle(.char("k")) == .none && page.modal == nil)
        #expect(!FileManager.default.fileExists(atPath: dir + "/licenses.json"))
    }

    @Test func relativeStateFolderShownWhole() {
        let cwd = FileManager.default.currentDirectoryPath
        let command = LicensePage.comeBackCommand(stateDirectory: "state/acme", cluster: "acme", environment: ["HOME": "/nonexistent"])
        #expect(command == "joget-cluster licenses --state-dir " + Shell.quote(URL(fileURLWithPath: cwd + "/state/acme").standardized.path))
        #expect(LicensePage.comeBackCommand(stateDirectory: "/home/op/.local/state/joget-cluster/acme/", cluster: "acme",
                                            environment: ["HOME": "/home/op"]) == "joget-cluster licenses")
    }

    @Test func standaloneAppLeavesOnEsc() async throws {
        let a = F.answers(nodes: 2)
        let dir = try F.stateDir(a, stages: F.two)
        let page = try await F.page(a, dir: dir)
        let screen = page.screen
        let app = page.runtime
        app.drawFrame()
        #expect(screen.lines.joined(separator: "\n").contains("License activation"))
        app.handle(.key(.f(1)))
        app.drawFrame()
        #expect(screen.lines.joined(separator: "\n").contains("Help: License checklist"))
        app.handle(.key(.enter))
        app.handle(.key(.escape))
        app.handle(.key(.enter))
        #expect(app.state.done)
    }
}
