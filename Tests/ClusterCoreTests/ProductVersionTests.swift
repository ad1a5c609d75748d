import Foundation
import Testing
import TestSupport
@testable import ClusterCore

@Suite struct ProductVersionTests {
    /// The version names CHANGELOG.md's latest section; a released section's title is the number.
    @Test func theVersionFollowsTheChangelog() throws {
        let changelog = try String(contentsOf: packageRoot.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        let latest = try #require(changelog.split(separator: "\n").first { $0.hasPrefix("## [") })
        let title = latest.dropFirst(4).prefix { $0 != "]" }
        #expect(String(title) == ProductVersion.changelogSection)
        if title != "Unreleased" { #expect(ProductVersion.number == String(title)) }
    }

    @Test(.enabled(if: BuiltBinary.path != nil, "the joget-cluster binary is not built"))
    func versionIsPrinted() throws {
        let r = Program.run([try #require(BuiltBinary.path), "--version"], mergeErrors: true)
        #expect(r.status == 0)
        #expect(r.output == ProductVersion.text + "\n")
    }
}
