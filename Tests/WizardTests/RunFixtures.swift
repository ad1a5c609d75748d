import ClusterCore
@testable import ClusterEngine
import Foundation
import TermUI
@testable import Wizard

/// Answers, plans and synthetic runner events for the Run, Verify and Summary page tests.
enum RunFixtures {
    static let epoch = Date(timeIntervalSince1970: 1_750_000_000)

    /// Two hosts: `db` holds the database and the balancer (the shared directory already mounted),
    /// `app1` one node.
    static var twoHosts: Answers {
        var a = Answers()
        a.cluster = "acme-joget"
        a.hosts = [
            ClusterCore.Host(name: "db", address: "10.0.0.5", user: "admin", port: 22, auth: .key,
                             keyFile: "~/.ssh/joget_ed25519", sudo: .nopasswd),
            ClusterCore.Host(name: "app1", address: "10.0.0.11", user: "admin", port: 2222, auth: .agent, sudo: .nopasswd),
        ]
        a.sharedFiles.provider = .existing
        a.database.host = "db"
        a.appServers.bundle = "/home/admin/joget-enterprise-linux-8.1.6.tar.gz"
        a.appServers.nodes = [Node(name: "node01", host: "app1")]
        a.loadBalancer.host = "db"
        a.loadBalancer.serverName = "joget.example.com"
        return a
    }

    /// Eight hosts: an NFS server, a database, a balancer and five app servers.
    static var eightHosts: Answers {
        var a = Answers()
        a.cluster = "big-joget"
        a.hosts = [ClusterCore.Host(name: "files", address: "10.0.0.4", user: "root", auth: .key, keyFile: "/root/.ssh/id_ed25519", sudo: .root),
                   ClusterCore.Host(name: "db", address: "10.0.0.5", user: "root", auth: .key, keyFile: "/root/.ssh/id_ed25519", sudo: .root)]
        for i in 1...5 {
            a.hosts.append(ClusterCore.Host(name: "app\(i)", address: "10.0.0.1\(i)", user: "root", auth: .key,
                                            keyFile: "/root/.ssh/id_ed25519", sudo: .root))
        }
        a.hosts.append(ClusterCore.Host(name: "lb", address: "10.0.0.9", user: "root", auth: .key, keyFile: "/root/.ssh/id_ed25519", sudo: .root))
        a.sharedFiles.provider = .nfs
        a.sharedFiles.server = "files"
        a.database.host = "db"
        a.appServers.bundle = "/home/admin/joget-enterprise-linux-8.1.6.tar.gz"
        a.appServers.nodes = (1...5).map { Node(name: String(format: "node%02d", $0), host: "app\($0)") }
        a.loadBalancer.host = "lb"
        a.loadBalancer.serverName = "joget.example.com"
        return a
    }

    static func plan(_ a: Answers) -> Plan {
        do { return try Planner.plan(a) } catch { fatalError("fixture answers are invalid: \(error)") }
    }

    static var stateDir: StateDir {
        // A path only: the page builds log paths from it and never writes.
        try! StateDir(path: NSTemporaryDirectory() + "jc-runui-fixture/acme-joget")
    }

    // MARK: Events

    static func output(_ step: String, _ host: String, _ text: String, phase: StepPhase = .apply,
                       stream: OutputLine.Stream = .stdout) -> RunEvent {
        .output(OutputBatch(stepID: step, host: host, phase: phase, lines: [OutputLine(stream: stream, text: text, time: epoch)]))
    }

    static func finished(_ step: Step, _ status: StepStatus, seconds: Double, fromJournal: Bool = false) -> RunEvent {
        .stepFinished(StepOutcome(stepID: step.id, host: step.host, status: status, exitCode: status == .done ? 0 : 1,
                                  duration: .milliseconds(Int64(seconds * 1000)), check: .failed,
                                  attempt: fromJournal ? 0 : 1, fromJournal: fromJournal, endedAt: epoch))
    }

    /// A page in the middle of an install: the first three layers done, every node starting
    /// (waiting for Tomcat to answer), the balancer waiting; when `failing`, the first node's start failed.
    static func midInstall(_ answers: Answers, failing: Bool = false, layout: RunScreen.LogLayout = .tabs) -> RunScreen {
        let plan = plan(answers)
        var page = RunScreen(plan: plan, hosts: answers.hosts, stateDir: stateDir, logLayout: layout)
        var t = Duration.seconds(1)
        page.tick(elapsed: t)
        page.apply(.runStarted(PlanSummary(plan: plan), answersHash: "abc"))
        var failedOne = false
        for (n, step) in plan.steps.enumerated() {
            if step.layer == .loadBalancer || step.id.hasPrefix("app.cluster-check") { continue }
            t += .milliseconds(1500)
            page.tick(elapsed: t)
            page.apply(.stepStarted(stepID: step.id, host: step.host, phase: .check))
            page.apply(output(step.id, step.host, "check: \(step.id)", phase: .check))
            page.apply(.stepStarted(stepID: step.id, host: step.host, phase: .apply))
            if step.id.hasPrefix("app.start@") {
                for i in 1...30 {
                    page.apply(output(step.id, step.host, "waiting for http://127.0.0.1:8080/jw/ to answer (\(i * 5)s)"))
                }
                if failing && !failedOne {
                    failedOne = true
                    page.apply(output(step.id, step.host, "SEVERE: Context [/jw] startup failed due to previous errors", stream: .stderr))
                    page.apply(output(step.id, step.host, "node01 did not answer on port 8080 within 600s", stream: .stderr))
                    page.apply(finished(step, .failed("apply exited with status 1"), seconds: 150.2))
                }
                continue
            }
            page.apply(output(step.id, step.host, "apply: \(step.title)"))
            let already = step.id.hasPrefix("hosts.os@") || step.id.hasPrefix("hosts.packages@")
            page.apply(finished(step, already ? .alreadyDone : .done, seconds: 0.4 + Double(n % 7) * 1.3))
        }
        page.tick(elapsed: .seconds(200))
        return page
    }

    // MARK: Framing

    /// The page as the app shows it: title on the first row, key legend on the last.
    static func frame(_ screen: some Screen, width: Int, height: Int, theme: Theme = .monochrome()) -> Buffer {
        var b = Buffer(width: width, height: height)
        b.writeLine(" Joget cluster setup - " + screen.title, in: b.area.row(0), style: theme[.title])
        let area = Rect(x: 0, y: 1, width: width, height: max(0, height - 2))
        screen.render(area, into: &b, theme: theme)
        KeyLegend(screen.legend).render(b.area.row(height - 1), into: &b, theme: theme)
        return b
    }

    /// The rectangle `frame` renders the page into.
    static func area(width: Int, height: Int) -> Rect { Rect(x: 0, y: 1, width: width, height: max(0, height - 2)) }
}
