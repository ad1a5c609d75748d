import ArgumentParser
import ClusterCore
import ClusterEngine
import Foundation
import TermCurses
import TermUI
import Wizard

/// `joget-cluster` with no command, or `joget-cluster wizard`: the full-screen wizard, or line mode.
struct WizardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wizard",
        abstract: "Open the setup wizard (the default command).",
        discussion: """
            Full screen on a terminal of at least 80x24; line by line with --plain, or by itself when \
            standard input or output is not a terminal. Answers are saved (never passwords) in the \
            state folder as you go: quit at any time and start again to continue.
            """)

    @Option(name: .long, help: "Pre-fill every page from this answers file.")
    var answers: String?

    @Option(name: .long, help: "The state folder (default: $XDG_STATE_HOME/joget-cluster/<cluster>).")
    var stateDir: String?

    @Flag(name: .long, help: "Ask line by line instead of full screen (screen readers, serial consoles).")
    var plain = false

    func run() async throws {
        let startup: AppStartup
        do {
            startup = try AppStartup.load(answersFile: answers, stateDirectory: stateDir)
        } catch {
            FileHandle.standardError.write(Data(("invalid answers:\n" + error.problems.map { "  \($0)" }.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(2)
        }
        if !plain {
            switch await WizardCommand.fullScreen(startup) {
            case .finished(let savedTo):
                if let savedTo { print("Your answers are saved in \(savedTo).") }
                return
            case .noTerminal:
                FileHandle.standardError.write(Data("joget-cluster: no terminal: asking line by line (--plain).\n".utf8))
            case .failed(let why):
                FileHandle.standardError.write(Data("joget-cluster: \(why): asking line by line (--plain).\n".utf8))
            }
        }
        try await runPlain(startup)
    }

    enum FullScreenOutcome: Sendable {
        case finished(savedTo: String?)
        case noTerminal
        case failed(String)
    }

    /// Runs the wizard's runtime on the terminal (``CursesThread``).
    static func fullScreen(_ startup: AppStartup) async -> FullScreenOutcome {
        let result = await CursesThread.run { backend -> FullScreenOutcome in
            let runtime = AppRuntime(state: startup.makeState(hostedPages: hostedPages()), backend: backend, services: .live)
            runtime.run()
            return .finished(savedTo: runtime.state.savedTo ?? existing(runtime.state))
        }
        switch result {
        case .success(let outcome): return outcome
        case .failure(CursesBackend.Failure.notATerminal): return .noTerminal
        case .failure(let error): return .failed("\(error)")
        }
    }

    /// The answers file of the state folder, when there is one.
    static func existing(_ state: AppState) -> String? {
        guard let path = state.config.answersPath(cluster: state.model.answers.cluster),
              FileManager.default.fileExists(atPath: path) else { return nil }
        return path
    }

    /// The pages after the review: Run, Verify, the license checklist and the Summary.
    static func hostedPages() -> HostedPages {
        HostedPages(OperatorPages.factories())
    }

    // MARK: Line mode

    func runPlain(_ startup: AppStartup) async throws {
        let config = startup.config
        let io = PlainIO(
            readLine: { Swift.readLine(strippingNewline: true) },
            readSecret: { prompt in
                if isatty(STDIN_FILENO) == 1, let v = SecretsInput.prompt(prompt) { return v }
                print(prompt, terminator: "")
                return Swift.readLine(strippingNewline: true)
            },
            write: { text in
                FileHandle.standardOutput.write(Data(text.utf8))
            })
        let wizard = PlainWizard(model: SetupModel(answers: startup.answers ?? SetupModel.defaultAnswers()),
                                 installed: startup.installed, io: io) { answers in
            if case .saved(_, let error) = AppRuntime.save(answers, config: config) { return error }
            return nil
        }
        let outcome = wizard.run()
        let answers = wizard.model.answers
        let path = config.answersPath(cluster: answers.cluster)
        _ = AppRuntime.save(answers, config: config)
        guard outcome == .install, let path else {
            if let path { print("Your answers are saved in \(path).") }
            // Input that ran out is not an answer: a script feeding the wizard must see it failed.
            if outcome == .endOfInput { throw ExitCode(1) }
            return
        }
        // Hand over to the headless runner, as `joget-cluster apply --yes` runs it; the passwords
        // typed here go along in memory.
        let dir = config.stateDirectoryPath(cluster: answers.cluster) ?? "."
        var options = SessionOptions()
        options.answers = path
        options.stateDir = dir
        options.secrets = nil
        options.knownHosts = nil
        options.acceptHostKey = []
        print("")
        print("Starting the install: joget-cluster apply --answers \(path) --state-dir \(dir)")
        // Every password the install and the checks need, asked once for both.
        let secrets = try await exitOnError {
            let session = try options.session(answers)
            return try SecretsInput.$typed.withValue(wizard.model.secrets) {
                try SecretsInput.gather(session.neededSecrets.union(VerifyReport.neededSecrets(answers)), file: nil,
                                        interactive: SessionOptions.interactive)
            }
        }
        try await SecretsInput.$typed.withValue(secrets) {
            // The checks of `check` first, as apply runs them: a FAIL stops before anything changes,
            // and warnings are asked about, as the full screen waits on them.
            try await Install.run(options, resume: false, confirm: false, quiet: false, check: true, askOnWarnings: true)
        }
        // As the full screen goes on after the Run page: Verify, the license checklist, the Summary.
        let code = try await Self.followUp(options, answers: answers, secrets: secrets).run()
        if code != 0 { throw ExitCode(code) }
    }

    static func followUp(_ options: SessionOptions, answers: Answers, secrets: SecretValues) throws -> PlainFollowUp {
        let session = try options.session(answers)
        let stateDir = session.stateDir, ssh = session.ssh
        return PlainFollowUp(
            verify: {
                let pool = session.pool(secrets: secrets)
                let code = await VerifyReport.runHeadless(answers, verifier: session.verifier(secrets: secrets, pool: pool))
                await pool.closeAll()
                return code
            },
            licenses: {
                print(LicensePage.editionNote)
                print("")
                try await LicensesCommand.execute(try LicensesCommand.parse(["--table"]), answers: answers, stateDir: stateDir) { host in
                    Transports.make(host: host, secrets: secrets, options: ssh)
                }
            },
            summary: {
                let context = HostedContext(answers: answers, secrets: SecretValues(), plan: session.plan, stateDirectory: stateDir.path,
                                            knownHostsFile: "", resume: false)
                return SummaryScreen(context: context).plainText()
            },
            write: { text in
                // Through stdio, as the parts print: a heading never overtakes buffered lines.
                print(text, terminator: "")
                fflush(nil)
            })
    }
}
