import Foundation
import Testing
@testable import ClusterCore

@Suite struct TemplateTests {
    func render(_ text: String, _ ctx: TemplateContext) throws -> FileContent {
        try Template(name: "test", text: text).render(ctx)
    }

    @Test func substitutesValues() throws {
        let out = try render("a={{a}}, b={{ b }}\n", TemplateContext(["a": "1", "b": "two"]))
        #expect(out == FileContent("a=1, b=two\n"))
    }

    @Test func aMissingValueIsAnErrorNamingItAndItsLine() {
        #expect(throws: TemplateError(template: "test", line: 2, message: "no value for {{port}}")) {
            try render("x\nListen {{port}}\n", TemplateContext())
        }
        #expect(throws: TemplateError(template: "test", line: 1, message: "no list for {{#members}}")) {
            try render("{{#members}}{{/members}}", TemplateContext())
        }
    }

    @Test func repeatsBlocksAndLooksUpOutwards() throws {
        let ctx = TemplateContext(["route": "outer", "scheme": "http"],
                                  lists: ["members": [TemplateContext(["host": "a", "route": "r1"]), TemplateContext(["host": "b", "route": "r2"])]])
        let out = try render("<Proxy>\n{{#members}}\n  Member {{scheme}}://{{host}} route={{route}}\n{{/members}}\n</Proxy>\n", ctx)
        // The lines holding only a block tag disappear whole.
        #expect(out.display == "<Proxy>\n  Member http://a route=r1\n  Member http://b route=r2\n</Proxy>\n")
    }

    @Test func emptyListsAndInvertedBlocks() throws {
        var ctx = TemplateContext(["x": "1"])
        ctx.when("tls", false)
        let text = "{{#tls}}\nSSL on\n{{/tls}}\n{{^tls}}\nplain {{x}}\n{{/tls}}\nend\n"
        #expect(try render(text, ctx).display == "plain 1\nend\n")
        ctx.when("tls", true)
        #expect(try render(text, ctx).display == "SSL on\nend\n")
    }

    @Test func inlineBlocksKeepTheirLine() throws {
        var ctx = TemplateContext(["n": "node01"])
        ctx.when("shares", true)
        #expect(try render("A{{#shares}} -Dn={{n}}{{/shares}} B\n", ctx).display == "A -Dn=node01 B\n")
        ctx.when("shares", false)
        #expect(try render("A{{#shares}} -Dn={{n}}{{/shares}} B\n", ctx).display == "A B\n")
    }

    @Test func commentsVanish() throws {
        #expect(try render("{{! a note }}\nkept {{! inline }}line\n", TemplateContext()).display == "kept line\n")
    }

    @Test func secretsStayNames() throws {
        let ctx = TemplateContext(["password": .secret(SecretName("db-password"), .javaProperties)])
        let out = try render("workflowPassword={{password}}\nadmin={{secret:db-admin-password:optionFile}}\n", ctx)
        #expect(out.parts == [.text("workflowPassword="), .secret(SecretName("db-password"), .javaProperties),
                              .text("\nadmin="), .secret(SecretName("db-admin-password"), .optionFile), .text("\n")])
        #expect(out.display == "workflowPassword=****\nadmin=****\n")
        #expect(out.secrets == [SecretName("db-password"), SecretName("db-admin-password")])
    }

    @Test func malformedTemplatesAreRejected() {
        #expect(throws: TemplateError.self) { try Template(name: "t", text: "{{#a}}never closed\n") }
        #expect(throws: TemplateError.self) { try Template(name: "t", text: "{{#a}}x{{/b}}\n") }
        #expect(throws: TemplateError.self) { try Template(name: "t", text: "{{/a}}\n") }
        #expect(throws: TemplateError.self) { try Template(name: "t", text: "open {{ and no close\n") }
        #expect(throws: TemplateError.self) { try Template(name: "t", text: "{{secret:x:rot13}}\n") }
        #expect(throws: TemplateError.self) { try Template(name: "t", text: "{{a b}}\n") }
    }

    @Test func everyShippedTemplateParses() throws {
        let names = Assets.paths(under: "assets/templates")
        #expect(names.count >= 7)
        for path in names { _ = try Template.named(String(path.dropFirst("assets/templates/".count))) }
    }

    @Test func xmlEscaping() {
        #expect(Template.xml("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;")
    }
}

/// Each template as the planner renders it, compared with Golden/<name>.txt (RECORD_GOLDEN=1 rewrites them).
@Suite struct TemplateGoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func check(_ name: String, _ content: FileContent, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = Self.golden.appendingPathComponent(name + ".txt")
        let text = content.display
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            return
        }
        guard let want = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("no golden file \(url.path): run the tests with RECORD_GOLDEN=1", sourceLocation: sourceLocation)
            return
        }
        #expect(text == want, "\(name) differs from its golden file; if the change is meant, re-record with RECORD_GOLDEN=1",
                sourceLocation: sourceLocation)
    }

    func file(_ a: Answers, _ stepID: String, _ suffix: String = "") throws -> FileContent {
        let plan = Fixtures.plan(a)
        let step = try #require(plan.step(stepID), "no step \(stepID)")
        return try #require(step.files.first { $0.path.hasSuffix(suffix) }).content
    }

    @Test func serverXML() throws {
        try check("server.xml-multicast", file(Fixtures.twoNode, "app.server-xml@app1#node01"))
        try check("server.xml-static", file(Fixtures.eightNodeStatic, "app.server-xml@app3#node03"))
        try check("server.xml-shared-host", file(Fixtures.twoOnOneHost, "app.server-xml@box#node02"))
    }

    @Test func setenv() throws {
        try check("setenv.sh", file(Fixtures.twoNode, "app.setenv@app1#node01"))
        try check("setenv.sh-shared-host", file(Fixtures.twoOnOneHost, "app.setenv@box#node02"))
    }

    @Test func systemdUnit() throws {
        try check("joget-node.service", file(Fixtures.twoNode, "app.service@app2#node02"))
    }

    @Test func site() throws {
        try check("jwsite.conf", file(Fixtures.twoNode, "lb.site@lb"))
        try check("jwsite.conf-tls", file(Fixtures.eightNodeStatic, "lb.site@lb"))
        try check("jwsite.conf-port", file(Fixtures.twoOnOneHost, "lb.site@edge"))
    }

    @Test func datasource() throws {
        try check("app_datasource.properties", file(Fixtures.twoNode, "app.datasource@app1", "/app_datasource.properties"))
        try check("app_datasource-default.properties", file(Fixtures.twoNode, "app.datasource@app1", "/app_datasource-default.properties"))
    }

    @Test func databaseNetwork() throws {
        try check("db-network.cnf", file(Fixtures.twoNode, "db.network@db"))
    }
}
