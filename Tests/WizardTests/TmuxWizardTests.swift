import Foundation
import Testing

/// The real binary in tmux, against two hosts on the loopback sshd fixture.
@Suite("Wizard in tmux", .serialized, .enabled(if: TmuxSession.available && TmuxSession.binary != nil))
struct TmuxWizardTests {
    func tempDir() -> String {
        let path = NSTemporaryDirectory() + "wizard-tmux-" + UUID().uuidString.prefix(8)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The binary in tmux; `env` goes through env(1), since tmux sets TERM for its panes itself.
    func start(_ stateDir: String, width: Int = 120, height: Int = 40, env: [String: String] = [:]) -> TmuxSession {
        var e = ["LANG": "C.UTF-8", "TERM": "xterm-256color"]
        for (k, v) in env { e[k] = v }
        let assignments = e.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return TmuxSession(["/usr/bin/env"] + assignments + [TmuxSession.binary!, "--state-dir", stateDir + "/state"],
                           width: width, height: height)
    }

    /// Adds a host from the Hosts page's list: name, address, user, port, key login with `key`.
    func addHost(_ t: TmuxSession, name: String, address: String, user: String, port: String, key: String) {
        t.send("a")
        t.waitFor("Enter on the last field: done")
        t.type(name); t.send("Tab")
        t.type(address); t.send("Tab")
        t.send("C-u"); t.type(user); t.send("Tab")
        t.send("C-u"); t.type(port); t.send("Tab")
        t.send("Right")                          // Login with: agent → key
        t.waitFor("Key file")
        t.send("Tab"); t.type(key)
        t.send("Tab")                            // Root access (nopasswd)
        t.send("Enter")                          // done
        t.waitFor("\(name) ") { $0.contains("Connection test") || $0.contains("Not tested yet") }
    }

    /// Accepts the host key dialog showing `fingerprint`, then waits for the finished test.
    func acceptKeyAndWait(_ t: TmuxSession, fingerprint: String) {
        let dialog = t.waitFor("Unknown host key")
        #expect(dialog.contains(fingerprint))
        t.send("Left", "Enter")                  // Accept
        let done = t.waitFor("the finished test", timeout: 30) { $0.contains("Clock") && !$0.contains("testing...") }
        #expect(done.contains("SSH login    ok"))
        #expect(done.contains("Root access  ok"))
        #expect(done.contains("OS "))
    }

    @Test(.enabled(if: SSHFixture.env != nil))
    func wholeFlowWelcomeToReviewWithRealConnectionTests() throws {
        let fx = SSHFixture.env!
        let dir = tempDir()
        var t = start(dir)
        t.waitFor("New install")
        t.send("Enter")
        t.waitFor("Cluster name")
        t.send("C-u"); t.type("lab")
        t.send("Tab")                            // → host list

        // First host, with a wrong address typed and corrected on the way.
        t.send("a")
        t.waitFor("Enter on the last field: done")
        t.type("app1"); t.send("Tab")
        t.type("999.1.1.1"); t.send("Tab")
        let bad = t.waitFor("the address error") { $0.contains("\"999.1.1.1\" is not an IP address") }
        let addressRow = bad.split(separator: "\n").first { $0.contains("Address") } ?? ""
        #expect(addressRow.contains("[999.1.1.1") && addressRow.contains("\"999.1.1.1\" is not"))
        t.send("BTab", "C-u"); t.type(fx["JC_SSHD_HOST"]!); t.send("Tab")
        t.waitFor("the error to clear") { !$0.contains("is not an IP address") }
        t.send("C-u"); t.type(fx["JC_SSHD_KEY_USER"]!); t.send("Tab")
        t.send("C-u"); t.type(fx["JC_SSHD_PORT"]!); t.send("Tab")
        t.send("Right")
        t.waitFor("Key file")
        t.send("Tab"); t.type(fx["JC_SSHD_KEY"]!); t.send("Tab", "Enter")
        t.waitFor("Not tested yet")

        addHost(t, name: "lb", address: fx["JC_SSHD_HOST"]!, user: fx["JC_SSHD_KEY_USER"]!, port: fx["JC_SSHD_PORT_B"]!,
                key: fx["JC_SSHD_KEY"]!)

        // Test connection: lb (selected, the one just added), then app1. Both keys are new to this state folder.
        t.send("t")
        acceptKeyAndWait(t, fingerprint: fx["JC_SSHD_FINGERPRINT_B"]!)
        t.send("Up", "t")
        acceptKeyAndWait(t, fingerprint: fx["JC_SSHD_FINGERPRINT"]!)
        let known = try String(contentsOfFile: dir + "/state/known_hosts", encoding: .utf8)
        #expect(known.contains("[127.0.0.1]:\(fx["JC_SSHD_PORT"]!)"))

        // Quit in the middle; start again: every answer is there.
        t.send("F10")
        t.waitFor("Quit? Your answers are kept.")
        t.send("Left", "Enter")
        #expect(t.waitForExit())
        t = start(dir)
        t.waitFor("Continue where you left off")
        t.send("Enter")
        t.waitFor("3/7 Shared files")            // the first page with something missing
        t.send("Escape")
        let hosts = t.waitFor("2/7 Hosts")
        #expect(hosts.contains("app1") && hosts.contains("lb") && hosts.contains("\(fx["JC_SSHD_PORT_B"]!)  key"))
        #expect(hosts.contains("cluster: lab"))
        t.send("Tab", "Tab", "Tab", "Enter")     // cluster → list → buttons (Next)
        t.waitFor("3/7 Shared files")

        // 1 Shared files: NFS from app1.
        t.send("Tab", "Space")                   // NFS server: app1
        t.send("Enter", "Enter", "Enter")        // → export path → mount point → Next
        t.waitFor("4/7 Database")

        // 2 Database on app1, with the app user's password (kept in memory only).
        t.send("Tab", "Space", "Enter")          // host app1 → Port
        t.send("C-u"); t.type("3306x")           // digits only: the x is refused
        t.send("Enter", "Enter", "Enter")        // → name → user → password
        t.type("Db-pw-123")
        t.waitFor("[•••••••••")
        t.send("Enter", "Enter")                 // → admin login → Next
        t.waitFor("5/7 Application servers")

        // 3 App servers: the bundle, then two nodes.
        t.type("/tmp/joget-linux.tar.gz")
        t.waitFor("[/tmp/joget-linux.tar.gz")
        for _ in 0..<12 { t.send("Enter") }      // through the fields to the node list
        t.send("a")
        t.waitFor("Node 1 (node01)")
        t.send("Enter", "Enter", "Enter")        // lb is offered (no role yet); done
        t.send("a")
        t.waitFor("Node 2 (node02)")
        t.send("Tab", "Space", "Enter", "Enter") // host app1; done
        t.send("Tab", "Enter")                   // buttons: Next
        t.waitFor("6/7 Load balancer")

        // 4 Load balancer on lb.
        t.send("Right")                          // Balancer host: app1 → lb
        t.send("Tab"); t.type("joget.example.test")
        t.send("Enter", "Enter", "Enter")
        let review = t.waitFor("the review") { $0.contains("7/7 Review") && $0.contains("Plan:") }
        #expect(review.contains("[x] Hosts and connections"))
        #expect(review.contains("[x] 4 Load balancer"))
        #expect(!review.contains("[!]"))

        // The answers file has every answer and no password.
        let saved = try String(contentsOfFile: dir + "/state/answers.yaml", encoding: .utf8)
        #expect(saved.contains("joget.example.test") && saved.contains("node02"))
        #expect(!saved.contains("Db-pw-123"))

        // Too small, then back.
        t.resize(60, 15)
        t.waitFor("Terminal too small: 60x15, need 80x24")
        t.resize(120, 40)
        t.waitFor("[x] 4 Load balancer")
        t.send("F10"); t.waitFor("Quit?"); t.send("Left", "Enter")
        #expect(t.waitForExit())
    }

    @Test func noColorAndVT100() {
        let dir = tempDir()
        let t = start(dir, width: 80, height: 24, env: ["NO_COLOR": "1", "TERM": "vt100"])
        let screen = t.waitFor("New install")
        #expect(screen.contains("-----"))
        #expect(!screen.contains("─"))
        let raw = t.capture(escapes: true)
        // No colour sequences at all: only attributes (bold, reverse, underline).
        #expect(raw.range(of: "\u{1B}\\[[0-9;]*(3[0-7]|4[0-7]|38;|48;)[0-9;]*m", options: .regularExpression) == nil)
        t.send("Enter")
        t.waitFor("Cluster name")
        t.send("C-c")
        t.waitFor("Quit? Your answers are kept.")
        t.send("C-c")
        #expect(t.waitForExit())
    }

    @Test func smallTerminalShowsTheNoticeNotACrash() {
        let dir = tempDir()
        let t = start(dir, width: 60, height: 15)
        t.waitFor("Terminal too small: 60x15, need 80x24")
        t.resize(80, 24)
        t.waitFor("New install")
        t.send("q")
        t.waitFor("Quit?")
        t.send("Left", "Enter")
        #expect(t.waitForExit())
    }
}
