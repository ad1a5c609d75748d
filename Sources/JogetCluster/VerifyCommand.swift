import ArgumentParser
import ClusterCore
import ClusterEngine
import Foundation
import Wizard

/// `joget-cluster verify`: the Verify page's checks, headless. One line per check on stdout,
/// `PASS|FAIL|NOT RUN  title  — evidence`, as each outcome arrives; a summary on stderr.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the installed cluster as Joget's clustering guide does, one line per check.",
        discussion: """
            Runs on the hosts over SSH (hosts with auth: local run here): the shared directory is mounted and shared, \
            every app server logs in to the database, each Tomcat answers and sees its peers, the balancer reaches \
            every node and keeps sessions on theirs; and each host comes back after a reboot (the services the install \
            enabled are enabled, the shared directory is mounted at boot). Secrets (SSH, sudo and the database password) come from \
            JOGET_SECRET_* variables, --secrets FILE, or a prompt.
            A check whose probes could not run (a host not reached, a timeout) is NOT RUN with the reason, never PASS or FAIL.
            Exit codes: 0 every check passed, 1 a check failed, 2 invalid input, \(VerifyReport.notRunExitCode) no check failed but some did not run.
            """)

    @OptionGroup var options: SessionOptions

    func run() async throws {
        let code: Int32 = try await exitOnError {
            let answers = try options.loadAnswers()
            let session: InstallSession
            do { session = try options.session(answers) } catch let e as StateDirError { throw UsageError("\(e)") }
            let secrets = try SecretsInput.gather(VerifyReport.neededSecrets(answers), file: options.secrets,
                                                  interactive: SessionOptions.interactive)
            let pool = session.pool(secrets: secrets)
            let code = await VerifyReport.runHeadless(answers, verifier: session.verifier(secrets: secrets, pool: pool))
            await pool.closeAll()
            return code
        }
        if code != 0 { throw ExitCode(code) }
    }
}
