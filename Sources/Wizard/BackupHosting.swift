import ClusterCore
import ClusterEngine
import Foundation
import TermUI

/// "Back up this cluster" from the Welcome page: `joget-cluster backup` with its progress on
/// screen. The backup runs in the background and its lines arrive through an inbox drained on each
/// tick. Esc while it runs stops it (a cut-off backup has no manifest, so it is never taken for a
/// finished one) and returns to the Welcome page.
public final class LiveBackupPage: Screen {
    enum State: Equatable { case running, done(String), failed(String) }

    private let inbox = Locked<[String]>([])
    private let outcome = Locked<State>(.running)
    private var task: Task<Void, Never>?
    private(set) var lines: [String] = []
    private(set) var state: State = .running
    private let folder: String

    public init(context: HostedContext) {
        folder = context.stateDirectory + "/backups"
        let answers = context.answers, secrets = context.secrets, wake = context.wake
        let inbox = self.inbox, outcome = self.outcome, folder = self.folder
        do {
            let session = try InstallSession(answers: answers, stateDirectory: context.stateDirectory,
                                             knownHostsFile: context.knownHostsFile)
            let pool = session.pool(secrets: secrets)
            let backup = Backup(answers: answers, secrets: secrets, transports: { pool.transport(for: $0) }) { line in
                inbox.withLock { $0.append(line) }
                wake()
            }
            task = Task {
                let result: State
                do { result = .done(try await backup.take(into: folder)) } catch { result = .failed("\(error)") }
                await pool.closeAll()
                outcome.withLock { $0 = Task.isCancelled ? .failed("stopped: the folder left has no manifest.json, so it is not a backup") : result }
                wake()
            }
        } catch {
            outcome.withLock { $0 = .failed("the backup cannot start: \(error)") }
        }
    }

    deinit { task?.cancel() }

    public var title: String { "Backup" }
    public var legend: [KeyLegend.Item] { [.init("Esc", state == .running ? "Stop and go back" : "Back")] }
    public var help: String? {
        "The database is dumped on its host (--single-transaction, the cluster keeps serving) and the shared folder archived on the first app host; both come here compressed, with their sha256 in manifest.json, written last. Headless: joget-cluster backup [--to DIR]; restore with joget-cluster restore FOLDER."
    }

    public func handle(_ key: Key) -> ScreenRequest {
        guard key == .escape else { return .ignored }
        task?.cancel()
        return .back
    }

    public func tick() -> ScreenRequest {
        lines += inbox.withLock { l in defer { l = [] }; return l }
        state = outcome.withLock { $0 }
        return .none
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        buffer.clear(area, style: theme[.normal])
        let inner = area.inset(horizontal: 2, vertical: 1)
        guard inner.width > 0, inner.height > 2 else { return }
        let head: (String, Role)
        switch state {
        case .running: head = ("Backing up the database and the shared folder into \(folder)/ ...", .normal)
        case .done(let f): head = ("Done: \(f)\nRestore it with: joget-cluster restore \(f)", .ok)
        case .failed(let why): head = ("The backup failed: \(why)", .error)
        }
        let headHeight = state == .running ? 1 : 2
        Paragraph(head.0, role: head.1).render(Rect(x: inner.x, y: inner.y, width: inner.width, height: headHeight), into: &buffer, theme: theme)
        let room = inner.height - headHeight - 1
        for (i, line) in lines.suffix(max(0, room)).enumerated() {
            Paragraph(line, role: .muted, wrap: false).render(Rect(x: inner.x, y: inner.y + headHeight + 1 + i, width: inner.width, height: 1),
                                                             into: &buffer, theme: theme)
        }
    }
}
