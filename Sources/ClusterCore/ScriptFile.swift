/// A step's shell kept as a file under `assets/scripts/`, read as the hosts will run it and linted
/// as it is. Its header names the values it takes:
///
///     # takes: dir src owner
///
/// `ScriptFile.load("app/install.sh", ["dir": .value(d), ...])` puts one `dir='...'` line per value
/// before the body, quoted by `Script` as every value is (a secret stays a name until the step
/// runs), so a value reaches the script as a variable, never by substitution into its text. A value
/// the file does not take, or one it takes and is not given, stops the program: the tests render
/// every kind of plan, so such a slip cannot ship.
public enum ScriptFile {
    public enum Value {
        case value(String)
        case number(Int)
        case secret(SecretName, SecretEncoding)
        /// A file's text (with its secrets) as one word.
        case content(FileContent)
    }

    static func load(_ path: String, _ values: KeyValuePairs<String, Value> = [:]) -> Script {
        let text = text(path)
        requireTakes(path, text, given: values.map(\.key))
        var prelude: Script = ""
        for (name, value) in values {
            switch value {
            case .value(let v): prelude += "\(raw: name)=\(v)\n"
            case .number(let n): prelude += "\(raw: name)=\(n)\n"
            case .secret(let s, let encoding): prelude += "\(raw: name)=\(secret: s, as: encoding)\n"
            case .content(let c): prelude += "\(raw: name)=\(content: c)\n"
            }
        }
        return prelude + Script(stringLiteral: body(text))
    }

    /// One of the engine's own scripts (assets/scripts/engine/), which hold no secret: the same
    /// quoted `name='value'` lines before the body, as plain text.
    public static func plain(_ path: String, _ values: KeyValuePairs<String, String> = [:]) -> String {
        let text = text(path)
        requireTakes(path, text, given: values.map(\.key))
        return values.map { "\($0.key)=\(Shell.quote($0.value))\n" }.joined() + body(text)
    }

    /// Stops the program when the values given are not the ones the file's `# takes:` line names.
    static func requireTakes(_ path: String, _ text: String, given: [String]) {
        let takes = Set(takes(text))
        precondition(takes == Set(given), "assets/scripts/\(path) takes \(takes.sorted()), was given \(given.sorted())")
    }

    /// A file of assets/scripts/ as it is (an awk program handed to a script as a value).
    static func text(_ path: String) -> String {
        guard let text = Assets.text("assets/scripts/" + path) else { preconditionFailure("there is no assets/scripts/\(path)") }
        return text
    }

    /// The names on the file's `# takes:` line.
    static func takes(_ text: String) -> [String] {
        for line in text.split(separator: "\n") where line.hasPrefix("# takes:") {
            return line.dropFirst("# takes:".count).split(separator: " ").map(String.init)
        }
        return []
    }

    /// The file without its shebang and header comments (the lines before the first command).
    static func body(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        while let first = lines.first, first.hasPrefix("#") { lines.removeFirst() }
        return lines.joined(separator: "\n")
    }
}
