import ClusterCore
import ClusterEngine
import Foundation

/// The checks and their line format, shared by the Verify page and `joget-cluster verify`.
public enum VerifyReport {
    /// The guide's checks for these answers, with a fresh test token; each node's catalina.out
    /// where the planner lays Tomcat out.
    public static func checks(for answers: Answers,
                              token: String = String(UInt64.random(in: 1...UInt64.max), radix: 36)) -> [ClusterCheck] {
        ClusterChecks.all(for: answers, token: token, catalinaOut: { Layout.catalinaOut(of: $0, in: answers) })
    }

    /// Secrets the checks need: SSH and sudo passwords, and the app's database password.
    public static func neededSecrets(_ answers: Answers) -> Set<SecretName> {
        var names: Set<SecretName> = [answers.database.passwordSecret]
        for host in answers.hosts {
            names.formUnion(host.loginSecrets)
        }
        return names
    }

    /// `PASS  app1: shared directory mounted and writable  — mounted from …`; a check whose probes could
    /// not run: `NOT RUN  app1: …  — why`.
    public static func line(_ o: CheckOutcome) -> String {
        let evidence = o.verdict.evidence.replacingOccurrences(of: "\n", with: " / ")
        return o.verdict.word + "  " + o.title + (evidence.isEmpty ? "" : "  — " + evidence)
    }

    /// `12 of 15 checks passed; failed: lb.sticky, app.members@node02; not run: db.reach@app2`
    public static func summary(_ outcomes: [CheckOutcome]) -> String {
        let failed = outcomes.filter(\.verdict.failed), notRun = outcomes.filter(\.verdict.notRun)
        var text = "\(outcomes.filter(\.verdict.passed).count) of \(outcomes.count) checks passed"
        if !failed.isEmpty { text += "; failed: " + failed.map(\.id).joined(separator: ", ") }
        if !notRun.isEmpty { text += "; not run: " + notRun.map(\.id).joined(separator: ", ") }
        return text
    }

    /// `joget-cluster verify`'s exit status when some checks could not run and none failed: the
    /// cluster is not proven, but nothing was seen broken (1 is a failed check, 2 invalid input; 3
    /// is taken by `apply --dry-run`, "something would change").
    public static let notRunExitCode: Int32 = 4

    /// 0 when every check passed; 1 when one failed; else ``notRunExitCode`` when one could not run.
    public static func exitCode(_ outcomes: [CheckOutcome]) -> Int32 {
        if outcomes.contains(where: \.verdict.failed) { return 1 }
        return outcomes.contains(where: \.verdict.notRun) ? notRunExitCode : 0
    }

    /// Runs the checks one after another, handing each line to `print` as its outcome arrives.
    public static func run(_ checks: [ClusterCheck], verifier: Verifier,
                           print: @escaping @Sendable (String) -> Void) async -> [CheckOutcome] {
        await verifier.run(checks) { print(line($0)) }
    }

    /// `joget-cluster verify` (and the end of `restore`): every check of `answers`, a line each on
    /// stdout as it ends, the summary on stderr; returns the exit code.
    public static func runHeadless(_ answers: Answers, verifier: Verifier) async -> Int32 {
        let outcomes = await run(checks(for: answers), verifier: verifier) { line in
            Swift.print(line)
            fflush(nil)
        }
        FileHandle.standardError.write(Data((summary(outcomes) + "\n").utf8))
        return exitCode(outcomes)
    }
}
