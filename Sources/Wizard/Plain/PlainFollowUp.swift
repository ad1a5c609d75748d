import ClusterCore
import Foundation

/// What line mode does once the install has finished, as the full screen goes on after the Run
/// page: Verify, the license checklist, then the Summary, each under its heading.
public struct PlainFollowUp: Sendable {
    /// Runs the checks, printing a line each; returns `joget-cluster verify`'s exit status.
    public var verify: @Sendable () async -> Int32
    /// Prints the license checklist.
    public var licenses: @Sendable () async throws -> Void
    /// The Summary page's text, read after the checks and the checklist were saved.
    public var summary: @Sendable () -> String
    public var write: @Sendable (String) -> Void

    public init(verify: @escaping @Sendable () async -> Int32, licenses: @escaping @Sendable () async throws -> Void,
                summary: @escaping @Sendable () -> String, write: @escaping @Sendable (String) -> Void) {
        self.verify = verify; self.licenses = licenses; self.summary = summary; self.write = write
    }

    /// Every part, in order; the checks' exit status (a failed check still shows the rest).
    public func run() async throws -> Int32 {
        write("\n== Verify ==\n")
        let code = await verify()
        write("\n== License checklist ==\n")
        try await licenses()
        write("\n== Summary ==\n")
        write(summary())
        return code
    }
}

extension SummaryScreen {
    /// The page as lines of text (line mode), wrapped at `width`.
    public func plainText(width: Int = 80) -> String {
        rows(width: width).map { row in
            row.spans.isEmpty ? "" : String(repeating: " ", count: max(0, row.indent - 1)) + row.spans.map(\.0).joined()
        }.joined(separator: "\n") + "\n"
    }
}
