import ArgumentParser
import ClusterCore
import ClusterEngine
import Foundation

/// Hidden: the whole engine on trivial steps (runner, framed SSH shell, journal fsynced),
/// for bench/step-overhead. Prints one step's time per line (ms) and a summary line.
struct BenchStepsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-steps", shouldDisplay: false)

    @Option var address: String
    @Option var port = 22
    @Option var user: String
    @Option var key: String
    @Option var knownHosts: String
    @Option var steps = 50
    @Option var stateDir: String
    @Flag(help: "Send each step's check and apply one after the other (two round trips), as before they were joined.")
    var separate = false
    @Flag(help: "Wait for each journal record's fsync before going on, as before the journal's syncer.")
    var syncEach = false
    @Flag(help: "Send the same check-and-apply frames straight through the transport, without the runner: the floor under the engine.")
    var transportOnly = false
    @Flag(help: "Steps whose check passes (already done: the apply is not run), instead of steps that must change.")
    var alreadyDone = false

    /// A check that fails (the step must change: check and apply run) or passes (already done).
    private var check: String { alreadyDone ? "true" : "false" }

    func run() async throws {
        let host = Host(name: "bench", address: address, user: user, port: port, auth: .key, keyFile: key,
                        sudo: user == "root" ? .root : .nopasswd)
        // Each step has a check and an apply, as real steps do.
        let plan = Plan(steps: (1...steps).map {
            Step(id: "bench.step\($0)@bench", layer: .hosts, host: "bench", title: "trivial step \($0)",
                 check: Script([.code(check)]), apply: "true")
        })
        try? FileManager.default.removeItem(atPath: stateDir)
        let state = try StateDir(path: stateDir)
        let transport = SSHTransport(host: host, secrets: SecretValues(), options: SSHOptions(knownHostsFile: knownHosts))
        try await transport.connect()   // the login is not part of a step's cost
        if transportOnly { return try await frames(transport) }
        let runner = try Runner(plan: plan, secrets: SecretValues(), stateDir: state, answersHash: nil,
                                options: Runner.Options(joinCheckAndApply: !separate, syncEachJournalRecord: syncEach)) { _ in transport }
        let clock = ContinuousClock()
        let start = clock.now
        let summary = await runner.run()
        let total = clock.now - start
        await runner.close()
        guard summary.remaining.isEmpty, summary.outcomes.allSatisfy({ $0.status == (alreadyDone ? .alreadyDone : .done) }) else {
            throw ValidationError("the bench steps did not all succeed: \(summary.outcomes.map(\.status))")
        }
        for o in summary.outcomes { print(String(format: "%.3f", Self.ms(o.duration))) }
        let perStep = Self.ms(total) / Double(steps)
        print(String(format: "# %d steps in one run, wall time per step, journal synced at the end: %.3f ms", steps, perStep))
    }

    /// The steps' frames with nothing around them: what the host and the link cost.
    private func frames(_ transport: SSHTransport) async throws {
        let clock = ContinuousClock()
        let ignore = CheckThenApplyRawOutput(check: { _ in }, applyStarts: {}, apply: { _ in })
        var times: [Duration] = []
        let start = clock.now
        for _ in 1...steps {
            let t = clock.now
            let (checked, result) = await transport.runCheckThenApplyRaw(check: check, apply: "true", timeout: .seconds(60), output: ignore)
            guard checked == (alreadyDone ? 0 : 1), result == .exited(0) else { throw ValidationError("a bench frame failed: \(String(describing: checked)), \(result)") }
            times.append(clock.now - t)
        }
        let total = clock.now - start
        await transport.close()
        for d in times { print(String(format: "%.3f", Self.ms(d))) }
        print(String(format: "# %d check-and-apply frames, transport only, wall time per frame: %.3f ms", steps, Self.ms(total) / Double(steps)))
    }

    static func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
}
