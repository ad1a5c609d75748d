import ClusterCore
@testable import ClusterEngine
import Foundation
import TermUI
import TestSupport
import Testing
@testable import Wizard

/// The license page with node02 taken out of the answers: its row stays, muted, after the others,
/// and nothing is done to it.
@Suite("License page, retired node") struct LicenseRetirePageTests {
    typealias F = LicenseFixtures

    /// Three nodes (activated, license entered, key recorded), then opened with node02 gone.
    static func open(snapshot: String? = nil) async throws -> (LicenseHarness, Answers, String) {
        let three = F.answers(nodes: 3)
        let dir = try F.stateDir(three, stages: [.activated, .entered, .recorded], in: snapshot.map(F.fixedDir))
        var a = three
        a.appServers.nodes.removeAll { $0.name == "node02" }
        return (try await F.page(a, dir: dir), a, dir)
    }

    @Test func snapshotRetiredRow() async throws {
        let (page, a, _) = try await Self.open(snapshot: "retired")
        #expect(page.checklist.rows.map(\.node) == ["node01", "node03", "node02"])
        _ = page.handle(.end)
        #expect(page.current?.node == "node02")
        assertSnapshot(F.frame(page, a, width: 80, height: 24), named: "license-retired-80x24")
    }

    @Test func titleCountsLiveNodesAndTheRowIsMuted() async throws {
        let (page, a, _) = try await Self.open()
        let theme = Theme.colored()
        let b = F.frame(page, a, width: 100, height: 30, theme: theme)
        let lines = b.lines()
        #expect(lines.contains { $0.contains("License activation: 1 of 2 nodes activated, 1 retired") })
        // node02's row, under the selected node01: every cell of its node name and status muted.
        let y = try #require(lines.firstIndex { $0.contains("node02") && $0.contains("retired") })
        let line = lines[y]
        for word in ["node02", "retired"] {
            let x = line.distance(from: line.startIndex, to: try #require(line.range(of: word)).lowerBound)
            #expect(b[x, y].style == theme[.muted], "\(word) drawn muted")
        }
        let live = try #require(lines.firstIndex { $0.contains("node03") && $0.contains("key recorded") })
        let x = lines[live].distance(from: lines[live].startIndex, to: try #require(lines[live].range(of: "node03")).lowerBound)
        #expect(b[x, live].style == theme[.normal])
    }

    @Test func nothingIsDoneToARetiredNode() async throws {
        let (page, a, dir) = try await Self.open()
        let before = try #require(try LicenseStore(directory: dir).load())
        _ = page.handle(.end)
        let refusal = "node \"node02\": retired (no longer in the answers): "
        _ = page.handle(.enter)
        #expect(page.message == refusal + "nothing to do; its system key is kept for the record")
        _ = page.handle(.char("k"))
        #expect(page.modal == nil)
        #expect(page.message == refusal + "its system key is kept as recorded; nothing to record")
        #expect(page.messageRole == .error)
        _ = page.handle(.char("l"))
        #expect(page.modal == nil && page.message == refusal + "nothing to record")
        _ = page.handle(.char("c"))
        #expect(page.message == refusal + "nothing to verify")
        #expect(page.running == 0, "nothing was sent to the desk")
        await page.settle()
        #expect(try LicenseStore(directory: dir).load()?.row("node02") == before.row("node02"))

        // The detail says why and keeps the key; leaving lists only live nodes as left to do.
        let screen = F.frame(page, a, width: 100, height: 40).text
        #expect(screen.contains(F.systemKey(2)))
        #expect(screen.contains("None: the node left the answers"))
        _ = page.handle(.escape)
        let leave = F.frame(page, a, width: 100, height: 40).text
        #expect(leave.contains("Left to do: node03 (key recorded)."))
        #expect(!LicenseApp.farewell(page.checklist, page: page.value).contains("node02"))
    }
}
