import ArgumentParser
import ClusterCore
import ClusterEngine
import Foundation

/// `joget-cluster upgrade`: Joget replaced on every node by a new bundle's, backup first; or back.
struct UpgradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Upgrade Joget on every node to a new bundle (a backup first), or roll back to the previous one.",
        discussion: """
            upgrade --bundle FILE: the version is read from the bundle (its top folder, else its name). A backup \
            is taken first, as `backup` does (--no-backup skips it, after asking). Two modes:

            safe (the default for a new minor or major version, and for one node): the balancer answers /jw with \
            a maintenance page (503, Retry-After: 60); every node stops; each node's folder is set aside as \
            <installDir>/<node>.<old version> and made again from the new bundle with the same setenv.sh, \
            server.xml and service unit; the first node starts alone (it updates the schema), then the others; \
            the page goes away. The downtime is printed.

            rolling (the default for a patch of the same minor version, e.g. 8.1.6 → 8.1.7): node by node, out of \
            the balancer, replaced, started, back in the cluster, back in the balancer. Sessions continue on the \
            other nodes.

            The shared folder (wflow, the datasource files) and the database are kept as they are. A stopped \
            upgrade is finished by `joget-cluster resume`. With --answers FILE, FILE's appServers.bundle is changed \
            to the new bundle (the rest of the file is kept as written).

            upgrade --rollback: returns every node to the folder set aside, in the same mode, and the answers to \
            the previous bundle. With --restore-backup (or when asked), the backup taken before the upgrade is then \
            restored (as `restore` does): needed when the new version changed the database schema.

            Without a terminal, nothing starts without --yes. Exit codes: 0 done, 1 a step failed, 2 invalid input \
            or not confirmed, 130 interrupted.
            """)

    @OptionGroup var options: SessionOptions
    @Option(name: .long, help: "The new Joget bundle (a .tar.gz or .zip on this machine, as appServers.bundle).")
    var bundle: String?
    @Option(name: .long, help: "safe or rolling (default: chosen by the versions).")
    var mode: Upgrade.Mode?
    @Flag(name: .long, help: "Do not take a backup first (asks to be sure).") var noBackup = false
    @Option(name: .long, help: "Where the backup goes (default: backups/ in the state folder).") var to: String?
    @Flag(name: .long, help: "Return to the version before the last upgrade.") var rollback = false
    @Flag(name: .long, help: "With --rollback: restore the backup taken before the upgrade too.") var restoreBackup = false
    @Flag(name: .long, help: "Do not ask before starting.") var yes = false
    @Flag(name: .long, help: "Hide the steps' output; show only their results.") var quiet = false

    func validate() throws {
        if rollback == (bundle != nil) { throw ValidationError("give either --bundle FILE or --rollback") }
        if rollback, mode != nil || noBackup || to != nil { throw ValidationError("--mode, --no-backup and --to go with --bundle, not --rollback") }
        if restoreBackup, !rollback { throw ValidationError("--restore-backup goes with --rollback") }
    }

    func run() async throws {
        let code: Int32 = try await exitOnError {
            let answers = try options.loadAnswers()
            let session = try options.session(answers)
            guard let installed = session.installed, !installed.appServers.nodes.isEmpty else {
                throw UsageError("nothing is installed in \(session.stateDir.path) yet: install with `joget-cluster apply` first")
            }
            let record = try UpgradeRecord.load(session.stateDir)
            if rollback { return try await rollBack(answers, installed: installed, record: record, session: session) }

            if let record, !record.isFinished {
                throw UsageError("the \(record.title) is not finished: `joget-cluster resume` finishes it, `joget-cluster upgrade --rollback` returns to \(record.fromVersion)")
            }
            var target = answers
            target.appServers.bundle = absolute(bundle ?? "")
            target.appServers.bundleOn = .local
            let problems = Validator.validate(target)
            if !problems.isEmpty { throw UsageError(InvalidAnswers(problems).description) }
            guard FileManager.default.isReadableFile(atPath: target.appServers.bundle) else {
                throw UsageError("--bundle \(bundle ?? ""): there is no readable file \(target.appServers.bundle)")
            }
            guard target.bundleOnHosts != installed.bundleOnHosts else {
                print("\(target.appServers.bundle) is the bundle installed: nothing to upgrade.")
                return 0
            }
            let upgrade = await UpgradeRecord.detect(from: installed, to: target, mode: mode)
            if let why = Upgrade.refusal(upgrade.mode, from: upgrade.fromVersion, to: upgrade.toVersion, nodes: target.appServers.nodes.count) {
                throw UsageError("--mode rolling: \(why)")
            }
            return try await Upgrading.start(options, answers: target, installed: installed, upgrade: upgrade, yes: yes, noBackup: noBackup,
                                             backupTo: to, quiet: quiet, answersFileUpdated: false)
        }
        if code != 0 { throw ExitCode(code) }
    }

    private func rollBack(_ answers: Answers, installed: Answers, record: Upgrade?, session: InstallSession) async throws -> Int32 {
        guard let record else { throw UsageError("no upgrade is recorded in \(session.stateDir.path): nothing to roll back") }
        if record.isRollback {
            throw UsageError("the last change was already a \(record.title)\(record.isFinished ? "" : ", not finished: `joget-cluster resume` finishes it")")
        }
        var target = answers
        target.appServers.bundle = record.fromBundle
        let back = record.rollback(startedAt: Backup.iso(Date()))
        guard target.bundleOnHosts == back.toSource else {
            throw UsageError("the answers' appServers.bundleOn changed since the upgrade: set it back to reach \(back.toSource)")
        }
        var restore = restoreBackup
        if !restore, let backup = record.backup, SessionOptions.interactive, !yes {
            restore = SessionOptions.askYesNo("Restore the backup taken before the upgrade too (\(backup))? The database and the shared folder "
                + "go back to that moment; what was written since is lost. Needed when \(record.toVersion) changed the schema.")
        }
        if restore, record.backup == nil { throw UsageError("--restore-backup: the upgrade was made without a backup (--no-backup)") }
        var code = try await Upgrading.start(options, answers: target, installed: installed, upgrade: back, yes: yes, noBackup: true,
                                             backupTo: nil, quiet: quiet, answersFileUpdated: false)
        if code == 0, restore, let backup = record.backup {
            print("Restoring \(backup):")
            code = try await RestoreCommand.restore(options, backup: backup, from: nil, yes: true)
        }
        return code
    }

    private func absolute(_ path: String) -> String {
        let p = (path as NSString).expandingTildeInPath
        return p.hasPrefix("/") ? p : FileManager.default.currentDirectoryPath + "/" + p
    }
}

extension Upgrade.Mode: ExpressibleByArgument {}

/// What `upgrade`, `upgrade --rollback` and `apply` with a new bundle share: say what will happen,
/// ask, back up, record the answers, run.
enum Upgrading {
    /// - Parameter installed: the cluster as it is; the backup records it.
    static func start(_ options: SessionOptions, answers: Answers, installed: Answers, upgrade: Upgrade, yes: Bool, noBackup: Bool,
                      backupTo: String?, quiet: Bool, answersFileUpdated: Bool) async throws -> Int32 {
        var upgrade = upgrade
        let nodes = answers.appServers.nodes.map(\.name).joined(separator: ", ")
        print("\(upgrade.isRollback ? "Roll back" : "Upgrade") Joget \(upgrade.fromVersion) → \(upgrade.toVersion) on \(nodes), \(upgrade.mode.rawValue):")
        switch upgrade.mode {
        case .safe:
            print("  the balancer serves a maintenance page (503, Retry-After) while every node is replaced; the first node starts alone, then the others.")
        case .rolling:
            print("  node by node: out of the balancer, replaced, started, back in the cluster and the balancer; the others serve meanwhile.")
        }
        print("  Each node's folder is kept as <node>.\(upgrade.fromVersion) in \(answers.appServers.installDir)"
              + (upgrade.isRollback ? "." : " (`joget-cluster upgrade --rollback` returns to it)."))
        if !upgrade.isRollback {
            print(noBackup ? "  NO backup is taken first (--no-backup)." : "  A backup of the database and the shared folder is taken first.")
        }
        if !yes {
            guard SessionOptions.interactive else { throw UsageError("the \(upgrade.title) listed above needs --yes without a terminal") }
            guard SessionOptions.askYesNo(noBackup && !upgrade.isRollback ? "Go ahead WITHOUT a backup?" : "Go ahead?") else {
                throw UsageError("not started")
            }
        }
        if !noBackup, !upgrade.isRollback {
            guard let folder = try await BackupSupport.take(options, try options.session(installed), into: backupTo) else {
                BackupSupport.error("the backup failed, so the upgrade did not start (--no-backup goes without one)")
                return 1
            }
            upgrade.backup = folder
        }
        if !answersFileUpdated, let file = options.answers { try AnswersFileEdit.setBundle(answers.appServers.bundle, in: file) }
        let session = try options.session(answers, upgrade: upgrade)
        let code = try await Install.execute(session, options, resume: false, quiet: quiet)
        if code == 0, !upgrade.isRollback, let backup = upgrade.backup { print("The backup taken before: \(backup)") }
        return code
    }
}
