import ArgumentParser
import ClusterCore
import ClusterEngine
import Foundation

/// Options every command that touches the hosts shares.
struct SessionOptions: ParsableArguments {
    @Option(name: .long, help: "The answers file (default: answers.yaml in the state folder).")
    var answers: String?
    @Option(name: .long, help: "The state folder (default: $XDG_STATE_HOME/joget-cluster/<cluster>).")
    var stateDir: String?
    @Option(name: .long, help: "A secrets file of 'name: value' lines, mode 0600.")
    var secrets: String?
    @Option(name: .long, help: "The known_hosts file (default: known_hosts in the state folder).")
    var knownHosts: String?
    @Option(name: .long, parsing: .singleValue, help: "Accept a host's key ahead of time: HOST=SHA256:... (repeatable).")
    var acceptHostKey: [String] = []

    /// The answers: from --answers, or from the state folder (--state-dir, or the only cluster there).
    func loadAnswers() throws -> Answers {
        if let answers { return try AnswersFile.load(path: answers) }
        if let stateDir { return try AnswersFile.load(path: stateDir + "/answers.yaml") }
        let clusters = ClusterFolder.all()
        let root = ClusterFolder.root() ?? "the state folder"
        if clusters.count > 1, Self.interactive { return try AnswersFile.load(path: try Self.pick(clusters, in: root).path + "/answers.yaml") }
        guard clusters.count == 1 else {
            throw UsageError(clusters.isEmpty ? "no answers: give --answers FILE (no cluster in \(root))"
                             : "several clusters in \(root) (\(clusters.map(\.name).joined(separator: ", "))): give --answers or --state-dir")
        }
        return try AnswersFile.load(path: clusters[0].path + "/answers.yaml")
    }

    /// Asks on the terminal which of several clusters to use, each with how far it got.
    static func pick(_ clusters: [ClusterFolder], in root: String) throws -> ClusterFolder {
        print("Several clusters in \(root):")
        for (i, c) in clusters.enumerated() { print("  \(i + 1)  \(c.name)  (\(c.stageText))") }
        guard let i = askWhichOne(clusters.map(\.name)) else { throw UsageError("no cluster chosen: give --state-dir") }
        return clusters[i]
    }

    /// Asks `question` on the terminal with ` [y/N] ` after it; true only for an answer starting with y.
    static func askYesNo(_ question: String) -> Bool {
        print(question + " [y/N] ", terminator: "")
        fflush(nil)
        return readLine()?.lowercased().hasPrefix("y") == true
    }

    /// Asks "Which one? [1-N]" on the terminal, up to three times; the index of the one given by
    /// its number or its name, or nil.
    static func askWhichOne(_ names: [String]) -> Int? {
        for _ in 0..<3 {
            print("Which one? [1-\(names.count)] ", terminator: "")
            fflush(nil)
            guard let line = readLine() else { break }
            let answer = line.trimmingCharacters(in: .whitespaces)
            if let n = Int(answer), names.indices.contains(n - 1) { return n - 1 }
            if let named = names.firstIndex(of: answer) { return named }
            print("\(line.isEmpty ? "nothing" : "\"\(line)\"") is not one of 1-\(names.count)")
        }
        return nil
    }

    func session(_ answers: Answers, purge: Bool = false, upgrade: Upgrade? = nil) throws -> InstallSession {
        var accepted: [String: String] = [:]
        for text in acceptHostKey {
            guard let (host, fp) = HostKeys.parseAcceptOption(text) else {
                throw UsageError("--accept-host-key \(text): expected HOST=SHA256:...")
            }
            accepted[host] = fp
        }
        return try InstallSession(answers: answers, stateDirectory: stateDir, acceptedHostKeys: accepted, knownHostsFile: knownHosts,
                                  purge: purge, upgrade: upgrade)
    }

    static var interactive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    func secretValues(for session: InstallSession) throws -> SecretValues {
        try SecretsInput.gather(session.neededSecrets, file: secrets, interactive: Self.interactive)
    }

    /// Logs into every host before the run, so host keys are settled up front: on a terminal each
    /// unknown key is asked about (y/N) with its fingerprint; without one, the run stops before
    /// changing anything, with a line per unknown host and the exact --accept-host-key to pass. A
    /// changed key is a hard stop. With `failOnOtherErrors` false, other login failures are left
    /// for the caller's checks to report.
    func connectAll(_ session: InstallSession, pool: TransportPool, hosts: [String]? = nil, failOnOtherErrors: Bool = true) async throws {
        var unknown: [TransportError] = []
        for host in hosts ?? session.plan.hosts {
            do { try await connect(host, session, pool: pool) } catch let e as TransportError {
                if case .unknownHostKey = e { unknown.append(e); continue }
                if case .changedHostKey = e { throw e }
                if failOnOtherErrors { throw e }
            }
        }
        guard !unknown.isEmpty else { return }
        throw UsageError("hosts not known yet; compare each fingerprint with `\(Self.fingerprintCommand(nil))` on the server's "
                         + "console, then pass the --accept-host-key shown:\n" + unknown.map { "  \($0)" }.joined(separator: "\n"))
    }

    /// What prints a host key's fingerprint on the server itself, for the operator to compare.
    static func fingerprintCommand(_ keyType: String?) -> String {
        guard let keyType, ["ED25519", "ECDSA", "RSA"].contains(keyType) else {
            return "for k in /etc/ssh/ssh_host_*_key.pub; do ssh-keygen -lf \"$k\"; done"
        }
        return "ssh-keygen -lf /etc/ssh/ssh_host_\(keyType.lowercased())_key.pub"
    }

    /// Logs into one host; an unknown key is asked about on a terminal (see `connectAll`).
    func connect(_ host: String, _ session: InstallSession, pool: TransportPool) async throws {
        do { try await pool.transport(for: host).connect() } catch TransportError.unknownHostKey(let name, let fp, let type) {
            guard Self.interactive, let h = session.host(named: host) else {
                throw TransportError.unknownHostKey(host: name, fingerprint: fp, keyType: type)
            }
            print("\(host) (\(h.address) port \(h.port)) is not known yet. Its \(type) key fingerprint is\n    \(fp)")
            print("Compare it with `\(Self.fingerprintCommand(type))` on the server's console.")
            guard Self.askYesNo("Accept it?") else {
                throw UsageError("\(host): host key not accepted")
            }
            try await HostKeys.accept(host: h.address, port: h.port, fingerprint: fp, knownHostsFile: session.ssh.knownHostsFile)
            try await pool.transport(for: host).connect()
        }
    }
}

/// Runs a command body, turning known errors into their exit codes: 2 for bad input.
func exitOnError<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let e as InvalidAnswers {
        FileHandle.standardError.write(Data(("invalid answers:\n" + e.problems.map { "  \($0)" }.joined(separator: "\n") + "\n").utf8))
        throw ExitCode(2)
    } catch let e as UsageError {
        FileHandle.standardError.write(Data("joget-cluster: \(e)\n".utf8))
        throw ExitCode(2)
    } catch let e as SecretError {
        FileHandle.standardError.write(Data("joget-cluster: \(e)\n".utf8))
        throw ExitCode(2)
    } catch let e as TransportError {
        FileHandle.standardError.write(Data("joget-cluster: \(e)\n".utf8))
        throw ExitCode(2)
    }
}
