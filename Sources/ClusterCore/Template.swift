/// A small template language for the files under `assets/templates/`.
///
///     {{name}}                  the value of `name` (looked up from the innermost list item outwards)
///     {{#members}}...{{/members}}  the body once per item of the list `members`
///     {{^members}}...{{/members}}  the body once when the list `members` is empty
///     {{secret:NAME:encoding}}  a secret, filled in when the step runs (encoding: plain, javaProperties, ...)
///     {{! a comment }}          nothing
///
/// A line holding nothing but a list tag or a comment disappears whole, so templates stay readable.
/// A name the context does not give is an error, never an empty string: a forgotten value must not
/// quietly produce a config file that parses but means something else.
///
/// The renderer escapes nothing. The caller puts values in already written for where they land
/// (`Template.xml` for XML attributes, `JavaProperties.escapeValue` for properties, validated values
/// for Apache and shell), and a secret as `TemplateValue.secret`, so it stays a name until run time.
public struct Template: Sendable {
    public let name: String
    private let nodes: [Node]

    public init(name: String, text: String) throws(TemplateError) {
        self.name = name
        var parser = Parser(name: name, text: text)
        nodes = try parser.parse()
    }

    /// A template from `assets/templates/`, built into the binary.
    public static func named(_ name: String) throws(TemplateError) -> Template {
        guard let text = Assets.text("assets/templates/" + name) else {
            throw TemplateError(template: name, line: 0, message: "there is no template assets/templates/\(name)")
        }
        return try Template(name: name, text: text)
    }

    /// The file text, with secrets as parts that stay names until the step runs.
    public func render(_ context: TemplateContext) throws(TemplateError) -> FileContent {
        var out: [FileContent.Part] = []
        try render(nodes, scopes: [context], into: &out)
        return FileContent(out.isEmpty ? [.text("")] : out)
    }

    private func render(_ nodes: [Node], scopes: [TemplateContext], into out: inout [FileContent.Part]) throws(TemplateError) {
        func append(_ part: FileContent.Part) {
            if case .text(let new) = part, case .text(let old)? = out.last {
                out[out.count - 1] = .text(old + new)
            } else {
                out.append(part)
            }
        }
        for node in nodes {
            switch node {
            case .text(let text):
                append(.text(text))
            case .variable(let key, let line):
                guard let value = scopes.reversed().lazy.compactMap({ $0.values[key] }).first else {
                    throw TemplateError(template: name, line: line, message: "no value for {{\(key)}}")
                }
                switch value {
                case .text(let text): append(.text(text))
                case .secret(let secret, let encoding): append(.secret(secret, encoding))
                }
            case .secret(let secret, let encoding, _):
                append(.secret(secret, encoding))
            case .section(let key, let inverted, let body, let line):
                guard let items = scopes.reversed().lazy.compactMap({ $0.lists[key] }).first else {
                    throw TemplateError(template: name, line: line, message: "no list for {{\(inverted ? "^" : "#")\(key)}}")
                }
                if inverted {
                    if items.isEmpty { try render(body, scopes: scopes, into: &out) }
                } else {
                    for item in items { try render(body, scopes: scopes + [item], into: &out) }
                }
            }
        }
    }

    // MARK: escaping helpers for callers

    /// Text for an XML attribute value or element content.
    public static func xml(_ value: String) -> String {
        var out = ""
        for c in value {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }

    // MARK: parsing

    fileprivate indirect enum Node: Sendable {
        case text(String)
        case variable(String, line: Int)
        case secret(SecretName, SecretEncoding, line: Int)
        case section(String, inverted: Bool, body: [Node], line: Int)
    }

    private struct Parser {
        let name: String
        let text: String

        init(name: String, text: String) { self.name = name; self.text = text }

        enum Tag {
            case variable(String)
            case secret(SecretName, SecretEncoding)
            case open(String, inverted: Bool)
            case close(String)
            case comment
            var standsAlone: Bool {
                switch self {
                case .open, .close, .comment: true
                case .variable, .secret: false
                }
            }
        }
        enum Token { case text(String), tag(Tag, line: Int) }

        mutating func parse() throws(TemplateError) -> [Node] {
            var tokens: [Token] = []
            // Line by line, keeping each line's "\n", so a lone list tag can take its line with it.
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
            if let last = lines.last { lines[lines.count - 1] = String(last.dropLast()) }
            if lines.last == "" { lines.removeLast() }
            for (index, line) in lines.enumerated() {
                let lineTokens = try tokenize(line, line: index + 1)
                let tags = lineTokens.compactMap { if case .tag(let t, _) = $0 { t } else { nil } }
                let blank = lineTokens.allSatisfy {
                    if case .text(let t) = $0 { t.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" } } else { true }
                }
                if tags.count == 1, tags[0].standsAlone, blank {
                    tokens += lineTokens.filter { if case .tag = $0 { true } else { false } }
                } else {
                    tokens += lineTokens
                }
            }
            var position = 0
            let nodes = try build(tokens, &position, closing: nil)
            return nodes
        }

        private func tokenize(_ line: String, line number: Int) throws(TemplateError) -> [Token] {
            var tokens: [Token] = []
            var rest = Substring(line)
            while let open = rest.range(of: "{{") {
                if open.lowerBound > rest.startIndex { tokens.append(.text(String(rest[..<open.lowerBound]))) }
                guard let close = rest[open.upperBound...].range(of: "}}") else {
                    throw TemplateError(template: name, line: number, message: "a {{ is not closed by }} on the same line")
                }
                let body = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                tokens.append(.tag(try tag(body, line: number), line: number))
                rest = rest[close.upperBound...]
            }
            if !rest.isEmpty { tokens.append(.text(String(rest))) }
            return tokens
        }

        private func tag(_ body: String, line: Int) throws(TemplateError) -> Tag {
            func key(_ s: Substring) throws(TemplateError) -> String {
                let k = String(s).trimmingCharacters(in: .whitespaces)
                let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
                guard !k.isEmpty, k.allSatisfy({ allowed.contains($0) }) else {
                    throw TemplateError(template: name, line: line, message: "\"\(k)\" is not a valid name in {{\(body)}}")
                }
                return k
            }
            if body.hasPrefix("!") { return .comment }
            if body.hasPrefix("#") { return .open(try key(body.dropFirst()), inverted: false) }
            if body.hasPrefix("^") { return .open(try key(body.dropFirst()), inverted: true) }
            if body.hasPrefix("/") { return .close(try key(body.dropFirst())) }
            if body.hasPrefix("secret:") {
                let parts = body.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 3, let encoding = SecretEncoding(rawValue: String(parts[2])) else {
                    throw TemplateError(template: name, line: line,
                                        message: "{{\(body)}} should be {{secret:NAME:ENCODING}} with ENCODING one of plain, javaProperties, sqlString, optionFile")
                }
                return .secret(SecretName(try key(parts[1])), encoding)
            }
            return .variable(try key(Substring(body)))
        }

        private func build(_ tokens: [Token], _ position: inout Int, closing: (key: String, line: Int)?) throws(TemplateError) -> [Node] {
            var nodes: [Node] = []
            while position < tokens.count {
                let token = tokens[position]
                position += 1
                switch token {
                case .text(let t): nodes.append(.text(t))
                case .tag(let tag, let line):
                    switch tag {
                    case .comment: continue
                    case .variable(let k): nodes.append(.variable(k, line: line))
                    case .secret(let n, let e): nodes.append(.secret(n, e, line: line))
                    case .open(let k, let inverted):
                        let body = try build(tokens, &position, closing: (k, line))
                        nodes.append(.section(k, inverted: inverted, body: body, line: line))
                    case .close(let k):
                        guard let closing else {
                            throw TemplateError(template: name, line: line, message: "{{/\(k)}} closes nothing")
                        }
                        guard closing.key == k else {
                            throw TemplateError(template: name, line: line,
                                                message: "{{/\(k)}} does not match {{#\(closing.key)}} opened on line \(closing.line)")
                        }
                        return nodes
                    }
                }
            }
            if let closing {
                throw TemplateError(template: name, line: closing.line, message: "{{#\(closing.key)}} is never closed")
            }
            return nodes
        }
    }
}

/// What a template places for a name: text already written for its destination, or a secret.
public enum TemplateValue: Sendable, Hashable, ExpressibleByStringLiteral {
    case text(String)
    case secret(SecretName, SecretEncoding)
    public init(stringLiteral value: String) { self = .text(value) }
}

/// Values and lists for one rendering (or one item of a list).
public struct TemplateContext: Sendable {
    public var values: [String: TemplateValue]
    public var lists: [String: [TemplateContext]]

    public init(_ values: [String: TemplateValue] = [:], lists: [String: [TemplateContext]] = [:]) {
        self.values = values
        self.lists = lists
    }

    public subscript(key: String) -> TemplateValue? {
        get { values[key] }
        set { values[key] = newValue }
    }
    /// A list that is there when `condition` holds: `{{#tls}}...{{/tls}}` renders once or not at all.
    public mutating func when(_ key: String, _ condition: Bool, _ item: TemplateContext = TemplateContext()) {
        lists[key] = condition ? [item] : []
    }
}

public struct TemplateError: Error, Equatable, CustomStringConvertible {
    public var template: String
    public var line: Int
    public var message: String
    public init(template: String, line: Int, message: String) {
        self.template = template; self.line = line; self.message = message
    }
    public var description: String { "template \(template), line \(line): \(message)" }
}
