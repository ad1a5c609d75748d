import ClusterCore
import ClusterEngine
import Foundation

/// The checkup of `joget-cluster check` for the check page: every host's preflight over one pool of
/// logins, then the network between the hosts (`Checkup`), each line posted as `.checkup(.line)`
/// as it is known, then `.checkup(.finished)`. Read-only; closing cancels a run in progress.
public final class CheckupService: PageWork {
    private let session: InstallSession
    private let secrets: SecretValues
    private let inbox: AppInbox
    private let task = Locked<Task<Void, Never>?>(nil)

    public init(context: HostedContext, inbox: AppInbox) throws {
        session = try InstallSession(answers: context.answers, stateDirectory: context.stateDirectory,
                                     knownHostsFile: context.knownHostsFile)
        secrets = context.secrets
        self.inbox = inbox
    }

    public func start() {
        let (session, secrets, inbox) = (self.session, self.secrets, self.inbox)
        let previous = task.withLock { $0 }
        previous?.cancel()
        let next = Task.detached {
            await previous?.value
            let pool = session.pool(secrets: secrets)
            let checkup = Checkup(preflight: Preflight(closesTransport: false) { pool.transport(for: $0.name) },
                                  verifier: Verifier(secrets: secrets) { pool.transport(for: $0) })
            _ = await checkup.run(session.answers) { line in
                guard !Task.isCancelled else { return }
                inbox.post(.checkup(.line(line)))
            }
            await pool.closeAll()
            if !Task.isCancelled { inbox.post(.checkup(.finished)) }
        }
        task.withLock { $0 = next }
    }

    public func close() async {
        let t = task.withLock { $0 }
        t?.cancel()
        await t?.value
    }

    /// Each remote host's key against known_hosts, scanned side by side.
    public static func scanKeys(_ hosts: [ClusterCore.Host], knownHostsFile: String) async -> [HostKeyScan] {
        await withTaskGroup(of: HostKeyScan.self) { group in
            for host in hosts {
                group.addTask {
                    do {
                        switch try await HostKeys.check(host: host.address, port: host.port, knownHostsFile: knownHostsFile) {
                        case .known: return HostKeyScan(host: host.name, status: .known)
                        case .unknown(let key):
                            return HostKeyScan(host: host.name, status: .unknown(fingerprint: key.fingerprint, keyType: key.keyType))
                        case .changed(let key): return HostKeyScan(host: host.name, status: .changed(fingerprint: key.fingerprint))
                        }
                    } catch {
                        return HostKeyScan(host: host.name, status: .failed("\(error)"))
                    }
                }
            }
            var byName: [String: HostKeyScan] = [:]
            for await scan in group { byName[scan.host] = scan }
            return hosts.compactMap { byName[$0.name] }
        }
    }
}
