import Foundation

/// The joget-cluster binary built with the tests: $JOGET_CLUSTER_BINARY, else beside the test
/// bundle, else in the package's build folders; nil when it is not built.
public enum BuiltBinary {
    public static var path: String? {
        if let b = ProcessInfo.processInfo.environment["JOGET_CLUSTER_BINARY"] { return b }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("joget-cluster").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for scratch in [".build-wiz", ".build"] {
            let p = root.appendingPathComponent("\(scratch)/debug/joget-cluster").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }
}
