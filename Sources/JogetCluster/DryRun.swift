import ArgumentParser
import ClusterCore
import ClusterEngine
import Foundation

/// `apply --dry-run`: the same answers, secrets, state folder and known hosts as apply; every
/// step's check and nothing else. Prints the steps that would change, then a summary line.
enum DryRun {
    static func run(_ options: SessionOptions, quiet: Bool) async throws {
        let code: Int32 = try await exitOnError {
            let answers = try options.loadAnswers()
            let session = try options.session(answers)
            let secrets = try SecretsInput.gather(session.checkSecrets, file: options.secrets, interactive: SessionOptions.interactive)
            let pool = session.pool(secrets: secrets)
            let check: DriftCheck
            do { check = try session.driftCheck(secrets: secrets, pool: pool) } catch let e as StateDirLockError {
                FileHandle.standardError.write(Data("joget-cluster: not checked: \(e)\n".utf8))
                return 1
            }
            let hosts = session.plan.hosts.filter { $0 != Step.localHost }
            print("Checking \(session.plan.steps.count) steps on \(hosts.joined(separator: ", ")) (dry run: nothing is changed)")
            fflush(nil)
            // Logged into first, one host at a time, so an unknown host key is asked about on a terminal;
            // a host that cannot be reached is reported, its steps not checked.
            var unreachable: [String: String] = [:]
            for host in session.plan.hosts {
                do { try await options.connect(host, session, pool: pool) } catch { unreachable[host] = "\(error)" }
            }
            let task = Task { await check.run(unreachable: unreachable) }
            let stop = SignalStop(message: "\nStopping the dry run: the checks still running are ended.\n") { task.cancel() }
            let report = await task.value
            await pool.closeAll()
            for line in report.lines(quiet: quiet) { print(line) }
            print(report.summary)
            if stop.fired { return 130 }
            return report.exitCode
        }
        if code != 0 { throw ExitCode(code) }
    }
}
