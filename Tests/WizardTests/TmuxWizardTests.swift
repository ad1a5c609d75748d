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
        t.send("Tab", "Left")                    // Root access: password → nopasswd
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
        t.send("Tab"); t.type(fx["JC_SSHD_KEY"]!); t.send("Tab", "Left", "Enter")   // nopasswd; done
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
        t.send("Enter"); t.type("Db-pw-123")     // typed twice
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

    /// Presses Enter (and Next under a list) until `page` is on screen.
    func nextUntil(_ t: TmuxSession, _ page: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for _ in 0..<40 {
            let screen = t.capture()
            if screen.contains(page) { return }
            if screen.contains("a Add  Enter Edit") { t.send("Tab") }   // a list: its buttons, Next focused
            t.send("Enter")
            Thread.sleep(forTimeInterval: 0.1)
        }
        t.waitFor(page, timeout: 1, sourceLocation: sourceLocation)
    }

    /// An installed cluster (installed.yaml, no journal left unfinished) on hosts that cannot be reached:
    /// the Welcome page offers to change it; node02 is taken out and node03 added on a new host app3
    /// through the pages; the Review lists both and asks before retiring, and Esc there starts nothing.
    /// Then "Check for changes" lists the hosts that could not be checked, and Esc is the Welcome page.
    @Test func changeAnInstalledClusterThenCheckForChanges() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(atPath: dir + "/state", withIntermediateDirectories: true)
        let answers = """
            version: 1
            cluster: lab
            hosts:
              - {name: app1, address: 127.0.0.1, user: admin, port: 1, auth: agent, sudo: nopasswd}
              - {name: app2, address: 127.0.0.1, user: admin, port: 2, auth: agent, sudo: nopasswd}
              - {name: lb, address: 127.0.0.1, user: admin, port: 3, auth: agent, sudo: nopasswd}
            sharedFiles: {provider: nfs, server: app1, exportPath: /export/wflow, mountPoint: /opt/joget/shared/wflow}
            database: {engine: mariadb, host: app1, port: 3306, name: jwedb, user: joget, passwordSecret: db-password, admin: socket}
            appServers:
              bundle: /tmp/joget-linux.tar.gz
              nodes: [{name: node01, host: app1}, {name: node02, host: app2}]
            loadBalancer: {host: lb, serverName: joget.example.test, httpPort: 80}

            """
        for file in ["answers.yaml", "installed.yaml"] { try answers.write(toFile: dir + "/state/" + file, atomically: true, encoding: .utf8) }
        var t = start(dir, width: 80, height: 24)
        let welcome = t.waitFor("Change this cluster")
        #expect(welcome.contains("Cluster lab is installed: 2 nodes (node01, node02)."))
        #expect(welcome.contains("Check for changes"))
        t.send("Enter")
        t.waitFor("2/7 Hosts")

        // A new host, app3.
        t.send("Tab", "a")
        t.waitFor("Enter on the last field: done")
        t.type("app3"); t.send("Tab")
        t.type("127.0.0.1"); t.send("Tab")
        t.send("C-u"); t.type("admin"); t.send("Tab")
        t.send("C-u"); t.type("4"); t.send("Tab")
        t.send("Tab", "Left", "Enter")           // Login with agent → Root access: nopasswd; done
        t.waitFor("Not tested yet")
        nextUntil(t, "5/7 Application servers")
        nextUntil(t, "a Add  Enter Edit")

        // node02 out, node03 on app3 in.
        t.send("Down", "d")
        t.waitFor("Remove node node02?")
        t.send("Left", "Enter")
        t.waitFor("the node list without node02") { !$0.contains("node02     app2") && $0.contains("node01     app1") }
        t.send("a")
        t.waitFor("Node 2 (node02)")
        t.send("C-u"); t.type("node03"); t.send("Tab")
        t.send("Right", "Right", "Right", "Space", "Enter", "Enter")   // host: the last, app3; done
        t.waitFor("node03     app3")
        nextUntil(t, "7/7 Review")
        let review = t.waitFor("the changes") { $0.contains("Changes to the installed cluster") && $0.contains("Layers") }
        #expect(review.contains("This run adds node03 (on app3)"))
        #expect(review.contains("This run retires node02 (on app2)"))

        // Install asks first; Esc starts nothing.
        t.send("i")
        let question = t.waitFor("Retire node02?")
        #expect(question.contains("Enter retires and installs; Esc goes back."))
        t.send("Escape")
        t.waitFor("the question to close") { !$0.contains("Retire node02?") && $0.contains("7/7 Review") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/state/journal.jsonl"))
        let saved = try String(contentsOfFile: dir + "/state/answers.yaml", encoding: .utf8)
        #expect(saved.contains("node03") && !saved.contains("node02"))
        t.send("F10"); t.waitFor("Quit?"); t.send("Left", "Enter")
        #expect(t.waitForExit())

        // Check for changes: the checks' password first; no host answers, so nothing is checked.
        t = start(dir, width: 80, height: 24)
        t.waitFor("Check for changes")
        t.send("Down", "Enter")
        t.waitFor("The checks need db-password")
        t.type("pw-123"); t.send("Enter")
        let check = t.waitFor("the checks to end", timeout: 30) { $0.contains("could not be checked") }
        #expect(check.contains("Check for changes"))
        #expect(check.contains("not checked   app1"))
        #expect(check.contains("0 steps would change"))
        t.send("Escape")
        t.waitFor("Change this cluster")
        t.send("q"); t.waitFor("Quit?"); t.send("Left", "Enter")
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
