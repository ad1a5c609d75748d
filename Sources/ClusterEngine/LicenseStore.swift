import ClusterCore
import Foundation

public enum LicenseStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case corrupt(path: String, reason: String)
    case newerFormat(path: String, version: Int)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let p, let why):
            return "license checklist \(p) cannot be read: \(why)"
        case .corrupt(let p, let why):
            return "license checklist \(p) is damaged (\(why)). It holds license keys, so it is left as it is: "
                + "repair it, or move it aside to start a new checklist"
        case .newerFormat(let p, let v):
            return "license checklist \(p) has format \(v), newer than this program reads (\(LicenseChecklist.formatVersion)): use a newer joget-cluster"
        case .cannotWrite(let p, let why):
            return "license checklist \(p) cannot be written: \(why)"
        }
    }
}

/// `licenses.json` in the cluster's state folder: the checklist, license keys included. It is the
/// one place license keys are kept, so it is written atomically with mode 0600, and a damaged
/// file is never overwritten.
public struct LicenseStore: Sendable {
    public static let fileName = "licenses.json"
    public let path: String

    public init(path: String) { self.path = path }
    public init(stateDir: StateDir) { path = stateDir.licensesPath }
    /// `licenses.json` in an explicit folder (tests, `--state-dir`).
    public init(directory: String) { path = (directory as NSString).appendingPathComponent(Self.fileName) }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// The stored checklist, or nil when there is none yet. A file readable by others is made 0600
    /// again (a warning says so).
    public func load(warn: (String) -> Void = { _ in }) throws(LicenseStoreError) -> LicenseChecklist? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let mode = Int(info.st_mode) & 0o777
        if mode & 0o077 != 0 {
            if chmod(path, 0o600) == 0 {
                warn("\(path) was readable by others (mode \(String(mode, radix: 8))); it holds license keys: now 0600")
            } else {
                warn("\(path) is readable by others (mode \(String(mode, radix: 8))) and holds license keys: run chmod 600 \(path)")
            }
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "permission denied or not a file")
        }
        return try Self.decode(data, path: path)
    }

    public func save(_ checklist: LicenseChecklist) throws(LicenseStoreError) {
        let data = Self.encode(checklist)
        do { try AtomicFile.write(data, to: path, mode: 0o600) } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
    }

    public static func encode(_ checklist: LicenseChecklist) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding plain structs of strings, numbers and dates cannot fail.
        return (try? encoder.encode(checklist)).map { $0 + Data("\n".utf8) } ?? Data()
    }

    public static func decode(_ data: Data, path: String) throws(LicenseStoreError) -> LicenseChecklist {
        struct Header: Decodable { var formatVersion: Int? }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let version: Int?
        do { version = try decoder.decode(Header.self, from: data).formatVersion } catch {
            throw .corrupt(path: path, reason: "not a JSON object")
        }
        if let version, version > LicenseChecklist.formatVersion { throw .newerFormat(path: path, version: version) }
        do { return try decoder.decode(LicenseChecklist.self, from: data) } catch let error as DecodingError {
            throw .corrupt(path: path, reason: describe(error))
        } catch {
            throw .corrupt(path: path, reason: "\(error)")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop(while: { $0 == "." }).description
        }
        switch error {
        case .keyNotFound(let key, let c): return "\(at(c.codingPath + [key])) is missing"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "\(at(c.codingPath)): \(c.debugDescription)"
        case .dataCorrupted(let c): return "\(at(c.codingPath)): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
