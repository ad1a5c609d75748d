import ArgumentParser
import ClusterCore
import ClusterEngine
import Foundation
import TermCurses
import TermUI
import Wizard

struct LicensesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "licenses",
        abstract: "The license activation checklist: each node's own URL, system key and license status.",
        discussion: """
            Each app server node has its own system key: it follows the node's MAC address, datasource profile, major version and edition. Open the node's own URL (not the balancer), log in as admin, follow the footer's License link, request a license with the key on Joget's site, then enter the license in that node's pop-up. Without a license only the first 3 users can log in.

            On a terminal, without other options, it opens full screen: one row per node, the selected node's steps and detail, and keys to record the system key (k), the license key (l), check activation (c), read every node (r) and export (e, E). Esc leaves; everything is saved as you go. Piped, or with --table, the checklist is printed instead.

            Order of work: --refresh, then --set-key, then --set-license, then --verify. The checklist is saved to licenses.json in the state folder (mode 0600, the one place license keys are kept), then printed with license keys masked, or exported with --export for whoever requests the licenses (never with license keys).
            """)

    @OptionGroup var session: SessionOptions

    @Option(name: .long, help: ArgumentHelp("Print the list for whoever requests the licenses: md or csv.", valueName: "md|csv"))
    var export: String?

    @Flag(name: .long, help: "Read MAC, datasource profile, version and system key from every node; flag nodes that need re-activation.")
    var refresh = false

    @Option(name: .customLong("set-key"), parsing: .singleValue,
            help: ArgumentHelp("Record a system key read at the node's own URL (repeatable).", valueName: "node=key"))
    var setKey: [String] = []

    @Option(name: .customLong("set-license"), help: ArgumentHelp("Record that the node's license was entered; the license key is read from standard input or a prompt, never from the command line.", valueName: "node"))
    var setLicense: String?

    @Flag(name: .long, help: "Look at each node's console: activated when the license link is gone.")
    var verify = false

    @Flag(name: .long, help: "Print the checklist as a table even on a terminal (instead of opening it full screen).")
    var table = false

    /// Full screen even when standard input or output is not a terminal (it still needs one to draw on).
    @Flag(name: .long, help: .hidden)
    var tui = false

    /// No option asks for anything else: on a terminal the checklist opens full screen.
    var opensFullScreen: Bool {
        if tui { return true }
        let other = table || export != nil || refresh || !setKey.isEmpty || setLicense != nil || verify
        return !other && SessionOptions.interactive
    }

    func validate() throws {
        if let export, LicenseExportFormat(rawValue: export) == nil {
            throw ValidationError("--export must be md or csv, not \"\(export)\"")
        }
        for pair in setKey {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw ValidationError("--set-key expects NODE=KEY, not \"\(pair)\"")
            }
        }
        if let node = setLicense, node.isEmpty || node.contains("=") {
            throw ValidationError("--set-license takes the node's name only (\"\(node)\"); the license key is read from standard input or a prompt")
        }
    }

    func run() async throws {
        try await exitOnError {
            let answers = try session.loadAnswers()
            let install = try session.session(answers)
            // SSH and sudo passwords only when a node is to be read.
            var secrets = SecretValues()
            let fullScreen = opensFullScreen
            // A cluster never installed has no node to read: the page only says so, no password is asked.
            let nothingInstalled = !answers.appServers.nodes.isEmpty && LicensePage.nothingInstalled(stateDirectory: install.stateDir.path)
            if refresh || !setKey.isEmpty || verify || (fullScreen && !nothingInstalled) {
                var names = Set<SecretName>()
                for host in answers.hosts {
                    names.formUnion(host.loginSecrets)
                }
                secrets = try SecretsInput.gather(names, file: session.secrets, interactive: SessionOptions.interactive)
            }
            let ssh = install.ssh, values = secrets
            if fullScreen {
                // The answers beside the checklist (no secrets), as an install leaves them, so coming
                // back needs no --answers.
                var comeBack = LicensePage.comeBackCommand(stateDirectory: install.stateDir.path, cluster: answers.cluster)
                if let file = session.answers, !FileManager.default.fileExists(atPath: install.stateDir.answersPath),
                   (try? install.saveAnswers()) == nil {
                    comeBack += " --answers " + Shell.quote(URL(fileURLWithPath: file).standardized.path)
                }
                let dir = install.stateDir.path, back = comeBack
                let open: @Sendable (AppInbox) -> (LicensePage, LicenseService?) = { inbox in
                    LicensePage.open(answers: answers, stateDirectory: dir, comeBack: back, mode: .standalone,
                                     inbox: inbox) { host in
                        Transports.make(host: host, secrets: values, options: ssh)
                    }
                }
                if let page = await Self.fullScreen(answers: answers, stateDirectory: dir, open: open) {
                    print(LicenseApp.farewell(page.checklist, page: page), terminator: "")
                    return
                }
                FileHandle.standardError.write(Data("joget-cluster: no terminal to draw on: printing the checklist.\n".utf8))
            }
            // The wiring: each node's host is reached as the install reaches it (local shell or OpenSSH).
            try await Self.execute(self, answers: answers, stateDir: install.stateDir) { host in
                Transports.make(host: host, secrets: values, options: ssh)
            }
        }
    }

    /// Everything but locating the answers and building transports.
    static func execute(_ options: LicensesCommand, answers: Answers, stateDir dir: StateDir,
                        transport: @escaping @Sendable (ClusterCore.Host) throws -> any Transport) async throws {
        let license: String?
        if let node = options.setLicense {
            guard answers.appServers.nodes.contains(where: { $0.name == node }) else {
                if let row = (try? LicenseStore(stateDir: dir).load())??.row(node), row.isRetired {
                    throw UsageError("--set-license: \(LicenseError.retired(node, "nothing to record"))")
                }
                throw UsageError("--set-license: there is no app server node \"\(node)\" (nodes: \(answers.appServers.nodes.map(\.name).joined(separator: ", ")))")
            }
            guard let read = readLicense(for: node), !read.isEmpty else {
                throw UsageError("--set-license \(node): no license key was given on standard input or at the prompt")
            }
            license = read
        } else {
            license = nil
        }

        let store = LicenseStore(stateDir: dir)
        let changes = options.refresh || !options.setKey.isEmpty || license != nil || options.verify
        if !changes, !answers.appServers.nodes.isEmpty, LicensePage.nothingInstalled(stateDirectory: dir.path) {
            // No node runs Joget yet: rows saying "key needed" would send the operator looking for one.
            print(LicensePage.notInstalledText(answers.cluster, comeBack: LicensePage.comeBackCommand(stateDirectory: dir.path, cluster: answers.cluster)))
            return
        }
        let desk: LicenseDesk
        do {
            desk = try LicenseDesk(answers: answers, store: store, log: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) },
                                   transport: transport)
        } catch {
            FileHandle.standardError.write(Data("joget-cluster: \(error)\n".utf8))
            throw ExitCode(1)
        }

        var failures: [String] = []
        if options.refresh {
            do { try await desk.refresh() } catch { failures.append("\(error)") }
        }
        for pair in options.setKey {
            let eq = pair.firstIndex(of: "=")!
            do { try await desk.setKey(String(pair[pair.index(after: eq)...]), for: String(pair[..<eq])) } catch {
                failures.append("\(error)")
            }
        }
        if let node = options.setLicense, let license {
            do { try await desk.setLicense(license, for: node) } catch { failures.append("\(error)") }
        }
        if options.verify {
            do { try await desk.verify() } catch { failures.append("\(error)") }
        }
        await desk.close()
        if changes || !store.exists {
            do { try await desk.save() } catch { failures.append("\(error)") }
        }

        if let format = options.export.flatMap(LicenseExportFormat.init(rawValue:)) {
            print(await desk.export(format), terminator: "")
        } else {
            print("License checklist for cluster \(answers.cluster) (\(store.path), mode 0600)\n")
            print(await desk.table(), terminator: "")
            print("""

                Open each node at its own URL above, not through the balancer; log in as admin (default admin/admin);
                the footer's License link shows the system key and takes the license key. Without a license only
                the first 3 users can log in. Next: --refresh, --set-key NODE=KEY, --set-license NODE, --verify,
                --export md|csv.
                """)
        }
        if !failures.isEmpty {
            for f in failures { FileHandle.standardError.write(Data("joget-cluster: \(f)\n".utf8)) }
            throw ExitCode(1)
        }
    }

    /// Runs the page alone on the wizard's runtime (``CursesThread``). The page as left (its work
    /// ended and saved), or nil when there is no terminal.
    static func fullScreen(answers: Answers, stateDirectory: String,
                           open: @escaping @Sendable (AppInbox) -> (LicensePage, LicenseService?)) async -> LicensePage? {
        let result = await CursesThread.run { backend -> LicensePage? in
            let runtime = LicenseApp.runtime(answers: answers, stateDirectory: stateDirectory, backend: backend, open: open)
            runtime.run()
            return runtime.state.licenses
        }
        return (try? result.get()) ?? nil
    }

    // MARK: Reading the license key

    /// The license key from standard input when it is not a terminal (all of it), else from a
    /// prompt on the terminal without echo, ending at an empty line (mail often wraps long keys).
    static func readLicense(for node: String) -> String? {
        if isatty(STDIN_FILENO) == 0 {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return SecretsInput.readHidden("License key for \(node) (paste it, then press Enter on an empty line; it is not shown):\n",
                                       untilEmptyLine: true) { "(\($0.count) characters read)\n" }
    }
}
