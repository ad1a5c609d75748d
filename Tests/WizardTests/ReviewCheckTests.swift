import ClusterCore
@testable import ClusterEngine
import Foundation
import TestSupport
import Testing
import TermUI
@testable import Wizard

/// The Review's "Check hosts and network", the check and the host-key questions Install runs
/// first, a step's scripts from a host's step list, and the passwords the install uses: through
/// messages, as the runtime would deliver them.
@Suite("Review: checks, host keys, scripts, passwords")
struct ReviewCheckTests {
    /// Two hosts; app1 logs in with a password and sudo asks one too.
    static var answers: Answers {
        var a = Example.small
        a.hosts[0].auth = .password
        a.hosts[0].keyFile = nil
        a.hosts[0].sudo = .password
        return a
    }

    func state(_ answers: Answers = answers, secrets: [String: String] = [:]) throws -> AppState {
        let dir = WizardHarness.tempDir()
        var s = AppState(config: AppConfig(stateDirectory: dir + "/state", environment: ["HOME": dir]), answers: answers)
        for (k, v) in secrets { s.model.secrets[SecretName(k)] = v }
        _ = App.enter(&s, .review)
        _ = App.update(&s, .planBuilt(.success(try Planner.plan(answers, installed: nil)), installed: nil))
        return s
    }

    static let allSecrets = ["db-password": "Db-secret-9", "ssh-app1": "ssh", "sudo-app1": "sudo"]

    func screen(_ s: AppState, _ w: Int = 80, _ h: Int = 24) -> String {
        var b = Buffer(width: w, height: h)
        AppView.render(s, into: &b, theme: .monochrome())
        return b.text
    }

    func send(_ s: inout AppState, _ keys: Key...) -> [String] {
        keys.flatMap { App.update(&s, .key($0)).map(\.name) }
    }

    static func line(_ status: Checkup.Line.Status, _ title: String, _ evidence: String = "") -> Checkup.Line {
        Checkup.Line(status: status, title: title, evidence: evidence)
    }

    // MARK: Check hosts and network

    @Test func checkHostsAsksTheLoginPasswordsThenShowsTheLinesLiveAndEscReturnsToTheReview() throws {
        var s = try state()
        #expect(s.review.legend.contains { $0.key == "c" })
        _ = send(&s, .char("c"))
        // The checks log in: the SSH and sudo passwords, not the database's.
        guard case .secret(let prompt)? = s.dialog else { Issue.record("no password prompt"); return }
        #expect(prompt.then == .check)
        #expect(prompt.pending.map(\.rawValue) == ["ssh-app1", "sudo-app1"])
        var effects: [String] = []
        for _ in prompt.pending { effects = send(&s, .char("p"), .enter) }
        #expect(s.page == .hosted(.check))
        #expect(effects == ["checkup:keys:app1,lb"])
        #expect(screen(s).contains("Reading the hosts' keys..."))

        #expect(App.update(&s, .checkup(.keys([HostKeyScan(host: "app1", status: .known),
                                                HostKeyScan(host: "lb", status: .failed("no answer"))]))).map(\.name)
                == ["checkup:start"])
        _ = App.update(&s, .checkup(.line(Self.line(.pass, "app1: SSH login", "jctest@127.0.0.1:22222 (password)"))))
        _ = App.update(&s, .checkup(.line(Self.line(.fail, "lb: SSH login", "no SSH server answered on port 22223"))))
        var text = screen(s)
        #expect(text.contains("Checking... 2 lines so far"))
        #expect(text.contains("PASS     app1: SSH login — jctest@127.0.0.1:22222 (password)"))
        #expect(text.contains("FAIL     lb: SSH login — no SSH server answered on port 22223"))
        _ = App.update(&s, .checkup(.line(Self.line(.notRun, "lb reaches app1:8080 (node01's HTTP)", "cannot log in to lb"))))
        _ = App.update(&s, .checkup(.line(Self.line(.warn, "Clocks between hosts", "lb is 3.0 s ahead of app1"))))
        #expect(App.update(&s, .checkup(.finished)).isEmpty)
        text = screen(s)
        #expect(text.contains("1 passed, 1 warning, 1 failed, 1 not run."))
        #expect(text.contains("NOT RUN  lb reaches app1:8080"))
        #expect(text.contains("WARN     Clocks between hosts"))
        // Opened from the Review, nothing is offered to install.
        #expect(!s.check!.offersInstallAnyway)
        #expect(s.check!.legend.map(\.key) == ["Up/Down", "r", "Esc"])
        #expect(send(&s, .char("a")).isEmpty)
        #expect(s.page == .hosted(.check))
        // r checks again from scratch.
        #expect(send(&s, .char("r")) == ["checkup:start"])
        #expect(s.check!.lines.isEmpty && s.check!.phase == .checking)
        #expect(send(&s, .escape) == ["checkup:close", "plan"])
        #expect(s.page == .review && s.check == nil)
    }

    @Test func theStatusWordsAreColouredByStatus() {
        var page = CheckPage(purpose: .check, context: HostedContext(answers: Self.answers, secrets: SecretValues(), plan: nil,
                                                                     stateDirectory: ".", knownHostsFile: "kh", resume: false))
        page.phase = .checking
        for (status, title) in [(Checkup.Line.Status.pass, "a"), (.warn, "b"), (.fail, "c"), (.notRun, "d")] {
            page.append(Self.line(status, title))
        }
        let theme = Theme.colored()
        var b = Buffer(width: 80, height: 24)
        page.render(Rect(x: 0, y: 0, width: 80, height: 24), into: &b, theme: theme)
        let rows = b.text.split(separator: "\n", omittingEmptySubsequences: false)
        for (word, role) in [("PASS", Role.ok), ("WARN", .warning), ("FAIL", .error), ("NOT RUN", .muted)] {
            let y = try! #require(rows.firstIndex { $0.contains(word) })
            let x = try! #require(rows[y].range(of: word)).lowerBound.utf16Offset(in: rows[y])
            #expect(b[x, y].style.foreground == theme[role].foreground, "\(word)")
        }
    }

    // MARK: Install: host keys, then the check

    func pressInstall(_ s: inout AppState) -> [String] {
        let effects = send(&s, .char("i"))
        #expect(s.dialog == nil, "every password was given")
        return effects
    }

    @Test func installAsksAboutAnUnknownHostKeyBeforeAnyStepAndAcceptGoesOnToTheCheckThenTheRun() throws {
        var s = try state(secrets: Self.allSecrets)
        #expect(pressInstall(&s) == ["checkup:keys:app1,lb"])
        #expect(s.page == .hosted(.check))
        #expect(s.check!.purpose == .install)
        let fp = "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
        #expect(App.update(&s, .checkup(.keys([HostKeyScan(host: "app1", status: .unknown(fingerprint: fp, keyType: "ED25519")),
                                                HostKeyScan(host: "lb", status: .known)]))).isEmpty)
        let d = try #require(s.check?.dialog)
        #expect(d.title == "Unknown host key: app1")
        #expect(d.message.contains(fp))
        #expect(d.message.contains("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub"))
        #expect(screen(s).contains("Unknown host key: app1"))
        // Accept (Refuse has the focus, as on the Hosts page).
        #expect(send(&s, .left, .enter) == ["checkup:accept:app1=\(fp)"])
        #expect(s.check?.dialog == nil)
        #expect(App.update(&s, .checkup(.keyRecorded(host: "app1", error: nil))).map(\.name) == ["checkup:start"])
        _ = App.update(&s, .checkup(.line(Self.line(.pass, "app1: SSH login"))))
        let effects = App.update(&s, .checkup(.finished)).map(\.name)
        #expect(effects == ["checkup:close", "run:start"])
        #expect(s.page == .hosted(.run))
        #expect(!s.review.checkedForInstall)
    }

    @Test func refusingAHostKeyGoesBackToTheReviewAndNothingRuns() throws {
        var s = try state(secrets: Self.allSecrets)
        _ = pressInstall(&s)
        _ = App.update(&s, .checkup(.keys([HostKeyScan(host: "app1", status: .unknown(fingerprint: "SHA256:x", keyType: "RSA")),
                                           HostKeyScan(host: "lb", status: .unknown(fingerprint: "SHA256:y", keyType: "ED25519"))])))
        #expect(s.check?.dialog?.message.contains("ssh-keygen -lf /etc/ssh/ssh_host_rsa_key.pub") == true)
        #expect(send(&s, .left, .enter) == ["checkup:accept:app1=SHA256:x"])
        // The second host's question follows; Esc refuses it.
        #expect(s.check?.dialog?.title == "Unknown host key: lb")
        let effects = send(&s, .escape)
        #expect(!effects.contains { $0.hasPrefix("run:") || $0 == "checkup:start" })
        #expect(effects.contains("checkup:close"))
        #expect(s.page == .review)
    }

    @Test func aChangedHostKeyStopsWithoutInstallAnyway() throws {
        var s = try state(secrets: Self.allSecrets)
        _ = pressInstall(&s)
        #expect(App.update(&s, .checkup(.keys([HostKeyScan(host: "app1", status: .changed(fingerprint: "SHA256:new")),
                                                HostKeyScan(host: "lb", status: .unknown(fingerprint: "SHA256:y", keyType: "ED25519"))])))
                .isEmpty)
        #expect(s.check?.dialog == nil)
        let text = screen(s)
        #expect(text.contains("CHANGED"))
        #expect(text.contains("app1 now offers SHA256:new"))
        #expect(!s.check!.offersInstallAnyway)
        #expect(!s.check!.legend.contains { $0.key == "a" || $0.key == "r" })
        #expect(send(&s, .char("a")).isEmpty)
        #expect(send(&s, .char("r")).isEmpty)
        #expect(s.page == .hosted(.check))
        _ = send(&s, .escape)
        #expect(s.page == .review)
    }

    @Test func aFailStopsTheInstallWithTheLinesAndInstallAnywayGoesOn() throws {
        var s = try state(secrets: Self.allSecrets)
        _ = pressInstall(&s)
        _ = App.update(&s, .checkup(.keys([])))
        for i in 0..<30 { _ = App.update(&s, .checkup(.line(Self.line(.pass, "check \(i)")))) }
        _ = App.update(&s, .checkup(.line(Self.line(.fail, "app2 reaches app1:3306 (the database)",
                                                    "a firewall on app1? `ufw allow from 10.0.0.12 to any port 3306`"))))
        #expect(App.update(&s, .checkup(.finished)).isEmpty)
        #expect(s.page == .hosted(.check))
        let text = screen(s)
        #expect(text.contains("30 passed, 0 warnings, 1 failed, 0 not run."))
        #expect(text.contains("Nothing was installed."))
        // The failure is in view, not the end of a long list.
        #expect(text.contains("FAIL     app2 reaches app1:3306"))
        #expect(s.check!.legend.contains { $0.key == "a" && $0.action == "Install anyway" })
        #expect(send(&s, .char("a")) == ["checkup:close", "run:start"])
        #expect(s.page == .hosted(.run))
    }

    @Test func warningsOnlyWaitOnScreenAndEnterInstalls() throws {
        var s = try state(secrets: Self.allSecrets)
        _ = pressInstall(&s)
        _ = App.update(&s, .checkup(.keys([])))
        _ = App.update(&s, .checkup(.line(Self.line(.pass, "app1: SSH login"))))
        _ = App.update(&s, .checkup(.line(Self.line(.warn, "clocks between hosts", "lb is 3.1 s ahead of app1"))))
        _ = App.update(&s, .checkup(.line(Self.line(.notRun, "app1: Multicast", "no multicast route could be read"))))
        #expect(App.update(&s, .checkup(.finished)).isEmpty, "the install went on past warnings nobody saw")
        #expect(s.page == .hosted(.check))
        let text = screen(s)
        #expect(text.contains("1 passed, 1 warning, 0 failed, 1 not run."), "\(text)")
        #expect(text.contains("lb is 3.1 s ahead of app1"))
        #expect(text.contains("Enter to install"))
        #expect(!s.check!.offersInstallAnyway)
        #expect(s.check!.legend.contains { $0.key == "Enter" && $0.action == "Install" })
        #expect(send(&s, .enter) == ["checkup:close", "run:start"])
        #expect(s.page == .hosted(.run))
    }

    @Test func resumeFromWelcomeIsNotHeldByTheCheck() throws {
        var s = try state(secrets: Self.allSecrets)
        s.page = .welcome
        #expect(App.openHosted(&s, .run).map(\.name) == ["run:start"])
    }

    // MARK: A step's scripts

    @Test func aHostsStepsAreRowsAndEnterShowsAStepsScripts() throws {
        var s = try state(secrets: Self.allSecrets)
        let hostRow = try #require(s.review.rows.firstIndex { $0 == .host("app1") })
        for _ in 0..<hostRow { _ = send(&s, .down) }
        _ = send(&s, .enter)
        let list = try #require(s.review.steps)
        #expect(list.host == "app1")
        #expect(s.review.legend.map(\.action) == ["Move", "Scripts", "Close"])
        var text = screen(s)
        #expect(text.contains("Steps on app1:"))
        #expect(text.contains("(Enter shows a step's scripts)"))
        // The database user's step: its scripts name the password, shown as ****.
        let plan = try #require(s.review.plan)
        let target = try #require(plan.steps.first { $0.host == "app1" && $0.id.hasPrefix("db.") && $0.apply.display.contains("****") })
        let index = try #require(list.ids.firstIndex(of: target.id))
        for _ in 0..<index { _ = send(&s, .down) }
        #expect(screen(s).split(separator: "\n").contains { $0.contains("> " + target.title.prefix(40)) })
        _ = send(&s, .enter)
        let viewer = try #require(s.review.viewer)
        #expect(viewer.title == "app1: \(target.title)")
        #expect(viewer.lines.contains("apply:"))
        #expect(viewer.lines.contains { $0.hasPrefix("check:") })
        #expect(viewer.lines.contains { $0.hasPrefix("verify:") })
        #expect(viewer.lines.contains { $0.hasPrefix("Waits for") })
        for dep in target.dependsOn { #expect(viewer.lines.contains { $0.contains(dep) }) }
        #expect(viewer.lines.contains { $0.contains("****") })
        #expect(!viewer.lines.joined().contains("Db-secret-9"), "no password in the view")
        text = screen(s)
        #expect(text.contains("apply:"))
        // Esc: back to the step list, then to the Review.
        _ = send(&s, .escape)
        #expect(s.review.viewer == nil && s.review.steps?.selected == index)
        _ = send(&s, .escape)
        #expect(s.review.steps == nil && s.page == .review)
    }

    // MARK: Passwords

    @Test func theReviewListsEveryPasswordTheInstallUsesTypedOrNot() throws {
        var s = try state(secrets: ["db-password": "pw"])
        #expect(s.review.installSecrets.map(\.name.rawValue) == ["db-password", "ssh-app1", "sudo-app1"])
        _ = send(&s, .end)
        let text = screen(s, 120, 40)
        #expect(text.contains("Passwords the install uses: 3  (2 asked at Install; never saved)"))
        let rows = text.split(separator: "\n")
        #expect(rows.contains { $0.contains("db-password") && $0.contains("typed") })
        #expect(rows.contains { $0.contains("ssh-app1") && $0.contains("asked") && $0.contains("the SSH password of jctest@127.0.0.1 (app1)") })
        #expect(rows.contains { $0.contains("sudo-app1") && $0.contains("asked") && $0.contains("the sudo password of jctest on app1") })
    }
}

/// The check page stopped by a FAIL before an install, and a step's scripts, at 80x24 and 120x40.
/// Record with RECORD_SNAPSHOTS=1, then read the files in Snapshots/.
@Suite("Review check snapshots")
struct ReviewCheckSnapshotTests {
    static let sizes: [(Int, Int)] = [(80, 24), (120, 40)]

    func review(_ w: Int, _ h: Int) -> WizardHarness {
        let x = WizardHarness(width: w, height: h, answers: Example.small)
        var s = x.state
        s.model.secrets[SecretName("db-password")] = "pw"
        x.runtime.replaceState(s)
        x.jumpToReview()
        return x
    }

    @Test(arguments: sizes) func aFailBeforeTheInstall(_ w: Int, _ h: Int) {
        let x = review(w, h)
        x.send(.char("i"))
        #expect(x.state.page == .hosted(.check))
        let L = ReviewCheckTests.line
        for line in [L(.pass, "app1: SSH login", "jctest@127.0.0.1:22222 (key)"), L(.pass, "app1: Root access", "sudo without a password"),
                     L(.pass, "app1: OS", "Debian GNU/Linux 12 (bookworm)"), L(.pass, "app1: Disk", "74.9 GB free on /"),
                     L(.warn, "app1: Java", "none yet: the install adds OpenJDK 17"),
                     L(.pass, "app1: Ports", "free: 3306, 8080, 8005, 4000"),
                     L(.fail, "lb: SSH login", "no SSH server answered on port 22223"),
                     L(.fail, "app1 reaches lb:8080 (node02's HTTP)",
                       "app1 cannot reach lb:8080 at 127.0.0.1 (Connection refused): a firewall on lb or between them? On lb: ufw allow from 127.0.0.1 to any port 8080"),
                     L(.notRun, "lb reaches app1:8080 (node01's HTTP)", "cannot log in to lb")] {
            x.runtime.apply(.checkup(.line(line)))
        }
        x.runtime.apply(.checkup(.finished))
        x.runtime.drawFrame()
        #expect(x.state.page == .hosted(.check))
        assertSnapshot(x.screen.screen, named: "review-check-failed-\(w)x\(h)")
    }

    @Test(arguments: sizes) func aStepsScripts(_ w: Int, _ h: Int) throws {
        let x = review(w, h)
        let row = try #require(x.state.review.rows.firstIndex { $0 == .host("app1") })
        for _ in 0..<row { x.send(.down) }
        x.send(.enter)
        let ids = try #require(x.state.review.steps?.ids)
        let index = try #require(ids.firstIndex { $0.hasPrefix("db.create-user@") })
        for _ in 0..<index { x.send(.down) }
        assertSnapshot(x.screen.screen, named: "review-steps-\(w)x\(h)")
        x.send(.enter)
        assertSnapshot(x.screen.screen, named: "review-step-scripts-\(w)x\(h)")
    }
}
