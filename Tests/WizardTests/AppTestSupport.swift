import ClusterCore
import Foundation
import TermUI
@testable import Wizard

/// A wizard on a headless screen with its own temporary state folder; effects are carried out by the
/// real runtime (saving answers.yaml, building the plan).
final class WizardHarness {
    let dir: String
    let screen: HeadlessScreen
    let runtime: AppRuntime

    init(width: Int = 80, height: Int = 24, answers: Answers? = nil, colors: Bool = false, unicode: Bool = true,
         dir: String? = nil, startup: Bool = false) {
        let d = dir ?? WizardHarness.tempDir()
        self.dir = d
        screen = HeadlessScreen(width: width, height: height, capabilities: Capabilities(colors: colors, unicode: unicode))
        var state: AppState
        if startup, let s = try? AppStartup.load(answersFile: nil, stateDirectory: d + "/state", environment: ["HOME": d]) {
            state = s.makeState()
        } else {
            state = AppState(config: AppConfig(stateDirectory: d + "/state", environment: ["HOME": d]), answers: answers)
        }
        state.size = Size(width: width, height: height)
        runtime = AppRuntime(state: state, backend: screen)
        runtime.drawFrame()
    }

    static func tempDir() -> String {
        let path = NSTemporaryDirectory() + "wizard-test-" + UUID().uuidString.prefix(8)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    var state: AppState { runtime.state }
    var answersPath: String { dir + "/state/answers.yaml" }

    func send(_ keys: Key...) { for k in keys { runtime.handle(.key(k)) }; runtime.drawFrame() }
    func type(_ text: String) { for c in text { runtime.handle(.key(.char(c))) }; runtime.drawFrame() }
    func resize(_ w: Int, _ h: Int) {
        screen.resize(width: w, height: h)
        while let e = screen.readEvent(timeout: .zero) { runtime.handle(e) }
        runtime.drawFrame()
    }

    var text: String { screen.lines.joined(separator: "\n") }
    var lines: [String] { screen.lines }
    func line(containing s: String) -> String? { lines.first { $0.contains(s) } }

    /// The page's field ids on screen now.
    var setupPage: SetupPage? {
        if case .setup(let i) = state.page { return state.setup[i] }
        return nil
    }
}

enum Example {
    /// The shipped two-node example answers.
    static var twoNode: Answers {
        try! AnswersFile.decode(Assets.text("assets/examples/two-node.yaml")!)
    }

    /// Two hosts on this machine: app1 (files, db, node01) and lb (node02, balancer).
    static var small: Answers {
        var a = Answers()
        a.cluster = "lab"
        a.hosts = [Host(name: "app1", address: "127.0.0.1", user: "jctest", port: 22222, auth: .key,
                        keyFile: "/tmp/id_test", sudo: .nopasswd),
                   Host(name: "lb", address: "localhost", user: "jctest", port: 22223, auth: .agent, sudo: .nopasswd)]
        a.sharedFiles.server = "app1"
        a.database.host = "app1"
        a.appServers.bundle = "/tmp/joget-linux.tar.gz"
        a.appServers.nodes = [Node(name: "node01", host: "app1"), Node(name: "node02", host: "lb")]
        a.loadBalancer.host = "lb"
        a.loadBalancer.serverName = "joget.example.com"
        return a
    }
}

extension AppRuntime {
    /// Shows a hosted page run by a service (Run, Verify) as `openHosted` would once the passwords are in.
    func open(_ page: HostedPage, answers: Answers = Answers()) {
        var s = state
        s.page = .hosted(page)
        replaceState(s)
        let context = HostedContext(answers: answers, secrets: SecretValues(), plan: nil, stateDirectory: ".",
                                    knownHostsFile: "known_hosts", resume: false)
        switch page {
        case .run: perform([.run(.start(context))])
        case .verify: perform([.verify(.start(context))])
        case .changes: perform([.changes(.start(context))])
        case .backup: perform([.backup(.start(context))])
        default: break
        }
        drainInbox()
    }
}
