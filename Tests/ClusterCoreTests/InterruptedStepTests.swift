import Foundation
import Testing
@testable import ClusterCore

/// A step stopped with kill -9 between any two of its commands must finish on the next run, as the
/// runner does it (check, then apply when the check fails), and leave exactly what an uninterrupted
/// run leaves: no step may refuse what it left half done, and no check may pass before its work is done.
@Suite(.serialized) struct InterruptedStepTests {
    static let canRun = Installed.root && Installed.exists("/bin/bash") && Installed.exists("/usr/bin/zip")
        && Installed.exists("/usr/bin/unzip") && Installed.exists("/usr/bin/tar")
        && Installed.exists("/usr/bin/setsid")

    /// The steps that only touch the install folder and the shared folder, so they can run on this machine.
    static let steps = ["hosts.bundle@app1", "app.shared-wflow@app1", "app.datasource@app1", "app.install@app1#node01",
                        "app.webapp@app1#node01", "app.setenv@app1#node01", "app.server-xml@app1#node01"]

    @Test(.enabled(if: canRun, Installed.missing("bash, zip, unzip, tar or setsid (or not root)")))
    func appNodeStepsFinishAfterAStopAtEveryCommand() throws {
        let root = try Run.tempDir("interrupted")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let bundle = try Self.makeBundle(in: root)
        var a = Fixtures.twoNode
        a.appServers.installDir = root + "/opt/joget"
        a.appServers.bundle = bundle
        a.appServers.bundleOn = .server
        a.appServers.serviceUser = "daemon"   // a user and group every Debian and Ubuntu has
        a.sharedFiles.mountPoint = root + "/opt/shared/wflow"
        let plan = Fixtures.plan(a)
        let tree = root + "/opt", saved = root + "/saved"
        let made = try Run.sh("mkdir -p \(Shell.quote(a.sharedFiles.mountPoint)) && chown daemon:daemon \(Shell.quote(a.sharedFiles.mountPoint))")
        try #require(made.status == 0, "\(made.output)")
        var secrets = SecretValues()
        secrets[a.database.passwordSecret] = "pa ss'w\"ord"

        var stops = 0
        for id in Self.steps {
            let step = try #require(plan.step(id), "no step \(id)")
            let check = try #require(step.check, "\(id) has no check")
            let apply = try write(step.apply, secrets, root + "/apply.sh"), probe = try write(check, secrets, root + "/check.sh")
            // The uninterrupted run gives the tree every stopped run must end with.
            try copyTree(tree, to: saved)
            #expect(try sh(probe).status != 0, "\(id): the check passes before the step ran")
            let clean = try sh(apply)
            try #require(clean.status == 0, "\(id) fails when not stopped: \(clean.output)")
            let expected = try listing(tree)
            var k = 1
            while true {
                try copyTree(saved, to: tree)
                let stopped = try Run.program("/usr/bin/setsid", ["-w", "/bin/bash", "-c", Self.stopAt, "stop", String(k), apply])
                if stopped.status == 0 { break }
                try #require(stopped.status == 137, "\(id) stopped at command \(k) failed on its own: \(stopped.output)")
                stops += 1
                if try sh(probe).status != 0 {
                    let again = try sh(apply)
                    #expect(again.status == 0, "\(id) stopped at command \(k): the next run fails: \(again.output)")
                }
                #expect(try sh(probe).status == 0, "\(id) stopped at command \(k): the check fails after the next run")
                let difference = Self.difference(expected, try listing(tree))
                #expect(difference.isEmpty, "\(id) stopped at command \(k) leaves another tree:\n\(difference)")
                k += 1
                try #require(k < 400, "\(id) never finished")
            }
        }
        #expect(stops > 40, "only \(stops) stopping points were tried")
    }

    /// Runs the script in bash, whose whole process group is killed (-9) just before its Kth command,
    /// counting commands in subshells too (set -T), as the runner stops a step. Started under setsid.
    static let stopAt = #"set -T; k=$1; n=0; trap 'n=$((n+1)); if [ "$n" -ge "$k" ]; then kill -9 0; fi' DEBUG; . "$2""#

    /// A bundle with the real one's layout, small: Tomcat's scripts, the agent jar, a WAR with web.xml.
    static func makeBundle(in root: String) throws -> String {
        let top = "joget-enterprise-linux-8.1.6", tomcat = "\(top)/apache-tomcat-10.1.30"
        let script = """
            set -eu
            cd \(Shell.quote(root)) && mkdir -p src && cd src
            mkdir -p \(tomcat)/bin \(tomcat)/conf \(tomcat)/lib \(tomcat)/webapps \(top)/wflow/glowroot war/WEB-INF
            for f in catalina.sh startup.sh shutdown.sh; do printf '#!/bin/sh\\n' > \(tomcat)/bin/$f; done
            printf '<Server/>\\n' > \(tomcat)/conf/server.xml
            printf 'jar\\n' > \(tomcat)/lib/aspectjweaver-1.9.22.1.jar
            printf 'jar\\n' > \(top)/wflow/wflow-cluster.jar
            printf 'jar\\n' > \(top)/wflow/glowroot/glowroot.jar
            printf '<web-app>\\n</web-app>\\n' > war/WEB-INF/web.xml
            (cd war && zip -q -r ../\(tomcat)/webapps/jw.war WEB-INF)
            tar -czf ../\(top).tar.gz \(top)
            """
        let r = try Run.sh(script)
        try #require(r.status == 0, "the test bundle was not built: \(r.output)")
        return "\(root)/\(top).tar.gz"
    }

    func write(_ script: Script, _ secrets: SecretValues, _ path: String) throws -> String {
        try script.executable(with: secrets).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func sh(_ path: String) throws -> Run.Result { try Run.program("/bin/sh", [path]) }

    func copyTree(_ from: String, to: String) throws {
        let r = try Run.sh("rm -rf \(Shell.quote(to)) && cp -a \(Shell.quote(from)) \(Shell.quote(to))")
        try #require(r.status == 0, "\(r.output)")
    }

    /// Every entry with its type, owner, mode, size and link target.
    func listing(_ tree: String) throws -> [String] {
        let r = try Run.program("/usr/bin/find", [tree, "-printf", "%P %y %u:%g %m %s %l\n"])
        try #require(r.status == 0, "\(r.output)")
        return r.output.split(separator: "\n").map(String.init).sorted()
    }

    static func difference(_ expected: [String], _ got: [String]) -> String {
        let e = Set(expected), g = Set(got)
        return (expected.filter { !g.contains($0) }.map { "- " + $0 } + got.filter { !e.contains($0) }.map { "+ " + $0 })
            .joined(separator: "\n")
    }
}
