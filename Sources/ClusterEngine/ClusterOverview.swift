import ClusterCore
import Foundation

/// What `status` says of a cluster before its step table, read from the state folder alone (no
/// host is asked): what is installed, an upgrade under way, the last verify, the last backup, and
/// the licenses. A row that needs the operator says so, with the command that deals with it.
public struct ClusterOverview: Sendable {
    public struct Row: Sendable, Equatable {
        public var label: String
        public var text: String
        /// The command that deals with it, for a terminal (the wizard's menu is its own).
        public var next: String?
        /// Something to do: a failed check, no backup, a license left, an unfinished run.
        public var needsAttention: Bool

        public init(label: String, text: String, next: String? = nil, needsAttention: Bool = false) {
            self.label = label; self.text = text; self.next = next; self.needsAttention = needsAttention
        }

        /// The row's text, then its command: `none found in DIR: joget-cluster backup takes one`.
        public var line: String { next.map { "\(text): \($0)" } ?? text }
    }

    public private(set) var rows: [Row] = []

    /// Backups are looked for in backups/ of the state folder, where `backup` writes by default,
    /// and in the folder of the last one taken elsewhere (`--to`).
    public init(answers: Answers, stateDir: StateDir, now: Date = Date()) {
        let folder = ClusterFolder.read(stateDir.path)
        let installed = try? AnswersFile.load(path: stateDir.installedPath)
        if folder?.stage == .unfinished {
            add("Installed", "an install or change did not finish", next: "joget-cluster resume goes on with it", attention: true)
        } else if let installed {
            let version = Upgrade.version(inName: installed.appServers.bundle) ?? "bundle \(JogetBuild.stem(installed.appServers.bundle))"
            let nodes = installed.appServers.nodes.map { "\($0.name) on \($0.host)" }.joined(separator: ", ")
            add("Installed", "Joget \(version): \(nodes); through \(Layout.balancerURL(in: installed))")
            if installed != answers {
                add("Answers", "changed since the last run", next: "joget-cluster apply --dry-run lists what would change", attention: true)
            }
        } else {
            add("Installed", "not yet; the answers are saved", next: "joget-cluster apply installs them")
        }
        if let upgrade = try? UpgradeRecord.load(stateDir), !upgrade.isFinished {
            add("Upgrade", "\(upgrade.title) under way since \(upgrade.startedAt)", next: "joget-cluster resume finishes it", attention: true)
        }
        // Before a first install there is nothing to verify, back up or license yet.
        guard installed != nil else { return }
        verifyRow(VerifyRecord.load(from: stateDir), now: now)
        backupRow(stateDir: stateDir, cluster: answers.cluster, now: now)
        licenseRow(stateDir: stateDir, answers: answers)
    }

    private mutating func add(_ label: String, _ text: String, next: String? = nil, attention: Bool = false) {
        rows.append(Row(label: label, text: text, next: next, needsAttention: attention))
    }

    private mutating func verifyRow(_ record: VerifyRecord?, now: Date) {
        guard let record else { add("Verify", "never run to the end here", next: "joget-cluster verify", attention: true); return }
        let outcomes = record.outcomes
        let failed = outcomes.filter(\.verdict.failed), notRun = outcomes.filter(\.verdict.notRun)
        let when = Self.when(record.time, now: now)
        if !failed.isEmpty {
            add("Verify", "\(when): \(failed.count) of \(outcomes.count) checks failed: " + failed.map(\.title).joined(separator: "; "),
                next: "joget-cluster verify checks again", attention: true)
        } else if !notRun.isEmpty {
            add("Verify", "\(when): \(outcomes.count - notRun.count) of \(outcomes.count) checks passed, \(notRun.count) not run: "
                + notRun.map(\.title).joined(separator: "; "), next: "joget-cluster verify checks again", attention: true)
        } else {
            add("Verify", "\(when): all \(outcomes.count) checks passed")
        }
    }

    private mutating func backupRow(stateDir: StateDir, cluster: String, now: Date) {
        let inState = stateDir.path + "/backups"
        var folders = [inState]
        if let last = BackupShelf.lastFolder(stateDir: stateDir) {
            let folder = (last as NSString).deletingLastPathComponent
            if folder != inState { folders.append(folder) }
        }
        // The state folder's own backups/ by its short name: the path is the state folder's.
        func shown(_ folder: String) -> String { folder == inState ? "backups/" : folder + "/" }
        var newest: (folder: String, backup: BackupShelf.Finished)?
        var count = 0
        for folder in folders {
            let shelf = BackupShelf.read(directory: folder, cluster: cluster)
            count += shelf.finished.count
            if let first = shelf.finished.first, newest.map({ first.name > $0.backup.name }) ?? true { newest = (folder, first) }
        }
        guard let newest else {
            add("Backup", "none found in " + folders.map(shown).joined(separator: " or "), next: "joget-cluster backup takes one", attention: true)
            return
        }
        let date = ISO8601DateFormatter().date(from: newest.backup.manifest.createdAt)
        let taken = date.map { Self.when($0, now: now) } ?? newest.backup.manifest.createdAt
        // A nightly timer that stopped shows here first: a newest backup older than a week.
        let stale = date.map { now.timeIntervalSince($0) > Self.staleBackup } ?? false
        add("Backup", "\(taken): \(shown(newest.folder))\(newest.backup.name) (\(Backup.bytes(newest.backup.bytes)), Joget "
            + "\(newest.backup.manifest.jogetVersion)); \(count) finished backup\(count == 1 ? "" : "s") kept",
            next: stale ? "older than \(Self.staleBackupDays) days, joget-cluster backup takes one" : nil, attention: stale)
    }

    /// The age past which the newest backup needs the operator.
    static let staleBackupDays = 7
    static let staleBackup = TimeInterval(staleBackupDays * 86400)

    private mutating func licenseRow(stateDir: StateDir, answers: Answers) {
        let nodes = answers.appServers.nodes.map(\.name)
        guard let checklist = try? LicenseStore(stateDir: stateDir).load() else {
            add("Licenses", "no checklist yet", next: "joget-cluster licenses reads each node's system key", attention: !nodes.isEmpty)
            return
        }
        let open = nodes.filter { checklist.row($0)?.status != .activated }
        if open.isEmpty { add("Licenses", "all \(nodes.count) nodes activated"); return }
        add("Licenses", "\(nodes.count - open.count) of \(nodes.count) nodes activated; "
            + open.map { "\($0): \(checklist.row($0)?.statusText ?? LicenseStatus.keyNeeded.title)" }.joined(separator: ", "),
            next: "joget-cluster licenses", attention: true)
    }

    /// `2026-12-05 12:04:13 (3 days ago)`, in this machine's time zone.
    static func when(_ date: Date, now: Date) -> String {
        "\(TimeText.local(date)) (\(ago(now.timeIntervalSince(date))))"
    }

    /// `just now`, `5 minutes ago`, `3 hours ago`, `12 days ago`.
    static func ago(_ seconds: TimeInterval) -> String {
        func n(_ count: Int, _ unit: String) -> String { "\(count) \(unit)\(count == 1 ? "" : "s") ago" }
        switch seconds {
        case ..<60: return "just now"
        case ..<3600: return n(Int(seconds / 60), "minute")
        case ..<(2 * 86400): return n(Int(seconds / 3600), "hour")
        default: return n(Int(seconds / 86400), "day")
        }
    }
}
