import ClusterCore
import TermUI

/// What the setup pages edit together: the answers (saved, no secrets), the passwords typed this
/// session (memory only) and the latest connection test of each host.
public struct SetupModel: Sendable {
    public var answers: Answers
    /// Passwords typed on the pages. Never written to answers.yaml.
    public var secrets: SecretValues
    /// The last "Test connection" of each host, by host name.
    public var tests: [String: HostTest]

    public init(answers: Answers = SetupModel.defaultAnswers(), secrets: SecretValues = SecretValues(),
                tests: [String: HostTest] = [:]) {
        self.answers = answers
        self.secrets = secrets
        self.tests = tests
    }

    /// Fresh answers with every screen default filled in.
    public static func defaultAnswers() -> Answers {
        var a = Answers()
        for spec in SetupSpecs.all {
            for field in spec.fields where field.kind != .password {
                if let d = field.defaultValue, a.value(at: field.id)?.isEmpty ?? true { a.set(d, at: field.id) }
            }
        }
        return a
    }

    /// The names of the hosts defined so far, in order (blank names left out).
    public var hostNames: [String] { answers.hosts.map(\.name).filter { !$0.isEmpty } }

    /// Reads a model path for conditions and secret names; `[]` paths read row `item`.
    public func value(at path: String, item: Int?) -> String? {
        answers.value(at: path, item: path.contains("[]") ? item : nil)
    }

    /// Whether a field is shown now (its `showIf`, read from the answers).
    public func isVisible(_ field: FieldSpec, item: Int?) -> Bool {
        field.showIf?.holds { self.value(at: $0, item: item) } ?? true
    }

    /// The secret a password field stores into: its `secret` template with `{name}` the row's host
    /// name and `{some.path}` that path's value. `nil` when the template cannot be filled yet.
    public func secretName(for field: FieldSpec, item: Int?) -> SecretName? {
        guard var template = field.secret else { return nil }
        while let open = template.firstIndex(of: "{"), let close = template[open...].firstIndex(of: "}") {
            let key = String(template[template.index(after: open)..<close])
            let replacement: String?
            if key == "name" {
                replacement = item.flatMap { answers.hosts.indices.contains($0) ? answers.hosts[$0].name : nil }
            } else {
                replacement = value(at: key, item: item)
            }
            guard let r = replacement, !r.isEmpty else { return nil }
            template.replaceSubrange(open...close, with: r)
        }
        return template.isEmpty ? nil : SecretName(template)
    }

    /// Renames a host everywhere a layer refers to it.
    public mutating func renameHostReferences(from old: String, to new: String) {
        guard !old.isEmpty, old != new else { return }
        if answers.sharedFiles.server == old { answers.sharedFiles.server = new }
        if answers.database.host == old { answers.database.host = new }
        if answers.loadBalancer.host == old { answers.loadBalancer.host = new }
        for i in answers.appServers.nodes.indices where answers.appServers.nodes[i].host == old {
            answers.appServers.nodes[i].host = new
        }
        for suffix in ["ssh-", "sudo-"] {
            if let v = secrets[SecretName(suffix + old)] {
                secrets[SecretName(suffix + new)] = v
                secrets[SecretName(suffix + old)] = nil
            }
        }
        if let t = tests.removeValue(forKey: old) { tests[new] = t }
    }
}

/// The screen files, loaded once.
public enum SetupSpecs {
    /// Every screen in file order (welcome, hosts, the four layers, review).
    public static let all: [ScreenSpec] = (try? ScreenSpec.all()) ?? []

    public static func named(_ id: String) -> ScreenSpec? { all.first { $0.id == id } }

    /// The pages with questions, in flow order: hosts, then the four layers.
    public static var setupPages: [ScreenSpec] {
        ["hosts", "sharedFiles", "database", "appServers", "loadBalancer"].compactMap(named)
    }

    /// Which answers paths a page owns, for picking its problems out of `Validator.validate`.
    public static func owns(_ pageID: String, problemField field: String) -> Bool {
        switch pageID {
        case "hosts": return field == "cluster" || field == "hosts" || field.hasPrefix("hosts[") || field == "version"
        default: return field == pageID || field.hasPrefix(pageID + ".") || field.hasPrefix(pageID + "[")
        }
    }
}

extension SetupSpecs {
    /// A problem in the words of the pages: `Database host: no host is chosen`,
    /// `Host 2 (db) Address: "x" is not ...`.
    public static func describe(_ p: Problem, answers: Answers) -> String {
        let path = ProblemPath(p.field)
        let specs = setupPages.flatMap { $0.fields + ($0.list?.fields ?? []) }
        switch p.field {
        case "hosts": return "Hosts: \(p.message)"
        case "appServers.nodes": return "Nodes: \(p.message)"
        case "database.passwordSecret": return "App user password secret: \(p.message)"
        case "database.adminPasswordSecret": return "Admin password secret: \(p.message)"
        default: break
        }
        let label = specs.first { $0.id == path.fieldID }?.label ?? p.field
        guard let item = path.item else { return "\(label): \(p.message)" }
        if path.fieldID.hasPrefix("hosts[]") {
            let name = answers.hosts.indices.contains(item) ? answers.hosts[item].name : ""
            return "Host \(item + 1)\(name.isEmpty ? "" : " (\(name))") \(label): \(p.message)"
        }
        let name = answers.appServers.nodes.indices.contains(item) ? answers.appServers.nodes[item].name : ""
        return "Node \(item + 1)\(name.isEmpty ? "" : " (\(name))") \(label): \(p.message)"
    }
}

/// A problem's field path split into the screen field id and the list row: `hosts[2].address`
/// is `hosts[].address` in row 2.
public struct ProblemPath: Equatable, Sendable {
    public var fieldID: String
    public var item: Int?

    public init(_ path: String) {
        var id = ""
        var item: Int? = nil
        var rest = Substring(path)
        while let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]") {
            id += rest[..<open] + "[]"
            if item == nil { item = Int(rest[rest.index(after: open)..<close]) }
            rest = rest[rest.index(after: close)...]
        }
        fieldID = id + rest
        self.item = item
    }
}

/// Text layout the pages share.
public enum PageText {
    /// Lines of a screen file's text with single line breaks inside a paragraph joined: a line that
    /// starts flush left (not a list item) continues a flush-left line before it.
    static func joinSoftBreaks(_ text: String) -> [Substring] {
        var out: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let last = out.last, !last.isEmpty, !line.isEmpty, last.first != " ", line.first != " ",
               !line.hasPrefix("- "), !last.hasSuffix(":") {
                out[out.count - 1] = Substring(last + " " + line)
            } else {
                out.append(line)
            }
        }
        return out
    }

    /// Word-wraps each line on its own, keeping its indentation, with list items hanging under their
    /// text (`  - long item` continues under `long`, `  1 Shared...` under `Shared`).
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var out: [String] = []
        for line in joinSoftBreaks(text) {
            let indent = line.prefix { $0 == " " }.count
            let body = line.dropFirst(indent)
            if body.isEmpty { out.append(""); continue }
            var hang = indent
            if body.hasPrefix("- ") { hang += 2 }
            else if let space = body.firstIndex(of: " "), body[..<space].allSatisfy(\.isNumber), body.distance(from: body.startIndex, to: space) <= 3 {
                hang += body.distance(from: body.startIndex, to: space) + 1
            }
            if hang >= width / 2 { hang = 0 }
            let lead = indent >= width / 2 ? 0 : indent
            var current = String(repeating: " ", count: lead)
            var currentWidth = lead
            var empty = true
            for word in body.split(separator: " ") {
                let w = TextWidth.of(word)
                if !empty && currentWidth + 1 + w > width {
                    out.append(current)
                    current = String(repeating: " ", count: hang)
                    currentWidth = hang
                    empty = true
                }
                if empty && currentWidth + w > width {
                    // A word longer than the line: cut it.
                    for piece in TextLayout.wrap(String(word), width: max(1, width - currentWidth)) {
                        out.append(current + piece)
                    }
                    current = String(repeating: " ", count: hang)
                    currentWidth = hang
                    continue
                }
                current += (empty ? "" : " ") + word
                currentWidth += (empty ? 0 : 1) + w
                empty = false
            }
            if !empty { out.append(current) }
        }
        return out
    }
}
