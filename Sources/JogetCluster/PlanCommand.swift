import ArgumentParser
import ClusterCore
import Foundation

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Print the install plan and write every rendered file.",
        discussion: "Nothing is run and no host is contacted. Secrets are shown as ****.")

    @Option(name: .long, help: "The answers file.") var answers: String
    @Option(name: .long, help: "Write every rendered file under this folder, as DIR/<host>/<path>.") var out: String?

    func run() throws {
        let plan: Plan
        do {
            plan = try Planner.plan(try AnswersFile.load(path: answers))
        } catch {
            for problem in error.problems {
                FileHandle.standardError.write(Data((problem.description + "\n").utf8))
            }
            throw ExitCode(2)
        }
        print(Planner.describe(plan), terminator: "")
        if let out {
            let fm = FileManager.default
            let files = Planner.renderedFiles(plan)
            for file in files {
                let url = URL(fileURLWithPath: out).appendingPathComponent(file.host)
                    .appendingPathComponent(String(file.path.drop(while: { $0 == "/" })))
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.text.utf8).write(to: url)
            }
            print("wrote \(files.count) files under \(out)")
        }
    }
}
