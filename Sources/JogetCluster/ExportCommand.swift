import ArgumentParser
import ClusterCore
import Foundation

/// `joget-cluster export ansible`: the install plan as an Ansible project.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the install plan in another tool's format.",
        subcommands: [ExportAnsibleCommand.self])
}

struct ExportAnsibleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ansible",
        abstract: "Write the install plan as a self-contained Ansible project (inventory, playbook, scripts, files, README).",
        discussion: """
            No host is contacted and no secret is asked: secrets stay variables named as in the answers \
            (db-password is db_password), given at run time by ansible-vault or --extra-vars @file. \
            Files already in DIR that the project holds are replaced; others are left. Exit codes: 0 written, 2 invalid input.
            """)

    @Option(name: .long, help: "The answers file.") var answers: String
    @Option(name: .long, help: "The folder to write the project into (made if missing).") var out: String

    func run() throws {
        let files: [AnsibleExport.File]
        do {
            files = try AnsibleExport.project(try AnswersFile.load(path: answers))
        } catch let error as InvalidAnswers {
            for problem in error.problems { FileHandle.standardError.write(Data((problem.description + "\n").utf8)) }
            throw ExitCode(2)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        let fm = FileManager.default
        for file in files {
            let url = URL(fileURLWithPath: out).appendingPathComponent(file.path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.text.utf8).write(to: url, options: .atomic)
        }
        print("wrote \(files.count) files of an Ansible project under \(out): see \(out)/README.md")
    }
}
