import ClusterCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs steps on this machine: one long-lived `/bin/sh` fed framed commands over stdin (the script
/// never appears in any argv), as root through `sudo` when the host asks for it and this program
/// is not root already. Same framing, kill and transfer code as `SSHTransport`.
public actor LocalTransport: Transport {
    public nonisolated let hostName: String
    private let core: ShellHost

    /// - Parameters:
    ///   - sudo: `.root`: run as this user. `.nopasswd`: `sudo -n`. `.password`: `sudo -S`, answered
    ///     with `sudoPassword` when (and only when) sudo prompts. Ignored when already root.
    public init(name: String = "local", sudo: ClusterCore.Host.Sudo = .root, sudoPassword: String? = nil) {
        hostName = name
        let elevation: Elevation
        if geteuid() == 0 { elevation = .none } else {
            switch sudo {
            case .root: elevation = .none
            case .nopasswd: elevation = .sudo
            case .password: elevation = .sudoPassword(sudoPassword ?? "")
            }
        }
        let launcher = ShellLauncher(hostName: name) { argv in (argv[0], Array(argv.dropFirst()), .inherit) }
        core = ShellHost(hostName: name) { (launcher, elevation) }
    }

    /// For a host whose `auth` is `local`: sudo as its answers say, the sudo password from the secrets.
    public init(host: ClusterCore.Host, secrets: SecretValues) {
        self.init(name: host.name, sudo: host.sudo, sudoPassword: host.sudoPasswordSecret.flatMap { secrets[$0] })
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

    public func close() async { await core.close() }
}
