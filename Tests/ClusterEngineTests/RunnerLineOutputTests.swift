import ClusterCore
@testable import ClusterEngine
import Foundation
import Testing
import Wizard

@Suite struct RunnerLineOutputTests {
    let plan = Plan(steps: [
        Step(id: "db.create-database@db", layer: .database, host: "db", title: "t", check: nil, apply: "x"),
        Step(id: "app.install@app1", layer: .appServers, host: "app1", title: "t", check: nil, apply: "x",
             dependsOn: ["db.create-database@db"]),
        Step(id: "lb.site@lb", layer: .loadBalancer, host: "lb", title: "t", check: nil, apply: "x", optional: true),
    ])

    func out(_ o: OutputLine.Stream = .stdout, _ id: String, _ host: String, _ text: String) -> RunEvent {
        .output(OutputBatch(stepID: id, host: host, phase: .apply, lines: [OutputLine(stream: o, text: text)]))
    }

    @Test func statusLinesAndOutput() {
        let f = LineOutput(plan: plan)
        #expect(f.format(.stepStarted(stepID: "db.create-database@db", host: "db", phase: .check)) == [])
        #expect(f.format(.stepStarted(stepID: "db.create-database@db", host: "db", phase: .apply)) == ["[db] db create-database: apply..."])
        #expect(f.format(out(.stdout, "db.create-database@db", "db", "Query OK")) == ["    | Query OK"])
        // Another step's output names it first.
        #expect(f.format(out(.stderr, "app.install@app1", "app1", "unpacking")) == ["[app] app1 install (apply):", "    | unpacking"])
        #expect(f.format(out(.stdout, "db.create-database@db", "db", "more")) == ["[db] db create-database (apply):", "    | more"])
        #expect(f.format(.stepFinished(StepOutcome(stepID: "db.create-database@db", host: "db", status: .done,
                                                   duration: .milliseconds(1234)))) == ["[db] db create-database: done (1.2s)"])
        #expect(f.format(.stepFinished(StepOutcome(stepID: "app.install@app1", host: "app1", status: .failed("apply exited with status 2"),
                                                   duration: .milliseconds(500)))) == ["[app] app1 install: FAILED: apply exited with status 2 (0.5s)"])
        #expect(f.format(.stepFinished(StepOutcome(stepID: "lb.site@lb", host: "lb", status: .blocked(by: "app.install@app1"), attempt: 0)))
                == ["[lb] lb site: blocked by app.install@app1"])
        #expect(f.format(.stepFinished(StepOutcome(stepID: "lb.site@lb", host: "lb", status: .done, attempt: 0, fromJournal: true)))
                == ["[lb] lb site: done (recorded earlier)"])
        #expect(f.format(.notice("answers changed")) == ["note: answers changed"])
        // A step not in the plan: no tag, full id.
        #expect(f.format(.stepFinished(StepOutcome(stepID: "x@y", host: "y", status: .alreadyDone, duration: .seconds(75))))
                == ["y x: already done (1m15s)"])
    }

    @Test func quietOptions() {
        let f = LineOutput(plan: plan, options: .init(showOutput: false, showStarts: false))
        #expect(f.format(.stepStarted(stepID: "db.create-database@db", host: "db", phase: .apply)).isEmpty)
        #expect(f.format(out(.stdout, "db.create-database@db", "db", "x")).isEmpty)
    }

    @Test func colourOnlyWhenAsked() {
        let outcome = RunEvent.stepFinished(StepOutcome(stepID: "db.create-database@db", host: "db", status: .failed("x")))
        #expect(!LineOutput(plan: plan).format(outcome).joined().contains("\u{1B}"))
        #expect(LineOutput(plan: plan, options: .init(color: true)).format(outcome).joined().contains("\u{1B}[31m"))
        #expect(!LineOutput.shouldColor(fileDescriptor: STDOUT_FILENO, environment: ["NO_COLOR": "1"]))
        let devnull = open("/dev/null", O_WRONLY)
        defer { close(devnull) }
        #expect(!LineOutput.shouldColor(fileDescriptor: devnull, environment: [:]))
    }

    @Test func summaryTable() {
        let summary = RunSummary(outcomes: [
            StepOutcome(stepID: "db.create-database@db", host: "db", status: .done, duration: .milliseconds(1200)),
            StepOutcome(stepID: "app.install@app1", host: "app1", status: .failed("apply exited with status 2"), duration: .seconds(3)),
        ], remaining: ["lb.site@lb"], stopped: true, duration: .seconds(5))
        let text = LineOutput(plan: plan).summaryTable(summary)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "STEP                   HOST  STATUS                              TIME")
        #expect(lines[1] == "db.create-database@db  db    done                                1.2s")
        #expect(lines[2] == "app.install@app1       app1  failed: apply exited with status 2  3.0s")
        #expect(lines[3] == "lb.site@lb             lb    not run")
        #expect(lines[4] == "1 done, 1 failed, 1 not run in 5.0s")
        #expect(text.contains("Stopped before the end"))
        #expect(text.contains("Failed: app.install@app1"))
    }

    /// A re-run where only probes ran says that nothing changed; one where a changing step ran does not.
    @Test func aRerunOfProbesOnlySaysNothingChanged() {
        let plan = Plan(steps: [
            Step(id: "hosts.os@db", layer: .hosts, host: "db", title: "t", check: nil, apply: "x", readOnly: true),
            Step(id: "db.create-database@db", layer: .database, host: "db", title: "t", check: "y", apply: "x"),
        ])
        let probesOnly = RunSummary(outcomes: [
            StepOutcome(stepID: "hosts.os@db", host: "db", status: .done, duration: .milliseconds(20)),
            StepOutcome(stepID: "db.create-database@db", host: "db", status: .alreadyDone, duration: .milliseconds(10)),
        ], remaining: [], stopped: false, duration: .seconds(1))
        #expect(LineOutput(plan: plan).summaryTable(probesOnly)
            .contains("All steps done. Nothing changed: the 1 that ran only read the hosts (checks and tests)."))
        let changed = RunSummary(outcomes: [
            StepOutcome(stepID: "hosts.os@db", host: "db", status: .done, duration: .milliseconds(20)),
            StepOutcome(stepID: "db.create-database@db", host: "db", status: .done, duration: .milliseconds(10)),
        ], remaining: [], stopped: false, duration: .seconds(1))
        let text = LineOutput(plan: plan).summaryTable(changed)
        #expect(!text.contains("Nothing changed"))
        #expect(text.contains("Of the 2 steps that ran, 1 only read the hosts; the others: db.create-database@db."))
    }

    @Test func statusTableFromJournal() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let j = try Journal(path: dir.path + "/j")
        try j.append(.runHeader(answersHash: "h", plan: plan))
        try j.append(.stepStart("db.create-database@db", host: "db", phase: .apply, attempt: 1))
        try j.append(.stepEnd(StepOutcome(stepID: "db.create-database@db", host: "db", status: .done, exitCode: 0,
                                          duration: .milliseconds(2500)), phase: .apply))
        try j.append(.stepStart("app.install@app1", host: "app1", phase: .apply, attempt: 1))
        let state = try Journal.load(path: dir.path + "/j")
        let text = LineOutput.statusTable(state, plan: plan)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("STEP                   HOST  STATUS       TIME  WHEN"))
        #expect(lines[1].hasPrefix("db.create-database@db  db    done         2.5s  20"))
        #expect(lines[2].hasPrefix("app.install@app1       app1  interrupted        20"))
        #expect(lines[3] == "lb.site@lb             lb    not run")
        #expect(lines[4].contains("did not finish"))
        #expect(LineOutput.statusTable(.empty).contains("No run recorded yet."))
    }

    @Test func durations() {
        #expect(LineOutput.seconds(.milliseconds(40)) == "0.0s")
        #expect(LineOutput.seconds(.milliseconds(1250)) == "1.2s" || LineOutput.seconds(.milliseconds(1250)) == "1.3s")
        #expect(LineOutput.seconds(.seconds(59.9)) == "59.9s")
        #expect(LineOutput.seconds(.seconds(185)) == "3m05s")
        #expect(LineOutput.seconds(.seconds(3720)) == "1h02m")
    }

    @Test func resumeReportText() {
        var state = JournalState.empty
        #expect(ResumeReport(plan: plan, journal: state, answersHash: "h").text.contains("No earlier run"))
        state.runs = 1
        state.answersHash = "old"
        state.steps["db.create-database@db"] = .init(stepID: "db.create-database@db", host: "db", status: .done,
                                                     exitCode: 0, durationMs: 1, check: .failed, time: nil, attempts: 1)
        state.order = ["db.create-database@db", "gone@x"]
        let changed = ResumeReport(plan: plan, journal: state, answersHash: "new")
        #expect(changed.answersChanged && changed.remaining.count == 3 && changed.done.isEmpty)
        #expect(changed.text.contains("answers changed"))
        #expect(changed.unknownSteps == ["gone@x"])
        let same = ResumeReport(plan: plan, journal: state, answersHash: "old")
        #expect(same.done == ["db.create-database@db"] && same.remaining == ["app.install@app1", "lb.site@lb"])
        #expect(same.text.contains("Remaining: 2 steps."))
        #expect(!same.isComplete)
    }
}
