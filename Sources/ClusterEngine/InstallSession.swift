import ClusterCore
import Foundation

/// Everything one install of one cluster needs, built from its answers: the plan, the state
/// folder, and one transport per host. `apply`, `resume`, `verify` and the wizard all start here.
public struct InstallSession: Sendable {
    public let answers: Answers
    /// What earlier runs installed (`installed.yaml`), or nil before the first run finished a layer.
    public let installed: Answers?
    public let plan: Plan
    public let stateDir: StateDir
    public let ssh: SSHOptions
    /// The upgrade of Joget this plan carries out: the one recorded as under way, or one the
    /// answers ask for by naming another bundle than the installed one (`UpgradeRecord`).
    public let upgrade: Upgrade?

    /// - Parameters:
    ///   - stateDirectory: overrides `$XDG_STATE_HOME/joget-cluster/<cluster>`.
    ///   - acceptedHostKeys: `HOST=SHA256:...` fingerprints accepted ahead of time.
    ///   - knownHostsFile: defaults to the state folder's own `known_hosts`.
    ///   - purge: nodes retired by this run lose their folder too.
    ///   - upgrade: an upgrade (or rollback) to start; by default the one under way, if any.
    public init(answers: Answers, stateDirectory: String? = nil, acceptedHostKeys: [String: String] = [:],
                knownHostsFile: String? = nil, purge: Bool = false, upgrade: Upgrade? = nil) throws {
        self.answers = answers
        stateDir = try StateDir(cluster: answers.cluster, override: stateDirectory)
        installed = try InstallSession.loadInstalled(stateDir)
        self.upgrade = try upgrade ?? UpgradeRecord.pending(stateDir, answers: answers, installed: installed)
        plan = try Planner.plan(answers, installed: installed, purge: purge, upgrade: self.upgrade)
        var options = SSHOptions(knownHostsFile: knownHostsFile ?? stateDir.knownHostsPath, acceptedHostKeys: acceptedHostKeys)
        options.hashKnownHosts = false
        ssh = options
    }

    /// Saves the answers (no secrets) where `resume` and the wizard look for them.
    public func saveAnswers() throws { try AnswersFile.save(answers, to: stateDir.answersPath) }

    /// A host of the answers, or one being retired that only `installed` still knows.
    public func host(named name: String) -> ClusterCore.Host? { answers.host(named: name) ?? installed?.host(named: name) }

    /// Nodes this plan retires, and hosts left with no role (which are left alone).
    public var retiredNodes: [Node] { Installed.retiredNodes(installed: installed, answers: answers) }
    public var hostsWithoutRole: [String] { Installed.hostsWithoutRole(installed: installed, answers: answers) }

    static func loadInstalled(_ stateDir: StateDir) throws -> Answers? {
        guard FileManager.default.fileExists(atPath: stateDir.installedPath) else { return nil }
        return try AnswersFile.load(path: stateDir.installedPath)
    }

    /// Records what a run put in place: each layer whose every step is done adds its hosts and nodes;
    /// a run with every step done makes the record equal to the answers (retired nodes leave it).
    func recordInstalled(_ summary: RunSummary) {
        let record: Answers
        if summary.succeeded {
            record = answers
            if var done = upgrade {
                done.finishedAt = Backup.iso(Date())
                try? UpgradeRecord.save(done, stateDir)
            }
        } else {
            let done = Set(summary.outcomes.filter { $0.status.satisfiesDependents }.map(\.stepID))
            let layers = Set(Layer.allCases.filter { layer in
                let ids = plan.steps.filter { $0.layer == layer }.map(\.id)
                return !ids.isEmpty && ids.allSatisfy(done.contains)
            })
            guard !layers.isEmpty else { return }
            let current = (try? InstallSession.loadInstalled(stateDir)) ?? nil
            record = Installed.adding(answers, layers: layers, to: current)
        }
        // A failed save loses only what the next run finds again by its checks.
        try? AtomicFile.write(Data(AnswersFile.encode(record).utf8), to: stateDir.installedPath, mode: 0o600)
    }

    /// Every secret the plan and the hosts' logins need.
    public var neededSecrets: Set<SecretName> {
        var names = Set(plan.steps.flatMap(\.secrets))
        let retiring = plan.hosts.filter { answers.host(named: $0) == nil }.compactMap(host(named:))
        for host in answers.hosts + retiring {
            names.formUnion(host.loginSecrets)
        }
        return names
    }

    /// The secrets `apply --dry-run` needs: those of the checks (a file compared may hold one) and
    /// the hosts' logins; not those only the applies use.
    public var checkSecrets: Set<SecretName> { InstallSession.checkSecrets(of: plan, host: host(named:)) }

    /// The secrets of `plan`'s checks and of its hosts' logins (`host` finds a host by name: the
    /// answers', or the installed one's for a host being retired). The wizard asks for them before
    /// its "Check for changes".
    public static func checkSecrets(of plan: Plan, host: (String) -> ClusterCore.Host?) -> Set<SecretName> {
        var names = Set(plan.steps.flatMap { $0.check?.secrets ?? [] })
        for host in plan.hosts.compactMap(host) {
            names.formUnion(host.loginSecrets)
        }
        return names
    }

    public func pool(secrets: SecretValues) -> TransportPool { TransportPool(session: self, secrets: secrets) }

    /// A runner for the plan; with `resume`, what the journal records as finished is not run again.
    /// Throws `StateDirLockError.busy` while another run uses the state folder: two runners on one
    /// journal would each start what the other is finishing.
    public func runner(secrets: SecretValues, pool: TransportPool, resume: Bool) throws -> Runner {
        let lock = try StateDirLock(stateDir)
        // Recorded before anything changes, so that a stop at any point resumes the same upgrade.
        if let upgrade, (try? UpgradeRecord.load(stateDir)) != upgrade { try UpgradeRecord.save(upgrade, stateDir) }
        let state = resume ? try Journal.load(stateDir: stateDir) : nil
        let runner = try Runner(plan: plan, secrets: secrets, stateDir: stateDir, answersHash: Journal.answersHash(answers),
                                resume: state, stateLock: lock, transports: { pool.transport(for: $0) })
        _ = runner.observe { [self] event in
            if case .runFinished(let summary) = event { recordInstalled(summary) }
        }
        return runner
    }

    /// The dry run of the plan: every check, nothing else. It takes the state folder's lock like a
    /// run (throws `StateDirLockError.busy` while one goes on: its steps would be seen half done), and
    /// reads and writes nothing else there: no journal, so `resume` never learns of it.
    public func driftCheck(secrets: SecretValues, pool: TransportPool) throws -> DriftCheck {
        let lock = try StateDirLock(stateDir)
        return DriftCheck(plan: plan, secrets: secrets, stateLock: lock) { pool.transport(for: $0) }
    }

    public func checks(token: String = String(UInt64.random(in: 1...UInt64.max), radix: 36)) -> [ClusterCheck] {
        ClusterChecks.all(for: answers, token: token) { [answers] in Layout.catalinaOut(of: $0, in: answers) }
    }

    public func verifier(secrets: SecretValues, pool: TransportPool) -> Verifier {
        Verifier(secrets: secrets, record: stateDir) { pool.transport(for: $0) }
    }
}

/// One transport per host, made on first use and shared by the runner, the verifier and the checks.
public final class TransportPool: @unchecked Sendable {
    private let session: InstallSession
    private let secrets: SecretValues
    private let lock = NSLock()
    private var made: [String: any Transport] = [:]

    init(session: InstallSession, secrets: SecretValues) { self.session = session; self.secrets = secrets }

    /// The host's transport; `Step.localHost` and unknown names get a local shell.
    public func transport(for hostName: String) -> any Transport {
        lock.withLock {
            if let t = made[hostName] { return t }
            let t: any Transport
            if let host = session.host(named: hostName) {
                t = Transports.make(host: host, secrets: secrets, options: session.ssh)
            } else {
                t = LocalTransport(name: hostName)
            }
            made[hostName] = t
            return t
        }
    }

    public func closeAll() async {
        let all = lock.withLock { Array(made.values) }
        for t in all { await t.close() }
    }
}
