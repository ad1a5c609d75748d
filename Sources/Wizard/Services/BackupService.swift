import ClusterCore
import ClusterEngine
import Foundation

/// The backup service of "Back up this cluster": `joget-cluster backup` in the background, its
/// lines and its end posted into the app's inbox as `.backup` messages. Closing it while it runs
/// stops it (a cut-off backup has no manifest, so it is never taken for a finished one).
public final class BackupService: PageWork {
    private let take: @Sendable (@escaping @Sendable (String) -> Void) async throws -> String
    private let onClose: (@Sendable () async -> Void)?
    private let inbox: AppInbox
    private let task = Locked<Task<Void, Never>?>(nil)

    /// - Parameter take: takes the backup, handing each progress line over; returns its folder.
    public init(inbox: AppInbox, onClose: (@Sendable () async -> Void)? = nil,
                take: @escaping @Sendable (@escaping @Sendable (String) -> Void) async throws -> String) {
        self.inbox = inbox
        self.onClose = onClose
        self.take = take
    }

    /// The backup of a context's cluster into `folder`, over one transport per host.
    public convenience init(context: HostedContext, folder: String, inbox: AppInbox) throws {
        let session = try InstallSession(answers: context.answers, stateDirectory: context.stateDirectory,
                                         knownHostsFile: context.knownHostsFile)
        let pool = session.pool(secrets: context.secrets)
        let answers = context.answers, secrets = context.secrets
        self.init(inbox: inbox, onClose: { await pool.closeAll() }) { line in
            let backup = Backup(answers: answers, secrets: secrets, transports: { pool.transport(for: $0) }, say: line)
            let taken = try await backup.take(into: folder)
            BackupShelf.recordLast(folder: taken, stateDir: session.stateDir)
            return taken
        }
    }

    public func start() {
        let take = self.take, inbox = self.inbox
        task.withLock { t in
            t = Task {
                let result: BackupView.State
                do { result = .done(try await take { inbox.post(.backup(.line($0))) }) } catch { result = .failed("\(error)") }
                inbox.post(.backup(.ended(Task.isCancelled
                    ? .failed("stopped: the folder left has no manifest.json, so it is not a backup") : result)))
            }
        }
    }

    public func close() async {
        let t = task.withLock { $0 }
        t?.cancel()
        await t?.value
        await onClose?()
    }
}
