import ArgumentParser
import ClusterCore
import ClusterEngine
import Foundation

/// `joget-cluster check`: nothing runs until it can work. The connection tests of the Hosts page,
/// headless, and the network between the hosts, measured from the hosts.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every host, and the network between them, before installing (read-only).",
        discussion: """
            For each host: SSH login, root access, OS, free disk, Java, the ports its layers will listen on, clock, \
            CPUs, memory. Between the hosts, from the hosts themselves: each app server reaches the database port and \
            (NFS) the file server's 2049 and 111; the balancer reaches every node's HTTP port; nodes reach each other on \
            their replication ports; with multicast membership, a datagram sent from the first app server arrives on the \
            others; the hosts' clocks are within 2 s of each other. Where nothing listens yet, a stand-in listener (Perl, \
            present on every Debian and Ubuntu) answers on the port for the test only; nothing is installed. \
            A failed line says what to open and where. apply runs the same checks first and stops before changing \
            anything when one fails (--skip-check to go on anyway).
            Exit codes: 0 everything passed (warnings allowed), 1 a check failed, 2 invalid input, \
            \(Checkup.notRunExitCode) nothing failed but some check could not run.
            """)

    @OptionGroup var options: SessionOptions

    func run() async throws {
        let code: Int32 = try await exitOnError {
            let answers = try options.loadAnswers()
            let session = try options.session(answers)
            let secrets = try SecretsInput.gather(Checking.neededSecrets(answers), file: options.secrets,
                                                  interactive: SessionOptions.interactive)
            let pool = session.pool(secrets: secrets)
            defer { Task { await pool.closeAll() } }
            try await options.connectAll(session, pool: pool, hosts: answers.hosts.map(\.name), failOnOtherErrors: false)
            return Checkup.exitCode(await Checking.run(answers, secrets: secrets, pool: pool))
        }
        if code != 0 { throw ExitCode(code) }
    }
}

/// The checkup with line output, shared by `check` and `apply`.
enum Checking {
    /// SSH and sudo passwords: the checks log in and read, nothing more.
    static func neededSecrets(_ answers: Answers) -> Set<SecretName> {
        Set(answers.hosts.flatMap(\.loginSecrets))
    }

    /// Prints a line per check as it is known (with `showPassed` false, only what did not pass),
    /// then the summary; returns the lines.
    static func run(_ answers: Answers, secrets: SecretValues, pool: TransportPool, showPassed: Bool = true) async -> [Checkup.Line] {
        let checkup = Checkup(preflight: Preflight(closesTransport: false) { pool.transport(for: $0.name) },
                              verifier: Verifier(secrets: secrets) { pool.transport(for: $0) })
        let lines = await checkup.run(answers) { line in
            guard showPassed || line.status != .pass else { return }
            print(line.text)
            fflush(nil)
        }
        print(Checkup.summary(lines))
        return lines
    }

    /// The question asked at a terminal when the checks ended with warnings: y installs.
    static func askToInstallPastWarnings() -> Bool {
        SessionOptions.askYesNo("Nothing is installed yet. Install despite the lines above?")
    }
}
