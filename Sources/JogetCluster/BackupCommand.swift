import ArgumentParser
import ClusterCore
import ClusterEngine
import Foundation
import Wizard

/// `joget-cluster backup`: the database and the shared directory, while the cluster serves.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the Joget database and the shared wflow directory, while the cluster serves.",
        discussion: """
            Writes DIR/<cluster>-<UTC yyyyMMdd-HHmmss>/ (mode 0700; DIR defaults to backups/ in the state folder): \
            database.sql.gz (a --single-transaction dump taken and gzipped on the database host), wflow.tar.gz \
            (the shared directory, archived as root on the first app host), answers.yaml (no secrets), and \
            manifest.json last, with each part's size and sha256: a folder without it is not a finished backup. \
            Nothing is stopped. With --keep N, once the new backup is finished, this cluster's finished backups in \
            DIR beyond the newest N are removed; unfinished ones are named and left alone. \
            Exit codes: 0 done, 1 a part failed (or older backups could not be removed), 2 invalid input.
            """)

    @OptionGroup var options: SessionOptions
    @Option(name: .long, help: "The folder to write the backup into (default: backups/ in the state folder).")
    var to: String?
    @Option(name: .long, help: "After a finished backup, keep only this cluster's newest N finished backups in the folder.")
    var keep: Int?

    func validate() throws {
        if let keep, keep < 1 { throw ValidationError("--keep: \(keep) keeps no backup; give 1 or more") }
    }

    func run() async throws {
        let code: Int32 = try await exitOnError {
            let answers = try options.loadAnswers()
            let session: InstallSession
            do { session = try options.session(answers) } catch let e as StateDirError { throw UsageError("\(e)") }
            guard let folder = try await BackupSupport.take(options, session, into: to) else { return 1 }
            guard let keep else { return 0 }
            return BackupSupport.prune(after: folder, cluster: answers.cluster, keep: keep) ? 0 : 1
        }
        if code != 0 { throw ExitCode(code) }
    }
}

/// `joget-cluster restore BACKUP`: puts a backup's database and shared directory back.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup: the database and the shared directory, nodes stopped meanwhile.",
        discussion: """
            First checks the backup: manifest.json must be there and every part match its size and sha256; \
            a damaged backup is refused naming the part, and nothing is changed. Then asks (without a terminal, \
            refuses unless --yes), stops every node, drops and recreates the database and loads the dump, \
            replaces the shared directory's content with the archive's, starts the first node alone and waits \
            until it answers, then the others, and runs the checks of verify. \
            Without BACKUP it lists this cluster's backups in --from DIR (default: backups/ in the state folder), \
            newest first, and at a terminal asks which one. \
            Exit codes: verify's (0 every check passed, 1 a check failed, 4 some did not run); 1 the backup is \
            damaged or a restore step failed; 2 invalid input or not confirmed.
            """)

    @OptionGroup var options: SessionOptions
    @Argument(help: "The backup folder (DIR/<cluster>-<time>); without it, the backups are listed to choose from.") var backup: String?
    @Option(name: .long, help: "The folder whose backups are listed when BACKUP is not given (default: backups/ in the state folder).")
    var from: String?
    @Flag(name: .long, help: "Do not ask before restoring.") var yes = false

    func run() async throws {
        let code: Int32 = try await exitOnError { try await RestoreCommand.restore(options, backup: backup, from: from, yes: yes) }
        if code != 0 { throw ExitCode(code) }
    }

    /// Checks the backup (or the one chosen from the list), asks (unless `yes`), restores it and
    /// runs verify's checks; the exit code.
    static func restore(_ options: SessionOptions, backup: String?, from: String?, yes: Bool) async throws -> Int32 {
        let answers = try options.loadAnswers()
        let session: InstallSession
        do { session = try options.session(answers) } catch let e as StateDirError { throw UsageError("\(e)") }
        let chosen = try backup ?? choose(from: from ?? session.stateDir.path + "/backups", cluster: answers.cluster)
        let folder = chosen.hasSuffix("/") ? String(chosen.dropLast()) : chosen
        let manifest: BackupManifest
        do { manifest = try await BackupManifest.check(folder: folder) } catch let e as BackupError {
            BackupSupport.error("\(e); nothing was changed"); return 1
        } catch let e as TransportError {
            BackupSupport.error("\(e); nothing was changed"); return 1
        }
        print("Backup \(folder): cluster \(manifest.cluster), taken \(manifest.createdAt), Joget \(manifest.jogetVersion), every part intact.")
        if manifest.cluster != answers.cluster {
            print("Note: it was taken of the cluster \(manifest.cluster); it is restored into \(answers.cluster).")
        }
        print("This stops every node (\(answers.appServers.nodes.map(\.name).joined(separator: ", "))), REPLACES the database "
              + "\(answers.database.name) on \(answers.database.host) and the content of \(answers.sharedFiles.mountPoint), then starts the nodes.")
        if !yes {
            guard SessionOptions.interactive else { throw UsageError("restore replaces the data listed above: run it again with --yes to go ahead") }
            guard SessionOptions.askYesNo("Restore?") else { throw UsageError("not restored") }
        }
        let lock = try StateDirLock(session.stateDir)
        defer { _ = lock }
        let scripts = [BackupScripts.loadDatabase(answers, remote: "x"), BackupScripts.replaceFiles(answers, remote: "x")]
        var needed = BackupSupport.secrets(session, hosts: session.plan.hosts, scripts: scripts.map(\.script))
        needed.formUnion(session.plan.steps.filter { answers.appServers.nodes.map(BackupScripts.startStepID).contains($0.id) }.flatMap(\.secrets))
        needed.formUnion(VerifyReport.neededSecrets(answers))
        let secrets = try SecretsInput.gather(needed, file: options.secrets, interactive: SessionOptions.interactive)
        let pool = session.pool(secrets: secrets)
        try await options.connectAll(session, pool: pool)
        let restore = Backup(answers: answers, secrets: secrets, transports: { pool.transport(for: $0) }, say: BackupSupport.say)
        do {
            try await restore.stopNodes()
            try await restore.loadDatabase(from: folder)
            try await restore.replaceFiles(from: folder)
            try await restore.startNodes(plan: session.plan)
        } catch let e as BackupError {
            BackupSupport.error("\(e)"); await pool.closeAll(); return 1
        } catch let e as TransportError {
            BackupSupport.error("\(e)"); await pool.closeAll(); return 1
        }
        print("Restored. Checking the cluster as verify does:")
        let code = await VerifyReport.runHeadless(answers, verifier: session.verifier(secrets: secrets, pool: pool))
        await pool.closeAll()
        return code
    }

    /// Lists the cluster's backups in `directory`, newest first, and asks at a terminal which one
    /// to restore; its folder. Without a terminal, or with none to choose, says what to give instead.
    static func choose(from directory: String, cluster: String) throws -> String {
        let shelf = BackupShelf.read(directory: directory, cluster: cluster)
        guard !shelf.finished.isEmpty else {
            throw UsageError("no finished backup of \(cluster) in \(directory): give the backup folder to restore "
                             + "(or --from DIR), or take one with joget-cluster backup")
        }
        print("Backups of \(cluster) in \(directory), newest first:")
        let width = String(shelf.finished.count).count
        for (i, b) in shelf.finished.enumerated() {
            let number = String(repeating: " ", count: width - String(i + 1).count) + String(i + 1)
            let nodes = b.manifest.nodes.count == 1 ? "1 node" : "\(b.manifest.nodes.count) nodes"
            print("  \(number)  \(b.name)  Joget \(b.manifest.jogetVersion)  \(Backup.bytes(b.bytes))  \(nodes)")
        }
        for name in shelf.unfinished { print("  (not finished, no manifest.json: \(name))") }
        guard SessionOptions.interactive else {
            throw UsageError("give the backup folder to restore, for example \(directory)/\(shelf.finished[0].name)")
        }
        if let i = SessionOptions.askWhichOne(shelf.finished.map(\.name)) { return directory + "/" + shelf.finished[i].name }
        throw UsageError("no backup chosen: nothing was changed")
    }
}

enum BackupSupport {
    /// Takes a backup of the session's cluster into `directory` (default: backups/ in the state
    /// folder); the backup's folder, or nil after saying why it failed.
    static func take(_ options: SessionOptions, _ session: InstallSession, into directory: String?) async throws -> String? {
        let answers = session.answers
        let secrets = try SecretsInput.gather(Backup.neededSecrets(answers), file: options.secrets, interactive: SessionOptions.interactive)
        let pool = session.pool(secrets: secrets)
        for host in Backup.hosts(answers) { try await options.connect(host, session, pool: pool) }
        let backup = Backup(answers: answers, secrets: secrets, transports: { pool.transport(for: $0) }, say: say)
        do {
            let folder = try await backup.take(into: directory ?? session.stateDir.path + "/backups")
            BackupShelf.recordLast(folder: folder, stateDir: session.stateDir)
            await pool.closeAll()
            return folder
        } catch let e as BackupError {
            error("\(e)")
        } catch let e as TransportError {
            error("\(e)")
        }
        await pool.closeAll()
        return nil
    }

    /// Removes this cluster's finished backups beyond the newest `keep` from the folder that holds
    /// `folder` (just taken, always kept), and says what it removed and what it left; false when a
    /// removal failed.
    static func prune(after folder: String, cluster: String, keep: Int) -> Bool {
        let directory = (folder as NSString).deletingLastPathComponent, current = (folder as NSString).lastPathComponent
        do {
            let r = try BackupRetention.prune(directory: directory, cluster: cluster, keep: keep, current: current)
            say(r.removed.isEmpty
                ? "older backups: none to remove (\(r.kept.count) of \(cluster)'s finished backups kept, --keep \(keep))"
                : "older backups: removed \(r.removed.count) (\(r.removed.joined(separator: ", "))); kept the newest \(r.kept.count)")
            for name in r.unfinished {
                say("left alone: \(directory)/\(name) has no manifest.json (a backup stopped before it finished, or one "
                    + "still running); remove it by hand once you know which")
            }
            return true
        } catch {
            Self.error("the backup is complete at \(folder), but removing older backups failed: \(error.localizedDescription)")
            return false
        }
    }

    /// The secrets the scripts need, and the logins of the hosts.
    static func secrets(_ session: InstallSession, hosts: [String], scripts: [Script]) -> Set<SecretName> {
        var names = Set(scripts.flatMap(\.secrets))
        for host in hosts.compactMap(session.host(named:)) {
            names.formUnion(host.loginSecrets)
        }
        return names
    }

    static let say: @Sendable (String) -> Void = { line in print(line); fflush(nil) }
    static func error(_ text: String) { FileHandle.standardError.write(Data("joget-cluster: \(text)\n".utf8)) }
}
