// Notes, not compiled (bench/ is no target): the shape of a hidden `joget-cluster bench-steps`
// subcommand that would replace the test-only path (`RUN_BENCH=1 swift test --filter
// benchStepOverhead`, see Tests/ClusterEngineTests/SSHBenchTests.swift) once the executable's
// command wiring is settled. run.sh measures through the test for now.
//
// import ArgumentParser
// import ClusterCore
// import ClusterEngine
//
// struct BenchSteps: AsyncParsableCommand {
//     static let configuration = CommandConfiguration(commandName: "bench-steps", shouldDisplay: false)
//     @Option var address: String
//     @Option var port = 22
//     @Option var user: String
//     @Option var key: String
//     @Option var knownHosts: String
//     @Option var steps = 50
//
//     func run() async throws {
//         let host = Host(name: "bench", address: address, user: user, port: port, auth: .key, keyFile: key, sudo: .nopasswd)
//         let transport = SSHTransport(host: host, secrets: SecretValues(), options: SSHOptions(knownHostsFile: knownHosts))
//         try await transport.connect()
//         var samples: [Duration] = []
//         for _ in 0..<steps {
//             let start = ContinuousClock.now
//             _ = await transport.run("true", timeout: .seconds(30)) { _ in }
//             samples.append(ContinuousClock.now - start)
//         }
//         // Later, through the runner: + journal append and fsync per step.
//         print("median_ms=\(median(samples))")
//         await transport.close()
//     }
// }
