import ArgumentParser
import ClusterCore
import ClusterEngine
import Foundation

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Print the install plan (each step, what it waits for, its scripts) and write every rendered file.",
        discussion: "Nothing is run and no host is contacted. Secrets are shown as ****.")

    @Option(name: .long, help: "The answers file.") var answers: String
    @Option(name: .long, help: "Write every rendered file under this folder, as DIR/<host>/<path>.") var out: String?
    @Flag(name: .long, help: "Print each step's check, apply and verify scripts (by default only apply).") var scripts = false
    @Flag(name: .long, help: "Print only the steps and their dependencies, as a Graphviz digraph (plan --graph | dot -Tsvg > plan.svg).")
    var graph = false

    func run() async throws {
        let plan: Plan
        let loaded: Answers
        do {
            loaded = try AnswersFile.load(path: answers)
            plan = try Planner.plan(loaded)
        } catch {
            for problem in error.problems {
                FileHandle.standardError.write(Data((problem.description + "\n").utf8))
            }
            throw ExitCode(2)
        }
        if graph {
            print(Planner.graph(plan), terminator: "")
            return
        }
        print(Planner.describe(plan, scripts: scripts), terminator: "")
        // A preview may run where the bundle is not: said, not refused (apply refuses it).
        if loaded.appServers.bundleOn == .local, let problem = await LocalBundle.problem(at: loaded.appServers.bundle) {
            FileHandle.standardError.write(Data("warning: appServers.bundle: \(problem); apply will refuse it\n".utf8))
        }
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
