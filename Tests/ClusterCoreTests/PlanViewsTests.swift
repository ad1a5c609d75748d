import Foundation
import TestSupport
import Testing
@testable import ClusterCore

/// The plan shown whole: `plan --graph` is a digraph Graphviz draws, and `plan --scripts` names
/// every script of every step.
@Suite struct PlanViewsTests {
    @Test func theGraphRendersWithDotAndHasEveryStepAndDependency() throws {
        let dot = try #require(["/usr/bin/dot", "/usr/local/bin/dot"].first { FileManager.default.isExecutableFile(atPath: $0) },
                               "Graphviz is not installed: scripts/install-deps.sh test installs it (Debian package graphviz)")
        for (name, plan) in ShellcheckTests.plans {
            let text = Planner.graph(plan)
            for step in plan.steps {
                #expect(text.contains("\"\(step.id)\" [tooltip="), "\(name): \(step.id) has no box")
                for dep in step.dependsOn {
                    #expect(plan.step(dep) != nil, "\(name): \(step.id) waits for \(dep), which is not a step of the plan")
                    #expect(text.contains("\"\(dep)\" -> \"\(step.id)\";"), "\(name): no arrow \(dep) -> \(step.id)")
                }
            }
            let r = Program.run([dot, "-Tsvg"], input: text, mergeErrors: true)
            #expect(r.status == 0 && r.output.contains("<svg"), "\(name): dot -Tsvg failed: \(r.output.prefix(300))")
        }
    }

    @Test func scriptsViewNamesEveryScriptAndWhatEachStepWaitsFor() throws {
        let plan = Fixtures.plan(Fixtures.twoNode)
        let text = Planner.describe(plan, scripts: true)
        let checks = plan.steps.filter { $0.check != nil }.count, verifies = plan.steps.filter { $0.verify != nil }.count
        #expect(text.components(separatedBy: "\n    check:\n").count - 1 == checks)
        #expect(text.components(separatedBy: "\n    apply:\n").count - 1 == plan.steps.count)
        #expect(text.components(separatedBy: "\n    verify:\n").count - 1 == verifies)
        #expect(text.contains("    after: hosts.os@db\n"))
    }
}
