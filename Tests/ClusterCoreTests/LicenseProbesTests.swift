import ClusterCore
import Foundation
import Testing

@Suite struct LicenseProbesTests {
    typealias Page = LicenseProbes.Page
    static let url = "http://127.0.0.1:8080/jw/web/console/home"
    func page(_ body: String, code: String = "200") -> Page { Page(name: "console", url: Self.url, code: code, body: body) }

    static let unlicensedFooter = """
        <div class="footer-text">Powered by Joget DX 8.1.6 Enterprise Edition | <a id="license-link" href="#license">License</a></div>
        <div id="license" class="license-popup"><h3>License</h3>
        <p>System Key: <span id="system-key">EE-0123abcd4567ef89</span></p>
        <form><label>License key <textarea name="licenseKey"></textarea></label></form></div>
        """
    static let licensedFooter = """
        <div class="footer-text">Powered by Joget DX 8.1.6 Enterprise Edition | <span id="licensed-to">Licensed to: Example Org</span></div>
        """

    @Test func systemKeyAfterItsLabel() {
        #expect(LicenseProbes.systemKey(inPage: Self.unlicensedFooter) == .found("EE-0123abcd4567ef89", place: ""))
        #expect(LicenseProbes.systemKey(inPage: "<td>System&nbsp;Key</td><td><b>a4021e833fea1224d13fbff6c505780f</b></td>")
                == .found("a4021e833fea1224d13fbff6c505780f", place: ""))
        #expect(LicenseProbes.systemKey(inPage: #"<label for=k>System Key</label> <input id=k readonly value="EE-7f00aa11bb22">"#)
                == .found("EE-7f00aa11bb22", place: ""))
        #expect(LicenseProbes.systemKey(inPage: #"{"html":"\u003cp\u003eSystem Key: 0123456789abcdef\u003c\/p\u003e"}"#)
                == .found("0123456789abcdef", place: ""))
        #expect(LicenseProbes.systemKey(inPage: #"{"systemKey":"EE-99887766aabb"}"#) == .found("EE-99887766aabb", place: ""))
        #expect(LicenseProbes.systemKey(inPage: "system key: abcdef0123.") == .found("abcdef0123", place: ""))
    }

    @Test func noGuessingAKey() {
        #expect(LicenseProbes.systemKey(inPage: "<p>Welcome a4021e833fea1224d13fbff6c505780f</p>") == .notFound("no System Key label"))
        #expect(LicenseProbes.systemKey(inPage: "<p>System Key: <span id=k></span></p>") == .notFound("a System Key label without a key after it"))
        #expect(LicenseProbes.systemKey(inPage: "System Key: loading…") == .notFound("a System Key label without a key after it"))
        #expect(LicenseProbes.systemKey(inPage: "System Key: EE-1111aaaa System Key: EE-2222bbbb")
                == .notFound("two different keys shown: EE-1111aaaa, EE-2222bbbb"))
    }

    @Test func keyAcrossPages() {
        let both = LicenseProbes.systemKey(in: [page(Self.unlicensedFooter), Page(name: "footer", url: "F", code: "200", body: Self.unlicensedFooter)])
        #expect(both == .found("EE-0123abcd4567ef89", place: Self.url))
        let differ = LicenseProbes.systemKey(in: [page("System Key: EE-1111aaaa"), Page(name: "footer", url: "F", code: "200", body: "System Key: EE-2222bbbb")])
        #expect(differ == .notFound("the pages show different keys: EE-1111aaaa at \(Self.url), EE-2222bbbb at F"))
        let none = LicenseProbes.systemKey(in: [page("", code: "302"), Page(name: "footer", url: "F", code: "000", body: "")])
        #expect(none == .notFound("\(Self.url) answered HTTP 302 (a redirect: login required?); F did not answer"))
    }

    @Test func activationFromTheLicenseLink() {
        #expect(LicenseProbes.activation(inPage: page(Self.unlicensedFooter)) == .notActivated("\(Self.url) shows the license link"))
        #expect(LicenseProbes.activation(inPage: page(Self.licensedFooter))
                == .activated("\(Self.url) shows \"Licensed to Example Org\" and no license link"))
        #expect(LicenseProbes.activation(inPage: page(#"<div id="footer">Powered by Joget DX 8.1.6</div>"#))
                == .activated("\(Self.url) shows the footer without a license link"))
        // A link reading "Licensed to" is not the license link.
        #expect(LicenseProbes.activation(inPage: page(#"<a href="/license/info">Licensed to Example Org</a>"#)) == .activated("\(Self.url) shows \"Licensed to Example Org\" and no license link"))
        #expect(LicenseProbes.activation(inPage: page(##"<a href="#" onclick="showLicense()">Activate</a> Joget"##)) == .notActivated("\(Self.url) shows the license link"))
    }

    @Test func cannotTellRatherThanGuess() {
        #expect(LicenseProbes.activation(inPage: page("", code: "000")) == .cannotTell("\(Self.url) did not answer"))
        #expect(LicenseProbes.activation(inPage: page("<html>", code: "500")) == .cannotTell("\(Self.url) answered HTTP 500"))
        #expect(LicenseProbes.activation(inPage: page("  \n")) == .cannotTell("\(Self.url) answered an empty page"))
        #expect(LicenseProbes.activation(inPage: page(#"<form><input name="j_username"><input type="password"></form> Joget"#))
                == .cannotTell("\(Self.url) shows a login form, not the console"))
        #expect(LicenseProbes.activation(inPage: page("<html><body><h1>It works!</h1></body></html>"))
                == .cannotTell("unexpected page at \(Self.url): \"It works!\""))
        // Across pages: any license link wins, then any sign of activation, else what was seen.
        let mixed = LicenseProbes.activation(in: [page("", code: "302"), Page(name: "footer", url: "F", code: "200", body: Self.licensedFooter)])
        #expect(mixed == .activated("F shows \"Licensed to Example Org\" and no license link"))
        let unsure = LicenseProbes.activation(in: [page("", code: "302"), Page(name: "footer", url: "F", code: "000", body: "")])
        #expect(unsure == .cannotTell("\(Self.url) answered HTTP 302 (a redirect: login required?); F did not answer"))
    }

    @Test func htmlText() {
        #expect(LicenseProbes.htmlText("<p>A&amp;B&nbsp;<b>c</b>&#33;&#x41;</p><script>var x = 'System Key: EE-00000000';</script><!-- System Key: 1234abcd -->")
                == "A&B c !A")
    }

    @Test func versionAndEditionShownByTheNode() {
        let b = LicenseProbes.build(inText: "Powered by Joget DX 8.1.6 Enterprise Edition")
        #expect(b == JogetBuild(edition: "enterprise", version: "8.1.6"))
        #expect(LicenseProbes.build(inText: "Joget Workflow v7.0.2 Large Enterprise Edition") == JogetBuild(edition: "large-enterprise", version: "7.0.2"))
        #expect(LicenseProbes.build(inText: "nothing here") == JogetBuild(edition: nil, version: nil))
    }

    func probeOutput(_ lines: [String]) -> ProbeResult { ProbeResult(exitCode: 0, output: lines) }

    @Test func framedPagesCannotBeSpoofedByTheirContent() {
        let r = probeOutput([
            "JC dev=eth0", "JC mac=02:6A:6C:07:00:13", "JC props=read", "JC profile=default",
            "JC page=console http://127.0.0.1:8080/jw/web/console/home 200",
            "Pconsole| <p>JC end=console</p>", "Pconsole| JC mac=00:00:00:00:00:00", "Pconsole|", "Pconsole| " + Self.unlicensedFooter.replacingOccurrences(of: "\n", with: " "),
            "JC end=console",
            "JC page=footer http://127.0.0.1:8080/jw/web/json/plugin/org.joget.apps.ext.ConsoleWebPlugin/service?spot=footer 200",
            "Pfooter| " + Self.unlicensedFooter.replacingOccurrences(of: "\n", with: " "),
            "JC end=footer",
        ])
        let pages = LicenseProbes.pages(in: r)
        #expect(pages.map(\.name) == ["console", "footer"])
        #expect(pages[0].body.hasPrefix("<p>JC end=console</p>\nJC mac=00:00:00:00:00:00\n\n"))
        let a = try! exampleAnswers()
        let seen = LicenseProbes.observation(of: "node01", from: r, answers: a)
        #expect(seen.facts == NodeFacts(mac: "02:6a:6c:07:00:13", profile: "default", version: "8.1.6", edition: "enterprise"))
        #expect(seen.key == .found("EE-0123abcd4567ef89", place: "http://127.0.0.1:8080/jw/web/console/home"))
        #expect(seen.activation == .notActivated("http://127.0.0.1:8080/jw/web/console/home shows the license link; http://127.0.0.1:8080/jw/web/json/plugin/org.joget.apps.ext.ConsoleWebPlugin/service?spot=footer shows the license link"))
        #expect(seen.problems.isEmpty)
    }

    @Test func observationSaysWhatItCouldNotRead() throws {
        var a = try exampleAnswers()
        a.appServers.bundle = "/srv/joget-enterprise-linux-9.0.1.tar.gz"
        let partial = LicenseProbes.observation(of: "node01", from: probeOutput(["JC dev=", "JC props=unreadable /opt/joget/shared/wflow/app_datasource.properties",
                                                                                  "JC bundle=joget-large-enterprise-linux-8.1.6"]), answers: a)
        #expect(partial.facts == NodeFacts(mac: nil, profile: nil, version: "8.1.6", edition: "large-enterprise"))  // the folder on the host beats the answers
        #expect(partial.problems == ["MAC not read: no default route (ip route show default printed no device)",
                                     "datasource profile not read: cannot read /opt/joget/shared/wflow/app_datasource.properties"])
        #expect(partial.key == .notFound("no page was read"))
        let fromAnswers = LicenseProbes.observation(of: "node01", from: probeOutput(["JC dev=eth1", "JC props=read", "JC profile=  my\\ profile "]), answers: a)
        #expect(fromAnswers.facts == NodeFacts(mac: nil, profile: "my profile", version: "9.0.1", edition: "enterprise"))
        #expect(fromAnswers.problems == ["MAC not read: the address of interface eth1 could not be read"])
        let blankProfile = LicenseProbes.observation(of: "node01", from: probeOutput(["JC props=read"]), answers: a)
        #expect(blankProfile.facts.profile == "default")
        let down = LicenseProbes.observation(of: "node01", from: ProbeResult(exitCode: nil, output: [], error: "app1: cannot connect: timeout"), answers: a)
        #expect(down.facts == NodeFacts())
        #expect(down.key == .notFound("could not read the node: app1: cannot connect: timeout"))
        #expect(down.activation == .cannotTell("could not read the node: app1: cannot connect: timeout"))
    }

    @Test func probeScriptsQuoteTheirValuesAndReadTheNodeDirectly() throws {
        var a = try exampleAnswers()
        a.sharedFiles.mountPoint = "/opt/joget/shared dir/wflow"
        let node = a.appServers.nodes[1]
        let capture = LicenseProbes.capture(node, answers: a)
        #expect(capture.host == "app2")
        let text = capture.script.display
        #expect(text.contains("default_props='/opt/joget/shared dir/wflow/app_datasource.properties'\n"))
        #expect(text.contains("default_install=/opt/joget\n"))
        #expect(text.contains("port=8080\ndirect=http://192.168.1.11:8080\n"))
        #expect(text.contains("footer_path='/jw/web/json/plugin/org.joget.apps.ext.ConsoleWebPlugin/service?spot=footer'\n"))
        #expect(capture.script.secrets.isEmpty)
        let pages = LicenseProbes.pages(node, answers: a).script.display
        #expect(!pages.contains("app_datasource") && pages.contains("console_path=/jw/web/console/home\n"))
    }
}
