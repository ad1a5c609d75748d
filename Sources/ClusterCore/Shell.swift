/// The one way a value reaches a shell: every script is built from these segments, so a value
/// can only ever appear quoted, and a secret only at execution time.
public enum Shell {
    /// POSIX single-quoting: the result is one word whose value is exactly `value`, whatever it holds.
    public static func quote(_ value: String) -> String {
        if !value.isEmpty, value.allSatisfy({ safeCharacters.contains($0) }) { return value }
        return "'" + value.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    private static let safeCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%")
}

/// A shell script whose values are quoted and whose secrets are filled in only when it runs.
public struct Script: Sendable, Hashable, Codable {
    public enum Part: Sendable, Hashable, Codable {
        case code(String)       // written by the plan, never from input
        case value(String)      // input: always quoted
        case secret(SecretName, SecretEncoding) // encoded and quoted at execution; shown as ****
    }
    public var parts: [Part]

    public init(_ parts: [Part] = []) { self.parts = parts }

    /// What the operator is shown and what logs may hold: secrets masked.
    public var display: String { render { _, _ in Redactor.mask } }

    /// The names of the secrets this script needs.
    public var secrets: Set<SecretName> {
        Set(parts.compactMap { if case .secret(let name, _) = $0 { return name } else { return nil } })
    }

    /// The text to execute. Fails when a secret it needs is missing.
    public func executable(with secrets: SecretValues) throws -> String {
        try render { name, encoding in
            guard let value = secrets[name] else { throw SecretError.missing(name) }
            return encoding.encode(value)
        }
    }

    /// Values and secrets next to each other are one shell word, quoted once (`'a''b'` is `'ab'`):
    /// a file's text with a password in it reads as one string, not as pieces glued by `''`.
    private func render(_ secret: (SecretName, SecretEncoding) throws -> String) rethrows -> String {
        var out = "", word: String? = nil
        for part in parts {
            switch part {
            case .code(let text):
                if let w = word { out += Shell.quote(w); word = nil }
                out += text
            case .value(let text): word = (word ?? "") + text
            case .secret(let name, let encoding): word = (word ?? "") + (try secret(name, encoding))
            }
        }
        if let w = word { out += Shell.quote(w) }
        return out
    }

    public static func + (lhs: Script, rhs: Script) -> Script { Script(lhs.parts + rhs.parts) }
    public static func += (lhs: inout Script, rhs: Script) { lhs.parts += rhs.parts }
}

extension Script: ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) { self.init([.code(value)]) }

    public init(stringInterpolation: Interpolation) { self.init(stringInterpolation.parts) }

    /// `"mkdir -p \(path)"` quotes `path`; `\(raw: text)` inserts code; `\(secret: name)` a secret; `\(content: c)` a file's text;
    /// `\(script)` splices another script.
    public struct Interpolation: StringInterpolationProtocol {
        var parts: [Part] = []
        public init(literalCapacity: Int, interpolationCount: Int) {}
        public mutating func appendLiteral(_ literal: String) { parts.append(.code(literal)) }
        public mutating func appendInterpolation(_ value: String) { parts.append(.value(value)) }
        public mutating func appendInterpolation(_ value: Int) { parts.append(.code(String(value))) }
        public mutating func appendInterpolation(raw code: String) { parts.append(.code(code)) }
        public mutating func appendInterpolation(secret name: SecretName, as encoding: SecretEncoding = .plain) {
            parts.append(.secret(name, encoding))
        }
        /// File text as one shell word: adjacent quoted pieces, secrets filled in at execution.
        public mutating func appendInterpolation(content: FileContent) {
            if content.parts.isEmpty { parts.append(.value("")) }
            for part in content.parts {
                switch part {
                case .text(let text): parts.append(.value(text))
                case .secret(let name, let encoding): parts.append(.secret(name, encoding))
                }
            }
        }
        public mutating func appendInterpolation(_ script: Script) { parts += script.parts }
    }
}
