import ClusterCore
import Foundation

/// The example answers shipped in assets/, as every test sees them.
func exampleAnswers() throws -> Answers {
    try AnswersFile.decode(Assets.text("assets/examples/two-node.yaml")!)
}

/// The package's root folder, for tests that read files beside the sources.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
