import ClusterCore
@testable import ClusterEngine
import Foundation
import Synchronization
import TermUI
@testable import Wizard

/// Answers, checklists and transports for the license page tests. Every address is on the
/// loopback range; the page tests never reach a host (their transports refuse or wait).
enum LicenseFixtures {
    /// 2026-03-02 09:00 UTC.
    static let t0 = Date(timeIntervalSince1970: 1_772_442_000)
    static let utc = TimeZone(identifier: "UTC")!

    static func at(days: Double = 0, hours: Double = 0) -> Date { t0.addingTimeInterval(days * 86_400 + hours * 3_600) }

    /// A cluster of `nodes` app servers (node01 on app1, ...), a database host and a balancer.
    static func answers(nodes: Int) -> Answers {
        var a = Answers()
        a.cluster = nodes <= 2 ? "acme-joget" : "big-joget"
        a.hosts = [ClusterCore.Host(name: "db", address: "127.0.1.5", user: "admin", auth: .agent, sudo: .nopasswd)]
        for i in 1...nodes {
            a.hosts.append(ClusterCore.Host(name: "app\(i)", address: "127.0.1.\(10 + i)", user: "admin", auth: .agent, sudo: .nopasswd))
        }
        a.hosts.append(ClusterCore.Host(name: "lb", address: "127.0.1.9", user: "admin", auth: .agent, sudo: .nopasswd))
        a.sharedFiles.provider = .existing
        a.database.host = "db"
        a.appServers.bundle = "/home/admin/joget-enterprise-linux-8.1.6.tar.gz"
        a.appServers.nodes = (1...nodes).map { Node(name: String(format: "node%02d", $0), host: "app\($0)") }
        a.loadBalancer.host = "lb"
        a.loadBalancer.serverName = "joget.example.com"
        return a
    }

    static func node(_ i: Int) -> String { String(format: "node%02d", i) }

    /// A system key as Joget shows it: 32 hex digits, `EE-` prefixed on every third node.
    static func systemKey(_ i: Int) -> String {
        if i == 1 { return "a4021e833fea1224d13fbff6c505780f" }
        var x = UInt64(i) &* 0x9E37_79B9_7F4A_7C15
        var hex = ""
        while hex.count < 32 {
            x ^= x >> 29; x = x &* 0xBF58_476D_1CE4_E5B9
            hex += String(format: "%016llx", x)
        }
        let key = String(hex.prefix(32))
        return i % 3 == 0 ? "EE-" + key : key
    }

    static func license(_ i: Int) -> String { "JLIC-\(i)-6b1f0c9e2d7a4e53b8f1c0d9a7e6b5c4-" + String(format: "%04X", 0x9F30 + i) }

    static func facts(_ i: Int, mac: String? = nil) -> NodeFacts {
        NodeFacts(mac: mac ?? String(format: "02:00:00:00:01:%02x", 0x10 + i), profile: "default", version: "8.1.6", edition: "enterprise")
    }

    enum Stage { case keyNeeded, notFound, recorded, entered, activated, reactivation }

    /// The stages of the 8-node checklist: every status, twice for some.
    static let eight: [Stage] = [.activated, .entered, .recorded, .reactivation, .notFound, .recorded, .keyNeeded, .activated]
    static let two: [Stage] = [.entered, .keyNeeded]

    /// A checklist with each node at its stage, changes spread over days.
    static func checklist(_ a: Answers, stages: [Stage]) -> LicenseChecklist {
        var c = LicenseChecklist(answers: a, at: at())
        for (n, stage) in stages.enumerated() {
            let i = n + 1, name = node(i)
            let day = Double(n % 4)
            do {
                switch stage {
                case .keyNeeded:
                    break
                case .notFound:
                    c.apply(NodeObservation(node: name, facts: facts(i), key: .notFound("the console asks for a login"),
                                            activation: .cannotTell("the console asks for a login")), at: at(hours: 1))
                case .recorded:
                    try c.setSystemKey(systemKey(i), for: name, facts: facts(i), source: .pasted, at: at(days: day, hours: 2))
                case .entered:
                    try c.setSystemKey(systemKey(i), for: name, facts: facts(i), source: .read, at: at(hours: 1))
                    try c.setLicense(license(i), for: name, at: at(days: 2, hours: 5))
                case .activated:
                    try c.setSystemKey(systemKey(i), for: name, facts: facts(i), source: .read, at: at(hours: 1))
                    try c.setLicense(license(i), for: name, at: at(days: 2, hours: 4))
                    c.apply(.activated("the footer shows \"Licensed to: Example Org\" and no License link"), for: name, at: at(days: 2, hours: 4.5))
                case .reactivation:
                    try c.setSystemKey(systemKey(i), for: name, facts: facts(i), source: .read, at: at(hours: 1))
                    c.apply(NodeObservation(node: name, facts: facts(i, mac: "02:00:00:00:09:99"), key: .found(systemKey(i), place: "the footer"),
                                            activation: .notActivated("the footer shows the License link")), at: at(days: 3, hours: 1))
                }
            } catch {
                fatalError("fixture checklist: \(error)")
            }
        }
        return c
    }

    static func tempDir(_ tag: String = "lic") -> String {
        let path = NSTemporaryDirectory() + "licui-\(tag)-" + UUID().uuidString.prefix(8)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A fixed folder for a snapshot test (its path shows on the page), emptied first.
    static func fixedDir(_ name: String) -> String {
        let path = "/tmp/jc-licenses/" + name
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A state folder holding licenses.json for these stages; returns its path.
    static func stateDir(_ a: Answers, stages: [Stage], in dir: String? = nil) throws -> String {
        let d = dir ?? tempDir()
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        try LicenseStore(directory: d).save(checklist(a, stages: stages))
        return d
    }

    /// The page alone on the app's runtime, over a desk on `dir` whose transports are `transport`
    /// (offline by default), opened and settled.
    static func page(_ a: Answers, dir: String, mode: LicensePage.Mode = .standalone,
                     transport: @escaping @Sendable (ClusterCore.Host) throws -> any Transport = { OfflineTransport(hostName: $0.name) })
        async throws -> LicenseHarness {
        let clock = StepClock(at(days: 5))
        let screen = HeadlessScreen(width: 80, height: 24, capabilities: Capabilities(colors: false, unicode: true))
        let runtime = LicenseApp.runtime(answers: a, stateDirectory: dir, backend: screen) { inbox in
            LicensePage.open(answers: a, stateDirectory: dir, comeBack: "joget-cluster licenses --state-dir \(dir)", mode: mode,
                             timeZone: utc, now: { clock.next() }, inbox: inbox, transport: transport)
        }
        runtime.sendsTime = false
        let page = LicenseHarness(runtime, screen: screen)
        await page.settle()
        return page
    }

    /// The page as the app shows it (header, legend) on a screen of this size.
    static func frame(_ page: LicenseHarness, _ a: Answers, width: Int, height: Int, theme: Theme = .monochrome()) -> Buffer {
        var s = AppState(config: AppConfig(stateDirectory: page.stateDirectory), answers: a, size: Size(width: width, height: height))
        s.page = .hosted(.licenses)
        s.licenses = page.value
        _ = App.update(&s, .resize(Size(width: width, height: height)))
        var b = Buffer(width: width, height: height)
        AppView.render(s, into: &b, theme: theme)
        return b
    }
}

/// A minute later at every call.
final class StepClock: Sendable {
    private let date: Mutex<Date>
    init(_ start: Date) { date = Mutex(start) }
    func next() -> Date { date.withLock { d in d = d.addingTimeInterval(60); return d } }
}

/// A host that cannot be reached: every read says so.
struct OfflineTransport: Transport {
    let hostName: String
    func connect() async throws { throw TransportError.unreachable(host: hostName, detail: "no network in this test") }
    func run(_ script: String, timeout: Duration, onLine: @escaping @Sendable (OutputLine) -> Void) async -> CommandResult {
        .connectionLost("no network in this test")
    }
    func upload(localPath: String, remotePath: String, mode: Int) async throws -> UploadOutcome {
        throw TransportError.unreachable(host: hostName, detail: "no network in this test")
    }
    func download(remotePath: String, localPath: String) async throws {
        throw TransportError.unreachable(host: hostName, detail: "no network in this test")
    }
    func close() async {}
}

/// Holds every login until `open()`: work in the background waits, keys must not.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>], arrived: Int)>((false, [], 0))

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resume = state.withLock { s -> Bool in
                s.arrived += 1
                if s.open { return true }
                s.waiting.append(c)
                return false
            }
            if resume { c.resume() }
        }
    }

    /// Logins that reached the gate so far.
    var arrived: Int { state.withLock { $0.arrived } }

    func open() {
        let waiting = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.open = true
            defer { s.waiting = [] }
            return s.waiting
        }
        for c in waiting { c.resume() }
    }
}

/// An offline host whose login first waits at a gate.
struct GatedTransport: Transport {
    let hostName: String
    let gate: Gate
    func connect() async throws {
        await gate.wait()
        throw TransportError.unreachable(host: hostName, detail: "no network in this test")
    }
    func run(_ script: String, timeout: Duration, onLine: @escaping @Sendable (OutputLine) -> Void) async -> CommandResult {
        .connectionLost("no network in this test")
    }
    func upload(localPath: String, remotePath: String, mode: Int) async throws -> UploadOutcome {
        throw TransportError.unreachable(host: hostName, detail: "no network in this test")
    }
    func download(remotePath: String, localPath: String) async throws {}
    func close() async {}
}

/// The license page inside the app's runtime, reached as the old reference page was: keys go
/// through the app (so work reaches the license service), properties read the page in the state.
@dynamicMemberLookup
final class LicenseHarness {
    let runtime: AppRuntime
    let screen: HeadlessScreen
    /// The page as last seen (it stays readable after `n` went on to the Summary).
    private var last: LicensePage

    init(_ runtime: AppRuntime, screen: HeadlessScreen) {
        self.runtime = runtime
        self.screen = screen
        last = runtime.state.licenses!
    }

    var value: LicensePage {
        if let p = runtime.state.licenses { last = p }
        return last
    }

    subscript<T>(dynamicMember path: KeyPath<LicensePage, T>) -> T { value[keyPath: path] }

    /// Gives the key to the app; returns what the page asked of the app for it. A key the page
    /// ignores goes on to the app (F10: "Quit?"); that dialog is put away again, so the next key
    /// reaches the page as in a test of the page alone.
    @discardableResult
    func handle(_ key: Key) -> ScreenRequest {
        var copy = value
        let request = copy.handle(key)
        let hadDialog = runtime.state.dialog != nil
        runtime.handle(.key(key))
        if request == .ignored, !hadDialog, runtime.state.dialog != nil {
            var s = runtime.state
            s.dialog = nil
            runtime.replaceState(s)
        }
        last = runtime.state.licenses ?? copy   // gone on to the Summary: the page as it was left
        return request
    }

    /// The page opened alone by `open` (a damaged file, answers without nodes), without settling.
    static func opening(_ a: Answers, dir: String, mode: LicensePage.Mode) -> LicenseHarness {
        let screen = HeadlessScreen(width: 80, height: 24, capabilities: Capabilities(colors: false, unicode: true))
        let runtime = LicenseApp.runtime(answers: a, stateDirectory: dir, backend: screen) { inbox in
            LicensePage.open(answers: a, stateDirectory: dir, comeBack: "joget-cluster licenses", mode: mode, inbox: inbox) {
                OfflineTransport(hostName: $0.name)
            }
        }
        runtime.sendsTime = false
        return LicenseHarness(runtime, screen: screen)
    }

    /// Waits for the work sent to the license service so far, then takes in what came of it.
    func settle() async {
        await runtime.settleLicenses()
        _ = value
    }
}
