/// One thing wrong with the answers: which field, and what, in words.
public struct Problem: Equatable, Sendable, CustomStringConvertible {
    public var field: String    // a path such as "hosts[2].address" or "database.port"
    public var message: String  // names the value, except for secrets
    public init(_ field: String, _ message: String) { self.field = field; self.message = message }
    public var description: String { "\(field): \(message)" }
}

/// The answers could not be used; every problem is listed.
public struct InvalidAnswers: Error, CustomStringConvertible {
    public var problems: [Problem]
    public init(_ problems: [Problem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
