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
                   "app.multicast@app2", "lb.reach", "lb.sticky"] {
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
        #expect(db.probes[0].script.display.contains("password='****"))
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
        #expect(c["app.members@node01"]!.judge([result("JC added=1", "JC line=INFO Replication member added")]).passed)
        #expect(!c["app.members@node01"]!.judge([result("JC added=0")]).passed)
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

    @Test func balancerJudges() throws {
        let c = try checks()
        let both = c["lb.reach"]!.judge([result("JC route1=node01", "JC route2=node02", "JC route3=node01")])
        #expect(both.passed && both.evidence.contains("node01, node02"))
        let one = c["lb.reach"]!.judge([result("JC route1=node01", "JC route2=node01")])
        #expect(!one.passed && one.evidence.contains("never node02"))
        #expect(!c["lb.reach"]!.judge([result("JC route1=")]).passed)
        #expect(c["lb.sticky"]!.judge([result("JC route1=node02", "JC route2=", "JC route3=node02")]).passed)
        #expect(!c["lb.sticky"]!.judge([result("JC route1=node02", "JC route2=node01")]).passed)
        #expect(!c["lb.sticky"]!.judge([ProbeResult(exitCode: nil, output: [], error: "connection lost")]).passed)
        #expect(c["lb.reach"]!.judge([result()]).notRun)
    }
}
