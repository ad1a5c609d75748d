import ClusterCore
import Foundation
import Testing

@Suite struct EmbeddedAssetsTests {
    /// Files added under screens/ or assets/ are only embedded after SwiftPM plans the build again
    /// (`touch Package.swift`); this catches a binary built from a stale list.
    @Test func everyFileOnDiskIsEmbeddedWithTheSameText() throws {
        for folder in ["screens", "assets"] {
            let base = packageRoot.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where !url.hasDirectoryPath && !url.lastPathComponent.hasPrefix(".") {
                let relative = String(url.standardizedFileURL.path.dropFirst(packageRoot.standardizedFileURL.path.count + 1))
                let onDisk = try String(contentsOf: url, encoding: .utf8)
                #expect(Assets.text(relative) == onDisk, "\(relative) is not embedded as on disk: touch Package.swift and build again")
            }
        }
        #expect(Assets.text("assets/examples/two-node.yaml") != nil)
    }
}
