import ClusterCore
import ClusterEngine
import Foundation
import Testing

/// The same reads over real OpenSSH (the private sshd fixture, sudo without a password), as they
/// go to a node behind SSH: the fake nodes answer on this machine's loopback, which is the SSH
/// host's loopback too; the MAC is this machine's real one.
@Suite(.serialized, .enabled(if: SSHFixture.available, "needs root and the sshd fixture"))
struct LicenseSSHTests {
    /// The MAC of this machine's default-route interface, read as the capture script reads it.
    func localMAC() -> String? {
        let out = SSHFixture.shell(["/bin/sh", "-c",
            "dev=$(ip route show default 2>/dev/null | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p' | head -n 1); [ -n \"$dev\" ] && head -n 1 /sys/class/net/$dev/address"])
        let mac = out.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return mac.isEmpty ? nil : mac.lowercased()
    }

    @Test func readsAndVerifiesThroughOpenSSHWithSudo() async throws {
        let w = try LicenseWorld()
        var a = w.answers
        a.hosts = [SSHFixture.keyHost(name: "app1"), SSHFixture.keyHost(name: "app2")]
        let log = LicenseLog()
        let desk = try LicenseDesk(answers: a, store: LicenseStore(directory: w.stateDir), log: { log.append($0) }) { host in
            SSHTransport(host: host, secrets: SecretValues(), options: SSHFixture.options())
        }
        try await desk.refresh()
        let c = await desk.checklist
        #expect(c.row("node01")?.systemKey == LicenseWorld.key1)
        #expect(c.row("node02")?.systemKey == LicenseWorld.key2)
        // The shared folder is root's 0700 temp folder: only sudo reads its datasource file.
        #expect(c.row("node01")?.recorded?.profile == "default")
        #expect(c.row("node01")?.recorded?.mac == localMAC())
        #expect(c.row("node01")?.recorded?.version == "8.1.6")
        try await desk.setLicense(LicenseWorld.license1, for: "node01")
        w.node1.set("activated", "Example Org")
        let notes = (try await desk.verify()).map(\.line)
        #expect(notes.first?.hasPrefix("node01: activated (verified)") == true)
        #expect(notes.last?.hasPrefix("node02: not activated yet") == true)
        await desk.close()
        #expect(!log.all.contains { $0.contains(LicenseWorld.license1) })
    }
}
