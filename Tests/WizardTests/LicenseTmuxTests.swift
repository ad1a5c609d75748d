import ClusterCore
@testable import ClusterEngine
import Foundation
import TestSupport
import Testing
@testable import Wizard

/// `joget-cluster licenses` on a terminal, days after the install: the real binary in tmux over a
/// prepared licenses.json. No key here reads a node (no `r`, `k` is refused before it would), so
/// no host is contacted; the answers' addresses are loopback ones all the same.
@Suite("License page in tmux", .serialized, .enabled(if: TmuxSession.available && TmuxSession.binary != nil))
struct LicenseTmuxTests {
    typealias F = LicenseFixtures

    struct Cluster {
        var answersFile: String
        var stateDir: String
    }

    func prepare(nodes: Int, stages: [F.Stage]) throws -> Cluster {
        let dir = F.tempDir("t")
        let a = F.answers(nodes: nodes)
        let answersFile = dir + "/answers.yaml"
        try AnswersFile.save(a, to: answersFile)
        let state = dir + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        _ = try F.stateDir(a, stages: stages, in: state)
        return Cluster(answersFile: answersFile, stateDir: state)
    }

    /// The command in tmux; once it ends the pane stays a while, showing what it printed.
    func start(_ c: Cluster, width: Int = 80, height: Int = 24) -> TmuxSession {
        let script = #"env LANG=C.UTF-8 TERM=xterm-256color "$0" licenses --state-dir "$1" --answers "$2"; echo "[exit $?]"; sleep 60"#
        return TmuxSession(["/bin/sh", "-c", script, TmuxSession.binary!, c.stateDir, c.answersFile], width: width, height: height)
    }

    @Test func twoNodesReadWellAndEscLeavesWithTheWayBack() throws {
        let c = try prepare(nodes: 2, stages: F.two)
        let t = start(c)
        defer { t.kill() }
        var screen = t.waitFor("License activation: 0 of 2 nodes activated")
        #expect(screen.contains("> node01  127.0.1.11:8080"))
        #expect(screen.contains("license entered"))
        #expect(screen.contains("node02  127.0.1.12:8080  -"))
        #expect(screen.contains("key needed"))
        #expect(screen.contains("http://127.0.1.11:8080/jw/web/console/home"), "the whole URL in the detail")
        #expect(screen.contains("Do it later: joget-cluster licenses --state-dir \(c.stateDir)"))
        #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 80 })

        // The second node, and its key dialog refusing the first node's key.
        t.send("Down")
        screen = t.waitFor("node02 (2 of 2)")
        #expect(screen.contains("System key   not recorded yet"))
        t.send("k")
        t.waitFor("System key of node02")
        t.type(F.systemKey(1))
        t.send("Enter")
        screen = t.waitFor("is also node01's")
        #expect(screen.contains("node02 system key:"))
        t.send("Escape")
        t.waitFor("the dialog closed") { !$0.contains("System key of node02") }

        // Esc: do it later, with the command to come back.
        t.send("Escape")
        screen = t.waitFor("Come back to it")
        #expect(screen.contains("joget-cluster licenses --state-dir \(c.stateDir)"))
        t.send("Enter")
        let printed = t.waitFor("[exit 0]")
        #expect(printed.contains("Left to do:\n  node01  license entered\n  node02  key needed\n"))
        screen = printed.replacingOccurrences(of: "\n", with: "")
        #expect(screen.contains("Come back to it with: joget-cluster licenses --state-dir \(c.stateDir)"))
        #expect(!screen.contains("--answers"), "the answers were saved beside the checklist")
        #expect(FileManager.default.fileExists(atPath: c.stateDir + "/answers.yaml"))
        let saved = try #require(try LicenseStore(directory: c.stateDir).load())
        #expect(saved.row("node02")?.status == .keyNeeded, "the refused key was not recorded")
    }

    @Test func eightNodesScrollAndF10Leaves() throws {
        let c = try prepare(nodes: 8, stages: F.eight)
        let t = start(c)
        defer { t.kill() }
        var screen = t.waitFor("2 of 8 nodes activated, 1 needs re-activation")
        #expect(screen.contains("node06"))
        #expect(!screen.contains("node08 "), "six rows fit at 80x24; the rest scroll")
        #expect(screen.contains("▼"))

        for _ in 0..<7 { t.send("Down") }
        screen = t.waitFor("node08 (8 of 8)")
        #expect(screen.contains("> node08  127.0.1.18:8080"))
        #expect(screen.contains("▲"))
        #expect(!screen.contains("node01  127.0.1.11"), "scrolled past the first rows")

        // The re-activation reason in the detail.
        for _ in 0..<4 { t.send("Up") }
        screen = t.waitFor("node04 (4 of 8)")
        #expect(screen.contains("needs re-activation: MAC 02:00:00:00:01:14 → 02:00:00:00:09:99"))

        // Wider: the legend says more.
        t.resize(120, 40)
        screen = t.waitFor("k System key")
        #expect(screen.contains("node08"), "all eight rows at 120x40")

        t.send("F10")
        t.waitFor("Come back to it")
        t.send("Enter")
        screen = t.waitFor("[exit 0]").replacingOccurrences(of: "\n", with: "")
        #expect(screen.contains("Come back to it with: joget-cluster licenses --state-dir \(c.stateDir)"))
    }

    // MARK: Reading real pages

    /// A node's console as a static web server shows it: `footer` is the footer's HTML.
    final class FakeConsole {
        let dir: String
        private var pid: pid_t = 0
        /// Open while the server runs: http.server exits once its stdout has no reader.
        private var output: Int32 = -1
        private(set) var port = 0

        init(footer: String) throws {
            dir = F.tempDir("web")
            try show(footer)
            let (readEnd, writeEnd) = Program.pipe()
            output = readEnd
            pid = try Program.spawn(["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir],
                                    stdout: writeEnd)
            close(writeEnd)
            // "Serving HTTP on 127.0.0.1 port 43567 (http://127.0.0.1:43567/) ..."
            let handle = FileHandle(fileDescriptor: readEnd, closeOnDealloc: false)
            var text = ""
            while text.firstMatch(of: /port (\d+)/) == nil {
                let data = handle.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
            }
            if let m = text.firstMatch(of: /port (\d+)/) { port = Int(m.output.1) ?? 0 }
        }

        /// What the console page and the footer fragment show from now on.
        func show(_ footer: String) throws {
            let page = "<!DOCTYPE html><html><body><div id=\"header\">App Center</div><div id=\"footer\">\(footer)</div></body></html>\n"
            for (path, body) in [("jw/web/console", page), ("jw/web/json/plugin/org.joget.apps.ext.ConsoleWebPlugin", footer + "\n")] {
                try FileManager.default.createDirectory(atPath: dir + "/" + path, withIntermediateDirectories: true)
                let file = dir + "/" + path + (path.hasSuffix("console") ? "/home" : "/service")
                try Data(body.utf8).write(to: URL(fileURLWithPath: file))
            }
        }

        func stop() {
            guard pid > 0 else { return }
            kill(pid, SIGKILL)
            Program.wait(pid)
            close(output)
            pid = 0
        }
        deinit { stop() }

        static func unlicensed(key: String) -> String {
            "Powered by Joget DX 8.1.6 Enterprise Edition | <a id=\"license-link\" href=\"#license\">License</a>"
                + "<div id=\"license\"><h3>License</h3><p>System Key: <span id=\"system-key\">\(key)</span></p></div>"
        }
        static let licensed = "Powered by Joget DX 8.1.6 Enterprise Edition | <span>Licensed to: Example Org</span>"
    }

    /// Two nodes on this machine (a local shell, no SSH), each a static web server: `r` reads both
    /// keys from their pages, `c` sees the License link, then, once the page shows a licence, "activated".
    @Test(.enabled(if: TmuxSession.which("python3") != nil && TmuxSession.which("curl") != nil))
    func readsKeysAndChecksActivationOnRealPages() throws {
        let keys = [F.systemKey(1), F.systemKey(3)]
        let consoles = try keys.map { try FakeConsole(footer: FakeConsole.unlicensed(key: $0)) }
        defer { for c in consoles { c.stop() } }
        try #require(consoles.allSatisfy { $0.port > 0 })

        let dir = F.tempDir("t")
        let shared = dir + "/wflow"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        try Data("currentProfile=default\n".utf8).write(to: URL(fileURLWithPath: shared + "/app_datasource.properties"))
        var a = Answers()
        a.cluster = "here-joget"
        a.hosts = [ClusterCore.Host(name: "here", address: "127.0.0.1", user: "root", auth: .local, sudo: .root)]
        a.sharedFiles.provider = .existing
        a.sharedFiles.mountPoint = shared
        a.database.host = "here"
        a.appServers.bundle = "/home/admin/joget-enterprise-linux-8.1.6.tar.gz"
        a.appServers.installDir = dir + "/opt"
        a.appServers.nodes = consoles.enumerated().map { Node(name: F.node($0.offset + 1), host: "here", httpPort: $0.element.port) }
        a.loadBalancer.host = "here"
        a.loadBalancer.serverName = "joget.example.com"
        try AnswersFile.save(a, to: dir + "/answers.yaml")
        let c = Cluster(answersFile: dir + "/answers.yaml", stateDir: dir + "/state")
        // Installed: the nodes have pages to read (a cluster never installed only says so).
        try FileManager.default.createDirectory(atPath: c.stateDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try AnswersFile.save(a, to: c.stateDir + "/installed.yaml")

        let t = start(c, width: 120, height: 40)
        defer { t.kill() }
        t.waitFor("License activation: 0 of 2 nodes activated")
        t.send("r")
        var screen = t.waitFor("both keys read", timeout: 30) { screen in
            screen.split(separator: "\n").filter { $0.contains("/jw/web/console/home  ") && $0.hasSuffix("key recorded") }.count == 2
        }
        #expect(screen.contains(keys[0]), "node01's key, whole, in the table and its detail")
        #expect(screen.contains("Seen         system key \(keys[0]) read from http://127.0.0.1:\(consoles[0].port)/jw/web/console/home"))
        #expect(screen.contains("profile default"))

        t.send("c")
        screen = t.waitFor("not activated yet", timeout: 30)
        #expect(screen.contains("shows the license link"))

        try consoles[0].show(FakeConsole.licensed)
        t.send("c")
        screen = t.waitFor("activated (verified)", timeout: 30)
        #expect(screen.contains("License activation: 1 of 2 nodes activated"))
        #expect(screen.contains("Licensed to Example Org"))

        let saved = try #require(try LicenseStore(directory: c.stateDir).load())
        #expect(saved.row("node01")?.status == .activated)
        #expect(saved.row("node02")?.systemKey == keys[1])
        #expect(saved.row("node02")?.keySource == .read)
    }
}
