import Foundation
import TestSupport
import ClusterCore
import Testing

@Suite struct ClusterChecksTests {
    func checks() throws -> [String: ClusterCheck] {
        let list = ClusterChecks.all(for: try exampleAnswers(), token: "tok123") { "/opt/joget/\($0.name)/logs/catalina.out" }
        return Dictionary(uniqueKeysWithValues: list.map { ($0.id, $0) })
    }
    func result(_ lines: String..., exit: Int32 = 0) -> ProbeResult { ProbeResult(exitCode: exit, output: lines) }

    @Test func oneCheckPerGuideItem() throws {
        let ids = Set(try checks().keys)
        for id in ["files.mounted@app1", "files.mounted@app2", "files.shared", "db.reach@app1", "db.reach@app2",
                   "app.http@node01", "app.http@node02", "app.members@node01", "app.hostname@app1",
                   "app.multicast@app2", "lb.reach", "lb.sticky",
                   "hosts.boot@files", "hosts.boot@db", "hosts.boot@app1", "hosts.boot@app2", "hosts.boot@lb"] {
            #expect(ids.contains(id), "missing \(id)")
        }
    }

    @Test func everyProbeIsValidShell() throws {
        for check in try checks().values {
            for probe in check.probes {
                let text = try probe.script.executable(with: SecretValues([SecretName("db-password"): "a'b\"c$(x)"]))
                #expect(Program.run(["/bin/sh", "-n", "-c", text]).status == 0, "\(check.id): sh -n refused its probe")
            }
        }
    }

    @Test func probesNeverShowTheDatabasePassword() throws {
        for check in try checks().values {
            for probe in check.probes { #expect(!probe.script.display.contains("db-password")) }
        }
        let db = try checks()["db.reach@app1"]!
        #expect(db.probes[0].script.secrets == [SecretName("db-password")])
        #expect(db.probes[0].script.display.contains("password=****"))
    }

    @Test func judgesReadTheEvidence() throws {
        let c = try checks()
        #expect(c["files.shared"]!.judge([result("JC read=tok123")]).passed)
        let stale = c["files.shared"]!.judge([result("JC read=old")])
        #expect(!stale.passed && stale.evidence.contains("app2"))
        #expect(c["db.reach@app1"]!.judge([result("JC rc=0", "JC tables=12")]).evidence.contains("12 tables"))
        #expect(!c["db.reach@app1"]!.judge([result("JC rc=1", "JC tables=ERROR 1045 (28000): Access denied")]).passed)
        #expect(!c["db.reach@app1"]!.judge([result("JC rc=0", "JC tables=0")]).passed)
        #expect(c["app.http@node01"]!.judge([result("JC code=302")]).passed)
        #expect(c["app.http@node01"]!.judge([result("JC code=000")]).evidence.contains("nothing"))
        #expect(!c["app.hostname@app1"]!.judge([result("JC name=app1", "JC ip=127.0.1.1")]).passed)
    }

    /// A probe that ran but printed nothing (or only blank values) proves nothing: no judge passes
    /// on it, and every judge says so as not run rather than a fail about its own subject.
    @Test func noJudgePassesOnEmptyOutput() throws {
        for check in try checks().values {
            let silent = check.judge(check.probes.map { _ in result() })
            #expect(!silent.passed, "\(check.id) passed on empty output: \(silent.evidence)")
            #expect(silent.notRun, "\(check.id) on empty output: \(silent.word) \(silent.evidence)")
        }
        let c = try checks()
        // A name but no address: the name does not resolve at all, which Tomcat's "auto" address needs.
        let nowhere = c["app.hostname@app1"]!.judge([result("JC name=app1", "JC ip=")])
        #expect(nowhere.failed && nowhere.evidence.contains("resolves to no address"), "\(nowhere)")
        #expect(c["app.hostname@app1"]!.judge([result("JC name=", "JC ip=")]).notRun)
        #expect(c["app.hostname@app1"]!.judge([result("JC name=app1", "JC ip=10.0.0.11")]).passed)
        #expect(c["lb.sticky"]!.judge([result("JC route1=", "JC route2=")]).failed)
        #expect(c["files.mounted@app1"]!.judge([result("JC mounted=no", "JC source=", "JC writable=no")]).failed)
    }

    @Test func verdictWords() {
        #expect(Verdict.pass("x").word == "PASS" && Verdict.fail("x").word == "FAIL" && Verdict.notRun("x").word == "NOT RUN")
        #expect(Verdict(passed: false, evidence: "x").failed && !Verdict.notRun("x").failed && !Verdict.notRun("x").passed)
    }

    // MARK: After a reboot

    /// Every unit the plan enabled on a host is enabled, and on app hosts the shared directory is
    /// mounted again at boot; without systemd nothing restarts anything, which is said, not judged.
    @Test func comesBackAfterAReboot() throws {
        let c = try checks()
        let app = c["hosts.boot@app1"]!
        #expect(app.title == "app1: comes back after a reboot" && app.layer == .hosts)
        let good = app.judge([result("JC systemd=yes", "JC unit=joget-node01 enabled", "JC fstab=files:/export/wflow nfs defaults,_netdev")])
        #expect(good.passed && good.evidence == "joget-node01 enabled; /opt/joget/shared/wflow in /etc/fstab (files:/export/wflow)", "\(good)")
        let off = app.judge([result("JC systemd=yes", "JC unit=joget-node01 disabled", "JC fstab=files:/export/wflow nfs defaults")])
        #expect(off.failed && off.evidence.contains("joget-node01 is disabled: systemctl enable joget-node01"), "\(off)")
        let noFstab = app.judge([result("JC systemd=yes", "JC unit=joget-node01 enabled", "JC fstab=")])
        #expect(noFstab.failed && noFstab.evidence.contains("/opt/joget/shared/wflow is not in /etc/fstab"), "\(noFstab)")
        let noauto = app.judge([result("JC systemd=yes", "JC unit=joget-node01 enabled", "JC fstab=files:/export/wflow nfs noauto,_netdev")])
        #expect(noauto.failed && noauto.evidence.contains("noauto"), "\(noauto)")
        #expect(app.judge([result("JC systemd=yes", "JC unit=joget-node01 enabled")]).notRun, "no word on the share")
        #expect(app.judge([result("JC systemd=no")]) == .notRun("no systemd as PID 1: nothing restarts services after a reboot"))

        let missing = c["hosts.boot@db"]!.judge([result("JC systemd=yes",
            "JC unit=mariadb Failed to get unit file state for mariadb.service: No such file or directory")])
        #expect(missing.failed && missing.evidence.contains("mariadb is not installed as a unit"), "\(missing)")
        #expect(c["hosts.boot@db"]!.judge([result("JC systemd=yes", "JC unit=mariadb enabled")]).passed)
        #expect(c["hosts.boot@lb"]!.judge([result("JC systemd=yes", "JC unit=apache2 enabled")]) == .pass("apache2 enabled"))
        #expect(c["hosts.boot@files"]!.judge([result("JC systemd=yes", "JC unit=nfs-server enabled")]).passed)
        #expect(c["hosts.boot@lb"]!.judge([result("JC systemd=yes", "JC unit=apache2 enabled-runtime")]).failed, "gone after a reboot")

        var mysql = try exampleAnswers()
        mysql.database.engine = .mysql
        let my = ClusterChecks.all(for: mysql, token: "t") { Layout.catalinaOut(of: $0, in: mysql) }.first { $0.id == "hosts.boot@db" }!
        #expect(my.judge([result("JC systemd=yes", "JC unit=mysql enabled")]).passed)
        #expect(try my.probes[0].script.executable(with: SecretValues()).hasPrefix("units=mysql\n"))
    }

    /// A directory mounted by other means than the plan's NFS: whatever brings it back at boot counts
    /// (fstab, a mount or automount unit, autofs, the container's manager), but it must be said.
    @Test func anExistingShareComesBackByAnyMeans() throws {
        var a = try exampleAnswers()
        a.sharedFiles.provider = .existing
        let check = ClusterChecks.all(for: a, token: "t") { Layout.catalinaOut(of: $0, in: a) }.first { $0.id == "hosts.boot@app1" }!
        func judge(_ lines: String...) -> Verdict {
            check.judge([result(["JC systemd=yes", "JC unit=joget-node01 enabled"] + lines)])
        }
        let none = ["JC mountunit=opt-joget.mount ", "JC automount=opt-joget.automount ", "JC autofs= ", "JC container=none", "JC since=5 9"]
        func with(_ replace: String) -> [String] {
            none.map { $0.hasPrefix(String(replace.prefix(while: { $0 != "=" }))) ? replace : $0 }
        }
        let nothing = check.judge([result(["JC systemd=yes", "JC unit=joget-node01 enabled", "JC target=/opt/joget", "JC fstab="] + none)])
        #expect(nothing.failed && nothing.evidence.contains("/opt/joget is mounted now, but nothing mounts it at boot"), "\(nothing)")
        #expect(check.judge([result(["JC systemd=yes", "JC unit=joget-node01 enabled", "JC target=/opt/joget", "JC fstab=nas:/joget nfs4 defaults"] + none)]).passed)
        let unit = check.judge([result(["JC systemd=yes", "JC unit=joget-node01 enabled", "JC target=/opt/joget", "JC fstab="]
                                        + with("JC mountunit=opt-joget.mount /etc/systemd/system/opt-joget.mount"))])
        #expect(unit.passed && unit.evidence.contains("mount unit opt-joget.mount"), "\(unit)")
        #expect(check.judge([result(["JC systemd=yes", "JC unit=joget-node01 enabled", "JC target=/opt/joget", "JC fstab="]
                                    + with("JC automount=opt-joget.automount /etc/systemd/system/opt-joget.automount"))]).passed)
        #expect(check.judge([result(["JC systemd=yes", "JC unit=joget-node01 enabled", "JC target=/opt/joget", "JC fstab="]
                                    + with("JC autofs=/opt enabled"))]).passed)
        #expect(check.judge([result(["JC systemd=yes", "JC unit=joget-node01 enabled", "JC target=/opt/joget", "JC fstab="]
                                    + with("JC autofs=/opt disabled"))]).failed)
        // In a container, a mount there before sysinit.target is the container manager's: it comes back with it.
        let nspawn = check.judge([result(["JC systemd=yes", "JC unit=joget-node01 enabled", "JC target=/opt/joget", "JC fstab="]
                                         + with("JC container=systemd-nspawn").map { $0 == "JC since=5 9" ? "JC since=1486723874 1486943129" : $0 })])
        #expect(nspawn.passed && nspawn.evidence.contains("systemd-nspawn"), "\(nspawn)")
        let late = check.judge([result(["JC systemd=yes", "JC unit=joget-node01 enabled", "JC target=/opt/joget", "JC fstab="]
                                       + with("JC container=lxc").map { $0 == "JC since=5 9" ? "JC since=2000 1000" : $0 })])
        #expect(late.failed, "mounted by hand after the container started")
        let onRoot = check.judge([result("JC systemd=yes", "JC unit=joget-node01 enabled", "JC target=/")])
        #expect(onRoot.failed && onRoot.evidence.contains("not mounted"), "\(onRoot)")
        _ = judge
    }

    // MARK: Members

    /// A member line as Tomcat 9 and 10 print it: multicast members as bytes in braces, static ones as written.
    static func member(_ added: Bool, _ address: String, _ port: Int = 4000) -> String {
        let host = address.split(separator: ".").count == 4 && !address.hasPrefix("{")
            ? "{" + address.split(separator: ".").joined(separator: ", ") + "}" : address
        let what = added ? "org.apache.catalina.ha.tcp.SimpleTcpCluster.memberAdded Replication member added:"
            : "org.apache.catalina.ha.tcp.SimpleTcpCluster.memberDisappeared Received member disappeared:"
        return "JC member=04-Dec-2026 10:00:00.000 INFO [Membership-MemberAdded.] \(what)[org.apache.catalina.tribes.membership.MemberImpl[tcp://\(host):\(port),\(host),\(port), alive=1005, securePort=-1, UDP Port=-1, id={1 2 3 }, payload={}, command={}, domain={}]]"
    }
    func members(_ extra: String...) -> ProbeResult {
        result(["JC active=active", "JC log=the journal of joget-node01's current run", "JC started=yes", "JC loglines=420"] + extra)
    }
    func result(_ lines: [String]) -> ProbeResult { ProbeResult(exitCode: 0, output: lines) }

    /// The members present now: added, less those that disappeared since, matched by address; the
    /// evidence names the peers.
    @Test func membersPresentNow() throws {
        let check = try checks()["app.members@node01"]!
        let here = check.judge([members(Self.member(true, "192.168.1.11"))])
        #expect(here.passed && here.evidence == "1 of 1 peers present in the journal of joget-node01's current run: node02 (192.168.1.11:4000)", "\(here)")
        let left = check.judge([members(Self.member(true, "192.168.1.11"), Self.member(false, "192.168.1.11"))])
        #expect(left.failed && left.evidence.contains("0 of 1 peers present") && left.evidence.contains("missing: node02"), "\(left)")
        #expect(check.judge([members(Self.member(true, "192.168.1.11"), Self.member(false, "192.168.1.11"),
                                     Self.member(true, "192.168.1.11"))]).passed, "it came back")
        // Another member leaving is not this one.
        #expect(check.judge([members(Self.member(true, "192.168.1.11"), Self.member(false, "192.168.1.99"))]).passed)
        #expect(check.judge([members()]).failed)
        // Static members are written as configured.
        let fixed = check.judge([members(Self.member(true, "{192, 168, 1, 11}").replacingOccurrences(of: "{192, 168, 1, 11}", with: "192.168.1.11"))])
        #expect(fixed.passed && fixed.evidence.hasSuffix("node02 (192.168.1.11:4000)"), "\(fixed)")
        // Not running: no members now, whatever an earlier run said.
        let stopped = check.judge([result(["JC active=inactive", "JC log=x", "JC started=yes", "JC loglines=3", Self.member(true, "192.168.1.11")])])
        #expect(stopped.failed && stopped.evidence.contains("not running"), "\(stopped)")
        // No log, or no start line in it: nothing can be said.
        let noLog = check.judge([result(["JC active=active", "JC log=/opt/joget/node01/logs/catalina.out since Tomcat's last start",
                                         "JC logerror=/opt/joget/node01/logs/catalina.out does not exist"])])
        #expect(noLog.notRun && noLog.evidence.contains("does not exist"), "\(noLog)")
        let noStart = check.judge([result(["JC active=active", "JC log=x", "JC started=no", "JC loglines=0"])])
        #expect(noStart.notRun, "\(noStart)")
    }

    /// The awk the plan's cluster-check step counts with agrees with the Swift judge.
    @Test func membersCountedAlikeInAwk() throws {
        let cases: [[String]] = [
            [], [Self.member(true, "10.0.0.12")], [Self.member(true, "10.0.0.12"), Self.member(false, "10.0.0.12")],
            [Self.member(true, "10.0.0.12"), Self.member(true, "10.0.0.13"), Self.member(false, "10.0.0.12"), Self.member(true, "10.0.0.12")],
            [Self.member(false, "10.0.0.12"), Self.member(true, "10.0.0.12")],
            [Self.member(true, "10.0.0.12", 4000), Self.member(true, "10.0.0.12", 4001), Self.member(false, "10.0.0.12", 4001)],
            ["JC member=… Replication member added:[org.apache.catalina.tribes.membership.StaticMember[tcp://fe80::1:4000,fe80::1,4000, alive=0]]"],
        ]
        let awks = ["/usr/bin/awk", "/usr/bin/mawk", "/usr/bin/gawk"].filter { FileManager.default.isExecutableFile(atPath: $0) }
        for lines in cases {
            let swift = NodeLog.present(lines.map { String($0.dropFirst("JC member=".count)) }).count
            for awk in awks {
                let r = Program.run([awk, NodeLog.presentAwk], input: lines.map { $0 + "\n" }.joined())
                #expect(r.output.trimmingCharacters(in: .whitespacesAndNewlines) == String(swift), "\(awk) on \(lines)")
            }
        }
        #expect(NodeLog.readable("{10, 0, 0, 12}:4000") == "10.0.0.12:4000")
    }

    /// The probe itself, over a real shell where no systemd runs: only the lines from Tomcat's last
    /// start count, so a member that joined in an earlier run and left in this one is not present.
    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/run/systemd/system")))
    func membersProbeReadsThisRunOnly() throws {
        let dir = NSTemporaryDirectory() + "jc-members-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var a = try exampleAnswers()
        a.appServers.installDir = dir
        let node = a.appServers.nodes[0]
        try FileManager.default.createDirectory(atPath: dir + "/node01/logs", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/node01/temp", withIntermediateDirectories: true)
        let check = ClusterChecks.all(for: a, token: "t") { Layout.catalinaOut(of: $0, in: a) }.first { $0.id == "app.members@node01" }!
        func run() throws -> Verdict {
            let script = try check.probes[0].script.executable(with: SecretValues())
            let out = Program.run(["/bin/sh", "-c", script])
            return check.judge([ProbeResult(exitCode: out.status, output: out.output.split(separator: "\n").map(String.init))])
        }
        #expect(try run().failed, "not running: no pid file")
        try "\(ProcessInfo.processInfo.processIdentifier)\n".write(toFile: Layout.pidFile(of: node, in: a), atomically: true, encoding: .utf8)
        let missing = try run()
        #expect(missing.notRun && missing.evidence.contains("catalina.out does not exist"), "\(missing)")

        func line(_ text: String) -> String { "04-Dec-2026 10:00:00.000 INFO [main] \(text)" }
        let add = String(Self.member(true, "192.168.1.11").dropFirst("JC member=".count))
        let gone = String(Self.member(false, "192.168.1.11").dropFirst("JC member=".count))
        let earlier = [line("org.apache.catalina.startup.VersionLoggerListener.log Server version name:   Apache Tomcat/9.0.90"),
                       line("org.apache.catalina.core.StandardService.startInternal Starting service [Catalina]"), add]
        let now = [line("org.apache.catalina.startup.VersionLoggerListener.log Server version name:   Apache Tomcat/9.0.90"),
                   line("org.apache.catalina.core.StandardService.startInternal Starting service [Catalina]"), add, gone]
        let log = Layout.catalinaOut(of: node, in: a)
        try (earlier + now).map { $0 + "\n" }.joined().write(toFile: log, atomically: true, encoding: .utf8)
        let left = try run()
        #expect(left.failed && left.evidence.contains("0 of 1 peers present in \(log) since Tomcat's last start"), "\(left)")
        try (earlier + now + [add]).map { $0 + "\n" }.joined().write(toFile: log, atomically: true, encoding: .utf8)
        #expect(try run().passed)
        try [add].map { $0 + "\n" }.joined().write(toFile: log, atomically: true, encoding: .utf8)
        #expect(try run().notRun, "no start line: cannot tell this run from earlier ones")
    }

    /// The plan's cluster-check step reads the same log the same way: a peer that joined in an
    /// earlier run and left in this one does not make it pass (it waits, here until stopped).
    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/run/systemd/system")))
    func clusterCheckStepReadsThisRunOnly() throws {
        let dir = NSTemporaryDirectory() + "jc-cluster-check-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var a = try exampleAnswers()
        a.appServers.installDir = dir
        let node = a.appServers.nodes[0]
        try FileManager.default.createDirectory(atPath: dir + "/node01/logs", withIntermediateDirectories: true)
        let step = try #require(Fixtures.plan(a).step("app.cluster-check@app1#node01"))
        let script = try step.apply.executable(with: SecretValues())
        func run() -> Program.Result { Program.run(["/usr/bin/timeout", "7", "/bin/sh", "-c", script], mergeErrors: true) }
        let missing = run()
        #expect(missing.status == 1 && missing.output.contains("catalina.out does not exist"), "\(missing.output)")

        func line(_ text: String) -> String { "04-Dec-2026 10:00:00.000 INFO [main] \(text)\n" }
        let start = line("org.apache.catalina.startup.VersionLoggerListener.log Server version name:   Apache Tomcat/9.0.90")
        let manager = line("org.apache.catalina.ha.session.DeltaManager.startInternal Register manager [/jw] to cluster element [Engine] with name [Catalina]")
        let add = String(Self.member(true, "192.168.1.11").dropFirst("JC member=".count)) + "\n"
        let gone = String(Self.member(false, "192.168.1.11").dropFirst("JC member=".count)) + "\n"
        let log = Layout.catalinaOut(of: node, in: a)
        try (start + manager + add + start + manager + add + gone).write(toFile: log, atomically: true, encoding: .utf8)
        let left = run()
        #expect(left.status == 124, "the peer left in this run: \(left.status) \(left.output)")
        try (start + manager + add + start + manager + gone + add).write(toFile: log, atomically: true, encoding: .utf8)
        let back = run()
        #expect(back.status == 0 && back.output.contains("the 1 other node joined the cluster"), "\(back.output)")
        try (start + manager + add + start + add).write(toFile: log, atomically: true, encoding: .utf8)
        let noManager = run()
        #expect(noManager.status == 1 && noManager.output.contains("did not start a clustering session manager"), "\(noManager.output)")
    }

    @Test func balancerJudges() throws {
        let c = try checks()
        let both = c["lb.reach"]!.judge([result("JC to_node01=node01", "JC to_node02=node02", "JC rounds=1")])
        #expect(both.passed && both.evidence.contains("served by it: node01, node02"), "\(both.evidence)")
        // The last answer counts: node02 was skipped for a while after a restart, then came back.
        let later = c["lb.reach"]!.judge([result("JC to_node01=node01", "JC to_node02=node01", "JC to_node02=node02", "JC rounds=7")])
        #expect(later.passed && later.evidence.contains("within 3 s"), "\(later.evidence)")
        let one = c["lb.reach"]!.judge([result("JC to_node01=node01", "JC to_node02=node01", "JC rounds=40")])
        #expect(!one.passed && one.evidence.contains("requests routed to node02 were served by node01 for 20 s: the balancer skips node02 ("),
                "\(one.evidence)")
        let two = c["lb.reach"]!.judge([result("JC to_node01=node02", "JC to_node02=", "JC rounds=40")])
        #expect(!two.passed && two.evidence.contains("to node01 were served by node02, to node02 by a node that set no session cookie"), "\(two.evidence)")
        #expect(!c["lb.reach"]!.judge([result("JC to_node01=", "JC to_node02=")]).passed)
        #expect(c["lb.sticky"]!.judge([result("JC route1=node02", "JC route2=", "JC route3=node02")]).passed)
        #expect(!c["lb.sticky"]!.judge([result("JC route1=node02", "JC route2=node01")]).passed)
        #expect(!c["lb.sticky"]!.judge([ProbeResult(exitCode: nil, output: [], error: "connection lost")]).passed)
        #expect(c["lb.reach"]!.judge([result()]).notRun)
    }
}
