import ArgumentParser
import ClusterCore

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Print the install plan and write every rendered file.")

    @Option(name: .long, help: "The answers file.") var answers: String
    @Option(name: .long, help: "Write every rendered file under this folder.") var out: String?

    func run() throws {
        throw ExitCode(2) // written with the planner
    }
}
