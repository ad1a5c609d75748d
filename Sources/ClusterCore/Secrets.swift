import Foundation

/// A secret's name as the answers file gives it (`db-password`, `sudo-app2`). Never its value.
public struct SecretName: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (a: SecretName, b: SecretName) -> Bool { a.rawValue < b.rawValue }

    /// `JOGET_SECRET_DB_PASSWORD` for `db-password`.
    public var environmentVariable: String {
        "JOGET_SECRET_" + rawValue.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    public static func sshPassword(host: String) -> SecretName { SecretName("ssh-\(host)") }
    public static func sudoPassword(host: String) -> SecretName { SecretName("sudo-\(host)") }
}

public enum SecretError: Error, Equatable, CustomStringConvertible {
    case missing(SecretName)
    case unsafeFile(path: String, mode: Int)
    case unreadableFile(path: String, reason: String)
    case badLine(path: String, line: Int)

    public var description: String {
        switch self {
        case .missing(let name):
            return "secret \(name) is not given: set \(name.environmentVariable), add it to the secrets file, or answer the prompt"
        case .unsafeFile(let path, let mode):
            return "secrets file \(path) is readable by others (mode \(String(mode, radix: 8))): run chmod 600 \(path)"
        case .unreadableFile(let path, let reason):
            return "secrets file \(path) cannot be read: \(reason)"
        case .badLine(let path, let line):
            return "secrets file \(path), line \(line): expected \"name: value\""
        }
    }
}

/// Secret values for one run, held in memory only.
public struct SecretValues: Sendable {
    private var values: [SecretName: String] = [:]
    public init(_ values: [SecretName: String] = [:]) { self.values = values }

    public subscript(name: SecretName) -> String? {
        get { values[name] }
        set { values[name] = newValue }
    }
    public var names: Set<SecretName> { Set(values.keys) }
    /// Every value, for the redactor.
    public var allValues: [String] { Array(values.values) }

    /// Values from `JOGET_SECRET_*` variables for the names asked.
    public static func fromEnvironment(_ names: Set<SecretName>, environment: [String: String]) -> SecretValues {
        var found = SecretValues()
        for name in names { if let value = environment[name.environmentVariable] { found[name] = value } }
        return found
    }

    /// Reads a secrets file of `name: value` lines, refusing one that group or others can read.
    /// The value is everything after the first ": " (so it may hold colons and spaces), untrimmed but
    /// for the line end; blank lines and lines starting with # are skipped.
    public static func fromFile(_ path: String) throws -> SecretValues {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw SecretError.unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        let mode = Int(info.st_mode) & 0o777
        if mode & 0o077 != 0 { throw SecretError.unsafeFile(path: path, mode: mode) }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw SecretError.unreadableFile(path: path, reason: "not UTF-8 text")
        }
        var found = SecretValues()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.range(of: ": ") ?? (line.hasSuffix(":") ? line.range(of: ":", options: .backwards) : nil) else {
                throw SecretError.badLine(path: path, line: index + 1)
            }
            let name = line[..<colon.lowerBound].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw SecretError.badLine(path: path, line: index + 1) }
            found[SecretName(name)] = String(line[colon.upperBound...])
        }
        return found
    }
}

/// Replaces every known secret value with `****` and strips terminal control sequences.
public struct Redactor: Sendable {
    public static let mask = "****"
    private let needles: [String]

    public init(secrets: [String]) {
        // Longest first, so a secret containing another is masked whole. Very short values would mask
        // ordinary text everywhere; they are still masked, as leaking them is worse.
        needles = Array(Set(secrets.filter { !$0.isEmpty })).sorted { $0.count > $1.count }
    }

    public func redact(_ text: String) -> String {
        var out = text
        for needle in needles where out.contains(needle) {
            out = out.replacingOccurrences(of: needle, with: Redactor.mask)
        }
        return out
    }

    /// Remote output is data: remove CSI, OSC and other escape sequences and C0 controls but tab.
    public static func sanitize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return scalars.next()
        }
        while let c = next() {
            switch c.value {
            case 0x1B:
                guard let kind = next() else { break }
                switch kind {
                case "[":   // CSI: parameters and intermediates, then a final byte 0x40-0x7E
                    while let p = next(), !(0x40...0x7E).contains(p.value) {}
                case "]", "P", "X", "^", "_":  // OSC, DCS, SOS, PM, APC: until BEL or ESC \
                    while let p = next() {
                        if p.value == 0x07 { break }
                        if p.value == 0x1B { _ = next(); break }
                    }
                default:
                    // Two- or three-byte escapes: ESC ( B, ESC =, ...
                    if (0x20...0x2F).contains(kind.value) { _ = next() }
                }
            case 0x9B:  // 8-bit CSI
                while let p = next(), !(0x40...0x7E).contains(p.value) {}
            case 0x09: out.append(c)
            case 0x00...0x1F, 0x7F, 0x80...0x9F: continue
            default: out.append(c)
            }
        }
        return String(out)
    }

    /// Sanitised and redacted: what may be shown or stored for display.
    public func clean(_ text: String) -> String { redact(Redactor.sanitize(text)) }
}
