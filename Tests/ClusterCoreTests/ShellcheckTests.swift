import Foundation
import Testing
import TestSupport
@testable import ClusterCore

/// shellcheck over every script the plans hold (install, retire, upgrade in both modes), as POSIX
/// sh: Debian's /bin/sh is dash. Zero findings; a finding that must stay needs a `# shellcheck
/// disable=` with its reason in the script. The secrets are plain here: hostile ones are data in
/// quoted strings (PlanScriptTests runs them), where shellcheck's quoting heuristics would guess.
@Suite struct ShellcheckTests {
    static let shellcheck = ["/usr/bin/shellcheck", "/usr/local/bin/shellcheck"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static var plans: [(String, Plan)] {
        var out = Fixtures.all.map { ($0.0, Fixtures.plan($0.1)) }
        for (name, mode) in UpgradeTests.cases {
            if let (_, plan) = try? UpgradeTests.plan(name, mode) { out.append(("\(name)-upgrade-\(mode.rawValue)", plan)) }
        }
        let a = Fixtures.twoNode
        if let plan = try? Planner.plan(RetireTests.withoutNode02(a), installed: a, purge: true) { out.append(("two-node-retire", plan)) }
        return out
    }

    @Test func everyRenderedScriptPassesShellcheck() throws {
        let shellcheck = try #require(Self.shellcheck, "shellcheck is not installed: scripts/install-deps.sh test installs it (Debian package shellcheck)")
        let dir = try Run.tempDir("shellcheck")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var files: [String] = []
        for (name, plan) in Self.plans {
            let secrets = Fixtures.secrets(plan, value: "Secret-1")
            for step in plan.steps {
                for (role, script) in Fixtures.scripts(step) {
                    let path = "\(dir)/\(name)--\(step.id.replacingOccurrences(of: "/", with: "_"))--\(role).sh"
                    try Data(("#!/bin/sh\n" + (try script.executable(with: secrets))).utf8).write(to: URL(fileURLWithPath: path))
                    files.append(path)
                }
            }
        }
        #expect(files.count > 300)
        // SC2016 (a $ in single quotes) is what the plan means everywhere: a value is single-quoted
        // so that it stays data, and inner `sh -c '...'` scripts read their values as "$1".
        let r = try Run.program(shellcheck, ["-s", "sh", "-f", "gcc", "--exclude=SC2016"] + files)
        let findings = r.output.split(separator: "\n").map { $0.replacingOccurrences(of: dir + "/", with: "") }
        #expect(findings.count == 0, "the first findings:\n\(findings.prefix(15).joined(separator: "\n"))")
    }
}

/// The script files under assets/scripts/, each on its own: shellcheck, dash -n and bash -n pass,
/// and each names the values it takes.
@Suite struct ScriptFileTests {
    @Test func everyScriptFileLintsAndNamesWhatItTakes() throws {
        let shellcheck = try #require(ShellcheckTests.shellcheck, "shellcheck is not installed: scripts/install-deps.sh test installs it")
        let paths = Assets.paths(under: "assets/scripts").filter { $0.hasSuffix(".sh") }
        #expect(paths.count >= 63)
        let dir = try Run.tempDir("script-files")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var files: [String] = []
        for path in paths {
            let text = try #require(Assets.text(path))
            // lib/ defines functions over their arguments; every other file names the values it
            // takes (an empty line: it reads only what the lines before it set).
            if !path.hasPrefix("assets/scripts/lib/") {
                #expect(text.split(separator: "\n").contains { $0.hasPrefix("# takes:") }, "\(path) has no '# takes:' line")
            }
            let file = dir + "/" + path.replacingOccurrences(of: "/", with: "_")
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            files.append(file)
            for shell in ["/bin/dash", "/bin/bash"] {
                let r = try Run.program(shell, ["-n", file])
                #expect(r.status == 0, "\(shell) -n rejects \(path): \(r.output)")
            }
        }
        let r = try Run.program(shellcheck, ["-s", "sh", "-f", "gcc"] + files)
        #expect(r.status == 0, "shellcheck: \(r.output.replacingOccurrences(of: dir + "/", with: ""))")
    }

    /// The log scanner on the hosts and the Swift one read the same Tomcat messages.
    @Test func theNodeLogScriptsMatchTheMessagesNodeLogParses() throws {
        let scan = try #require(Assets.text("assets/scripts/app/node-log.sh"))
        let present = try #require(Assets.text("assets/scripts/app/members-present.awk"))
        for text in [NodeLog.addedText, NodeLog.goneText] { #expect(scan.contains(text)) }
        #expect(present.contains(NodeLog.addedText))
    }

    /// select-packages.sh, run by dash on each release's $ID and $VERSION_ID, picks that release's
    /// names from the table, the family's for a release not in it, and stops with the reason when
    /// the release lacks a package.
    @Test func theReleaseTablePicksEachReleasesPackageNames() throws {
        let table = Distro.packageTable([.java, .curl]), mysql = Distro.packageTable([.mysqlServer], why: [.mysqlServer: "no MySQL here"])
        func pick(_ id: String, _ version: String, mysqlTable: String = "") throws -> Run.Result {
            let script = ScriptFile.load("hosts/select-packages.sh", ["table": .value(table), "mysql_table": .value(mysqlTable)])
            // mysqld is in /usr/sbin where the test machine has MariaDB: this PATH hides it.
            let text = "ID=\(id) VERSION_ID=\(version)\nPATH=/usr/bin:/bin\n" + (try script.executable(with: SecretValues())) + "\nprintf '%s' \"$pkgs\"\n"
            return try Run.program("/bin/dash", ["-c", text])
        }
        #expect(try pick("debian", "12").output == "default-jre-headless curl")
        #expect(try pick("ubuntu", "24.04").output == "openjdk-17-jre-headless curl")
        #expect(try pick("debian", "13").output == "default-jre-headless curl", "another apt release: the family's names")
        try #require(!["/usr/bin/mysqld", "/bin/mysqld"].contains { FileManager.default.fileExists(atPath: $0) })
        let refused = try pick("debian", "12", mysqlTable: mysql)
        #expect(refused.status == 1 && refused.output.contains("no MySQL here"), "\(refused.output)")
        #expect(try pick("ubuntu", "22.04", mysqlTable: mysql).output == "openjdk-17-jre-headless curl mysql-server")
    }

    @Test func aFileGetsItsValuesAsQuotedVariablesBeforeItsBody() throws {
        let script = ScriptFile.load("lb/reload.sh", ["apachectl": .value("apache2ctl"), "unit": .value("it's")])
        let text = try script.executable(with: SecretValues())
        #expect(text.hasPrefix("apachectl=apache2ctl\nunit='it'\\''s'\n"))
        #expect(!text.contains("# takes:"), "the header stays in the file")
        #expect(text.contains("systemctl reload \"$unit\""))
    }
}
