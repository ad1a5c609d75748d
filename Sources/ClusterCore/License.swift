import Foundation

// The license activation checklist: one row per app server node, from "key needed" to
// "activated (verified)". Pure: no files, no processes. The engine reads keys and facts from the
// nodes (LicenseProbes) and stores the checklist; views show it.
//
// In DX 8 a node's system key follows its MAC address, datasource profile, major version and
// edition. The facts in force when a key was recorded are kept, so a later change flags the node.

public enum LicenseStatus: String, Codable, Sendable, CaseIterable {
    case keyNeeded = "key-needed"
    case keyRecorded = "key-recorded"
    case licenseEntered = "license-entered"
    case activated = "activated"
    case needsReactivation = "needs-reactivation"
    /// The node left the answers: its row stays for the record (the system key its license was
    /// made for), and it is never read or verified again.
    case retired = "retired"

    /// What the operator reads.
    public var title: String {
        switch self {
        case .keyNeeded: return "key needed"
        case .keyRecorded: return "key recorded"
        case .licenseEntered: return "license entered"
        case .activated: return "activated (verified)"
        case .needsReactivation: return "needs re-activation"
        case .retired: return "retired"
        }
    }
}

/// What the system key depends on, plus the key itself as last read from the node.
public enum LicenseFact: String, Codable, Sendable, CaseIterable {
    case mac, profile, version, edition
    case systemKey = "system-key"

    public var title: String {
        switch self {
        case .mac: return "MAC"
        case .profile: return "datasource profile"
        case .version: return "Joget version"
        case .edition: return "edition"
        case .systemKey: return "system key"
        }
    }
}

/// One fact that differs from what was recorded with the key: `MAC 02:00:00:00:00:13 → 02:00:00:00:00:99`.
public struct FactChange: Codable, Equatable, Sendable, CustomStringConvertible {
    public var fact: LicenseFact
    public var old: String
    public var new: String
    public init(_ fact: LicenseFact, old: String, new: String) { self.fact = fact; self.old = old; self.new = new }
    public var description: String { "\(fact.title) \(old) → \(new)" }
}

/// The facts a node's system key depends on. nil: could not be read ("unknown").
public struct NodeFacts: Codable, Equatable, Sendable {
    public var mac: String?
    public var profile: String?
    public var version: String?
    public var edition: String?

    public init(mac: String? = nil, profile: String? = nil, version: String? = nil, edition: String? = nil) {
        self.mac = mac; self.profile = profile; self.version = version; self.edition = edition
    }

    public static let unknown = "unknown"

    public var summary: String {
        "MAC \(mac ?? Self.unknown), profile \(profile ?? Self.unknown), \(edition ?? Self.unknown) \(version ?? Self.unknown)"
    }

    /// What changed from `recorded` to `self` in a way that changes the key. A fact unknown on either
    /// side is not compared (cannot tell). Versions compare by major version only, as the key does.
    public func changes(since recorded: NodeFacts) -> [FactChange] {
        var out: [FactChange] = []
        if let old = recorded.mac, let new = mac, old.lowercased() != new.lowercased() { out.append(FactChange(.mac, old: old, new: new)) }
        if let old = recorded.profile, let new = profile, old != new { out.append(FactChange(.profile, old: old, new: new)) }
        if let old = recorded.version, let new = version, JogetBuild.major(old) != JogetBuild.major(new) {
            out.append(FactChange(.version, old: old, new: new))
        }
        if let old = recorded.edition, let new = edition, old.lowercased() != new.lowercased() {
            out.append(FactChange(.edition, old: old, new: new))
        }
        return out
    }

    /// These facts with the unknown ones taken from `other`.
    public func filled(from other: NodeFacts?) -> NodeFacts {
        NodeFacts(mac: mac ?? other?.mac, profile: profile ?? other?.profile,
                  version: version ?? other?.version, edition: edition ?? other?.edition)
    }
}

/// Edition and version as a bundle's file or folder name tells them:
/// `joget-enterprise-linux-8.1.6.tar.gz` → enterprise 8.1.6.
public struct JogetBuild: Equatable, Sendable {
    public var edition: String?
    public var version: String?
    public init(edition: String?, version: String?) { self.edition = edition; self.version = version }

    /// Reads `joget-<edition>-linux-<version>` from a path, a file name or a folder name; nil parts are unknown.
    public init(bundleName: String) {
        let name = JogetBuild.stem(bundleName)
        edition = nil; version = nil
        let lower = name.lowercased()
        guard lower.hasPrefix("joget-") else { return }
        let tail = lower.dropFirst("joget-".count)
        let middle: Substring
        let linux: Range<Substring.Index>
        if tail.hasPrefix("linux-") {
            middle = ""; linux = tail.startIndex..<tail.index(tail.startIndex, offsetBy: 6)
        } else if let r = tail.range(of: "-linux-") {
            middle = tail[..<r.lowerBound]; linux = r
        } else { return }
        let rest = tail[linux.upperBound...]
        // "dx8" and the like name the product line, not the edition.
        let words = middle.split(separator: "-").filter { !($0.hasPrefix("dx") && $0.dropFirst(2).allSatisfy(\.isNumber)) }
        if !words.isEmpty { edition = words.joined(separator: "-") }
        let digits = rest.prefix { $0.isNumber || $0 == "." }
        let trimmed = digits.hasSuffix(".") ? String(digits.dropLast()) : String(digits)
        if let first = trimmed.first, first.isNumber { version = trimmed }
    }

    /// A bundle's file name without its folder and archive extension: `joget-enterprise-linux-8.1.6`.
    public static func stem(_ path: String) -> String {
        var name = String(path.split(separator: "/").last ?? "")
        for ext in [".tar.gz", ".tgz", ".tar.xz", ".tar", ".zip"] where name.lowercased().hasSuffix(ext) {
            name = String(name.dropLast(ext.count)); break
        }
        return name
    }

    /// `8` for `8.1.6`.
    public static func major(_ version: String) -> String {
        String(version.prefix { $0 != "." })
    }
}

/// One status a row entered, when, and why in words.
public struct StatusChange: Codable, Equatable, Sendable {
    public var status: LicenseStatus
    public var at: Date
    public var note: String?
    public init(_ status: LicenseStatus, at: Date, note: String? = nil) { self.status = status; self.at = at; self.note = note }
}

/// Where a recorded system key came from.
public enum KeySource: String, Codable, Sendable {
    case read    // read from the node's own pages
    case pasted  // typed or pasted by the operator
}

/// One app server node's license.
public struct LicenseRow: Codable, Equatable, Sendable {
    public var node: String
    public var host: String          // the answers' host name
    public var address: String       // where the operator's browser reaches it
    public var port: Int             // the node's own HTTP port: bypasses the balancer
    public var systemKey: String?
    public var keySource: KeySource?
    /// Secret: shown masked unless revealed; stored only in licenses.json (0600); never exported or logged.
    public var licenseKey: String?
    public var status: LicenseStatus
    public var history: [StatusChange]
    /// The facts in force when the system key was recorded.
    public var recorded: NodeFacts?
    /// The facts last read from the node, and when.
    public var current: NodeFacts?
    public var lastRead: Date?
    /// The key last read from the node's pages (may differ from the recorded one).
    public var currentKey: String?
    /// Why the node needs re-activation (set with that status).
    public var reactivation: [FactChange]
    /// The last verification or read, in words ("cannot tell: ...").
    public var lastCheck: String?

    public init(node: String, host: String, address: String, port: Int, at: Date) {
        self.node = node; self.host = host; self.address = address; self.port = port
        status = .keyNeeded
        history = [StatusChange(.keyNeeded, at: at)]
        reactivation = []
    }

    /// The node's own console, not the balancer's: where its key is read and its license entered.
    public var url: String {
        let h = address.contains(":") && !address.hasPrefix("[") ? "[\(address)]" : address
        return "http://\(h):\(port)/jw/web/console/home"
    }

    /// When the row entered its present status.
    public var statusSince: Date? { history.last(where: { $0.status == status })?.at }

    /// `****` and the last 4 characters, unless revealed; "" when there is none.
    public func license(revealed: Bool) -> String {
        guard let licenseKey else { return "" }
        return revealed ? licenseKey : LicenseRow.mask(licenseKey)
    }

    /// Not in the answers any more: kept for the record only.
    public var isRetired: Bool { status == .retired }

    /// The status its keys say: what a node comes back to after being activated or retired.
    var statusFromKeys: LicenseStatus {
        licenseKey != nil ? .licenseEntered : systemKey != nil ? .keyRecorded : .keyNeeded
    }

    public static func mask(_ secret: String) -> String {
        Redactor.mask + (secret.count >= 12 ? String(secret.suffix(4)) : "")
    }

    /// The status with its reason: `needs re-activation: MAC a → b`.
    public var statusText: String {
        guard status == .needsReactivation, !reactivation.isEmpty else { return status.title }
        return status.title + ": " + reactivation.map(\.description).joined(separator: "; ")
    }

    /// Edition and version for a license request: as recorded with the key, else as last read.
    public var build: (edition: String, version: String) {
        let f = (recorded ?? NodeFacts()).filled(from: current)
        return (f.edition ?? NodeFacts.unknown, f.version ?? NodeFacts.unknown)
    }

    /// Enters a status; the last check said something about the old one, so it goes.
    mutating func move(to next: LicenseStatus, at: Date, note: String? = nil) {
        guard next != status else { return }
        status = next
        lastCheck = nil
        history.append(StatusChange(next, at: at, note: note))
    }
}

/// A checklist entry the operator got wrong: which field of which node, and the value (masked for a license).
public struct LicenseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String    // "node02 system key"
    public var message: String
    public init(_ field: String, _ message: String) { self.field = field; self.message = message }
    public var description: String { "\(field): \(message)" }

    /// Why nothing is done on a retired node: `node "node02": retired (no longer in the answers): nothing to read`.
    public static func retired(_ node: String, _ what: String) -> LicenseError {
        LicenseError("node \"\(node)\"", "retired (no longer in the answers): \(what)")
    }
}

/// One thing the checklist's work found, tied to the node it is about, so that a screen can file it
/// under that node without reading it back out of the text.
public struct LicenseNote: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The node it is about; nil for the checklist as a whole (its file's mode, another cluster's file).
    public var node: String?
    /// What a node's "Seen" line shows: the words without the node's name in front.
    public var text: String
    /// The note as logged and printed: `node01: text`, or the text alone when it names the node itself.
    public var line: String

    /// A note about `node`, printed after its name.
    public init(_ node: String, _ text: String) {
        self.node = node; self.text = text; line = "\(node): \(text)"
    }

    /// A note whose text names its node itself (an error's field), or that is about no node.
    public init(node: String?, line: String) {
        self.node = node; text = line; self.line = line
    }

    public var description: String { line }

    /// The same note with `clean` applied to its words (masking license keys).
    public func map(_ clean: (String) -> String) -> LicenseNote {
        var n = self
        n.text = clean(text); n.line = clean(line)
        return n
    }
}

public struct LicenseChecklist: Codable, Equatable, Sendable {
    /// The newest format this program reads. 2 has retired rows; a checklist without any is still
    /// written as 1, so a program from before retired rows keeps reading it.
    public static let formatVersion = 2
    public var formatVersion = 1
    public var cluster: String
    /// Said in the file itself, for whoever opens it.
    public var note = "License keys are kept in this file only; keep it mode 0600."
    public var rows: [LicenseRow]

    /// A fresh checklist: every node needs its key.
    public init(answers: Answers, at: Date) {
        cluster = answers.cluster
        rows = []
        _ = sync(with: answers, at: at)
    }

    public func row(_ node: String) -> LicenseRow? { rows.first { $0.node == node } }

    /// Every license key held, for a redactor (retired rows' too).
    public var licenseKeys: [String] { rows.compactMap(\.licenseKey) }

    /// The rows of nodes in the answers, in their order.
    public var liveRows: [LicenseRow] { rows.filter { !$0.isRetired } }

    /// Follows the answers: a row per node in their order, address and port updated. The row of a
    /// node no longer in the answers is retired, not dropped: it keeps its system key, license,
    /// facts and history (the vendor asks which key a freed license was made for) and goes after
    /// the live rows. A retired node back in the answers takes up its row again, at the status its
    /// keys say. Returns what changed, in words.
    public mutating func sync(with answers: Answers, at: Date) -> [LicenseNote] {
        var notes: [LicenseNote] = []
        var next: [LicenseRow] = []
        cluster = answers.cluster
        for node in answers.appServers.nodes {
            let address = answers.host(named: node.host)?.address ?? node.host
            let port = answers.httpPort(of: node)
            if var row = row(node.name) {
                if row.isRetired {
                    let back = row.statusFromKeys
                    row.reactivation = []
                    row.move(to: back, at: at, note: "\(node.name) back in the answers on host \(node.host)"
                        + (row.systemKey == nil ? "" : "; its recorded key is kept: a refresh tells whether the node still has it"))
                    notes.append(LicenseNote(node.name, "back in the answers, \(back.title) again"))
                }
                if row.address != address || row.port != port || row.host != node.host {
                    let before = row.url
                    row.host = node.host; row.address = address; row.port = port
                    notes.append(LicenseNote(node.name, "URL now \(row.url) (was \(before))"))
                }
                next.append(row)
            } else {
                next.append(LicenseRow(node: node.name, host: node.host, address: address, port: port, at: at))
                if !rows.isEmpty { notes.append(LicenseNote(node.name, "new node, key needed")) }
            }
        }
        for var row in rows where !next.contains(where: { $0.node == row.node }) {
            if !row.isRetired {
                let kept = row.systemKey == nil ? "no system key was recorded" : "its system key is kept"
                row.move(to: .retired, at: at, note: "\(row.node) retired: no longer in the answers; \(kept)")
                notes.append(LicenseNote(row.node, "no longer in the answers, retired in the checklist (\(kept))"))
            }
            next.append(row)
        }
        rows = next
        formatVersion = rows.contains(where: \.isRetired) ? 2 : 1
        return notes
    }

    private func index(_ node: String) throws(LicenseError) -> Int {
        guard let i = rows.firstIndex(where: { $0.node == node }) else {
            throw LicenseError("node \"\(node)\"", "there is no app server node by that name (nodes: \(rows.map(\.node).joined(separator: ", ")))")
        }
        return i
    }

    // MARK: Plausibility

    /// A pasted system key, trimmed; throws when it cannot be a system key or another node has it.
    /// Not checked as 32 hex digits: newer keys are `EE-` prefixed.
    public func checkSystemKey(_ raw: String, for node: String) throws(LicenseError) -> String {
        let i = try index(node)
        if rows[i].isRetired { throw .retired(node, "its system key is kept as recorded; nothing to record") }
        let field = "\(node) system key"
        let key = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { throw LicenseError(field, "is empty: copy it from the license pop-up at \(rows[i].url)") }
        if key.contains(where: { $0.isWhitespace }) {
            throw LicenseError(field, "\(Self.show(key)) has a space or line break inside: paste the key alone")
        }
        if let bad = key.unicodeScalars.first(where: { !(0x21...0x7E).contains($0.value) }) {
            throw LicenseError(field, "\(Self.show(key)) holds \(Self.describe(bad)), which no system key has: paste the key alone")
        }
        guard (8...128).contains(key.count) else {
            throw LicenseError(field, "\(Self.show(key)) is \(key.count) characters long; a system key has 8 to 128")
        }
        // A retired node is no longer behind the balancer: its key back on a new node is its machine again.
        for other in rows where other.node != node && other.host != rows[i].host && !other.isRetired {
            if let theirs = other.systemKey, theirs.lowercased() == key.lowercased() {
                throw LicenseError(field, "\(Self.show(key)) is also \(other.node)'s key. Two nodes with one key means the key was read "
                    + "through the balancer, not from the node directly: open \(node)'s own URL \(rows[i].url)")
            }
        }
        return key
    }

    /// A pasted license key with every space and line break removed (mail wraps long keys); throws
    /// when it cannot be a license. Messages show it masked.
    public func checkLicense(_ raw: String, for node: String) throws(LicenseError) -> String {
        let i = try index(node)
        if rows[i].isRetired { throw .retired(node, "nothing to record") }
        let field = "\(node) license key"
        let license = String(raw.filter { !$0.isWhitespace })
        let shown = LicenseRow.mask(license) + " (\(license.count) characters)"
        guard !license.isEmpty else { throw LicenseError(field, "is empty: paste the license key from Joget's e-mail") }
        if license.unicodeScalars.contains(where: { !(0x21...0x7E).contains($0.value) }) {
            throw LicenseError(field, "\(shown) holds characters outside printable ASCII: paste the license key alone")
        }
        guard (16...16_384).contains(license.count) else {
            throw LicenseError(field, "\(shown) is \(license.count) characters long: too \(license.count < 16 ? "short" : "long") for a license key")
        }
        for other in rows {
            if let key = other.systemKey, key.lowercased() == license.lowercased() {
                throw LicenseError(field, "\(Self.show(license)) is \(other.node)'s system key, not a license: the license arrives by e-mail after you request it with the key")
            }
        }
        // A retired node's license is free again (for a node with the same system key).
        for other in rows where other.node != node && other.host != rows[i].host && !other.isRetired {
            if other.licenseKey == license {
                throw LicenseError(field, "\(shown) is already \(other.node)'s license: each node has its own license, made for its own system key")
            }
        }
        return license
    }

    /// A value for a message: quoted, controls made visible, long ones cut.
    static func show(_ value: String) -> String {
        var s = ""
        for scalar in value.unicodeScalars {
            switch scalar.value {
            case 0x20...0x7E where scalar != "\"" && scalar != "\\": s.unicodeScalars.append(scalar)
            case 0x22: s += "\\\""
            case 0x5C: s += "\\\\"
            case 0x09: s += "\\t"
            case 0x0A: s += "\\n"
            case 0x0D: s += "\\r"
            case 0x00...0x1F, 0x7F...0x9F: s += String(format: "\\u{%X}", scalar.value)
            default: s.unicodeScalars.append(scalar)
            }
        }
        if s.count > 72 { s = String(s.prefix(60)) + "… (\(value.count) characters)" }
        return "\"\(s)\""
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        String(format: "the character U+%04X", scalar.value)
    }

    // MARK: Transitions

    /// Records a node's system key with the facts in force now. A new key starts the node over at
    /// "key recorded" (a license entered for an older key is dropped: it was made for that key).
    /// The same key again confirms it with these facts and clears a re-activation flag.
    public mutating func setSystemKey(_ raw: String, for node: String, facts: NodeFacts?, source: KeySource, at: Date) throws(LicenseError) {
        let key = try checkSystemKey(raw, for: node)
        let i = try index(node)
        var row = rows[i]
        let how = source == .read ? "read from \(row.url)" : "pasted"
        if let old = row.systemKey, old.lowercased() == key.lowercased() {
            row.recorded = facts ?? row.recorded
            row.currentKey = row.currentKey ?? key
            if row.status == .needsReactivation {
                row.reactivation = []
                row.move(to: row.licenseKey == nil ? .keyRecorded : .licenseEntered, at: at,
                         note: "the same key \(how) again; facts now \(row.recorded?.summary ?? "unknown")")
            }
        } else {
            var note = "key \(how); \(facts?.summary ?? "facts unknown")"
            if let old = row.systemKey {
                note += "; replaces \(old)"
                if let license = row.licenseKey {
                    note += "; license \(LicenseRow.mask(license)) dropped: it was made for the old key"
                    row.licenseKey = nil
                }
            }
            row.systemKey = key
            row.keySource = source
            row.recorded = facts
            row.reactivation = []
            if row.status == .keyRecorded {
                row.history.append(StatusChange(.keyRecorded, at: at, note: note))  // a new key is a new start
            } else {
                row.move(to: .keyRecorded, at: at, note: note)
            }
        }
        rows[i] = row
    }

    /// Records that the license was pasted into the node's pop-up. Needs the node's current key.
    public mutating func setLicense(_ raw: String, for node: String, at: Date) throws(LicenseError) {
        let i = try index(node)
        let row = rows[i]
        let field = "\(node) license key"
        switch row.status {
        case .retired:
            throw .retired(node, "nothing to record")
        case .keyNeeded:
            throw LicenseError(field, "\(node) has no system key recorded yet: record it first (from \(row.url)); the license is made for that key")
        case .needsReactivation:
            throw LicenseError(field, "\(node) needs re-activation (\(row.reactivation.map(\.description).joined(separator: "; "))): "
                + "record its new system key from \(row.url) first, then request a license for that key")
        default: break
        }
        let license = try checkLicense(raw, for: node)
        rows[i].licenseKey = license
        if rows[i].status == .licenseEntered {
            rows[i].history.append(StatusChange(.licenseEntered, at: at, note: "license \(LicenseRow.mask(license)) entered again"))
        } else {
            rows[i].move(to: .licenseEntered, at: at, note: "license \(LicenseRow.mask(license)) entered")
        }
    }

    /// What a read of the node found (refresh): records a key found on a node that needed one,
    /// fills facts unknown at key capture, and flags a node whose facts or key changed since.
    /// Returns what happened, in words.
    @discardableResult
    public mutating func apply(_ seen: NodeObservation, at: Date) -> [LicenseNote] {
        guard let i = rows.firstIndex(where: { $0.node == seen.node }), !rows[i].isRetired else { return [] }
        var notes: [LicenseNote] = seen.problems.map { LicenseNote(seen.node, $0) }
        rows[i].current = seen.facts
        rows[i].lastRead = at
        if case .found(let key, _) = seen.key { rows[i].currentKey = key }

        guard rows[i].systemKey != nil else {
            switch seen.key {
            case .found(let key, let place):
                do throws(LicenseError) {
                    try setSystemKey(key, for: seen.node, facts: seen.facts, source: .read, at: at)
                    notes.append(LicenseNote(seen.node, "system key \(key) read from \(place)"))
                } catch {
                    rows[i].lastCheck = error.description
                    notes.append(LicenseNote(node: seen.node, line: error.description))
                }
            case .notFound(let why):
                let text = "system key not found (\(why)): open \(rows[i].url), then paste it"
                rows[i].lastCheck = text
                // A node that could not be read at all is already in the problems.
                if !seen.problems.contains(where: { why.hasSuffix($0) }) { notes.append(LicenseNote(seen.node, text)) }
            }
            return notes
        }

        var row = rows[i]
        if let recorded = row.recorded {
            let filled = recorded.filled(from: seen.facts)
            if filled != recorded {
                notes.append(LicenseNote(row.node, "facts unknown when the key was recorded are now filled in: \(filled.summary)"))
                row.recorded = filled
            }
        } else {
            row.recorded = seen.facts
            notes.append(LicenseNote(row.node, "facts recorded with the key: \(seen.facts.summary)"))
        }
        var changes = seen.facts.changes(since: row.recorded ?? NodeFacts())
        if case .found(let key, _) = seen.key, let old = row.systemKey, old.lowercased() != key.lowercased() {
            changes.append(FactChange(.systemKey, old: old, new: key))
        }
        if !changes.isEmpty {
            let text = changes.map(\.description).joined(separator: "; ")
            if row.status != .needsReactivation {
                row.move(to: .needsReactivation, at: at, note: text)
                notes.append(LicenseNote(row.node, "needs re-activation: \(text)"))
            } else if row.reactivation != changes {
                row.history.append(StatusChange(.needsReactivation, at: at, note: text))
                notes.append(LicenseNote(row.node, "needs re-activation: \(text)"))
            }
            row.reactivation = changes
        } else if row.status == .needsReactivation, row.reactivation.allSatisfy({ seen.knows($0.fact) }) {
            // Back only when every fact that flagged the node was read again: a node that could not
            // be read shows no change, which says nothing.
            let back = row.history.last(where: { $0.status != .needsReactivation && $0.status != .retired })?.status ?? .keyRecorded
            row.reactivation = []
            row.move(to: back, at: at, note: "facts are again as when the key was recorded")
            notes.append(LicenseNote(row.node, "facts are again as when the key was recorded: back to \(back.title)"))
        }
        rows[i] = row
        return notes
    }

    /// What a look at the node's console found (verify).
    @discardableResult
    public mutating func apply(_ check: ActivationCheck, for node: String, at: Date) -> LicenseNote? {
        guard let i = rows.firstIndex(where: { $0.node == node }), !rows[i].isRetired else { return nil }
        var row = rows[i]
        let text: String
        switch check {
        case .activated(let evidence):
            if row.status == .needsReactivation {
                text = "shows no license link (\(evidence)), but its \(row.reactivation.map(\.fact.title).joined(separator: ", ")) changed since its key was recorded: it will ask again; record its new key"
            } else {
                row.move(to: .activated, at: at, note: evidence)
                text = "activated (verified): \(evidence)"
            }
        case .notActivated(let evidence):
            if row.status == .activated {
                let back = row.statusFromKeys
                row.move(to: back, at: at, note: "no longer activated: \(evidence)")
                text = "no longer activated: \(evidence)"
            } else {
                text = "not activated yet: \(evidence)"
            }
        case .cannotTell(let what):
            text = "cannot tell: \(what)"
        }
        row.lastCheck = text
        rows[i] = row
        return LicenseNote(node, text)
    }
}

/// A system key read from a node's pages, or why none was.
public enum KeyReading: Equatable, Sendable {
    case found(String, place: String)  // place: which page showed it
    case notFound(String)              // what was seen instead, in words
}

/// Whether a node's console shows it licensed. Never a guess: `cannotTell` says what was seen.
public enum ActivationCheck: Equatable, Sendable {
    case activated(String)      // evidence
    case notActivated(String)   // evidence
    case cannotTell(String)     // what was seen

    public var text: String {
        switch self {
        case .activated(let e): return "activated: \(e)"
        case .notActivated(let e): return "not activated: \(e)"
        case .cannotTell(let e): return "cannot tell: \(e)"
        }
    }
}

/// What one read of a node found: the facts behind its key, the key on its pages, and activation.
public struct NodeObservation: Equatable, Sendable {
    /// Whether this read saw `fact` at all.
    public func knows(_ fact: LicenseFact) -> Bool {
        switch fact {
        case .mac: facts.mac != nil
        case .profile: facts.profile != nil
        case .version: facts.version != nil
        case .edition: facts.edition != nil
        case .systemKey: if case .found = key { true } else { false }
        }
    }

    public var node: String
    public var facts: NodeFacts
    public var key: KeyReading
    public var activation: ActivationCheck
    public var problems: [String]   // what could not be read, in words
    public init(node: String, facts: NodeFacts, key: KeyReading, activation: ActivationCheck, problems: [String] = []) {
        self.node = node; self.facts = facts; self.key = key; self.activation = activation; self.problems = problems
    }
}
