import ClusterCore
@testable import ClusterEngine
import Foundation
import Testing

@Suite(.serialized, .enabled(if: SSHFixture.available, "needs root and the sshd fixture"))
struct SSHTransportTests {
    @Test func keyLoginRunsCommands() async throws {
        let t = SSHTransport(host: SSHFixture.keyHost(), secrets: SecretValues(), options: SSHFixture.options())
        try await t.connect()
        let (r, log) = await t.capture("id -u; echo err >&2; exit 3")
        #expect(r == .exited(3))
        #expect(log.stdout == ["0"])
        #expect(log.stderr == ["err"])
        let (r2, log2) = await t.capture("printf 'no newline'")
        #expect(r2 == .exited(0))
        #expect(log2.stdout == ["no newline"])
        await t.close()
    }
}
