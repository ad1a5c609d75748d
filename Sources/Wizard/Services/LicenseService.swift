import ClusterCore
import ClusterEngine
import Foundation

/// A piece of work on the license checklist, asked for by the license page.
public enum LicenseTask: Sendable, Equatable {
    /// Read what the desk holds and save it once (licenses.json exists from the first visit on).
    case open
    /// Read every node again.
    case refresh
    case setKey(String, node: String)
    case setLicense(String, node: String)
    case verify(node: String)
    case export(LicenseExportFormat, path: String)

    /// What it was, for the message after it.
    public var kind: LicensePage.Work {
        switch self {
        case .open: return .open
        case .refresh: return .refresh
        case .setKey(_, let node): return .setKey(node)
        case .setLicense(_, let node): return .setLicense(node)
        case .verify(let node): return .verify(node)
        case .export(_, let path): return .export(path)
        }
    }
}

/// The license service: runs the page's work on a ``LicenseDesk``, one piece after another, saves
/// the checklist after each, and posts what came of it into the app's inbox (`.licenses(.finished)`);
/// the desk's progress lines arrive as `.licenses(.progress)`.
public final class LicenseService: Sendable {
    public let desk: LicenseDesk
    private let inbox: AppInbox
    private let chain = Locked<Task<Void, Never>?>(nil)

    public init(desk: LicenseDesk, inbox: AppInbox) {
        self.desk = desk
        self.inbox = inbox
    }

    public func run(_ task: LicenseTask) {
        let desk = self.desk, inbox = self.inbox
        chain.withLock { chain in
            let previous = chain
            chain = Task {
                await previous?.value
                var notes: [LicenseNote] = []
                var failure: String?
                do { notes = try await Self.perform(task, on: desk) } catch { failure = "\(error)" }
                // Nothing to keep for answers without nodes (a new install not answered yet).
                let empty = await desk.checklist.rows.isEmpty
                do { if !(task == .open && empty) { try await desk.save() } } catch {
                    failure = (failure.map { $0 + "; " } ?? "") + "\(error)"
                }
                inbox.post(.licenses(.finished(LicensePage.Outcome(kind: task.kind, checklist: await desk.checklist,
                                                                   notes: notes, failure: failure))))
            }
        }
    }

    static func perform(_ task: LicenseTask, on desk: LicenseDesk) async throws -> [LicenseNote] {
        switch task {
        case .open: return []
        case .refresh: return try await desk.refresh()
        case .setKey(let key, let node): return try await desk.setKey(key, for: node)
        case .setLicense(let license, let node):
            try await desk.setLicense(license, for: node)
            let row = await desk.checklist.row(node)
            return [LicenseNote(node, "license \(row?.license(revealed: false) ?? "") recorded. Enter it in \(node)'s own pop-up too, at \(row?.url ?? "its URL"), then press c to check")]
        case .verify(let node): return try await desk.verify([node])
        case .export(let format, let path):
            let text = await desk.export(format)
            try AtomicFile.write(Data(text.utf8), to: path, mode: 0o644)
            return []
        }
    }

    /// Waits for the work queued so far (tests).
    public func settle() async {
        await chain.withLock { $0 }?.value
    }

    /// Waits for the work in progress, then ends the desk's sessions.
    public func close() async {
        await settle()
        await desk.close()
    }
}
