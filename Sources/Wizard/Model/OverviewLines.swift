import ClusterEngine
import TermUI

/// The cluster overview's rows as lines, for `status` and the Welcome page alike: `! Label  text`,
/// the label column as wide as the widest label, a long row wrapped under its own text.
enum OverviewLines {
    struct Line: Equatable {
        var text: String
        var needsAttention: Bool
    }

    /// - Parameters:
    ///   - width: the whole line's width; nil keeps each row on one line (a pipe, a log).
    ///   - withCommands: each row's command after its text (`status`); the Welcome page leaves
    ///     them out, its menu being the way on.
    static func lines(_ rows: [ClusterOverview.Row], width: Int?, withCommands: Bool) -> [Line] {
        let labelWidth = rows.map(\.label.count).max() ?? 0
        let indent = String(repeating: " ", count: labelWidth + 4)
        var out: [Line] = []
        for row in rows {
            let head = (row.needsAttention ? "! " : "  ") + row.label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  "
            let text = withCommands ? row.line : row.text
            let pieces = width.map { wrap(text, width: max(20, $0 - indent.count)) } ?? [text]
            for (i, piece) in pieces.enumerated() {
                out.append(Line(text: (i == 0 ? head : indent) + piece, needsAttention: row.needsAttention))
            }
        }
        return out
    }

    /// Word wrap that keeps a number and its unit on one line ("6 B", "3.3 KiB").
    static func wrap(_ text: String, width: Int) -> [String] {
        let glue: Character = "\u{00A0}"
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var i = 0
        while i + 1 < words.count {
            let number = words[i].drop { $0 == "(" }
            let isNumber = number.contains(where: \.isNumber) && number.allSatisfy { $0.isNumber || $0 == "." }
            if isNumber, ["B", "KiB", "MiB", "GiB", "TiB"].contains(words[i + 1].trimmingCharacters(in: .punctuationCharacters)) {
                words[i] += String(glue) + words.remove(at: i + 1)
            }
            i += 1
        }
        return TextLayout.wrap(words.joined(separator: " "), width: width).map { String($0.map { $0 == glue ? " " : $0 }) }
    }
}
