@testable import ClusterEngine
import Foundation
import Testing

/// The control master's cipher order: AES-GCM first only when nobody chose an order and the CPU
/// has AES instructions; never a cipher added or dropped.
struct SSHCiphersTests {
    let builtIn = ["chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr",
                   "aes128-gcm@openssh.com", "aes256-gcm@openssh.com"]

    @Test func gcmMovesFirstWhenTheListIsOpenSSHsOwn() {
        #expect(SSHCiphers.preferred(effective: builtIn, builtIn: builtIn, cpuHasAES: true)
                == ["aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com",
                    "aes128-ctr", "aes192-ctr", "aes256-ctr"])
    }

    @Test func anOrderSomebodyChoseIsKept() {
        let chosen = ["chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com"]
        #expect(SSHCiphers.preferred(effective: chosen, builtIn: builtIn, cpuHasAES: true) == nil)
        #expect(SSHCiphers.preferred(effective: builtIn, builtIn: builtIn, cpuHasAES: false) == nil)
        #expect(SSHCiphers.preferred(effective: ["aes128-ctr"], builtIn: ["aes128-ctr"], cpuHasAES: true) == nil)
        #expect(SSHCiphers.preferred(effective: [], builtIn: [], cpuHasAES: true) == nil)
        let gcmFirst = ["aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com"]
        #expect(SSHCiphers.preferred(effective: gcmFirst, builtIn: gcmFirst, cpuHasAES: true) == nil)
    }

    @Test func parsesTheCiphersLineOfSshG() {
        let text = "user root\nciphers chacha20-poly1305@openssh.com,aes128-gcm@openssh.com\nmacs hmac-sha2-256\n"
        #expect(SSHCiphers.parse(text) == ["chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com"])
        #expect(SSHCiphers.parse("user root\n").isEmpty)
    }

    /// With the real ssh: a permutation of ssh's own list, and nothing when the options name ciphers.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh"), "needs the OpenSSH client"))
    func realSshIsAskedAndAChoiceOnTheCommandLineWins() async throws {
        let args = await SSHCiphers.arguments(program: "/usr/bin/ssh", options: ["-p", "22"], address: "127.0.0.1")
        if SSHCiphers.cpuHasAES {
            try #require(args.count == 2 && args[0] == "-o", "no Ciphers option: \(args)")
            let list = args[1].dropFirst("Ciphers=".count).split(separator: ",").map(String.init)
            #expect(list.first?.hasSuffix("-gcm@openssh.com") == true)
            let own = await SSHCiphers.arguments(program: "/usr/bin/ssh", options: [], address: "127.0.0.1")
            #expect(Set(own[1].dropFirst("Ciphers=".count).split(separator: ",").map(String.init)) == Set(list))
        } else {
            #expect(args.isEmpty)
        }
        let chosen = await SSHCiphers.arguments(program: "/usr/bin/ssh", options: ["-o", "Ciphers=aes256-ctr"], address: "127.0.0.1")
        #expect(chosen.isEmpty)
    }
}
