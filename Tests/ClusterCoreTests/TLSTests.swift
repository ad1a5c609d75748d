import Foundation
import Testing
import TestSupport
@testable import ClusterCore

/// TLS at the balancer: files on this machine are uploaded (the key 0600) and every certificate
/// is checked with openssl before the site names it.
@Suite struct TLSPlanTests {
    @Test func localFilesAreUploadedThenCheckedBeforeTheSite() throws {
        var a = Fixtures.eightNodeStatic
        a.loadBalancer.tls = LoadBalancer.TLS(certificate: "/home/ops/joget.pem", key: "/home/ops/joget.key", filesOn: .local)
        let plan = Fixtures.plan(a)
        let cert = try #require(plan.step("lb.tls-certificate@lb"))
        let key = try #require(plan.step("lb.tls-key@lb"))
        #expect(cert.transfer == .upload(local: "/home/ops/joget.pem", remote: "/etc/joget-cluster/tls/jwsite.crt"))
        #expect(key.transfer == .upload(local: "/home/ops/joget.key", remote: "/etc/joget-cluster/tls/jwsite.key"))
        #expect(key.apply.display.contains("mode=600") && cert.apply.display.contains("mode=644"))
        let check = try #require(plan.step("lb.tls-check@lb"))
        #expect(check.dependsOn.contains(cert.id) && check.dependsOn.contains(key.id))
        #expect(check.apply.display.contains("cert=/etc/joget-cluster/tls/jwsite.crt"))
        let site = try #require(plan.step("lb.site@lb"))
        #expect(site.dependsOn.contains(check.id), "a certificate that fails stops the install before the site names it")
        let text = try #require(Planner.renderedFiles(plan).first { $0.path.hasSuffix("jwsite.conf") }).text
        #expect(text.contains("SSLCertificateFile /etc/joget-cluster/tls/jwsite.crt"))
        #expect(text.contains("SSLCertificateKeyFile /etc/joget-cluster/tls/jwsite.key"))
        #expect(try #require(plan.step("hosts.packages@lb")).apply.display.contains(" openssl"))
        // Nothing from the files themselves reaches a script: they travel as uploads.
        #expect(!plan.steps.contains { $0.apply.display.contains("/home/ops/joget.key") })
    }

    @Test func filesOnTheBalancerAreCheckedWhereTheyAre() throws {
        let plan = Fixtures.plan(Fixtures.eightNodeStatic)
        #expect(plan.step("lb.tls-certificate@lb") == nil && plan.step("lb.tls-key@lb") == nil)
        let check = try #require(plan.step("lb.tls-check@lb"))
        #expect(check.apply.display.contains("cert=/etc/ssl/certs/joget.pem"))
        #expect(check.apply.display.contains("server_name=joget.example.org"))
        #expect(Fixtures.plan(Fixtures.twoNode).step("lb.tls-check@lb") == nil, "no TLS, no check")
    }

    /// With TLS the HTTP site only redirects: verify asks the HTTPS one, or it would see no cookie.
    @Test func verifyAsksTheBalancerOverHTTPSWhenItServesTLS() throws {
        let checks = ClusterChecks.all(for: Fixtures.eightNodeStatic, token: "t", catalinaOut: { _ in "/x" })
        for id in ["lb.reach", "lb.sticky"] {
            let script = try #require(checks.first { $0.id == id }).probes[0].script.display
            #expect(script.contains("url=https://127.0.0.1:443/jw/web/login"), "\(id)")
        }
        let plain = ClusterChecks.all(for: Fixtures.twoNode, token: "t", catalinaOut: { _ in "/x" })
        #expect(try #require(plain.first { $0.id == "lb.reach" }).probes[0].script.display.contains("url=http://127.0.0.1:80/jw/web/login"))
    }
}

/// lb/tls-check.sh run by dash on certificates openssl makes here: a CA, a leaf for lb.test.
@Suite(.serialized) struct TLSCheckScriptTests {
    static let openssl = ["/usr/bin/openssl", "/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// A CA and leaf certificates in `dir`; returns the paths by name.
    static func certificates(_ dir: String) throws -> [String: String] {
        let script = """
            set -e
            cd "$1"
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 60 -subj "/CN=Test CA" 2>/dev/null
            leaf() { # name days
              openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$1" 2>/dev/null
              printf 'subjectAltName=DNS:%s\\n' "$1" > "$1.ext"
              openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days "$2" -extfile "$1.ext" 2>/dev/null
              cat "$1.crt" ca.crt > "$1.full.crt"
            }
            leaf lb.test 90
            leaf soon.test 10
            """
        let r = try Run.program("/bin/sh", ["-c", script, "sh", dir])
        try #require(r.status == 0, "\(r.output)")
        return ["ca": dir + "/ca.crt", "full": dir + "/lb.test.full.crt", "leaf": dir + "/lb.test.crt", "key": dir + "/lb.test.key",
                "soon": dir + "/soon.test.full.crt", "soonKey": dir + "/soon.test.key", "caKey": dir + "/ca.key"]
    }

    static func check(_ cert: String, _ key: String, _ name: String) throws -> Run.Result {
        let script = ScriptFile.load("lb/tls-check.sh", ["cert": .value(cert), "key": .value(key), "server_name": .value(name)])
        return try Run.program("/bin/dash", ["-c", try script.executable(with: SecretValues())])
    }

    @Test(.enabled(if: openssl != nil, "openssl is not installed"))
    func eachFaultIsNamedAndAGoodPairPasses() throws {
        let dir = try Run.tempDir("tls")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = try Self.certificates(dir)
        let good = try Self.check(c["full"]!, c["key"]!, "lb.test")
        #expect(good.status == 0 && good.output.contains("key matches") && good.output.contains("covers lb.test"), "\(good.output)")
        let wrongKey = try Self.check(c["full"]!, c["caKey"]!, "lb.test")
        #expect(wrongKey.status == 1 && wrongKey.output.contains("does not belong to the certificate"))
        let wrongName = try Self.check(c["full"]!, c["key"]!, "joget.example.org")
        #expect(wrongName.status == 1 && wrongName.output.contains("does not cover joget.example.org (it names: DNS:lb.test)"), "\(wrongName.output)")
        let noChain = try Self.check(c["leaf"]!, c["key"]!, "lb.test")
        #expect(noChain.status == 1 && noChain.output.contains("the chain is not complete"), "\(noChain.output)")
        let soon = try Self.check(c["soon"]!, c["soonKey"]!, "soon.test")
        #expect(soon.status == 0 && soon.output.contains("warning: the certificate expires on") && soon.output.contains("in less than 30 days"))
        let missing = try Self.check(dir + "/none.crt", c["key"]!, "lb.test")
        #expect(missing.status == 1 && missing.output.contains("does not exist or cannot be read"))
    }
}
