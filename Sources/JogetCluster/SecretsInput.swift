import ClusterCore
import Foundation

/// Gathers the secrets a run needs: environment first, then the secrets file, then a prompt
/// without echo when there is a terminal. Nothing here prints or logs a value.
enum SecretsInput {
    static func gather(_ needed: Set<SecretName>, file: String?, interactive: Bool) throws -> SecretValues {
        var values = SecretValues.fromEnvironment(needed, environment: ProcessInfo.processInfo.environment)
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

    /// Reads one line from the terminal with echo off; the terminal is restored even on error.
    static func prompt(_ label: String) -> String? {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { return nil }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        _ = label.withCString { write(fd, $0, strlen($0)) }
        tcsetattr(fd, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(fd, TCSAFLUSH, &saved)
            _ = write(fd, "\n", 1)
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1, byte != UInt8(ascii: "\n") { bytes.append(byte) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Bad input on the command line: printed as is, exit code 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
