/// Files from screens/ and assets/, built into the binary.
public enum Assets {
    public static func text(_ path: String) -> String? { EmbeddedFiles.all[path] }
    public static func paths(under folder: String) -> [String] {
        EmbeddedFiles.all.keys.filter { $0.hasPrefix(folder + "/") }.sorted()
    }
}
