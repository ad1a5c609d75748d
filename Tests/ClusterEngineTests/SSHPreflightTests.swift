import ClusterCore
@testable import ClusterEngine
import Foundation
import Testing

@Suite(.serialized, .enabled(if: SSHFixture.available, "needs root and the sshd fixture"))
struct SSHPreflightTests {
    @Test func reportsEveryItemForAGoodHost() async throws {
        let env = SSHFixture.env!
        let preflight = Preflight(secrets: SecretValues(), options: SSHFixture.options(),
                                  freePorts: [1], listeningPorts: [env.port])
        let report = await preflight.preflight(host: SSHFixture.keyHost())
        #expect(report.row("login")?.status == .ok)
        #expect(report.row("sudo")?.status == .ok)
        #expect(report.row("os")?.status == .ok)
        #expect(report.row("os")?.message.lowercased().contains("debian") == true)
        #expect(report.row("disk /") != nil)
        #expect(report.row("disk /opt") != nil)
        #expect(report.row("java") != nil)
        #expect(report.row("port 1")?.status == .ok)
        #expect(report.row("port \(env.port)")?.status == .ok)
        #expect(report.row("clock")?.status == .ok)
        let skew = try #require(Double(report.facts["clock_skew"] ?? ""))
        #expect(abs(skew) < 1)
        #expect(report.row("cpu") != nil)
        #expect(report.row("memory")?.message.contains("MB") == true)
        #expect(report.connectError == nil)
    }

    @Test func notRootIsASudoFailure() async throws {
        let report = await Preflight(secrets: SecretValues(), options: SSHFixture.options())
            .preflight(host: SSHFixture.keyHost(sudo: .root))
        #expect(report.row("sudo")?.status == .fail)
        #expect(!report.passed)
    }

    @Test func unknownHostKeyIsReportedForTheWizard() async throws {
        let dir = SSHFixture.tempDir("pf")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = await Preflight(secrets: SecretValues(), options: SSHFixture.options(knownHosts: dir + "/kh"))
            .preflight(host: SSHFixture.keyHost())
        #expect(report.row("login")?.status == .fail)
        guard case .unknownHostKey(_, let fp, _) = report.connectError else { Issue.record("\(String(describing: report.connectError))"); return }
        #expect(fp == SSHFixture.env!.fingerprint)
    }

    @Test func wrongSudoPasswordIsASudoRow() async throws {
        var secrets = SecretValues()
        secrets[.sshPassword(host: "fixture-pw")] = SSHFixture.env!.password
        secrets[.sudoPassword(host: "fixture-pw")] = "nope"
        let report = await Preflight(secrets: secrets, options: SSHFixture.options()).preflight(host: SSHFixture.passwordHost())
        #expect(report.row("login")?.status == .ok)
        #expect(report.row("sudo")?.status == .fail)
    }

    @Test func localHost() async throws {
        let host = ClusterCore.Host(name: "here", address: "localhost", auth: .local, sudo: .root)
        let report = await Preflight(secrets: SecretValues()).preflight(host: host)
        #expect(report.row("login")?.status == .ok)
        #expect(report.row("sudo")?.status == .ok)
    }
}
