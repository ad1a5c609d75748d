import ClusterCore
import ClusterEngine

extension ResumeReport {
    /// Sentences for the operator.
    public var text: String {
        guard hasHistory else { return "No earlier run: every step will run, each checked first." }
        var lines: [String] = []
        var first = "Last run"
        if let d = lastRunStarted { first += " started \(TimeText.local(d))" }
        first += lastRunFinished ? " and went as far as it could." : " did not finish (stopped, killed or lost power)."
        lines.append(first)
        lines += messages
        if answersChanged {
            lines.append("The answers changed since then (\(ResumeReport.short(previousAnswersHash)) → \(ResumeReport.short(answersHash))): "
                         + "every step will be checked again; what is already in place is left as it is.")
        } else {
            lines.append("Done: \(done.count) step\(done.count == 1 ? "" : "s")"
                         + (alreadyDone.isEmpty ? "" : " (\(alreadyDone.count) of them were already in place)")
                         + (skipped.isEmpty ? "" : "; skipped: \(skipped.joined(separator: ", "))") + ".")
        }
        if !interrupted.isEmpty {
            lines.append("Interrupted: \(interrupted.joined(separator: ", ")): checked first, then continued.")
        }
        for f in failed { lines.append("Failed: \(f.id): \(f.reason). It runs again, checked first.") }
        if remaining.isEmpty {
            lines.append("Nothing remains: the cluster is installed.")
        } else {
            lines.append("Remaining: \(remaining.count) step\(remaining.count == 1 ? "" : "s").")
        }
        if !unknownSteps.isEmpty {
            lines.append("The journal also names steps this plan no longer has: \(unknownSteps.joined(separator: ", ")).")
        }
        return lines.joined(separator: "\n")
    }

    /// The first 12 characters of an answers hash.
    static func short(_ hash: String?) -> String { hash.map { String($0.prefix(12)) } ?? "none" }
}
