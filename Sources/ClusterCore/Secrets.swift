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
            // NUL cannot be passed to a program and breaks text search: refuse it here.
            guard !name.isEmpty, !line.contains("\0") else { throw SecretError.badLine(path: path, line: index + 1) }
            found[SecretName(name)] = String(line[colon.upperBound...])
        }
        return found
    }
}

/// Replaces every known secret value with `****` and strips terminal control sequences.
///
/// Every function has a fast path for the usual line (printable ASCII or UTF-8, no secret in it),
/// which returns the text as it is, and otherwise does the full work; both give the same result
/// (RedactorEquivalenceTests compares them on random and hostile text).
public struct Redactor: Sendable {
    public static let mask = "****"
    private let needles: [String]
    private let asciiFilter: ASCIINeedleFilter
    /// The first bytes of the needles' ASCII forms, when few enough to look for all at once
    /// (`ByteScan.containsAny`); nil: ask the filter about every line.
    private let firstBytes: [UInt8]?

    public init(secrets: [String]) {
        // Longest first, so a secret containing another is masked whole. Very short values would mask
        // ordinary text everywhere; they are still masked, as leaking them is worse.
        needles = Array(Set(secrets.filter { !$0.isEmpty })).sorted { $0.count > $1.count }
        asciiFilter = ASCIINeedleFilter(needles)
        let firsts = asciiFilter.firstBytes
        firstBytes = firsts.count <= 8 ? firsts : nil
    }

    public func redact(_ text: String) -> String {
        if needles.isEmpty { return text }
        var probe = text
        let absent = probe.withUTF8 { bytes in
            Redactor.isASCII(bytes) && !asciiFilter.mayOccur(in: bytes)
        }
        return absent ? text : redactSearching(text)
    }

    /// The full search: Foundation's, which also finds canonically equivalent text.
    func redactSearching(_ text: String) -> String {
        var out = text
        for needle in needles where out.contains(needle) {
            out = out.replacingOccurrences(of: needle, with: Redactor.mask)
        }
        return out
    }

    /// Remote output is data: remove CSI, OSC and other escape sequences and C0 controls but tab.
    public static func sanitize(_ text: String) -> String {
        var probe = text
        return probe.withUTF8 { scan($0).plain } ? text : sanitizeScalars(text)
    }

    /// `sanitize` one scalar at a time, for text that holds something to remove.
    static func sanitizeScalars(_ text: String) -> String {
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

    /// One raw output line as it may be shown or stored: redacted whole first (so a secret that a
    /// carriage return or an escape would split is masked before either is handled), cut to what
    /// a terminal would show after its carriage returns, sanitised, then redacted again (a secret
    /// an escape sequence split is whole once the sequence is gone).
    public func cleanOutputLine(_ raw: String) -> String {
        var probe = raw
        let untouched = probe.withUTF8 { bytes -> Bool in
            let s = Redactor.scan(bytes)
            // Plain: no carriage return, nothing to sanitise; then only a secret could change it.
            return s.plain && (needles.isEmpty || (s.ascii && !asciiFilter.mayOccur(in: bytes)))
        }
        if untouched { return raw }
        return clean(Redactor.visibleAfterCarriageReturns(redact(raw)))
    }

    /// One raw output line as read (its bytes, without the newline), appended to `out` as
    /// `cleanOutputLine(String(decoding: raw, as: UTF8.self))` would give it, in UTF-8.
    ///
    /// The usual line, printable ASCII without a secret in it, is copied as it is: two passes of
    /// sixteen bytes at a time (`ByteScan`), one for a byte that is not printable ASCII (an escape,
    /// a carriage return, another control, DEL, part of a multi-byte character), one for the first
    /// byte of a secret's ASCII form; a line where one is found is asked of the filter, and when it
    /// may hold a secret, or holds anything but printable ASCII, gets the full work on its text.
    public func appendCleanOutputLine(_ raw: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        if ByteScan.isPlainASCII(raw) && !mayHoldSecret(asciiLine: raw) {
            out.append(contentsOf: raw)
            return
        }
        var cleaned = cleanOutputLine(String(decoding: raw, as: UTF8.self))
        cleaned.withUTF8 { out.append(contentsOf: $0) }
    }

    /// Whether every line within `bytes` (lines separated by newlines, as a read holds them) comes
    /// out of `appendCleanOutputLine` as it is: all printable ASCII, tabs and newlines, and no
    /// secret can occur anywhere in it (a secret across a newline only makes the answer no).
    public func leavesLinesAsTheyAre(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        ByteScan.isPlainASCII(bytes, newlines: true) && !mayHoldSecret(asciiLine: bytes)
    }

    /// For a line of printable ASCII: false only when no secret can occur in it.
    private func mayHoldSecret(asciiLine raw: UnsafeBufferPointer<UInt8>) -> Bool {
        if needles.isEmpty { return false }
        if let firstBytes, !ByteScan.containsAny(of: firstBytes, in: raw) { return false }
        return asciiFilter.mayOccur(in: raw)
    }

    /// A progress bar redraws with `\r`: what a terminal would show is the last non-empty segment.
    public static func visibleAfterCarriageReturns(_ text: String) -> String {
        var probe = text
        guard probe.withUTF8({ $0.contains(0x0D) }), text.contains("\r") else { return text }
        let segments = text.split(separator: "\r", omittingEmptySubsequences: true)
        return segments.last.map(String.init) ?? ""
    }

    // MARK: fast paths

    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var i = 0
        while bytes.count - i >= 8 {
            if UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < bytes.count { if base[i] >= 0x80 { return false }; i += 1 }
        return true
    }

    /// What one pass over UTF-8 finds: `plain` when `sanitize` keeps every scalar (no C0 control
    /// but tab, no DEL, no C1 control, so no escape sequence and no carriage return either);
    /// `ascii` when every byte is below 0x80.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> (plain: Bool, ascii: Bool) {
        let high: UInt64 = 0x8080_8080_8080_8080
        var ascii = true
        var i = 0
        let n = bytes.count
        guard let base = bytes.baseAddress else { return (true, true) }
        while i < n {
            if n - i >= 8 {
                let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                // Eight bytes, each 0x20...0x7E: below 0x80, at least 0x20 (adding 0x60 sets the top
                // bit), not 0x7F (adding 1 does not set it). No carry crosses a byte below 0x80.
                if x & high == 0, (x &+ 0x6060_6060_6060_6060) & high == high, (x &+ 0x0101_0101_0101_0101) & high == 0 {
                    i += 8
                    continue
                }
            }
            let b = base[i]
            if b >= 0x20 && b < 0x7F || b == 0x09 {
                i += 1
            } else if b < 0x80 {
                return (false, false)  // C0 control or DEL (`ascii` no longer matters)
            } else {
                ascii = false
                // C1 controls U+0080...U+009F are C2 80...C2 9F in UTF-8.
                if b == 0xC2, i + 1 < n, base[i + 1] >= 0x80 && base[i + 1] <= 0x9F { return (false, false) }
                i += 1
            }
        }
        return (true, ascii)
    }
}

/// Tells quickly that an all-ASCII text holds none of the secrets, so `redact` can skip the search.
/// Foundation's search matches canonically equivalent text (the Kelvin sign finds a K), so a needle
/// is looked for as its canonical decomposition as well; one whose decomposition is not all ASCII
/// cannot be in an all-ASCII text. Foundation also ends a needle at a NUL ("a" holds "a\0"), so
/// the part before one is looked for too. It may answer "maybe" where Foundation finds nothing (a
/// needle followed by a combining mark): the full search then decides, so it never changes a result.
struct ASCIINeedleFilter: Sendable {
    private var singles: [UInt64] = [0, 0, 0, 0]           // one-byte needles, a bit per byte value
    private var pairs: [UInt64] = []                       // longer needles, a bit per first two bytes
    private var byPair: [UInt16: [[UInt8]]] = [:]
    /// Every byte an ASCII form of a needle starts with, sorted.
    private(set) var firstBytes: [UInt8] = []

    init(_ needles: [String]) {
        guard !needles.isEmpty else { return }
        pairs = [UInt64](repeating: 0, count: 1024)
        var forms: Set<[UInt8]> = []
        for needle in needles {
            for form in [needle, needle.decomposedStringWithCanonicalMapping] {
                let bytes = Array(form.utf8)
                for candidate in [bytes, Array(bytes.prefix { $0 != 0 })] where candidate.allSatisfy({ $0 < 0x80 }) {
                    forms.insert(candidate)
                }
            }
        }
        firstBytes = Set(forms.compactMap(\.first)).sorted()
        for bytes in forms where !bytes.isEmpty {
            if bytes.count == 1 {
                singles[Int(bytes[0] >> 6)] |= 1 << UInt64(bytes[0] & 63)
            } else {
                let key = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
                pairs[Int(key >> 6)] |= 1 << UInt64(key & 63)
                byPair[key, default: []].append(bytes)
            }
        }
    }

    /// False only when none of the needles' ASCII forms occurs in `bytes`.
    func mayOccur(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !pairs.isEmpty, let base = bytes.baseAddress else { return false }
        let n = bytes.count
        return singles.withUnsafeBufferPointer { singles in
            pairs.withUnsafeBufferPointer { pairs in
                for i in 0..<n {
                    let b = base[i]
                    if singles[Int(b >> 6)] & (1 << UInt64(b & 63)) != 0 { return true }
                    guard i + 1 < n else { break }
                    let key = UInt16(b) << 8 | UInt16(base[i + 1])
                    guard pairs[Int(key >> 6)] & (1 << UInt64(key & 63)) != 0 else { continue }
                    for needle in byPair[key] ?? [] where needle.count <= n - i {
                        if needle.withUnsafeBufferPointer({ memcmp(base + i, $0.baseAddress!, $0.count) == 0 }) { return true }
                    }
                }
                return false
            }
        }
    }
}
