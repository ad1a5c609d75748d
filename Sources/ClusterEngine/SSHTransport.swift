import ClusterCore
import Foundation
import Subprocess
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the SSH transport needs beyond the host's answers.
public struct SSHOptions: Sendable {
    /// The known_hosts file to check and to record accepted keys in (the project passes one in its state dir).
    public var knownHostsFile: String = HostKeys.defaultKnownHostsFile
    /// Fingerprints accepted ahead of time (`--accept-host-key HOST=SHA256:...`), by host name or address.
    public var acceptedHostKeys: [String: String] = [:]
    /// Record accepted keys hashed (`ssh-keyscan -H`).
    public var hashKnownHosts = false
    public var connectTimeout = 10
    /// Seconds between keepalives; three unanswered ones end the connection, so a cut link fails
    /// the running step after about 30 s instead of waiting on TCP.
    public var serverAliveInterval = 10
    /// The OpenSSH client: the operator's `~/.ssh/config`, agent and ProxyJump keep working.
    public var sshProgram = "ssh"
    /// Scan and compare host keys before logging in (ssh checks them again, strictly, either way).
    public var checkHostKeys = true
    /// The agent socket for `auth: agent` (default: the inherited SSH_AUTH_SOCK).
    public var agentSocket: String? = nil

    public init(knownHostsFile: String = HostKeys.defaultKnownHostsFile, acceptedHostKeys: [String: String] = [:]) {
        self.knownHostsFile = knownHostsFile
        self.acceptedHostKeys = acceptedHostKeys
    }
}

/// Runs steps on a host through the operator's OpenSSH client: one control master per host
/// (ControlMaster, socket in a private 0700 directory), and over it one long-lived shell fed framed
/// commands, so a trivial step costs a round trip instead of a login. Transfers and the killer use
/// extra multiplexed sessions.
public actor SSHTransport: Transport {
    public nonisolated let hostName: String
    private let core: ShellHost
    private let master: SSHMaster

    public init(host: ClusterCore.Host, secrets: SecretValues, options: SSHOptions = SSHOptions()) {
        hostName = host.name
        let elevation: Elevation
        switch host.effectiveSudo {
        case .root: elevation = .none
        case .nopasswd: elevation = .sudo
        case .password: elevation = .sudoPassword(host.sudoPasswordSecret.flatMap { secrets[$0] } ?? "")
        }
        let master = SSHMaster(host: host, password: host.sshPasswordSecret.flatMap { secrets[$0] }, options: options,
                               sudoPasswordMissing: host.effectiveSudo == .password && host.sudoPasswordSecret.flatMap { secrets[$0] } == nil)
        self.master = master
        core = ShellHost(hostName: host.name, prepare: {
            let launcher = try await master.ensure()
            return (launcher, elevation)
        }, invalidate: { await master.stop() })
    }

    public func connect() async throws { try await core.connect() }
    public var isConnected: Bool { get async { await core.isConnected } }

    public func run(_ script: String, timeout: Duration, onLine: @escaping @Sendable (OutputLine) -> Void) async -> CommandResult {
        await core.run(script, timeout: timeout, onLines: { for line in $0 { onLine(line) } })
    }

    public func runBatched(_ script: String, timeout: Duration, onLines: @escaping @Sendable ([OutputLine]) -> Void) async -> CommandResult {
        await core.run(script, timeout: timeout, onLines: onLines)
    }

    public func runRaw(_ script: String, timeout: Duration, onRaw: @escaping @Sendable (RawLines) -> Void) async -> CommandResult {
        await core.run(script, timeout: timeout, onRaw: onRaw)
    }

    public func runCheckThenApplyRaw(check: String, apply: String, timeout: Duration, output: CheckThenApplyRawOutput) async
        -> (checked: Int32?, result: CommandResult) {
        await core.runCheckThenApply(check: check, apply: apply, timeout: timeout, output: output)
    }

    public func upload(localPath: String, remotePath: String, mode: Int) async throws -> UploadOutcome {
        try await core.upload(localPath: localPath, remotePath: remotePath, mode: mode)
    }

    public func download(remotePath: String, localPath: String) async throws {
        try await core.download(remotePath: remotePath, localPath: localPath)
    }

    public func download(remotePath: String, localPath: String, progress: @escaping @Sendable (Int64) -> Void) async throws {
        try await core.download(remotePath: remotePath, localPath: localPath, progress: progress)
    }

    public func close() async {
        await core.close()
        await master.close()
    }

    /// The private runtime directory (control socket, askpass FIFO): for tests and diagnostics.
    public var runtimeDirectory: String? { get async { await master.runtimeDirectory } }
    /// The control master's pid, while it runs.
    public var masterPid: Int32? { get async { await master.pid } }
}

/// The control master of one host: host key check, login (agent, key, or password through askpass),
/// then a socket that every other session of the host multiplexes over.
actor SSHMaster {
    private let host: ClusterCore.Host
    private let password: String?
    private let options: SSHOptions
    private let sudoPasswordMissing: Bool
    private var process: LiveProcess? = nil
    private(set) var runtimeDirectory: String? = nil
    private let stderrTail = Locked<[UInt8]>([])

    init(host: ClusterCore.Host, password: String?, options: SSHOptions, sudoPasswordMissing: Bool) {
        self.host = host; self.password = password; self.options = options
        self.sudoPasswordMissing = sudoPasswordMissing
    }

    var pid: Int32? { process.flatMap { $0.hasExited ? nil : $0.pid } }
    private var controlPath: String { (runtimeDirectory ?? "/tmp") + "/c" }

    /// A launcher for multiplexed sessions, logging in first when there is no live master.
    func ensure() async throws -> ShellLauncher {
        if let process, !process.hasExited, socketExists() { return launcher() }
        if let process { await process.terminate(grace: .milliseconds(300)) }
        process = nil
        try await start()
        return launcher()
    }

    private func socketExists() -> Bool {
        var info = stat()
        return stat(controlPath, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }

    private func start() async throws {
        let name = host.name
        if sudoPasswordMissing {
            throw TransportError.sudoFailed(host: name, detail: "sudo needs a password: secret \(SecretName.sudoPassword(host: name)) is not given")
        }
        if runtimeDirectory == nil { runtimeDirectory = try ProcessSupport.makeRuntimeDirectory() }
        unlink(controlPath)
        // The cipher order is asked of ssh (`ssh -G`) while the host key is looked up.
        let program = options.sshProgram, common = commonArguments(), address = host.address
        async let cipherArguments = SSHCiphers.arguments(program: program, options: common, address: address)
        // A key already on record is compared by ssh itself (StrictHostKeyChecking=yes): the scan,
        // about 0.1 s, runs first only for a host not on record, and after a refused key to name it.
        var scanned = false
        if options.checkHostKeys,
           try await HostKeys.recorded(host: host.address, port: host.port, knownHostsFile: options.knownHostsFile).isEmpty {
            try await checkHostKey()
            scanned = true
        }

        var environment: [Environment.Key: String?] = [:]
        var askpass: SSHAskpass? = nil
        if host.auth == .password {
            guard let password else {
                throw TransportError.authenticationFailed(host: name, detail: "secret \(SecretName.sshPassword(host: name)) is not given")
            }
            do { askpass = try SSHAskpass(runtimeDirectory: runtimeDirectory!, password: password) } catch {
                throw TransportError.authenticationFailed(host: name, detail: "\(error)")
            }
            for (k, v) in askpass!.environment { environment[Environment.Key(stringLiteral: k)] = v }
            askpass!.start()
        } else {
            if let sock = options.agentSocket { environment["SSH_AUTH_SOCK"] = sock }
            // Never let an inherited askpass answer for us.
            environment["SSH_ASKPASS"] = nil as String?
            environment["SSH_ASKPASS_REQUIRE"] = "never"
        }
        defer { askpass?.stop() }

        stderrTail.withLock { $0 = [] }
        let tail = stderrTail
        // The master's own session is a remote `cat` reading our pipe: if this program dies, the pipe
        // closes, cat ends, and the master exits once the last multiplexed session has ended (their
        // stdin pipes close too), so nothing lingers on either side.
        let ciphers = await cipherArguments
        let args = commonArguments() + ciphers + ["-M", "-T", "-o", "ControlMaster=yes", "-o", "ControlPersist=no",
                                        "--", host.address, "exec cat >/dev/null"]
        let proc = try await LiveProcess.start(options.sshProgram, args, environment: Environment.inherit.updating(environment),
                                               label: "master", handlers: .init(
            stdout: { _ in },
            stderr: { bytes in tail.withLock { $0.append(contentsOf: bytes); if $0.count > 4096 { $0.removeFirst($0.count - 4096) } } },
            exit: { _ in }))
        process = proc
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(options.connectTimeout + 30)
        while clock.now < deadline {
            if socketExists() { return }
            if proc.hasExited { break }
            try? await Task.sleep(for: .milliseconds(3))
        }
        let status = proc.hasExited ? await proc.waitForExit() : 255
        if !proc.hasExited { await proc.terminate(grace: .milliseconds(300)) }
        process = nil
        let text = stderrTail.withLock { String(decoding: $0, as: UTF8.self) }
        let error = ShellChannel.classify(host: name, status: status, stderr: text.isEmpty ? "login did not finish in time" : text, elevated: .none)
        if case .changedHostKey = error, options.checkHostKeys, !scanned { try await checkHostKey() }
        throw error
    }

    private func checkHostKey() async throws {
        let file = options.knownHostsFile
        switch try await HostKeys.check(host: host.address, port: host.port, knownHostsFile: file) {
        case .known: return
        case .changed(let key):
            throw TransportError.changedHostKey(host: host.name, fingerprint: key.fingerprint)
        case .unknown(let key):
            let pre = options.acceptedHostKeys[host.name] ?? options.acceptedHostKeys[host.address]
            if let pre, pre == key.fingerprint {
                try await HostKeys.accept(host: host.address, port: host.port, fingerprint: pre, knownHostsFile: file,
                                          hashed: options.hashKnownHosts)
                return
            }
            throw TransportError.unknownHostKey(host: host.name, fingerprint: key.fingerprint, keyType: key.keyType)
        }
    }

    private func quotedOption(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\t" || $0 == "\"" }) ? "\"" + value.replacingOccurrences(of: "\"", with: "") + "\"" : value
    }

    /// Options of every ssh this host starts.
    private func commonArguments() -> [String] {
        var a = [
            "-o", "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=" + quotedOption(options.knownHostsFile),
            "-o", "UpdateHostKeys=no",
            "-o", "ConnectTimeout=\(options.connectTimeout)",
            "-o", "ServerAliveInterval=\(options.serverAliveInterval)",
            "-o", "ServerAliveCountMax=3",
            "-o", "LogLevel=ERROR",
            "-o", "ForwardAgent=no",
            "-o", "ForwardX11=no",
            "-o", "ClearAllForwardings=yes",
            "-o", "PermitLocalCommand=no",
            "-o", "ControlPath=" + controlPath,
            "-p", String(host.port),
            "-l", host.user,
        ]
        switch host.auth {
        case .agent, .local:
            a += ["-o", "BatchMode=yes"]
        case .key:
            a += ["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes"]
            if let key = host.keyFile { a += ["-i", key.replacingOccurrences(of: "%", with: "%%")] }
        case .password:
            a += ["-o", "BatchMode=no", "-o", "NumberOfPasswordPrompts=1", "-o", "PubkeyAuthentication=no",
                  "-o", "PreferredAuthentications=keyboard-interactive,password", "-o", "GSSAPIAuthentication=no"]
        }
        return a
    }

    /// Sessions over the master: `ssh -S <socket> -T -- address 'exec <argv>'`.
    private func launcher() -> ShellLauncher {
        let base = commonArguments() + ["-o", "ControlMaster=no", "-T"]
        let address = host.address
        let program = options.sshProgram
        return ShellLauncher(hostName: host.name) { argv in
            let remote = "exec " + argv.map(Shell.quote).joined(separator: " ")
            return (program, base + ["--", address, remote],
                    Environment.inherit.updating(["SSH_ASKPASS": nil, "SSH_ASKPASS_REQUIRE": "never"]))
        }
    }

    /// A transport dropped without `close()`: end the master and remove the directory anyway.
    deinit {
        process?.signal(SIGTERM)
        if let dir = runtimeDirectory { ProcessSupport.removeTree(dir) }
    }

    /// Ends the master; the next `ensure` logs in again.
    func stop() async {
        if let process { await process.terminate(grace: .seconds(1)) }
        process = nil
    }

    /// Ends the master (SIGTERM to its group, then SIGKILL) and removes the socket and directory.
    func close() async {
        if let process { await process.terminate(grace: .seconds(2)) }
        process = nil
        if let dir = runtimeDirectory {
            ProcessSupport.removeTree(dir)
            runtimeDirectory = nil
        }
    }
}

/// Builds the transport a host's answers ask for.
public enum Transports {
    public static func make(host: ClusterCore.Host, secrets: SecretValues, options: SSHOptions = SSHOptions()) -> any Transport {
        host.auth == .local ? LocalTransport(host: host, secrets: secrets) : SSHTransport(host: host, secrets: secrets, options: options)
    }
}
