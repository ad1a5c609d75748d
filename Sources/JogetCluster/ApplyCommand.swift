import ArgumentParser
import ClusterCore
import ClusterEngine
import Foundation
import Wizard

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Install the whole cluster from an answers file, with plain line output.",
        discussion: """
            Exit codes: 0 done, 1 a step failed, 2 invalid input, 5 a check failed (nothing was changed), 130 interrupted.

            First it runs `joget-cluster check` (each host, and the network between them); a failed check stops it \
            before any step runs (--skip-check to go on anyway). Hosts not known yet are asked about on a terminal; \
            without one it stops, listing each with the --accept-host-key to pass.

            A node that earlier runs installed and the answers no longer have is retired: the balancer             is reloaded without it, it is stopped once it serves no request and disabled at boot; a host             left without nodes loses its database account and (NFS) its mount. Its folder is kept unless             --purge. Apply lists what it would retire and asks first; without a terminal it refuses unless             --yes.

            --dry-run runs only each step's read-only check, on every host, and lists what apply would \
            change and why: one line per step ("would change  STEP  HOST  REASON"), then a summary. It \
            changes nothing on the hosts, uploads nothing, and writes no journal or step log, so resume \
            never learns of it. Like a run it takes the state folder's lock: while another run uses the \
            folder it is refused at once, so it never sees a step half done. Without a terminal it asks \
            nothing (secrets from JOGET_SECRET_* or --secrets): safe from cron. Steps without a check \
            (probes, and steps that run on every apply) are listed as such and not counted. A step whose \
            check may fail only because a step it depends on would change says "(after: STEP changes)".

            Exit codes with --dry-run: 0 nothing would change, 3 something would change, 1 some check could \
            not run (no connection, a timeout, another run holding the state folder; 1 wins over 3), \
            2 invalid input or a missing secret, 130 interrupted.
            """)

    @OptionGroup var options: SessionOptions
    @Flag(name: .long, help: "Do not ask before starting.") var yes = false
    @Flag(name: .long, help: "Hide the steps' output; show only their results. With --dry-run: list only the steps that would change or could not be checked.")
    var quiet = false
    @Flag(name: .long, help: "Change nothing: run every step's check and list what apply would change, and why.")
    var dryRun = false
    @Flag(name: .long, help: "A retired node's folder is removed too (it is kept by default).")
    var purge = false
    @Flag(name: .long, help: "Do not run `check` first (a failed check stops apply before it changes anything).")
    var skipCheck = false

    func run() async throws {
        if dryRun {
            try await DryRun.run(options, quiet: quiet)
        } else {
            try await Install.run(options, resume: false, confirm: !yes, quiet: quiet, purge: purge, check: !skipCheck, askOnWarnings: !yes)
        }
    }
}

struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted install: what finished is not run again.")

    @OptionGroup var options: SessionOptions
    @Flag(name: .long, help: "Hide the steps' output; show only their results.") var quiet = false
    @Flag(name: .long, help: "A retired node's folder is removed too (as with apply --purge).") var purge = false

    func run() async throws {
        try await Install.run(options, resume: true, confirm: false, quiet: quiet, purge: purge)
    }
}

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the cluster at a glance (installed, last verify, last backup, licenses), then each step's last status.",
        discussion: "Reads the state folder only: no host is asked. A line marked ! needs you, and names the command for it.")

    @OptionGroup var options: SessionOptions

    func run() async throws {
        try await exitOnError {
            let answers = try options.loadAnswers()
            let session = try options.session(answers)
            let color = LineOutput.shouldColor()
            print(LineOutput.overview(ClusterOverview(answers: answers, stateDir: session.stateDir).rows, cluster: answers.cluster,
                                      stateDir: session.stateDir.path, color: color, width: LineOutput.terminalWidth()))
            print("")
            let state = try Journal.load(stateDir: session.stateDir)
            if state.isEmpty { print("No run recorded in \(session.stateDir.path) yet."); return }
            print(LineOutput.statusTable(state, plan: session.plan, color: color))
        }
    }
}

/// apply and resume: one path, the journal decides what is left.
enum Install {
    /// What this run retires, in words (the wizard's Review shows the same), or nil when it retires nothing.
    static func retirement(_ session: InstallSession, purge: Bool) -> String? {
        let lines = Installed.retirement(installed: session.installed, answers: session.answers, purge: purge)
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    /// Whether this run may upload the local bundle: a first install, another bundle than the
    /// installed one, or a host whose upload the journal does not record as finished (a node added).
    static func bundleNeeded(_ session: InstallSession) -> Bool {
        let bundle = session.answers.appServers.bundle
        let uploads = session.plan.steps.filter { step in
            if case .upload(let local, _)? = step.transfer { local == bundle } else { false }
        }
        guard !uploads.isEmpty else { return false }
        guard let installed = session.installed, installed.appServers.bundle == bundle else { return true }
        let journal = (try? Journal.load(stateDir: session.stateDir)) ?? .empty
        return uploads.contains { journal.status(of: $0.id)?.satisfiesDependents != true }
    }

    /// `apply`'s exit status when its checkup failed and nothing ran.
    static let checkFailedExitCode: Int32 = 5

    /// - Parameter askOnWarnings: when the checks end with warnings (no FAIL), ask at the terminal
    ///   before installing, as the full screen waits on them.
    static func run(_ options: SessionOptions, resume: Bool, confirm: Bool, quiet: Bool, purge: Bool = false, check: Bool = false,
                    askOnWarnings: Bool = false) async throws {
        let code: Int32 = try await exitOnError {
            let answers = try options.loadAnswers()
            let session = try options.session(answers, purge: purge)
            let retiring = retirement(session, purge: purge)
            if let retiring { print(retiring) }
            if !resume, confirm, retiring != nil, !SessionOptions.interactive {
                throw UsageError("apply would retire what is listed above: run it again with --yes to go ahead")
            }
            if resume {
                let state = try Journal.load(stateDir: session.stateDir)
                guard !state.isEmpty else { throw UsageError("nothing to resume in \(session.stateDir.path): run apply first") }
                print(ResumeReport(plan: session.plan, journal: state, answersHash: Journal.answersHash(answers)).text)
            } else if confirm, SessionOptions.interactive {
                let hosts = session.plan.hosts.filter { $0 != Step.localHost }.joined(separator: ", ")
                guard SessionOptions.askYesNo("Install \(session.plan.steps.count) steps on \(hosts)?") else { throw UsageError("not started") }
            }
            if answers.appServers.bundleOn == .local, bundleNeeded(session),
               let problem = await LocalBundle.problem(at: answers.appServers.bundle) {
                throw UsageError("appServers.bundle: \(problem). Nothing was run.")
            }
            if let tls = answers.loadBalancer.tls, tls.filesOn == .local {
                switch await LocalTLS.check(tls, serverName: answers.loadBalancer.serverName) {
                case .fine(let what): print("TLS: \(what)")
                case .problem(let what): throw UsageError("loadBalancer.tls: \(what). Nothing was run.")
                case .notRun(let why): print("TLS files not checked on this machine (\(why)); the balancer checks them before its site names them.")
                }
            }
            if !resume, let upgrade = session.upgrade, let installed = session.installed,
               (try? UpgradeRecord.load(session.stateDir)) != upgrade {
                // The answers name another bundle: upgraded as `upgrade --bundle` does, backup first.
                return try await Upgrading.start(options, answers: answers, installed: installed,
                                                 upgrade: await UpgradeRecord.detect(from: installed, to: answers, mode: nil),
                                                 yes: !confirm, noBackup: false, backupTo: nil, quiet: quiet, answersFileUpdated: true)
            }
            let secrets = try options.secretValues(for: session)
            let pool = session.pool(secrets: secrets)
            if check {
                try await options.connectAll(session, pool: pool, hosts: answers.hosts.map(\.name), failOnOtherErrors: false)
                print("Checking the hosts and the network between them (joget-cluster check):")
                let lines = await Checking.run(answers, secrets: secrets, pool: pool, showPassed: false)
                let ask = askOnWarnings && SessionOptions.interactive ? Checking.askToInstallPastWarnings : nil
                if !Checkup.installGoesOn(after: lines, ask: ask) {
                    await pool.closeAll()
                    if lines.contains(where: { $0.status == .fail }) {
                        print("apply: a check failed, so nothing was changed. Fix what the FAIL lines say, or pass --skip-check.")
                        return checkFailedExitCode
                    }
                    throw UsageError("not started: nothing was changed")
                }
            }
            return try await execute(session, options, secrets: secrets, pool: pool, resume: resume, quiet: quiet)
        }
        if code != 0 { throw ExitCode(code) }
    }

    /// Runs the session's plan with line output: 0 done, 1 a step failed, 130 stopped. An upgrade
    /// ends with what it did (and a safe one's downtime), or how to go on.
    static func execute(_ session: InstallSession, _ options: SessionOptions, secrets: SecretValues? = nil,
                        pool: TransportPool? = nil, resume: Bool, quiet: Bool) async throws -> Int32 {
        let secrets = try secrets ?? options.secretValues(for: session)
        try session.saveAnswers()
        let pool = pool ?? session.pool(secrets: secrets)
        try await options.connectAll(session, pool: pool)
        let runner = try session.runner(secrets: secrets, pool: pool, resume: resume)
        let output = LineOutput(plan: session.plan, options: .init(color: LineOutput.shouldColor(), showOutput: !quiet))
        let printer = LockedPrinter(output)
        runner.observe { printer.print($0) }
        let downtime = DowntimeLine()
        if session.upgrade != nil { runner.observe(downtime.watch) }
        let stop = SignalStop { runner.stop() }
        let summary = await runner.run()
        await runner.close()
        await pool.closeAll()
        print("State, journal and logs: \(session.stateDir.path)")
        if let upgrade = session.upgrade {
            if summary.succeeded {
                print("Joget \(upgrade.toVersion) runs on \(session.answers.appServers.nodes.map(\.name).joined(separator: ", "))."
                      + (downtime.text.map { " Downtime" + $0.dropFirst("downtime".count) } ?? ""))
            } else {
                print("The \(upgrade.title) stopped: `joget-cluster resume` continues it"
                      + (upgrade.isRollback ? "." : "; `joget-cluster upgrade --rollback` returns to \(upgrade.fromVersion)."))
            }
        }
        if stop.fired { return 130 }
        return summary.succeeded ? 0 : 1
    }
}

/// Prints events as they come, one at a time, whichever host's task emits them.
final class LockedPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private let output: LineOutput
    init(_ output: LineOutput) { self.output = output }
    func print(_ event: RunEvent) {
        lock.withLock {
            for line in output.format(event) { Swift.print(line) }
            fflush(nil)
        }
    }
}

/// SIGINT and SIGTERM stop the run cleanly instead of killing the process.
final class SignalStop: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private(set) var fired = false

    init(message: String = "\nStopping: running steps are ended and recorded as interrupted. Continue later with: joget-cluster resume\n",
         _ stop: @escaping @Sendable () -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in
                self?.fired = true
                FileHandle.standardError.write(Data(message.utf8))
                stop()
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit { sources.forEach { $0.cancel() } }
}

/// The safe upgrade's downtime line, as the maintenance-off step printed it.
final class DowntimeLine: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    var text: String? { lock.withLock { value } }

    func watch(_ event: RunEvent) {
        guard case .output(let batch) = event, batch.stepID.hasPrefix("upgrade.maintenance-off@") else { return }
        for line in batch.lines where line.text.hasPrefix("downtime: ") { lock.withLock { value = line.text } }
    }
}
