import ClusterCore
import Foundation
import Testing
@testable import Wizard

/// Line mode driven by a script of answers.
final class PlainScript {
    var lines: [String]
    var secrets: [String]
    var output = ""
    var prompts: [String] = []
    var saved: [Answers] = []

    init(_ lines: [String], secrets: [String] = []) { self.lines = lines; self.secrets = secrets }

    var io: PlainIO {
        PlainIO(readLine: { [unowned self] in self.lines.isEmpty ? nil : self.lines.removeFirst() },
                readSecret: { [unowned self] prompt in
                    self.prompts.append(prompt); self.output += prompt
                    return self.secrets.isEmpty ? nil : self.secrets.removeFirst()
                },
                write: { [unowned self] text in self.output += text })
    }

    func run(_ answers: Answers = SetupModel.defaultAnswers()) -> (PlainWizard.Outcome, PlainWizard) {
        let w = PlainWizard(model: SetupModel(answers: answers), io: io) { [unowned self] a in self.saved.append(a); return nil }
        return (w.run(), w)
    }
}

@Suite("Plain line mode")
struct PlainWizardTests {
    static let freshInstall = [
        "lab",                                   // cluster name
        "app1", "999.1.1.1", "10.0.0.5", "admin", "", "", "",   // host 1, with a wrong address re-asked
        "y", "lb", "10.0.0.6", "admin", "", "", "",   // host 2
        "n",
        "", "app1", "", "",                      // shared files: nfs from app1
        "", "app1", "", "", "", "",              // database (the password is read without echo)
        "/tmp/joget-linux.tar.gz", "", "", "", "", "", "", "", "", "", "", "",
        "", "app1", "",                          // node01 on app1
        "y", "", "lb", "",                       // node02 on lb
        "n",
        "lb", "joget.example.test", "", "",      // load balancer
        "n",                                     // install now? no
    ]

    @Test func asksEveryQuestionWithTheSameChecksAndEndsAtTheReview() {
        // The sudo passwords left for the install to ask; the database's typed twice.
        let s = PlainScript(Self.freshInstall, secrets: ["", "", "Db-pw-1", "Db-pw-1"])
        let (outcome, wizard) = s.run()
        #expect(outcome == .stopped)
        // The wrong address is refused, naming the value, and asked again.
        #expect(s.output.contains("Address: \"999.1.1.1\" is not an IP address or a DNS name"))
        #expect(s.output.contains("Host 1 Address: "))
        // Defaults in brackets, choices and host names listed.
        #expect(s.output.contains("SSH port [22]: "))
        #expect(s.output.contains("Login with (agent/key/password/local) [agent]: "))
        #expect(s.output.contains("NFS server (one of: app1, lb): "))
        #expect(s.output.contains("Node 2 Host (one of: app1, lb): "))
        #expect(s.output.contains("Node 1 HTTP port (empty: the common 8080): "))
        // A host's default login: a user of one's own with sudo asking its password.
        #expect(s.output.contains("Host 1 SSH user: "))
        #expect(s.output.contains("Root access (root/nopasswd/password) [password]: "))
        #expect(s.prompts.contains { $0.hasPrefix("App user password again") })
        // The password: asked without echo, kept in memory only.
        #expect(s.prompts.contains { $0.hasPrefix("App user password") })
        #expect(wizard.model.secrets[SecretName("db-password")] == "Db-pw-1")
        #expect(!s.saved.contains { AnswersFile.encode($0).contains("Db-pw-1") })
        // The review: every layer complete, the plan per host.
        #expect(s.output.contains("[x] 4 Load balancer"))
        #expect(s.output.contains("Plan: "))
        #expect(s.output.contains("  app1: "))
        #expect(s.output.contains("Install now? [y/N]"))
        let a = wizard.model.answers
        #expect(a.hosts.map(\.name) == ["app1", "lb"])
        #expect(a.appServers.nodes.map(\.host) == ["app1", "lb"])
        #expect(Validator.validate(a).isEmpty)
        #expect(s.saved.last == a)
    }

    @Test func yesAtTheReviewAsksToInstall() {
        var lines = Self.freshInstall
        lines[lines.count - 1] = "y"
        let (outcome, _) = PlainScript(lines, secrets: ["", "", ""]).run()
        #expect(outcome == .install)
    }

    @Test func aNewDatabasePasswordIsTypedTwice() {
        let s = PlainScript(Self.freshInstall, secrets: ["", "", "Db-pw-1", "Db-pw-2", "Db-pw-3", "Db-pw-3"])
        let (_, wizard) = s.run()
        #expect(s.output.contains("The two passwords differ: type it twice again."))
        #expect(wizard.model.secrets[SecretName("db-password")] == "Db-pw-3")
    }

    @Test func aHostLoggedInAsRootNeedsNoSudo() {
        var lines = Self.freshInstall
        lines[4] = "root"
        let s = PlainScript(lines, secrets: ["", "Db-pw-1", "Db-pw-1"])
        let (_, wizard) = s.run()
        #expect(s.output.contains("Root access (root/nopasswd/password) [root]: "))
        #expect(wizard.model.answers.hosts.first?.sudo == .root)
        #expect(wizard.model.answers.hosts.last?.sudo == .password)
    }

    @Test func endOfInputKeepsWhatWasAnswered() {
        let s = PlainScript(["prod", "app1", "10.0.0.9"])
        let (outcome, wizard) = s.run()
        #expect(outcome == .endOfInput)
        #expect(s.output.contains("Input ended. Your answers so far are saved"))
        #expect(wizard.model.answers.cluster == "prod")
        #expect(wizard.model.answers.hosts.first?.address == "10.0.0.9")
        #expect(s.saved.last?.hosts.first?.address == "10.0.0.9")
    }

    @Test func prefilledAnswersAreKeptWithEnterAndTheHelpIsThere() {
        var lines = ["?"]                        // help on the first question, then Enter everywhere
        lines += Array(repeating: "", count: 200)
        let s = PlainScript(lines, secrets: Array(repeating: "", count: 10))
        let (outcome, wizard) = s.run(Example.small)
        #expect(s.output.contains("Names the folder where answers"))
        #expect(s.output.contains("Cluster name [lab]: "))
        #expect(wizard.model.answers == Example.small)
        #expect(outcome == .stopped)             // "Install now?" answered with Enter: no
    }

    @Test func aPageCheckAsksAgainWhatIsMissing() {
        // Two nodes on one host with the same port: the page check finds it and asks for a port.
        var a = Example.small
        a.appServers.nodes = [Node(name: "node01", host: "app1"), Node(name: "node02", host: "app1")]
        var lines = Array(repeating: "", count: 5 + 8 + 8 + 4 + 8)   // hosts page and shared files, database
        lines += Array(repeating: "", count: 12)                     // app server fields
        lines += ["", "", "", "", "", ""]                            // the two nodes, kept
        lines += ["n"]                                               // no more nodes
        lines += ["8081"]                                            // asked again: node02's port
        lines += Array(repeating: "", count: 20)
        let s = PlainScript(lines, secrets: Array(repeating: "", count: 10))
        _ = s.run(a)
        #expect(s.output.contains("Not complete yet:"))
        #expect(s.output.contains("Node 2 (node02) HTTP port: port 8080 on \"app1\" is taken by another node"))
    }
}
