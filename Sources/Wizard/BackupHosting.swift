import ClusterCore
import ClusterEngine
import Foundation
import TermUI

/// "Back up this cluster" from the Welcome page: `joget-cluster backup` with its progress on
/// screen. The backup runs in the background and its lines arrive through an inbox drained on each
/// tick. Esc while it runs stops it (a cut-off backup has no manifest, so it is never taken for a
/// finished one) and returns to the Welcome page.
public final class LiveBackupPage: Screen {
    private let inbox = Locked<[String]>([])
    private let outcome = Locked<BackupView.State>(.running)
    private var task: Task<Void, Never>?
    private(set) var view: BackupView

    public init(context: HostedContext) {
        view = BackupView(folder: context.stateDirectory + "/backups")
        let answers = context.answers, secrets = context.secrets, wake = context.wake
        let inbox = self.inbox, outcome = self.outcome, folder = view.folder
        do {
            let session = try InstallSession(answers: answers, stateDirectory: context.stateDirectory,
                                             knownHostsFile: context.knownHostsFile)
            let pool = session.pool(secrets: secrets)
            let backup = Backup(answers: answers, secrets: secrets, transports: { pool.transport(for: $0) }) { line in
                inbox.withLock { $0.append(line) }
                wake()
            }
            task = Task {
                let result: BackupView.State
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
    public var legend: [KeyLegend.Item] { [.init("Esc", view.state == .running ? "Stop and go back" : "Back")] }
    public var help: String? {
        "The database is dumped on its host (--single-transaction, the cluster keeps serving) and the shared folder archived on the first app host; both come here compressed, with their sha256 in manifest.json, written last. Headless: joget-cluster backup [--to DIR]; restore with joget-cluster restore FOLDER."
    }

    public func handle(_ key: Key) -> ScreenRequest {
        guard key == .escape else { return .ignored }
        task?.cancel()
        return .back
    }

    public func tick() -> ScreenRequest {
        view.lines += inbox.withLock { l in defer { l = [] }; return l }
        view.state = outcome.withLock { $0 }
        return .none
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) { view.render(area, into: &buffer, theme: theme) }
}

/// What the backup page shows: what it is doing or how it ended, then the backup's own lines.
public struct BackupView: Sendable, Equatable {
    public enum State: Sendable, Equatable { case running, done(String), failed(String) }
    public var folder: String
    public var lines: [String] = []
    public var state: State = .running

    public init(folder: String, lines: [String] = [], state: State = .running) {
        self.folder = folder; self.lines = lines; self.state = state
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
        // The folder's path is long: the head wraps, and the progress lines go below it.
        let paragraph = Paragraph(head.0, role: head.1)
        let headHeight = min(inner.height - 1, paragraph.lines(width: inner.width).count)
        paragraph.render(Rect(x: inner.x, y: inner.y, width: inner.width, height: headHeight), into: &buffer, theme: theme)
        let room = inner.height - headHeight - 1
        for (i, line) in lines.suffix(max(0, room)).enumerated() {
            Paragraph(line, role: .muted, wrap: false).render(Rect(x: inner.x, y: inner.y + headHeight + 1 + i, width: inner.width, height: 1),
                                                             into: &buffer, theme: theme)
        }
    }
}
