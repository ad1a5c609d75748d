import ArgumentParser
import ClusterCore
import Foundation

@main
struct JogetClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "joget-cluster",
        abstract: "Installs a Joget DX 8 cluster: shared files, shared database, Tomcat nodes, Apache balancer.",
        discussion: "With no command, opens the wizard.",
        version: ProductVersion.text,
        subcommands: [WizardCommand.self, PlanCommand.self, CheckCommand.self, ApplyCommand.self, ResumeCommand.self, StatusCommand.self, LicensesCommand.self, VerifyCommand.self, BackupCommand.self, RestoreCommand.self, UpgradeCommand.self, ExportCommand.self, BenchRunCommand.self, BenchStepsCommand.self],
        defaultSubcommand: WizardCommand.self)

    /// ArgumentParser's own main, except that a command line it refuses exits 2, the code every
    /// command documents for invalid input (its default is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            exit(withError: ExitCode(2))
        }
    }
}
