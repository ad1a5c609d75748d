import ArgumentParser
import ClusterCore

@main
struct JogetClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "joget-cluster",
        abstract: "Installs a Joget DX 8 cluster: shared files, shared database, Tomcat nodes, Apache balancer.",
        discussion: "With no command, opens the wizard.",
        version: ProductVersion.text,
        subcommands: [WizardCommand.self, PlanCommand.self, CheckCommand.self, ApplyCommand.self, ResumeCommand.self, StatusCommand.self, LicensesCommand.self, VerifyCommand.self, BackupCommand.self, RestoreCommand.self, UpgradeCommand.self, ExportCommand.self, BenchRunCommand.self, BenchStepsCommand.self],
        defaultSubcommand: WizardCommand.self)
}
