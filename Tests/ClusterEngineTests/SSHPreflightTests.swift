import ClusterCore
@testable import ClusterEngine
import Foundation
import Testing

@Suite(.serialized, .enabled(if: SSHFixture.available, "needs root and the sshd fixture"))
struct SSHPreflightTests {
    /// Answers where `host` runs node01 on `httpPort`: Java and the node's ports matter there.
    func appServer(_ host: ClusterCore.Host, httpPort: Int) -> Answers {
        var a = Answers()
        a.hosts = [host]
        a.appServers.nodes = [Node(name: "node01", host: host.name, httpPort: httpPort)]
        return a
    }

    @Test func reportsEveryItemForAGoodHost() async throws {
        let host = SSHFixture.keyHost()
        let report = await Preflight(secrets: SecretValues(), options: SSHFixture.options())
            .preflight(host: host, answers: appServer(host, httpPort: 20_999))
        #expect(report.rows.map(\.item) == ["SSH login", "Root access", "OS", "Disk", "Java", "Ports", "Clock", "CPU", "Memory"])
        #expect(report.row("SSH login")?.status == .ok)
        #expect(report.row("Root access")?.message == "sudo without a password")
        #expect(report.row("OS")?.message.lowercased().contains("debian") == true)
        #expect(report.row("Disk")?.message.contains("GB free on /") == true)
        #expect(report.row("Ports")?.status == .ok)
        #expect(report.row("Ports")?.message.contains("20999") == true)
        #expect(report.row("Clock")?.status == .ok)
        let skew = try #require(Double(report.facts["clock_skew"] ?? ""))
        #expect(abs(skew) < 1)
        #expect(report.row("Memory")?.message.contains("MB") == true)
        #expect(report.connectError == nil)
    }

    @Test func aPortInUseOnAnAppServerIsNamed() async throws {
        let host = SSHFixture.keyHost()
        // The fixture's sshd listens on its port: as node01's HTTP port it is taken.
        let report = await Preflight(secrets: SecretValues(), options: SSHFixture.options())
            .preflight(host: host, answers: appServer(host, httpPort: SSHFixture.env!.port))
        #expect(report.row("Ports")?.status == .warn)
        #expect(report.row("Ports")?.message.contains("\(SSHFixture.env!.port) (node01 HTTP)") == true)
    }

    @Test func notRootIsARootAccessFailure() async throws {
        let host = SSHFixture.keyHost(sudo: .root)
        let report = await Preflight(secrets: SecretValues(), options: SSHFixture.options()).preflight(host: host, answers: Answers())
        #expect(report.row("Root access")?.status == .fail)
        #expect(report.row("Root access")?.message.contains("not root") == true)
        #expect(!report.passed)
    }

    @Test func unknownHostKeyIsReportedForTheWizard() async throws {
        let dir = SSHFixture.tempDir("pf")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = await Preflight(secrets: SecretValues(), options: SSHFixture.options(knownHosts: dir + "/kh"))
            .preflight(host: SSHFixture.keyHost(), answers: Answers())
        #expect(report.row("SSH login")?.status == .fail)
        guard case .unknownHostKey(_, let fp, _) = report.connectError else { Issue.record("\(String(describing: report.connectError))"); return }
        #expect(fp == SSHFixture.env!.fingerprint)
    }

    @Test func wrongSudoPasswordIsARootAccessRow() async throws {
        var secrets = SecretValues()
        secrets[.sshPassword(host: "fixture-pw")] = SSHFixture.env!.password
        secrets[.sudoPassword(host: "fixture-pw")] = "nope"
        let report = await Preflight(secrets: secrets, options: SSHFixture.options())
            .preflight(host: SSHFixture.passwordHost(), answers: Answers())
        #expect(report.row("SSH login")?.status == .ok)
        #expect(report.row("Root access")?.status == .fail)
    }

    @Test func localHost() async throws {
        let host = ClusterCore.Host(name: "here", address: "localhost", auth: .local, sudo: .root)
        let report = await Preflight(secrets: SecretValues()).preflight(host: host, answers: Answers())
        #expect(report.row("SSH login")?.message == "this machine, no SSH")
        #expect(report.row("Root access")?.status == .ok)
        #expect(report.row("Java")?.message == "not needed here" || report.row("Java")?.status == .ok)
    }
}

/// The judgments alone, on facts as a host prints them.
@Suite struct PreflightJudgeTests {
    func judged(_ facts: [String: String], answers: Answers = Answers(), host: String = "h") -> PreflightReport {
        var report = PreflightReport(host: host)
        report.facts = facts
        Preflight { _ in fatalError("no transport") }
            .judge(&report, host: ClusterCore.Host(name: host, address: "10.0.0.1", sudo: .nopasswd), answers: answers, localTime: 1000)
        return report
    }

    @Test func javaMattersOnAppServersOnly() {
        var a = Answers()
        a.appServers.nodes = [Node(name: "node01", host: "h")]
        let old = ["java": "java version \"1.8.0_382\""]
        #expect(judged(old, answers: a).row("Java")?.status == .warn)
        #expect(judged(old, answers: a).row("Java")?.message.contains("Java 1.8.0_382: Joget DX 8 wants 11 or 17") == true)
        #expect(judged(old).row("Java")?.status == .ok)
        #expect(judged(["java": "openjdk version \"17.0.9\" 2023-10-17"], answers: a).row("Java")?.message == "Java 17.0.9")
        #expect(judged(["java": ""], answers: a).row("Java")?.message == "not installed yet: the install adds Java 17")
    }

    @Test func osClockDiskAndRoot() {
        let r = judged(["uid": "1000", "user": "ops", "os_id": "centos", "os_version": "7", "os_name": "CentOS 7",
                        "disk_mb": "1000", "epoch": "1090", "cpus": "1", "mem_total_kb": "1048576", "mem_avail_kb": "524288"])
        #expect(r.row("Root access")?.status == .fail)
        #expect(r.row("OS")?.status == .fail)
        #expect(r.row("OS")?.message == "CentOS 7: the wizard installs on Debian or Ubuntu")
        #expect(r.row("Disk")?.status == .fail)
        #expect(r.row("Clock")?.status == .fail)
        #expect(r.row("Clock")?.message == "+90 s from this machine: set up NTP")
        #expect(r.row("CPU")?.status == .warn && r.row("Memory")?.status == .warn)
        let fine = judged(["uid": "0", "os_id": "debian", "os_version": "12", "os_name": "Debian GNU/Linux 12 (bookworm)",
                           "disk_mb": "40000", "epoch": "1000.5", "listen": "22 "])
        #expect(fine.row("OS")?.status == .ok && fine.row("Disk")?.status == .ok && fine.row("Clock")?.message == "same time as this machine")
        #expect(fine.row("Ports")?.message == "no layer listens here yet")
        #expect(judged(["os_id": "ubuntu", "os_version": "20.04", "os_name": "Ubuntu 20.04"]).row("OS")?.status == .warn)
    }
}
