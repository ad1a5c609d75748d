import ArgumentParser
import ClusterCore
import ClusterEngine
import Foundation
import TermCurses
import TermUI
import Wizard

/// Hidden: opens the Run page straight away on a one-step plan that runs `--command` on one SSH
/// host, for bench/log-flood (how the page keeps up with a step that floods its log). Writes a
/// small JSON report when the run ends: the runner's duration, lines received, peak memory.
struct BenchRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-run", abstract: "Benchmark only: the Run page on a one-step plan.", shouldDisplay: false)

    @Option(help: "Host address.") var address = "127.0.0.1"
    @Option(help: "SSH port.") var port = 22
    @Option(help: "SSH user.") var user: String
    @Option(help: "Private key file (key login); agent login without it.") var key: String?
    @Option(name: .customLong("known-hosts"), help: "known_hosts file with the host's key.") var knownHosts: String
    @Option(help: "The step's shell command.") var command: String
    @Option(name: .customLong("state-dir"), help: "State folder (journal, logs).") var stateDir: String
    @Option(help: "Write the JSON report here when the run ends.") var report: String?
    @Option(help: "Lines kept per host in the page.") var ringCapacity = 5_000
    @Flag(help: "Exit one second after the run ends.") var exitWhenDone = false

    func run() async throws {
        let host = ClusterCore.Host(name: "remote", address: address, user: user, port: port,
                                    auth: key == nil ? .agent : .key, keyFile: key, sudo: .root)
        let plan = Plan(steps: [Step(id: "bench.flood@remote", layer: .hosts, host: "remote", title: "Stream the file",
                                     check: nil, apply: Script(stringLiteral: command), timeoutSeconds: 3600)])
        let dir = try StateDir(path: stateDir)
        let options = SSHOptions(knownHostsFile: knownHosts)
        let runner = try Runner(plan: plan, secrets: SecretValues(), stateDir: dir, answersHash: nil) { _ in
            SSHTransport(host: host, secrets: SecretValues(), options: options)
        }
        let page = RunScreen(plan: plan, hosts: [host], stateDir: dir, ringCapacity: ringCapacity)
        let services = AppServices(run: { _, inbox in (page, RunController(runner: runner, inbox: inbox)) },
                                   verify: AppServices.none.verify, pagerAvailable: { false })
        let settings = (report: report, exitWhenDone: exitWhenDone, ringCapacity: ringCapacity)
        let result = await CursesThread.run(inputMode: .cbreak) { backend in
            BenchRunCommand.loop(backend: backend, services: services, plan: plan, settings: settings)
        }
        await runner.close()
        if case .failure(let error) = result { throw UsageError("\(error)") }
    }

    /// The wizard's runtime on the Run page: its loop, its inbox, its install service.
    static func loop(backend: CursesBackend, services: AppServices, plan: Plan,
                     settings: (report: String?, exitWhenDone: Bool, ringCapacity: Int)) {
        let runtime = AppRuntime(state: AppState(), backend: backend, services: services,
                                 keepLinesPerHost: settings.ringCapacity)
        var state = runtime.state
        state.page = .hosted(.run)
        runtime.replaceState(state)
        let context = HostedContext(answers: Answers(), secrets: SecretValues(), plan: plan, stateDirectory: ".",
                                    knownHostsFile: "known_hosts", resume: false)
        runtime.perform([.run(.start(context))])
        let clock = ContinuousClock()
        var finishedAt: ContinuousClock.Instant?
        runtime.run { state in
            guard let page = state.run?.screen else { return false }
            if finishedAt == nil, case .idle(let summary) = page.runState {
                finishedAt = clock.now
                if let path = settings.report { writeReport(summary, page: page, to: path) }
            }
            if settings.exitWhenDone, let f = finishedAt, clock.now - f > .seconds(1) { return true }
            return false
        }
    }

    static func writeReport(_ summary: RunSummary, page: RunScreen, to path: String) {
        let status = summary.outcomes.first?.status.description ?? "not run"
        let json = """
            {"run_seconds": \(summary.duration.secondsValue), "status": "\(status)", \
            "lines_received": \(page.logLinesReceived(host: "remote")), "lines_left_out": \(page.linesLeftOut), \
            "lines_kept": \(page.logLineCount(host: "remote")), \
            "vmhwm_kb": \(peakMemoryKB()), "cpu_seconds": \(cpuSeconds())}

            """
        try? json.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// CPU time of this process so far, user and system, all threads (its ssh processes are not in it).
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return -1 }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// VmHWM (peak resident memory) of this process, from /proc/self/status.
    static func peakMemoryKB() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
        }
        return -1
    }
}

extension Duration {
    var secondsValue: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
