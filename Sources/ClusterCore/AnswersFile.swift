import Foundation
import Yams

/// Reads and writes the answers file (YAML). Reading reports every unknown key and wrong type
/// by its field path; values are then checked by `Validator`.
public enum AnswersFile {
    public static func decode(_ yaml: String) throws(InvalidAnswers) -> Answers {
        let node: Yams.Node?
        do { node = try Yams.compose(yaml: yaml) } catch {
            throw InvalidAnswers([Problem("answers", "is not valid YAML: \(error)")])
        }
        guard let root = node else { throw InvalidAnswers([Problem("answers", "the file is empty")]) }
        var reader = Reader()
        let answers = reader.answers(root)
        if !reader.problems.isEmpty { throw InvalidAnswers(reader.problems) }
        return answers
    }

    public static func load(path: String) throws(InvalidAnswers) -> Answers {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InvalidAnswers([Problem("answers", "cannot read \(path)")])
        }
        return try decode(text)
    }

    public static func encode(_ a: Answers) -> String {
        typealias N = Yams.Node
        func s(_ v: String) -> N { N(v) }
        func i(_ v: Int) -> N { N(String(v), Tag(.int)) }
        func map(_ pairs: [(String, N?)]) -> N {
            .mapping(.init(pairs.compactMap { k, v in v.map { (N(k), $0) } }))
        }
        let hosts = a.hosts.map { h in
            map([("name", s(h.name)), ("address", s(h.address)), ("user", s(h.user)), ("port", i(h.port)),
                 ("auth", s(h.auth.rawValue)), ("keyFile", h.keyFile.map(s)), ("sudo", s(h.sudo.rawValue))])
        }
        let f = a.sharedFiles
        let d = a.database
        let p = a.appServers
        let nodes = p.nodes.map { n in map([("name", s(n.name)), ("host", s(n.host)), ("httpPort", n.httpPort.map(i))]) }
        let lb = a.loadBalancer
        let tls = lb.tls.map { t in map([("certificate", s(t.certificate)), ("key", s(t.key)), ("httpsPort", i(t.httpsPort)),
                                         ("filesOn", s(t.filesOn.rawValue))]) }
        let root = map([
            ("version", i(a.version)),
            ("cluster", s(a.cluster)),
            ("hosts", .sequence(.init(hosts))),
            ("sharedFiles", map([("provider", s(f.provider.rawValue)), ("server", f.server.map(s)),
                                 ("exportPath", s(f.exportPath)), ("mountPoint", s(f.mountPoint))])),
            ("database", map([("engine", s(d.engine.rawValue)), ("host", s(d.host)), ("port", i(d.port)),
                              ("name", s(d.name)), ("user", s(d.user)), ("passwordSecret", s(d.passwordSecret.rawValue)),
                              ("admin", s(d.admin.rawValue)), ("adminUser", s(d.adminUser)),
                              ("adminPasswordSecret", s(d.adminPasswordSecret.rawValue))])),
            ("appServers", map([("bundle", s(p.bundle)), ("bundleOn", s(p.bundleOn.rawValue)),
                                ("installDir", s(p.installDir)), ("serviceUser", s(p.serviceUser)),
                                ("uid", i(p.uid)), ("gid", i(p.gid)), ("heap", s(p.heap)), ("httpPort", i(p.httpPort)),
                                ("membership", s(p.membership.rawValue)), ("multicastAddress", s(p.multicastAddress)),
                                ("multicastPort", i(p.multicastPort)), ("replicationPort", i(p.replicationPort)),
                                ("nodes", .sequence(.init(nodes)))])),
            ("loadBalancer", map([("host", s(lb.host)), ("serverName", s(lb.serverName)),
                                  ("httpPort", i(lb.httpPort)), ("tls", tls)])),
        ])
        let body = (try? Yams.serialize(node: root, sortKeys: false)) ?? ""
        return "# joget-cluster answers file (no secrets). Replay: joget-cluster apply --answers FILE\n" + body
    }

    /// Writes atomically (temp file, fsync, rename).
    public static func save(_ answers: Answers, to path: String) throws {
        try AtomicFile.write(Data(encode(answers).utf8), to: path, mode: 0o644)
    }
}

/// Walks the YAML tree, collecting problems instead of stopping at the first.
private struct Reader {
    var problems: [Problem] = []

    mutating func answers(_ root: Yams.Node) -> Answers {
        var a = Answers()
        fields(root, "", [
            "version": { r, n, f in a.version = r.int(n, f) ?? a.version },
            "cluster": { r, n, f in a.cluster = r.string(n, f) ?? a.cluster },
            "hosts": { r, n, f in a.hosts = r.list(n, f) { r, n, f in r.host(n, f) } },
            "sharedFiles": { r, n, f in a.sharedFiles = r.sharedFiles(n, f) },
            "database": { r, n, f in a.database = r.database(n, f) },
            "appServers": { r, n, f in a.appServers = r.appServers(n, f) },
            "loadBalancer": { r, n, f in a.loadBalancer = r.loadBalancer(n, f) },
        ])
        return a
    }

    mutating func host(_ node: Yams.Node, _ field: String) -> Host {
        var h = Host(name: "", address: "", user: "", auth: .agent, sudo: .nopasswd)
        fields(node, field, [
            "name": { r, n, f in h.name = r.string(n, f) ?? "" },
            "address": { r, n, f in h.address = r.string(n, f) ?? "" },
            "user": { r, n, f in h.user = r.string(n, f) ?? "" },
            "port": { r, n, f in h.port = r.int(n, f) ?? h.port },
            "auth": { r, n, f in h.auth = r.choice(n, f) ?? h.auth },
            "keyFile": { r, n, f in h.keyFile = r.string(n, f) },
            "sudo": { r, n, f in h.sudo = r.choice(n, f) ?? h.sudo },
        ], required: ["name", "address"])
        if h.auth == .local, node.mapping?["user"] == nil { h.user = "" }
        return h
    }

    mutating func sharedFiles(_ node: Yams.Node, _ field: String) -> SharedFiles {
        var s = SharedFiles()
        fields(node, field, [
            "provider": { r, n, f in s.provider = r.choice(n, f) ?? s.provider },
            "server": { r, n, f in s.server = r.string(n, f) },
            "exportPath": { r, n, f in s.exportPath = r.string(n, f) ?? s.exportPath },
            "mountPoint": { r, n, f in s.mountPoint = r.string(n, f) ?? s.mountPoint },
        ])
        return s
    }

    mutating func database(_ node: Yams.Node, _ field: String) -> Database {
        var d = Database()
        fields(node, field, [
            "engine": { r, n, f in d.engine = r.choice(n, f) ?? d.engine },
            "host": { r, n, f in d.host = r.string(n, f) ?? "" },
            "port": { r, n, f in d.port = r.int(n, f) ?? d.port },
            "name": { r, n, f in d.name = r.string(n, f) ?? d.name },
            "user": { r, n, f in d.user = r.string(n, f) ?? d.user },
            "passwordSecret": { r, n, f in d.passwordSecret = SecretName(r.string(n, f) ?? d.passwordSecret.rawValue) },
            "admin": { r, n, f in d.admin = r.choice(n, f) ?? d.admin },
            "adminUser": { r, n, f in d.adminUser = r.string(n, f) ?? d.adminUser },
            "adminPasswordSecret": { r, n, f in d.adminPasswordSecret = SecretName(r.string(n, f) ?? d.adminPasswordSecret.rawValue) },
        ])
        return d
    }

    mutating func appServers(_ node: Yams.Node, _ field: String) -> AppServers {
        var p = AppServers()
        fields(node, field, [
            "bundle": { r, n, f in p.bundle = r.string(n, f) ?? "" },
            "bundleOn": { r, n, f in p.bundleOn = r.choice(n, f) ?? p.bundleOn },
            "installDir": { r, n, f in p.installDir = r.string(n, f) ?? p.installDir },
            "serviceUser": { r, n, f in p.serviceUser = r.string(n, f) ?? p.serviceUser },
            "uid": { r, n, f in p.uid = r.int(n, f) ?? p.uid },
            "gid": { r, n, f in p.gid = r.int(n, f) ?? p.gid },
            "heap": { r, n, f in p.heap = r.string(n, f) ?? p.heap },
            "httpPort": { r, n, f in p.httpPort = r.int(n, f) ?? p.httpPort },
            "membership": { r, n, f in p.membership = r.choice(n, f) ?? p.membership },
            "multicastAddress": { r, n, f in p.multicastAddress = r.string(n, f) ?? p.multicastAddress },
            "multicastPort": { r, n, f in p.multicastPort = r.int(n, f) ?? p.multicastPort },
            "replicationPort": { r, n, f in p.replicationPort = r.int(n, f) ?? p.replicationPort },
            "nodes": { r, n, f in
                p.nodes = r.list(n, f) { r, n, f in
                    var node = Node(name: "", host: "")
                    r.fields(n, f, [
                        "name": { r, n, f in node.name = r.string(n, f) ?? "" },
                        "host": { r, n, f in node.host = r.string(n, f) ?? "" },
                        "httpPort": { r, n, f in node.httpPort = r.int(n, f) },
                    ], required: ["name", "host"])
                    return node
                }
            },
        ])
        return p
    }

    mutating func loadBalancer(_ node: Yams.Node, _ field: String) -> LoadBalancer {
        var lb = LoadBalancer()
        fields(node, field, [
            "host": { r, n, f in lb.host = r.string(n, f) ?? "" },
            "serverName": { r, n, f in lb.serverName = r.string(n, f) ?? "" },
            "httpPort": { r, n, f in lb.httpPort = r.int(n, f) ?? lb.httpPort },
            "tls": { r, n, f in
                if case .scalar(let s) = n, s.tag == Tag(.null) || s.string.isEmpty { lb.tls = nil; return }
                var t = LoadBalancer.TLS(certificate: "", key: "")
                r.fields(n, f, [
                    "certificate": { r, n, f in t.certificate = r.string(n, f) ?? "" },
                    "key": { r, n, f in t.key = r.string(n, f) ?? "" },
                    "httpsPort": { r, n, f in t.httpsPort = r.int(n, f) ?? t.httpsPort },
                    "filesOn": { r, n, f in t.filesOn = r.choice(n, f) ?? t.filesOn },
                ], required: ["certificate", "key"])
                lb.tls = t
            },
        ])
        return lb
    }

    // MARK: building blocks

    typealias Handler = (inout Reader, Yams.Node, String) -> Void

    mutating func fields(_ node: Yams.Node, _ field: String, _ handlers: [String: Handler], required: [String] = []) {
        guard let mapping = node.mapping else {
            problems.append(Problem(field.isEmpty ? "answers" : field, "should be a mapping of keys to values"))
            return
        }
        var seen = Set<String>()
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let path = field.isEmpty ? key : "\(field).\(key)"
            guard let handler = handlers[key] else {
                let known = handlers.keys.sorted().joined(separator: ", ")
                problems.append(Problem(path, "unknown key \"\(key)\" (known here: \(known))"))
                continue
            }
            seen.insert(key)
            if case .scalar(let s) = value, s.tag == Tag(.null) || (s.string.isEmpty && s.style == .plain) {
                continue  // "key:" with nothing after it keeps the default
            }
            handler(&self, value, path)
        }
        for key in required where !seen.contains(key) {
            problems.append(Problem(field.isEmpty ? key : "\(field).\(key)", "is required"))
        }
    }

    mutating func string(_ node: Yams.Node, _ field: String) -> String? {
        guard case .scalar(let s) = node else {
            problems.append(Problem(field, "should be a single value, not a list or mapping"))
            return nil
        }
        return s.string
    }

    mutating func int(_ node: Yams.Node, _ field: String) -> Int? {
        guard let text = string(node, field) else { return nil }
        guard let value = Int(text) else {
            problems.append(Problem(field, "\"\(text)\" is not a whole number"))
            return nil
        }
        return value
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: Yams.Node, _ field: String) -> T? where T.RawValue == String {
        guard let text = string(node, field) else { return nil }
        guard let value = T(rawValue: text) else {
            let options = T.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append(Problem(field, "\"\(text)\" is not one of: \(options)"))
            return nil
        }
        return value
    }

    mutating func list<T>(_ node: Yams.Node, _ field: String, _ item: (inout Reader, Yams.Node, String) -> T) -> [T] {
        guard let sequence = node.sequence else {
            problems.append(Problem(field, "should be a list"))
            return []
        }
        return sequence.enumerated().map { index, element in item(&self, element, "\(field)[\(index)]") }
    }
}

/// Changes `appServers.bundle` in an answers file in place, keeping the rest as written (comments,
/// order, quoting): `upgrade --bundle` records the new bundle where the operator keeps the answers.
public enum AnswersFileEdit {
    /// The text with `appServers.bundle` set to `bundle`, or nil when that cannot be done by changing
    /// one line (no such line, several, a value over several lines): the result is read back and must
    /// differ from the original in that field only.
    public static func settingBundle(_ bundle: String, in text: String) -> String? {
        guard !bundle.contains(where: { $0.isNewline || ($0.asciiValue.map { $0 < 0x20 } ?? false) }),
              var before = try? AnswersFile.decode(text) else { return nil }
        var lines = text.components(separatedBy: "\n")
        guard let section = lines.firstIndex(where: { $0.hasPrefix("appServers:") }) else { return nil }
        var found: [Int] = []
        var keyIndent: Int?
        for i in (section + 1)..<lines.count {
            let line = lines[i]
            let indent = line.prefix(while: { $0 == " " }).count
            let rest = line.dropFirst(indent)
            if rest.isEmpty || rest.hasPrefix("#") { continue }
            if indent == 0 { break }
            if keyIndent == nil { keyIndent = indent }
            if indent == keyIndent, rest.hasPrefix("bundle:") { found.append(i) }
        }
        guard found.count == 1, let indent = keyIndent else { return nil }
        let quoted = "\"" + bundle.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        lines[found[0]] = String(repeating: " ", count: indent) + "bundle: " + quoted
        let edited = lines.joined(separator: "\n")
        guard let after = try? AnswersFile.decode(edited) else { return nil }
        before.appServers.bundle = bundle
        return after == before ? edited : nil
    }

    /// Sets the bundle in the file at `path` (atomically, keeping its mode).
    public static func setBundle(_ bundle: String, in path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let edited = settingBundle(bundle, in: text) else {
            throw InvalidAnswers([Problem("appServers.bundle", "\(path) could not be changed in place to name \(bundle): change it by hand")])
        }
        let mode = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.uint16Value ?? 0o644
        try AtomicFile.write(Data(edited.utf8), to: path, mode: mode_t(mode))
    }
}
