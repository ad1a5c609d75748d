import Yams

/// One wizard screen as declared in screens/*.yaml: the fields it asks, in order.
public struct ScreenSpec: Equatable, Sendable {
    public var id: String
    public var title: String
    public var intro: String
    public var fields: [FieldSpec]
    /// A list of items (hosts, nodes) edited on the same screen, each item with its own fields.
    public var list: ListSpec?

    public struct ListSpec: Equatable, Sendable {
        public var id: String      // "hosts", "appServers.nodes"
        public var label: String
        public var fields: [FieldSpec]
    }

    /// Every screen, in file-name order, from the embedded screens/ folder.
    public static func all() throws -> [ScreenSpec] {
        try Assets.paths(under: "screens").filter { $0.hasSuffix(".yaml") }.map { try load(Assets.text($0)!, source: $0) }
    }

    public static func named(_ id: String) -> ScreenSpec? { (try? all())?.first { $0.id == id } }

    public static func load(_ yaml: String, source: String) throws -> ScreenSpec {
        guard let root = try Yams.load(yaml: yaml) as? [String: Any] else { throw SpecError(source, "is not a mapping") }
        func fields(_ any: Any?) throws -> [FieldSpec] {
            guard let list = any as? [[String: Any]] else { return [] }
            return try list.map { try FieldSpec(dictionary: $0, source: source) }
        }
        var list: ListSpec? = nil
        if let l = root["list"] as? [String: Any] {
            list = ListSpec(id: l["id"] as? String ?? "", label: l["label"] as? String ?? "", fields: try fields(l["fields"]))
        }
        return ScreenSpec(id: root["id"] as? String ?? "", title: root["title"] as? String ?? "",
                          intro: root["intro"] as? String ?? "", fields: try fields(root["fields"]), list: list)
    }

    public struct SpecError: Error, CustomStringConvertible {
        public var description: String
        init(_ source: String, _ what: String) { description = "\(source): \(what)" }
    }
}

public struct FieldSpec: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case text, password, host, port, path, choice, number
    }
    public var id: String            // a model path: "database.port", or "hosts[].address" in a list
    public var label: String
    public var kind: Kind
    public var defaultValue: String?
    public var help: String
    public var validate: FieldRule?
    public var options: [String]
    public var showIf: Condition?
    public var secret: String?       // a password field: the secret's name, "{path}" and "{name}" filled in
    public var optional: Bool        // may be left empty
    public var confirm: Bool         // a new password: typed twice, the two must match

    init(dictionary d: [String: Any], source: String) throws {
        guard let id = d["id"] as? String, let label = d["label"] as? String else {
            throw ScreenSpec.SpecError(source, "a field needs an id and a label")
        }
        guard let kind = Kind(rawValue: d["kind"] as? String ?? "") else {
            throw ScreenSpec.SpecError(source, "field \(id) has an unknown kind \(d["kind"] ?? "none")")
        }
        self.id = id; self.label = label; self.kind = kind
        defaultValue = (d["default"]).map { "\($0)" }
        help = d["help"] as? String ?? ""
        if let name = d["validate"] as? String {
            guard let rule = FieldRule(rawValue: name) else {
                throw ScreenSpec.SpecError(source, "field \(id) names an unknown validation \(name)")
            }
            validate = rule
        } else {
            validate = nil
        }
        options = (d["options"] as? [Any])?.map { "\($0)" } ?? []
        showIf = try (d["showIf"] as? String).map { try Condition(parsing: $0, source: source) }
        secret = d["secret"] as? String
        optional = d["optional"] as? Bool ?? false
        confirm = d["confirm"] as? Bool ?? false
    }

    /// nil when the value is acceptable for this field; otherwise the problem, naming the value.
    public func check(_ value: String) -> String? {
        if value.isEmpty { return optional || kind == .password ? nil : "is required" }
        if kind == .choice, !options.contains(value) {
            return "\"\(value)\" is not one of: \(options.joined(separator: ", "))"
        }
        return validate?.check(value)
    }
}

/// `path == value`, `path != value`: whether a field is shown.
public struct Condition: Equatable, Sendable {
    public var path: String
    public var equals: Bool
    public var value: String

    init(parsing text: String, source: String) throws {
        let op = text.contains("!=") ? "!=" : "=="
        let sides = text.components(separatedBy: op).map { $0.trimmingCharacters(in: .whitespaces) }
        guard sides.count == 2, !sides[0].isEmpty else { throw ScreenSpec.SpecError(source, "cannot read condition \(text)") }
        path = sides[0]; equals = op == "=="
        value = sides[1] == "\"\"" ? "" : sides[1]
    }

    public func holds(_ lookup: (String) -> String?) -> Bool {
        (lookup(path) ?? "" == value) == equals
    }
}
