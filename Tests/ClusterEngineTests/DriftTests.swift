@testable import ClusterCore
@testable import ClusterEngine
import Foundation
import TestSupport
import Testing

/// `apply --dry-run`: the report (reasons, marks, summary, exit codes) and a dry run on local "hosts".
@Suite struct DriftReportTests {
    func line(_ stream: OutputLine.Stream, _ text: String) -> OutputLine { OutputLine(stream: stream, text: text) }

    @Test func theReasonIsTheLastLineOnStderrThenStdoutThenTheExitStatus() {
        #expect(DriftReport.reason([line(.stderr, "first"), line(.stdout, "noise"), line(.stderr, "  why  "), line(.stderr, " ")],
                                   exitCode: 1) == "why")
        #expect(DriftReport.reason([line(.stdout, "a"), line(.stdout, "b")], exitCode: 1) == "b")
        #expect(DriftReport.reason([], exitCode: 2) == "check failed (exit 2)")
        #expect(DriftReport.reason([line(.stdout, "")], exitCode: 7) == "check failed (exit 7)")
        #expect(DriftReport.reason([line(.stderr, String(repeating: "x", count: 500))], exitCode: 1).count == 300)
    }

    func finding(_ id: String, _ verdict: DriftVerdict, after: [String] = []) -> DriftFinding {
        DriftFinding(stepID: id, host: String(id.split(separator: "@").last!.split(separator: "#").first!), verdict: verdict, after: after)
    }

    @Test func exitCodes() {
        #expect(DriftReport(findings: [finding("a@h", .inPlace), finding("b@h", .probe), finding("c@h", .alwaysRuns)]).exitCode == 0)
        #expect(DriftReport(findings: [finding("a@h", .inPlace), finding("b@h", .wouldChange("x"))]).exitCode == 3)
        #expect(DriftReport(findings: [finding("a@h", .notChecked("down")), finding("b@h", .inPlace)]).exitCode == 1)
        // Not checked wins: what was not checked may have changed too.
        #expect(DriftReport(findings: [finding("a@h", .wouldChange("x")), finding("b@g", .notChecked("down"))]).exitCode == 1)
        #expect(DriftReport(findings: []).exitCode == 0)
    }

    @Test func linesAndSummary() {
        let report = DriftReport(findings: [
            finding("hosts.os@app1", .probe),
            finding("app.install@app1#node01", .inPlace),
            finding("app.server-xml@app1#node01", .wouldChange("/opt/joget/node01/conf/server.xml differs from the plan")),
            finding("app.start@app1#node01", .wouldChange("node01 was started before its configuration last changed"),
                    after: ["app.server-xml@app1#node01"]),
            finding("db.create-user@db", .alwaysRuns),
            finding("db.network@db", .notChecked("db: cannot connect: Connection refused")),
            finding("lb.site@lb", .inPlace),
        ])
        #expect(report.lines() == [
            "would change  app.server-xml@app1#node01  app1  /opt/joget/node01/conf/server.xml differs from the plan",
            "would change  app.start@app1#node01       app1  node01 was started before its configuration last changed (after: app.server-xml@app1#node01 changes)",
            "not checked   db.network@db               db    db: cannot connect: Connection refused",
            "probe         hosts.os@app1               app1  only reads the host; apply runs it every time",
            "no check      db.create-user@db           db    apply runs it every time (the result cannot be read back)",
        ])
        #expect(report.lines(quiet: true).count == 3)
        #expect(report.summary == "2 steps would change on app1; 2 in place; 1 could not be checked; 2 without a check (they run on every apply, not counted)")
        #expect(report.exitCode == 1)

        let clean = DriftReport(findings: [finding("a@h", .inPlace)])
        #expect(clean.lines().isEmpty)
        #expect(clean.summary == "0 steps would change; 1 in place; 0 could not be checked")
        let one = DriftReport(findings: [finding("a@h", .wouldChange("x"), after: ["p@h", "q@g"])])
        #expect(one.summary.hasPrefix("1 step would change on h;"))
        #expect(one.lines() == ["would change  a@h  h  x (after: p@h, q@g change)"])
        let many = DriftReport(findings: [finding("a@h", .wouldChange("x"), after: ["p@h", "q@h", "r@h", "s@h", "t@h"])])
        #expect(many.lines() == ["would change  a@h  h  x (after: p@h, q@h, r@h and 2 more change)"])
    }

    /// a would change; b has no check; c depends on b, so on a through it; d depends on e, in place,
    /// which depends on a: e's being in place says a's change does not reach d.
    @Test func dependenciesThatWouldChangeAreFoundThroughStepsWithoutACheck() {
        func step(_ id: String, _ deps: [String]) -> Step {
            Step(id: id, layer: .hosts, host: "h", title: id, check: "true", apply: "true", dependsOn: deps)
        }
        let plan = Plan(steps: [step("a@h", []), step("z@h", []), step("b@h", ["a@h"]), step("c@h", ["b@h", "z@h"]),
                                step("e@h", ["a@h"]), step("d@h", ["e@h"]), step("f@h", ["a@h", "c@h"])])
        let marked = DriftReport.markDependencies([
            finding("a@h", .wouldChange("x")), finding("z@h", .wouldChange("y")), finding("b@h", .alwaysRuns),
            finding("c@h", .wouldChange("x")), finding("e@h", .inPlace), finding("d@h", .wouldChange("x")),
            finding("f@h", .wouldChange("x")),
        ], plan: plan)
        let after = Dictionary(uniqueKeysWithValues: marked.map { ($0.stepID, $0.after) })
        #expect(after["a@h"] == [])
        #expect(after["c@h"] == ["a@h", "z@h"])
        #expect(after["d@h"] == [])
        #expect(after["f@h"] == ["a@h", "c@h"])
    }
}

/// A dry run on folders standing in for hosts, through the local shell: only checks run.
@Suite struct DriftCheckTests {
    static let secret = "pa55'W0rd-$(drift)"

    /// Per host: a config file (check `Sh.matches`, with the secret in it), a step depending on it,
    /// a probe, a step without a check, and a step whose apply and upload must never happen.
    static func plan(root: String, owner: String) -> Plan {
        var steps: [Step] = []
        for h in ["h1", "h2"] {
            let r = root + "/" + h
            let file = PlannedFile(path: r + "/app.conf",
                                   content: FileContent([.text("name=\(h)\npassword="), .secret(SecretName("db-password"), .plain), .text("\n")]),
                                   mode: 0o640, owner: owner)
            steps.append(Step(id: "files.config@\(h)", layer: .sharedFiles, host: h, title: "config",
                              check: Sh.matches(file) + "\n", apply: Sh.strict + Sh.write(file), files: [file]))
            steps.append(Step(id: "app.uses-config@\(h)", layer: .appServers, host: h, title: "uses it",
                              check: Sh.require("grep -q '^name=' \(r + "/app.conf") 2>/dev/null", because: "\(r)/app.conf names nothing") + "\n",
                              apply: "true", dependsOn: ["files.config@\(h)"]))
            steps.append(Step(id: "hosts.os@\(h)", layer: .hosts, host: h, title: "probe", check: nil,
                              apply: "touch \(r + "/probe-ran")", readOnly: true))
            steps.append(Step(id: "db.user@\(h)", layer: .database, host: h, title: "always", check: nil,
                              apply: "touch \(r + "/always-ran")"))
            steps.append(Step(id: "lb.never@\(h)", layer: .loadBalancer, host: h, title: "never applied",
                              check: "echo 'first line'; echo 'the marker is missing' >&2; exit 4\n",
                              apply: "touch \(r + "/applied")", verify: "touch \(r + "/verified")",
                              transfer: .upload(local: "bundle.txt", remote: r + "/uploaded")))
        }
        return Plan(steps: steps)
    }

    @Test func onlyChecksRunAndEachSaysWhy() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let owner = Program.run(["/usr/bin/stat", "-c", "%U:%G", dir.path]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let plan = Self.plan(root: dir.path, owner: owner)
        let secrets = SecretValues([SecretName("db-password"): Self.secret])
        let state = try StateDir(path: dir.path + "/state")
        try FileManager.default.createDirectory(atPath: dir.path + "/h1", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.path + "/h2", withIntermediateDirectories: true)
        // h1's file as planned; h2's edited by hand.
        let h1 = dir.path + "/h1/app.conf", h2 = dir.path + "/h2/app.conf"
        try Data("name=h1\npassword=\(Self.secret)\n".utf8).write(to: URL(fileURLWithPath: h1))
        try Data("name=h2\npassword=\(Self.secret)\nedited=yes\n".utf8).write(to: URL(fileURLWithPath: h2))
        for p in [h1, h2] { try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: p) }
        let before = try Data(contentsOf: URL(fileURLWithPath: h2))

        let check = DriftCheck(plan: plan, secrets: secrets) { LocalTransport(name: $0) }
        let report = await check.run()
        let v = Dictionary(uniqueKeysWithValues: report.findings.map { ($0.stepID, $0) })
        #expect(v["files.config@h1"]?.verdict == .inPlace)
        #expect(v["files.config@h2"]?.verdict == .wouldChange("\(h2) differs from the plan"))
        #expect(v["app.uses-config@h1"]?.verdict == .inPlace)
        #expect(v["app.uses-config@h2"]?.verdict == .inPlace)
        #expect(v["hosts.os@h1"]?.verdict == .probe)
        #expect(v["db.user@h2"]?.verdict == .alwaysRuns)
        #expect(v["lb.never@h1"]?.verdict == .wouldChange("the marker is missing"))
        #expect(report.exitCode == 3)
        #expect(report.summary == "3 steps would change on h1, h2; 3 in place; 0 could not be checked; 4 without a check (they run on every apply, not counted)")

        // Nothing was applied, verified, uploaded, journalled or logged; the edited file is as it was.
        for h in ["h1", "h2"] {
            for f in ["probe-ran", "always-ran", "applied", "verified", "uploaded"] {
                #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/\(h)/\(f)"), "\(h)/\(f) exists")
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: h2)) == before)
        #expect(!FileManager.default.fileExists(atPath: state.journalPath))
        #expect(!FileManager.default.fileExists(atPath: state.logsPath))
        #expect(!report.lines().joined().contains(Self.secret))
    }

    @Test func aStepWhoseDependencyWouldChangeIsMarked() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let plan = Self.plan(root: dir.path, owner: "root:root")
        let check = DriftCheck(plan: plan, secrets: SecretValues([SecretName("db-password"): "x"])) { LocalTransport(name: $0) }
        let report = await check.run()
        let uses = try #require(report.findings.first { $0.stepID == "app.uses-config@h1" })
        #expect(uses.verdict == .wouldChange("\(dir.path)/h1/app.conf names nothing"))
        #expect(uses.after == ["files.config@h1"])
        #expect(report.lines().contains { $0.hasSuffix("names nothing (after: files.config@h1 changes)") })
    }

    /// The wizard's live list: each step's verdict is heard once, as the report has it.
    @Test func progressHearsEveryVerdictOnce() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let plan = Self.plan(root: dir.path, owner: "root:root")
        let check = DriftCheck(plan: plan, secrets: SecretValues([SecretName("db-password"): "x"])) { LocalTransport(name: $0) }
        let heard = Heard()
        let report = await check.run { heard.add($0) }
        let all = heard.all
        #expect(all.map(\.stepID).sorted() == plan.steps.map(\.id).sorted())
        for f in all { #expect(report.findings.first { $0.stepID == f.stepID }?.verdict == f.verdict, "\(f.stepID)") }
    }

    final class Heard: @unchecked Sendable {
        private let lock = NSLock()
        private var findings: [DriftFinding] = []
        func add(_ f: DriftFinding) { lock.withLock { findings.append(f) } }
        var all: [DriftFinding] { lock.withLock { findings } }
    }

    @Test func unreachableHostsAndSlowChecksAreNotChecked() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let plan = Plan(steps: [
            Step(id: "a.slow@h1", layer: .hosts, host: "h1", title: "slow", check: "sleep 5\n", apply: "true"),
            Step(id: "a.fine@h1", layer: .hosts, host: "h1", title: "fine", check: "true\n", apply: "true"),
            Step(id: "a.far@h2", layer: .hosts, host: "h2", title: "far", check: "true\n", apply: "true"),
            Step(id: "a.probe@h2", layer: .hosts, host: "h2", title: "probe", check: nil, apply: "true", readOnly: true),
        ])
        var check = DriftCheck(plan: plan, secrets: SecretValues([SecretName("x"): "hidden-value"])) { LocalTransport(name: $0) }
        check.checkTimeout = .milliseconds(500)
        let report = await check.run(unreachable: ["h2": "h2: cannot connect: no route (hidden-value)"])
        let v = Dictionary(uniqueKeysWithValues: report.findings.map { ($0.stepID, $0.verdict) })
        #expect(v["a.slow@h1"] == .notChecked("the check did not end within 0.5s"))
        #expect(v["a.fine@h1"] == .inPlace)
        #expect(v["a.far@h2"] == .notChecked("h2: cannot connect: no route (****)"))
        #expect(v["a.probe@h2"] == .probe)
        #expect(report.exitCode == 1)
    }

    @Test func aStoppedDryRunChecksNothingMore() async throws {
        let plan = Plan(steps: (1...3).map { Step(id: "a.s\($0)@h1", layer: .hosts, host: "h1", title: "s", check: "sleep 20\n", apply: "true") })
        let check = DriftCheck(plan: plan, secrets: SecretValues()) { LocalTransport(name: $0) }
        let task = Task { await check.run() }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let started = ContinuousClock.now
        let report = await task.value
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(report.findings.allSatisfy { $0.verdict == .notChecked("stopped") })
        #expect(report.exitCode == 1)
    }
}
