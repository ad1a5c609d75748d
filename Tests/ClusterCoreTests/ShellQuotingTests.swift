import ClusterCore
import Foundation
import TestSupport
import Testing

/// Strings an attacker or a typo could put into any field.
let hostileStrings = [
    "plain", "", " ", "two words", "it's", "\"double\"", "$(touch /tmp/JC_CANARY)", "`touch /tmp/JC_CANARY`",
    "; touch /tmp/JC_CANARY", "a\nb", "a\rb", "tab\there", "back\\slash", "--help", "-n", "'; rm -rf / #",
    "${HOME}", "$HOME", "*", "?", "[a]", "~root", "!!", "a|b", "a&b", "a>b", "<a", "(x)", "{x}", "é ü 漢字 🎉",
    "'''", "\\'", "%s%n", "\u{7F}\u{1B}[31m",
]

@Suite struct ShellQuotingTests {
    /// Runs `printf '%s' QUOTED` in a real shell and returns what it printed.
    func echoed(_ value: String) throws -> String {
        Program.run(["/bin/sh"], input: "printf '%s' \(Shell.quote(value))\n").output
    }

    @Test(arguments: hostileStrings)
    func quotedValueReachesTheShellUnchanged(_ value: String) throws {
        try? FileManager.default.removeItem(atPath: "/tmp/JC_CANARY")
        #expect(try echoed(value) == value)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/JC_CANARY"))
    }

    @Test func safeWordsStayReadable() {
        #expect(Shell.quote("/opt/joget") == "/opt/joget")
        #expect(Shell.quote("") == "''")
        #expect(Shell.quote("it's") == #"'it'\''s'"#)
    }

    @Test func scriptInterpolationQuotesValuesAndMasksSecrets() throws {
        let path = "/tmp/a b"
        let script: Script = "mkdir -p \(path) && echo \(secret: SecretName("db-password"))"
        #expect(script.display == "mkdir -p '/tmp/a b' && echo '****'")
        #expect(script.secrets == [SecretName("db-password")])
        let run = try script.executable(with: SecretValues([SecretName("db-password"): "p'w"]))
        #expect(run == #"mkdir -p '/tmp/a b' && echo 'p'\''w'"#)
        #expect(throws: SecretError.missing(SecretName("db-password"))) { try script.executable(with: SecretValues()) }
    }

    @Test func fileContentIsOneWordWithSecretsEncoded() throws {
        let content = FileContent([.text("workflowPassword="), .secret(SecretName("db"), .javaProperties), .text("\n")])
        let script: Script = "printf '%s' \(content: content)"
        // One quoted word, not pieces glued by '': shellcheck reads it as the string it is.
        #expect(script.display == "printf '%s' 'workflowPassword=****\n'")
        let run = try script.executable(with: SecretValues([SecretName("db"): "a:b=c $(x)"]))
        #expect(run == "printf '%s' 'workflowPassword=a\\:b\\=c $(x)\n'")
        let hostile = try script.executable(with: SecretValues([SecretName("db"): "it's"]))
        #expect(hostile == #"printf '%s' 'workflowPassword=it'\''s"# + "\n'")
    }
}
