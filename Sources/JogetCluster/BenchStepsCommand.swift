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

    func run() async throws {
        let host = Host(name: "bench", address: address, user: user, port: port, auth: .key, keyFile: key,
                        sudo: user == "root" ? .root : .nopasswd)
        // Each step has a check (fails: not done) and an apply, as real steps do.
        let plan = Plan(steps: (1...steps).map {
            Step(id: "bench.step\($0)@bench", layer: .hosts, host: "bench", title: "trivial step \($0)",
                 check: "false", apply: "true")
        })
        try? FileManager.default.removeItem(atPath: stateDir)
        let state = try StateDir(path: stateDir)
        let transport = SSHTransport(host: host, secrets: SecretValues(), options: SSHOptions(knownHostsFile: knownHosts))
        try await transport.connect()   // the login is not part of a step's cost
        let runner = try Runner(plan: plan, secrets: SecretValues(), stateDir: state, answersHash: nil,
                                options: Runner.Options(joinCheckAndApply: !separate, syncEachJournalRecord: syncEach)) { _ in transport }
        let clock = ContinuousClock()
        let start = clock.now
        let summary = await runner.run()
        let total = clock.now - start
        await runner.close()
        guard summary.remaining.isEmpty, summary.outcomes.allSatisfy({ $0.status == .done }) else {
            throw ValidationError("the bench steps did not all succeed: \(summary.outcomes.map(\.status))")
        }
        for o in summary.outcomes { print(String(format: "%.3f", Double(o.duration.components.attoseconds) / 1e15 + Double(o.duration.components.seconds) * 1000)) }
        let perStep = (Double(total.components.seconds) * 1000 + Double(total.components.attoseconds) / 1e15) / Double(steps)
        print(String(format: "# %d steps in one run, wall time per step, journal synced at the end: %.3f ms", steps, perStep))
    }
}
