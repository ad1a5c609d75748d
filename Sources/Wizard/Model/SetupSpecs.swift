import ClusterCore
import TermUI

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
