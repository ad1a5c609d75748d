/// The plan as an operator reads it: by layer, then by host, each step with its commands.
extension Planner {
    /// `[db] db  create-user  Create the Joget database user`, then what it waits for, the apply
    /// script (secrets as ****), the files it writes, transfers and notes, indented. With `scripts`,
    /// the check and verify scripts too, each under its name.
    public static func describe(_ plan: Plan, scripts: Bool = false) -> String {
        var out = ""
        for layer in Layer.allCases {
            let steps = plan.steps.filter { $0.layer == layer }
            guard !steps.isEmpty else { continue }
            out += "== \(layer.title) ==\n\n"
            var hosts: [String] = []
            for s in steps where !hosts.contains(s.host) { hosts.append(s.host) }
            for host in hosts {
                for step in steps where step.host == host {
                    out += "[\(layer.tag)] \(host)  \(action(of: step))  \(step.title)\n"
                    if step.optional { out += "    (optional: a failure does not stop the run)\n" }
                    for note in step.notes { out += "    note: \(note)\n" }
                    switch step.transfer {
                    case .upload(let local, let remote)?: out += "    upload: \(local) -> \(host):\(remote)\n"
                    case .download(let remote, let local)?: out += "    download: \(host):\(remote) -> \(local)\n"
                    case nil: break
                    }
                    for file in step.files {
                        out += "    writes \(file.path) (mode \(String(file.mode, radix: 8)), \(file.owner))\n"
                    }
                    if !step.dependsOn.isEmpty { out += "    after: \(step.dependsOn.joined(separator: ", "))\n" }
                    if step.check == nil { out += "    (no check: always runs)\n" }
                    if scripts {
                        for (name, script) in [("check", step.check), ("apply", step.apply), ("verify", step.verify)] {
                            guard let script else { continue }
                            out += "    \(name):\n" + indent(script.display, by: "        ")
                        }
                    } else {
                        out += indent(step.apply.display, by: "    ")
                    }
                    out += "\n"
                }
            }
        }
        return out
    }

    /// The part of a step id between the layer tag and the host: `create-user`, `setenv#node01`.
    public static func action(of step: Step) -> String {
        var s = Substring(step.id)
        if let dot = s.firstIndex(of: ".") { s = s[s.index(after: dot)...] }
        let name = s.split(separator: "@", maxSplits: 1).first.map(String.init) ?? String(s)
        if let hash = step.id.lastIndex(of: "#") { return name + step.id[hash...] }
        return name
    }

    /// The steps and what each waits for, as a Graphviz digraph (`plan --graph | dot -Tsvg`): one
    /// box per step in a frame per layer, an arrow from each step to the steps that wait for it.
    public static func graph(_ plan: Plan) -> String {
        func q(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        var out = "digraph plan {\n    rankdir=LR;\n    node [shape=box, fontname=\"monospace\", fontsize=10];\n"
        for layer in Layer.allCases {
            let steps = plan.steps.filter { $0.layer == layer }
            guard !steps.isEmpty else { continue }
            out += "    subgraph \(q("cluster_" + layer.tag)) {\n        label=\(q(layer.title));\n"
            for step in steps { out += "        \(q(step.id)) [tooltip=\(q(step.title))\(step.optional ? ", style=dashed" : "")];\n" }
            out += "    }\n"
        }
        for step in plan.steps {
            for dep in step.dependsOn { out += "    \(q(dep)) -> \(q(step.id));\n" }
        }
        return out + "}\n"
    }

    /// Every file the plan writes, by host, with secrets as ****: what `plan --out` puts on disk.
    public static func renderedFiles(_ plan: Plan) -> [(host: String, path: String, text: String)] {
        plan.steps.flatMap { step in step.files.map { (step.host, $0.path, $0.content.display) } }
    }

    private static func indent(_ text: String, by prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : prefix + $0 }
            .joined(separator: "\n")
            .trimmingSuffixNewlines() + "\n"
    }
}

private extension String {
    func trimmingSuffixNewlines() -> String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
