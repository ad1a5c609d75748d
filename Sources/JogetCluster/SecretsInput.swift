import ClusterCore
import Foundation

/// Gathers the secrets a run needs: environment first, then those typed earlier in this process
/// (the wizard's --plain hands them over in memory), then the secrets file, then a prompt without
/// echo when there is a terminal. Nothing here prints or logs a value.
enum SecretsInput {
    /// Passwords typed before the run in this process, handed over without a file.
    @TaskLocal static var typed = SecretValues()

    static func gather(_ needed: Set<SecretName>, file: String?, interactive: Bool) throws -> SecretValues {
        var values = SecretValues.fromEnvironment(needed, environment: ProcessInfo.processInfo.environment)
        for name in needed where values[name] == nil { values[name] = typed[name] }
        if let file {
            let fromFile = try SecretValues.fromFile(file)
            for name in needed where values[name] == nil { values[name] = fromFile[name] }
        }
        for name in needed.sorted() where values[name] == nil {
            guard interactive, let typed = prompt("\(name): ") else { continue }
            values[name] = typed
        }
        let missing = needed.filter { values[$0] == nil }.sorted()
        if !missing.isEmpty {
            throw UsageError("missing secrets: " + missing.map { "\($0) (set \($0.environmentVariable) or add \"\($0): VALUE\" to a 0600 --secrets file)" }.joined(separator: ", "))
        }
        return values
    }

    /// Reads one line from the terminal with echo off.
    static func prompt(_ label: String) -> String? {
        readHidden(label) { _ in "\n" }
    }

    /// The one no-echo reader: writes `intro` on the terminal, reads with echo off (the terminal is
    /// restored even on error), then writes what `after` says of the value. One line; with
    /// `untilEmptyLine`, every line up to an empty one after the first text, trimmed and joined
    /// (mail often wraps long keys).
    static func readHidden(_ intro: String, untilEmptyLine: Bool = false, after: (String) -> String) -> String? {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        func say(_ text: String) { _ = text.withCString { write(fd, $0, strlen($0)) } }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { return nil }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        say(intro)
        tcsetattr(fd, TCSAFLUSH, &quiet)
        var lines: [String] = []
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1 {
            if byte != UInt8(ascii: "\n") { line.append(byte); continue }
            guard untilEmptyLine else { break }
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            line = []
            if text.isEmpty { if lines.isEmpty { continue } else { break } }
            lines.append(text)
        }
        let value = untilEmptyLine ? lines.joined() : String(decoding: line, as: UTF8.self)
        tcsetattr(fd, TCSAFLUSH, &saved)
        say(after(value))
        return value
    }
}

/// Bad input on the command line: printed as is, exit code 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
