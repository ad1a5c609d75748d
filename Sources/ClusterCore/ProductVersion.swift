/// What `joget-cluster --version` prints. The number moves when a CHANGELOG.md section is
/// released; a test holds the two together.
public enum ProductVersion {
    public static let number = "0.1.0-dev"
    /// The title of CHANGELOG.md's latest section.
    public static let changelogSection = "Unreleased"
    public static var text: String { "joget-cluster \(number) (CHANGELOG: \(changelogSection))" }
}
