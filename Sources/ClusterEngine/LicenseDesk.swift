import ClusterCore
import Foundation
import Synchronization

/// The license activation checklist at work: opened from `licenses.json` (or new), kept in step
/// with the answers, read from the nodes through their transports (so bastions and sudo work as
/// for the install), saved back. What the license screen and `joget-cluster licenses` call:
///
/// ```
/// let desk = try LicenseDesk(answers: a, store: LicenseStore(stateDir: dir)) { host in transports(host) }
/// try await desk.refresh()                      // facts + keys from every node; flags changes
///                                               // (LicenseDesk.reopen(...) = open + refresh)
/// try await desk.setKey("EE-…", for: "node02")  // a key pasted by the operator
/// try await desk.setLicense(license, for: "node02")
/// try await desk.verify()                       // activated when the license link is gone
/// let md = await desk.export(.md)               // never holds license keys
/// try await desk.save(); await desk.close()
/// ```
/// Every line given to `log`, and every note returned, has the license keys masked.
public actor LicenseDesk {
    public nonisolated let answers: Answers
    public nonisolated let store: LicenseStore
    public private(set) var checklist: LicenseChecklist
    /// What opening found: a file mode tightened, nodes added to or dropped from the answers.
    public nonisolated let openingNotes: [LicenseNote]

    private let makeTransport: @Sendable (ClusterCore.Host) throws -> any Transport
    private var transports: [String: any Transport] = [:]
    private let timeout: Duration
    private let now: @Sendable () -> Date
    private let log: @Sendable (String) -> Void

    /// Opens the stored checklist for these answers, or starts one where every node needs its key.
    /// A damaged file is an error, never overwritten.
    public init(answers: Answers, store: LicenseStore, timeout: Duration = .seconds(60),
                now: @escaping @Sendable () -> Date = LicenseDesk.wholeSecond,
                log: @escaping @Sendable (String) -> Void = { _ in },
                transport: @escaping @Sendable (ClusterCore.Host) throws -> any Transport) throws(LicenseStoreError) {
        self.answers = answers; self.store = store; self.timeout = timeout; self.now = now; self.log = log
        makeTransport = transport
        var notes: [LicenseNote] = []
        if let stored = try store.load(warn: { notes.append(LicenseNote(node: nil, line: $0)) }) {
            var c = stored
            if c.cluster != answers.cluster {
                notes.append(LicenseNote(node: nil, line: "\(store.path) was written for cluster \(c.cluster); the answers name \(answers.cluster)"))
            }
            notes += c.sync(with: answers, at: now())
            checklist = c
        } else {
            checklist = LicenseChecklist(answers: answers, at: now())
        }
        let redactor = Redactor(secrets: checklist.licenseKeys)
        openingNotes = notes.map { $0.map(redactor.clean) }
        for note in openingNotes { log(note.line) }
    }

    /// Opens the checklist and reads every node again at once: what re-opening the checklist days
    /// later does, so a node whose MAC, profile, version or edition changed shows "needs re-activation".
    /// `notes` gets what opening and reading found.
    public static func reopen(answers: Answers, store: LicenseStore, timeout: Duration = .seconds(60),
                              now: @escaping @Sendable () -> Date = LicenseDesk.wholeSecond,
                              log: @escaping @Sendable (String) -> Void = { _ in },
                              transport: @escaping @Sendable (ClusterCore.Host) throws -> any Transport) async throws(LicenseStoreError) -> (desk: LicenseDesk, notes: [LicenseNote]) {
        let desk = try LicenseDesk(answers: answers, store: store, timeout: timeout, now: now, log: log, transport: transport)
        let read = (try? await desk.refresh()) ?? []
        return (desk, desk.openingNotes + read)
    }

    /// Now, to the second: what licenses.json keeps.
    @Sendable public static func wholeSecond() -> Date { Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)) }

    private var redactor: Redactor { Redactor(secrets: checklist.licenseKeys) }

    /// Masks the license keys in the notes and logs them.
    private func say(_ notes: [LicenseNote]) -> [LicenseNote] {
        let r = redactor
        let clean = notes.map { $0.map(r.clean) }
        for note in clean { log(note.line) }
        return clean
    }

    /// A progress line for the log only.
    private func progress(_ line: String) { log(redactor.clean(line)) }

    /// The nodes named (all by default), from the answers: a retired node's row is never read
    /// (`nothing` says what is not done to it).
    private func nodes(_ names: [String]?, nothing: String = "nothing to read") throws(LicenseError) -> [Node] {
        guard let names else { return answers.appServers.nodes }
        return try names.map { name throws(LicenseError) -> Node in
            if checklist.row(name)?.isRetired == true { throw .retired(name, nothing) }
            guard let node = answers.appServers.nodes.first(where: { $0.name == name }) else {
                throw LicenseError("node \"\(name)\"", "there is no app server node by that name (nodes: \(answers.appServers.nodes.map(\.name).joined(separator: ", ")))")
            }
            return node
        }
    }

    // MARK: Reading the nodes

    /// Reads MAC, datasource profile, version and edition, and the system key from each node (all
    /// in the answers by default; a retired node named is an error): records a key found where one was needed, and flags a node whose facts or key
    /// changed since its key was recorded. Returns what happened, in words.
    @discardableResult
    public func refresh(_ names: [String]? = nil) async throws(LicenseError) -> [LicenseNote] {
        var notes: [LicenseNote] = []
        for node in try nodes(names) {
            progress("\(node.name): reading MAC, datasource profile, version and system key on host \(node.host)")
            let result = await run(LicenseProbes.capture(node, answers: answers))
            let seen = LicenseProbes.observation(of: node.name, from: result, answers: answers)
            notes += say(checklist.apply(seen, at: now()))
        }
        return notes
    }

    /// Records a system key the operator read at the node's own URL. The facts in force are read
    /// from the node first (unless `readFacts` is false); when they cannot be, the key is recorded
    /// with unknown facts, filled in by a later refresh.
    @discardableResult
    public func setKey(_ key: String, for name: String, readFacts: Bool = true) async throws(LicenseError) -> [LicenseNote] {
        let trimmed = try checklist.checkSystemKey(key, for: name)
        var notes: [LicenseNote] = []
        var facts: NodeFacts? = nil
        if readFacts, let node = try nodes([name]).first {
            let seen = LicenseProbes.observation(of: name, from: await run(LicenseProbes.capture(node, answers: answers)), answers: answers)
            if seen.facts == NodeFacts() {
                notes.append(LicenseNote(name, "facts at key capture unknown (\(seen.problems.first ?? "nothing read")); a later refresh fills them in"))
            } else {
                facts = seen.facts
                notes += seen.problems.map { LicenseNote(name, $0) }
            }
            if case .found(let shown, let place) = seen.key, shown.lowercased() != trimmed.lowercased() {
                notes.append(LicenseNote(name, "careful: \(place) shows the key \(shown), not \(trimmed)"))
            }
        }
        try checklist.setSystemKey(trimmed, for: name, facts: facts, source: .pasted, at: now())
        notes.append(LicenseNote(name, "system key \(trimmed) recorded; \(facts?.summary ?? "facts unknown")"))
        return say(notes)
    }

    /// Records that the license key was entered in the node's pop-up. Kept only in licenses.json.
    public func setLicense(_ license: String, for name: String) throws(LicenseError) {
        try checklist.setLicense(license, for: name, at: now())
        _ = say([LicenseNote(name, "license \(checklist.row(name)?.license(revealed: false) ?? "") recorded; run verify once it is entered at \(checklist.row(name)?.url ?? "")")])
    }

    /// Looks at each node's console and footer: activated when the license link is gone, not yet
    /// while it shows, and "cannot tell: …" when the pages do not say. Retired nodes are not looked at.
    @discardableResult
    public func verify(_ names: [String]? = nil) async throws(LicenseError) -> [LicenseNote] {
        var notes: [LicenseNote] = []
        for node in try nodes(names, nothing: "nothing to verify") {
            progress("\(node.name): reading the console footer at http://127.0.0.1:\(answers.httpPort(of: node)) on host \(node.host)")
            let check = LicenseProbes.activation(from: await run(LicenseProbes.pages(node, answers: answers)))
            if let note = checklist.apply(check, for: node.name, at: now()) { notes += say([note]) }
        }
        return notes
    }

    // MARK: Showing and keeping

    /// For whoever requests the licenses: node, URL, system key, edition, version, status. No license key.
    public func export(_ format: LicenseExportFormat) -> String { checklist.export(format) }

    public func table(revealLicenses: Bool = false) -> String { checklist.table(revealLicenses: revealLicenses) }

    /// Writes licenses.json (0600, atomically).
    public func save() throws(LicenseStoreError) { try store.save(checklist) }

    /// Ends every session this desk opened.
    public func close() async {
        let open = transports
        transports = [:]
        for t in open.values { await t.close() }
    }

    // MARK: Probes

    private func transport(for hostName: String) throws -> any Transport {
        if let t = transports[hostName] { return t }
        guard let host = answers.host(named: hostName) else {
            throw LicenseError("host \"\(hostName)\"", "is not among the answers' hosts")
        }
        let t = try makeTransport(host)
        transports[hostName] = t
        return t
    }

    private func run(_ probe: Probe) async -> ProbeResult {
        let redactor = self.redactor
        let transport: any Transport
        do {
            transport = try self.transport(for: probe.host)
            try await transport.connect()
        } catch {
            return ProbeResult(exitCode: nil, output: [], error: redactor.clean("\(error)"))
        }
        let script: String
        do { script = try probe.script.executable(with: SecretValues()) } catch {
            return ProbeResult(exitCode: nil, output: [], error: "\(error)")
        }
        let lines = Lines()
        let result = await transport.run(script, timeout: timeout) { line in lines.append(redactor.clean(line.text)) }
        switch result {
        case .exited(let code): return ProbeResult(exitCode: code, output: lines.all)
        case .timedOut: return ProbeResult(exitCode: nil, output: lines.all, error: "timed out after \(timeout)")
        case .cancelled: return ProbeResult(exitCode: nil, output: lines.all, error: "cancelled")
        case .connectionLost(let why): return ProbeResult(exitCode: nil, output: lines.all, error: "connection lost: \(redactor.clean(why))")
        }
    }

    private final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }
}
