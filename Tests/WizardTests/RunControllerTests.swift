import ClusterCore
import ClusterEngine
import Foundation
import TermUI
import Testing
@testable import Wizard

/// The controller with a real local shell: a step fails because a file is missing, the operator
/// creates it and chooses Retry in the failure dialog, and the run finishes.
@Suite struct RunControllerTests {
    func waitFor(_ controller: RunController, _ page: inout RunScreen, timeout: Duration = .seconds(30),
                 _ done: (RunScreen) -> Bool) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while clock.now < end {
            controller.drain(into: &page)
            if done(page) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test func failsOnAMissingFileThenRetrySucceeds() async throws {
        let dir = NSTemporaryDirectory() + "jc-runctl-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let needed = dir + "/needed.txt"
        let plan = Plan(steps: [
            Step(id: "hosts.prepare@local", layer: .hosts, host: "local", title: "Say hello", check: nil,
                 apply: "echo hello from the local shell"),
            Step(id: "files.read@local", layer: .sharedFiles, host: "local", title: "Read the needed file", check: nil,
                 apply: "cat \(needed)"),
            Step(id: "db.after@local", layer: .database, host: "local", title: "Runs after the file was read", check: nil,
                 apply: "echo after", dependsOn: ["files.read@local"]),
        ])
        let state = try StateDir(path: dir + "/state")
        let runner = try Runner(plan: plan, secrets: SecretValues(), stateDir: state, answersHash: nil) { name in
            LocalTransport(name: name)
        }
        let controller = RunController(runner: runner)
        var page = RunScreen(plan: plan, stateDir: state)
        controller.start()

        #expect(await waitFor(controller, &page) { $0.failure != nil && !$0.isRunning })
        #expect(page.failure?.stepID == "files.read@local")
        if case .finished(.failed(let why))? = page.step("files.read@local")?.state { #expect(why.contains("status 1")) } else {
            Issue.record("files.read@local is \(String(describing: page.step("files.read@local")?.state))")
        }
        #expect(page.step("db.after@local")?.state == .finished(.blocked(by: "files.read@local")))
        #expect(page.logLines(host: "local").contains { $0.contains("No such file") }, "stderr reaches the pane")
        #expect(page.logLines(host: "local").contains("hello from the local shell"))
        // Skip is refused: the step is required.
        #expect(controller.perform(page.handle(.char("s"))) == .notMine)
        // View log: the step's full log on disk.
        if case .openLog(let path) = controller.perform(page.handle(.char("v"))) {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("No such file"))
        } else { Issue.record("View log did not ask to open the log") }

        try "now it is here\n".write(toFile: needed, atomically: true, encoding: .utf8)
        #expect(controller.perform(page.handle(.char("r"))) == .handled)
        #expect(await waitFor(controller, &page) { $0.succeeded })
        #expect(page.step("files.read@local")?.state == .finished(.done))
        #expect(page.step("files.read@local")?.attempts == 2)
        #expect(page.step("db.after@local")?.state == .finished(.done))
        #expect(page.logLines(host: "local").contains("now it is here"))
        #expect(page.failure == nil && page.failureQueue.isEmpty)
        await controller.close()
        #expect(!controller.isBusy)
    }

    @Test func stopInterruptsARunningStepAndRecordsIt() async throws {
        let dir = NSTemporaryDirectory() + "jc-runctl-stop-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = Plan(steps: [Step(id: "hosts.sleep@local", layer: .hosts, host: "local", title: "Sleep", check: nil,
                                     apply: "echo sleeping; sleep 30")])
        let state = try StateDir(path: dir)
        let runner = try Runner(plan: plan, secrets: SecretValues(), stateDir: state, answersHash: nil) { LocalTransport(name: $0) }
        let controller = RunController(runner: runner)
        var page = RunScreen(plan: plan, stateDir: state)
        controller.start()
        #expect(await waitFor(controller, &page) { $0.logLines(host: "local").contains("sleeping") })
        _ = page.handle(.f(10))
        let request = page.handle(.left)
        #expect(request == .none)
        #expect(controller.perform(page.handle(.enter)) == .quitWhenStopped)
        await controller.waitUntilIdle()
        controller.drain(into: &page)
        #expect(page.step("hosts.sleep@local")?.state == .finished(.interrupted))
        #expect(page.stopped)
        await controller.close()
        let journal = try Journal.load(stateDir: state)
        #expect(journal.steps["hosts.sleep@local"]?.status == .interrupted, "the next start offers Resume")
    }

    /// The output lines of a host in these events, in order.
    static func lines(_ events: [RunEvent], host: String) -> [String] {
        events.flatMap { e -> [String] in
            guard case .output(let o) = e, o.host == host else { return [] }
            return o.lines.map(\.text)
        }
    }

    @Test func inboxTrimsBatchesToTheLastLinesPerHost() {
        var inbox = RunEventBuffer(keep: 150)
        inbox.push(.stepStarted(stepID: "s@a", host: "a", phase: .apply))
        var n = 0
        for _ in 0..<300 {   // 300 batches of 70 lines: over the threshold (20,000) more than once
            let lines = (0..<70).map { i in OutputLine(stream: .stdout, text: "a\(n + i)") }
            n += 70
            inbox.push(.output(OutputBatch(stepID: "s@a", host: "a", phase: .apply, lines: lines)))
            inbox.push(.output(OutputBatch(stepID: "s@b", host: "b", phase: .apply, lines: [OutputLine(stream: .stderr, text: "b")])))
        }
        let (events, leftOut) = inbox.take()
        let a = Self.lines(events, host: "a")
        let b = Self.lines(events, host: "b")
        // What is kept is the newest lines, in order and without a gap; the count adds up.
        #expect(a.last == "a\(n - 1)" && a.count >= 150)
        #expect(a == (n - a.count..<n).map { "a\($0)" })
        #expect(leftOut["a", default: 0] + a.count == n)
        #expect(leftOut["b", default: 0] + b.count == 300 && b.count >= 150)
        #expect(!events.contains { if case .output(let o) = $0 { o.lines.isEmpty } else { false } }, "no empty batch")
        if case .stepStarted? = events.first {} else { Issue.record("non-output events are kept in order") }
    }

    @Test func inboxKeepsTheLastLinesPerHostWhenTheAppFallsBehind() {
        var inbox = RunEventBuffer(keep: 100)
        inbox.push(.stepStarted(stepID: "s@a", host: "a", phase: .apply))
        for i in 0..<100_000 { inbox.push(RunFixtures.output("s@a", "a", "a\(i)")) }
        for i in 0..<50 { inbox.push(RunFixtures.output("s@b", "b", "b\(i)")) }
        inbox.push(.notice("kept"))
        let (events, leftOut) = inbox.take()
        let a = Self.lines(events, host: "a")
        #expect(a.count <= 20_000 && a.last == "a99999")
        #expect(leftOut["a"] == 100_000 - a.count)
        #expect(Self.lines(events, host: "b").count == 50)
        #expect(events.contains { if case .notice("kept") = $0 { true } else { false } })
        if case .stepStarted? = events.first {} else { Issue.record("non-output events are kept in order") }
    }
}

/// The hosted page: the runtime's install service feeds it, F10 asks, stops the runner, and only then quits.
@Suite struct LiveRunPageTests {
    @Test func hostedPageRunsAndStopsBeforeQuitting() async throws {
        let dir = NSTemporaryDirectory() + "jc-liverun-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = Plan(steps: [Step(id: "hosts.sleep@local", layer: .hosts, host: "local", title: "Sleep", check: nil,
                                     apply: "echo started; sleep 30")])
        let state = try StateDir(path: dir)
        let runner = try Runner(plan: plan, secrets: SecretValues(), stateDir: state, answersHash: nil) { LocalTransport(name: $0) }
        let services = AppServices(run: { _, inbox in
            (RunScreen(plan: plan, stateDir: state), RunController(runner: runner, inbox: inbox))
        }, verify: AppServices.none.verify, pagerAvailable: { false })
        let runtime = AppRuntime(state: AppState(), backend: HeadlessScreen(width: 80, height: 24), services: services)
        runtime.open(.run)
        let clock = ContinuousClock()
        let end = clock.now + .seconds(20)
        while clock.now < end {
            runtime.handle(.tick)
            if runtime.state.run?.screen.logLines(host: "local").contains("started") == true { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        var page = try #require(runtime.state.run)
        #expect(page.handle(.f(10)) == .none)
        #expect(page.handle(.left) == .none)
        runtime.handle(.key(.f(10)))
        runtime.handle(.key(.left))
        runtime.handle(.key(.enter))
        #expect(!runtime.state.done, "stopping: the app is told to quit once nothing runs")
        #expect(runtime.state.run?.quitting == true)
        while clock.now < end, !runtime.state.done {
            runtime.handle(.tick)
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(runtime.state.done, "the page asked already: the app exits without a second question")
        #expect(runtime.state.dialog == nil)
        #expect(runtime.state.run?.screen.step("hosts.sleep@local")?.state == .finished(.interrupted))
        await runner.close()
    }
}
