import Foundation

/// Reading a node's license facts, as data (like `ClusterChecks`): a probe run on the node's host,
/// and pure readers of what it printed. Everything here is best effort and says what it saw
/// rather than guess: the Enterprise console's HTML is not public.
///
/// The capture script reads paths that tests may point elsewhere through the environment of the
/// shell that runs it: `JC_SYSFS_ROOT` (default `/sys`), `JC_PROC_ROUTE` (`/proc/net/route`),
/// `JC_IP` (`ip`), `JC_DATASOURCE_FILE` (`<mountPoint>/app_datasource.properties`) and
/// `JC_INSTALL_DIR` (the answers' install folder).
public enum LicenseProbes {
    public static let consolePath = "/jw/web/console/home"
    public static let footerPath = "/jw/web/json/plugin/org.joget.apps.ext.ConsoleWebPlugin/service?spot=footer"
    /// Pages larger than this are cut (a console page is a few kB).
    public static let pageLimit = 262_144

    /// Facts (MAC of the default-route interface, datasource profile, bundle folders) and the two pages.
    public static func capture(_ node: Node, answers: Answers) -> Probe {
        let props = answers.sharedFiles.mountPoint + "/app_datasource.properties"
        let install = answers.appServers.installDir
        let script = ScriptFile.load("licenses/facts.sh", ["default_props": .value(props), "default_install": .value(install)])
        return Probe(host: node.host, script: script + pagesScript(node, answers: answers))
    }

    /// The console page and the footer fragment only: for verification.
    public static func pages(_ node: Node, answers: Answers) -> Probe {
        Probe(host: node.host, script: pagesScript(node, answers: answers))
    }

    /// Each page between markers, every line prefixed, so no page text can pass for a marker:
    /// `JC page=NAME URL CODE`, then `PNAME| line`..., then `JC end=NAME`.
    /// Tries the node on 127.0.0.1 first (it is on this host), then at its address.
    static func pagesScript(_ node: Node, answers: Answers) -> Script {
        let port = answers.httpPort(of: node)
        let address = answers.host(named: node.host)?.address ?? node.host
        let direct = "http://" + (address.contains(":") ? "[\(address)]" : address) + ":\(port)"
        return ScriptFile.load("licenses/pages.sh", ["port": .number(port), "direct": .value(direct), "limit": .number(pageLimit),
                                                     "console_path": .value(consolePath), "footer_path": .value(footerPath)])
    }

    // MARK: Reading what the probes printed

    /// One page as the probe printed it.
    public struct Page: Equatable, Sendable {
        public var name: String   // console | footer
        public var url: String
        public var code: String   // HTTP status, "000" when nothing answered
        public var body: String
        public init(name: String, url: String, code: String, body: String) {
            self.name = name; self.url = url; self.code = code; self.body = body
        }
    }

    public static func pages(in result: ProbeResult) -> [Page] {
        var pages: [Page] = []
        var current: Page? = nil
        var body: [String] = []
        for line in result.output {
            if line.hasPrefix("JC page=") {
                let parts = line.dropFirst("JC page=".count).split(separator: " ", maxSplits: 2).map(String.init)
                guard parts.count == 3 else { continue }
                current = Page(name: parts[0], url: parts[1], code: parts[2], body: "")
                body = []
            } else if line.hasPrefix("JC end="), var page = current {
                page.body = body.joined(separator: "\n")
                pages.append(page)
                current = nil
            } else if let page = current, line.hasPrefix("P\(page.name)| ") {
                body.append(String(line.dropFirst(page.name.count + 3)))
            } else if let page = current, line == "P\(page.name)|" {
                body.append("")
            }
        }
        return pages
    }

    /// What a capture probe found on `node`. Version and edition: as the node's pages show them, else
    /// from the bundle the host runs (its folder or file name), else from the answers' bundle name.
    public static func observation(of node: String, from result: ProbeResult, answers: Answers) -> NodeObservation {
        var problems: [String] = []
        if result.exitCode == nil {
            let why = result.error ?? "no answer"
            return NodeObservation(node: node, facts: NodeFacts(), key: .notFound("could not read the node: \(why)"),
                                   activation: .cannotTell("could not read the node: \(why)"), problems: ["could not read the node: \(why)"])
        }
        var values: [String: [String]] = [:]
        for line in result.output where line.hasPrefix("JC ") {
            let pair = line.dropFirst(3)
            if let eq = pair.firstIndex(of: "=") { values[String(pair[..<eq]), default: []].append(String(pair[pair.index(after: eq)...])) }
        }
        var facts = NodeFacts()
        let dev = values["dev"]?.first ?? ""
        if let mac = values["mac"]?.first?.trimmingCharacters(in: .whitespaces), !mac.isEmpty {
            facts.mac = mac.lowercased()
        } else if dev.isEmpty {
            problems.append("MAC not read: no default route (ip route show default printed no device)")
        } else {
            problems.append("MAC not read: the address of interface \(dev) could not be read")
        }
        if let profile = values["profile"]?.last.map(unescapeProperty), !profile.isEmpty {
            facts.profile = profile
        } else if let props = values["props"]?.first, props.hasPrefix("unreadable") {
            problems.append("datasource profile not read: cannot read \(props.dropFirst("unreadable ".count))")
        } else if values["props"] != nil {
            facts.profile = "default"  // Joget's own fallback when currentProfile is missing or blank
        }
        if values["curl"]?.first == "missing" { problems.append("curl is not installed on host \(answers.appServers.nodes.first { $0.name == node }?.host ?? "?"): the pages cannot be read") }

        let pages = pages(in: result)
        let text = pages.map { htmlText($0.body) }.joined(separator: " ")
        let fromPage = build(inText: text)
        let fromFolder = (values["bundle"] ?? []).map(JogetBuild.init(bundleName:)).first { $0.version != nil || $0.edition != nil }
        let fromAnswers = JogetBuild(bundleName: answers.appServers.bundle)
        facts.version = fromPage.version ?? fromFolder?.version ?? fromAnswers.version
        facts.edition = fromPage.edition ?? fromFolder?.edition ?? fromAnswers.edition

        return NodeObservation(node: node, facts: facts, key: systemKey(in: pages), activation: activation(in: pages), problems: problems)
    }

    /// Activation as a pages probe saw it.
    public static func activation(from result: ProbeResult) -> ActivationCheck {
        if result.exitCode == nil { return .cannotTell("could not read the node: \(result.error ?? "no answer")") }
        return activation(in: pages(in: result))
    }

    /// A `\`-escaped properties value, read as java.util.Properties would for a plain name.
    static func unescapeProperty(_ value: String) -> String {
        var out = ""
        var escaped = false
        for c in value.trimmingCharacters(in: .whitespaces) {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }

    // MARK: System key

    /// The one key the pages show; "not found" with what was seen when there is none, or two.
    public static func systemKey(in pages: [Page]) -> KeyReading {
        var found: [(key: String, url: String)] = []
        var misses: [String] = []
        for page in pages {
            if let why = unusable(page) { misses.append(why); continue }
            switch systemKey(inPage: page.body) {
            case .found(let key, _): found.append((key, page.url))
            case .notFound(let why): misses.append("\(page.url): \(why)")
            }
        }
        var distinct: [(key: String, url: String)] = []
        for f in found where !distinct.contains(where: { $0.key.lowercased() == f.key.lowercased() }) { distinct.append(f) }
        if distinct.count == 1 { return .found(distinct[0].key, place: distinct[0].url) }
        if distinct.count > 1 {
            return .notFound("the pages show different keys: " + distinct.map { "\($0.key) at \($0.url)" }.joined(separator: ", "))
        }
        return .notFound(misses.isEmpty ? "no page was read" : misses.joined(separator: "; "))
    }

    /// A "System Key" label followed by a key-like token (hex digits, or `EE-` and letters and digits),
    /// in the text, in a form field's value, or in JSON.
    public static func systemKey(inPage html: String) -> KeyReading {
        let raw = unescapeJSON(html)
        let text = htmlText(raw)
        var keys: [String] = []
        var labelSeen = false
        for match in text.matches(of: #/(?i)system\s*key\s*[:=]?\s*([^\s<>"']*)/#) {
            labelSeen = true
            let token = trimToken(String(match.output.1))
            if isKeyLike(token) { keys.append(token) }
        }
        if keys.isEmpty {
            for match in raw.matches(of: #/(?is)system[\s_-]*key.{0,300}?value\s*=\s*["']([^"']*)["']/#) {
                labelSeen = true
                let token = trimToken(String(match.output.1))
                if isKeyLike(token) { keys.append(token) }
            }
            for match in raw.matches(of: #/(?i)"system_?key"\s*:\s*"([^"]*)"/#) {
                labelSeen = true
                let token = trimToken(String(match.output.1))
                if isKeyLike(token) { keys.append(token) }
            }
        }
        let distinct = keys.reduce(into: [String]()) { out, k in if !out.contains(where: { $0.lowercased() == k.lowercased() }) { out.append(k) } }
        if distinct.count == 1 { return .found(distinct[0], place: "") }
        if distinct.count > 1 { return .notFound("two different keys shown: \(distinct.joined(separator: ", "))") }
        return .notFound(labelSeen ? "a System Key label without a key after it" : "no System Key label")
    }

    static func trimToken(_ token: String) -> String {
        var t = Substring(token)
        while let last = t.last, ".,;:)]}".contains(last) { t = t.dropLast() }
        return String(t)
    }

    /// Hex digits (8 to 128), or `EE-` and letters or digits; no 32-hex rule.
    static func isKeyLike(_ token: String) -> Bool {
        guard (8...128).contains(token.count) else { return false }
        if token.allSatisfy(\.isHexDigit) { return true }
        if token.lowercased().hasPrefix("ee-") {
            let rest = token.dropFirst(3)
            return rest.count >= 4 && rest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
        return false
    }

    // MARK: Activation

    /// Activated when a recognisable console or footer shows no license link; not activated while
    /// a license link shows; otherwise "cannot tell" with what was seen.
    public static func activation(in pages: [Page]) -> ActivationCheck {
        var yes: [String] = [], no: [String] = [], unsure: [String] = []
        for page in pages {
            switch activation(inPage: page) {
            case .activated(let e): yes.append(e)
            case .notActivated(let e): no.append(e)
            case .cannotTell(let e): unsure.append(e)
            }
        }
        if !no.isEmpty { return .notActivated(no.joined(separator: "; ")) }
        if !yes.isEmpty { return .activated(yes.joined(separator: "; ")) }
        return .cannotTell(unsure.isEmpty ? "no page was read" : unsure.joined(separator: "; "))
    }

    public static func activation(inPage page: Page) -> ActivationCheck {
        if let why = unusable(page) { return .cannotTell(why) }
        let raw = unescapeJSON(page.body)
        let text = htmlText(raw)
        if hasLicenseLink(raw) { return .notActivated("\(page.url) shows the license link") }
        if let m = text.firstMatch(of: #/(?i)licensed\s+to\b[:\s]*([^|]{0,60})/#) {
            return .activated("\(page.url) shows \"Licensed to \(m.output.1.trimmingCharacters(in: .whitespaces))\" and no license link")
        }
        if raw.contains(#/(?i)name\s*=\s*["']?j_username|type\s*=\s*["']?password/#) {
            return .cannotTell("\(page.url) shows a login form, not the console")
        }
        if text.range(of: "joget", options: .caseInsensitive) != nil || raw.contains(#/(?i)(id|class)\s*=\s*["'][^"']*footer/#) {
            return .activated("\(page.url) shows the footer without a license link")
        }
        return .cannotTell("unexpected page at \(page.url): \(quoteSnippet(text))")
    }

    /// Why a page cannot be judged at all, or nil.
    static func unusable(_ page: Page) -> String? {
        if page.code == "000" || page.code.isEmpty { return "\(page.url) did not answer" }
        if page.code != "200" {
            let redirect = page.code.hasPrefix("3") ? " (a redirect: login required?)" : ""
            return "\(page.url) answered HTTP \(page.code)\(redirect)"
        }
        if page.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "\(page.url) answered an empty page" }
        return nil
    }

    /// A link whose text is "License", or whose id, class, href or handler names a license
    /// (but not one reading "Licensed to ...").
    static func hasLicenseLink(_ html: String) -> Bool {
        for match in html.matches(of: #/(?is)<a\b([^>]*)>(.*?)</a\s*>/#) {
            let attributes = String(match.output.1).lowercased()
            let inner = htmlText(String(match.output.2)).lowercased()
            if inner.contains(#/\blicen[cs]e\b/#) { return true }
            if attributes.contains(#/licen[cs]e/#) && !inner.contains("licensed") { return true }
        }
        return false
    }

    // MARK: Version and edition shown by the node

    /// "Joget DX 8.1.6 Enterprise Edition" → enterprise 8.1.6; unknown parts nil.
    public static func build(inText text: String) -> JogetBuild {
        var version: String? = nil, edition: String? = nil
        if let m = text.firstMatch(of: #/(?i)joget\s+(?:workflow\s+)?(?:dx\s*)?v?(\d+(?:\.\d+)+)/#) { version = String(m.output.1) }
        if let m = text.firstMatch(of: #/(?i)\b(large\s+enterprise|enterprise|professional|community)\s+edition\b/#) {
            edition = m.output.1.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: "-")
        }
        return JogetBuild(edition: edition, version: version)
    }

    // MARK: HTML to text

    /// JSON-escaped markup (`\u003c`, `\/`, `\"`) as plain markup.
    static func unescapeJSON(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        return s.replacing(#/(?i)\\u003c/#, with: "<").replacing(#/(?i)\\u003e/#, with: ">").replacing(#/(?i)\\u0026/#, with: "&")
            .replacingOccurrences(of: "\\/", with: "/").replacingOccurrences(of: "\\\"", with: "\"")
            .replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\t", with: " ")
    }

    /// Visible text: scripts and styles dropped, tags as spaces, common entities decoded, spaces collapsed.
    public static func htmlText(_ html: String) -> String {
        var s = html.replacing(#/(?is)<(script|style)\b.*?</\1\s*>/#, with: " ")
        s = s.replacing(#/(?s)<!--.*?-->/#, with: " ")
        s = s.replacing(#/<[^>]*>/#, with: " ")
        s = s.replacing(#/&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);/#) { m in
            let name = String(m.output.1)
            switch name.lowercased() {
            case "nbsp": return " "
            case "amp": return "&"
            case "lt": return "<"
            case "gt": return ">"
            case "quot": return "\""
            case "apos": return "'"
            default:
                let number = name.hasPrefix("#x") || name.hasPrefix("#X") ? UInt32(name.dropFirst(2), radix: 16)
                    : name.hasPrefix("#") ? UInt32(name.dropFirst()) : nil
                if let n = number, let scalar = Unicode.Scalar(n) { return String(Character(scalar)) }
                return "&\(name);"
            }
        }
        return s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func quoteSnippet(_ text: String) -> String {
        if text.isEmpty { return "no visible text" }
        return "\"" + (text.count > 80 ? String(text.prefix(80)) + "…" : text) + "\""
    }
}
