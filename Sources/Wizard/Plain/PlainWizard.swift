import ClusterCore
import Foundation

/// How line mode talks: one line in, text out, and a line read without echo for passwords.
public struct PlainIO {
    public var readLine: () -> String?
    /// Shows the prompt and reads one line without echo.
    public var readSecret: (String) -> String?
    public var write: (String) -> Void

    public init(readLine: @escaping () -> String?, readSecret: @escaping (String) -> String?, write: @escaping (String) -> Void) {
        self.readLine = readLine
        self.readSecret = readSecret
        self.write = write
    }
}

/// The wizard line by line, for screen readers, serial consoles and logs (`--plain`, or no terminal).
///
/// It asks the same questions from the same screen files, with the same checks as the full-screen
/// pages and the answers file: each answer is checked as it is given (the error names the value and
/// the question is asked again), and each page ends with `Validator.validate` for its part. The
/// current value is shown in brackets and Enter keeps it; `?` shows the question's help; `-` empties
/// an optional answer. Answers are saved after every accepted change; passwords only in memory.
public final class PlainWizard {
    public enum Outcome: Equatable, Sendable {
        /// The operator asked to install: answers complete, plan built.
        case install
        /// Stopped at the review (declined, or something is missing).
        case stopped
        /// Input ended (Ctrl-D, or the end of a piped file): the answers so far are saved.
        case endOfInput
    }

    public private(set) var model: SetupModel
    /// What earlier runs installed (installed.yaml): the review says what changes, and asks before retiring.
    let installed: Answers?
    let io: PlainIO
    /// Saves the answers; returns a problem in words, or nil.
    let save: (Answers) -> String?

    public init(model: SetupModel, installed: Answers? = nil, io: PlainIO, save: @escaping (Answers) -> String?) {
        self.model = model
        self.installed = installed
        self.io = io
        self.save = save
    }

    struct EndOfInput: Error {}

    public func run() -> Outcome {
        let welcome = SetupSpecs.named("welcome")
        say(welcome?.title ?? "Joget DX 8 cluster")
        if let intro = welcome?.intro { say(intro.trimmingTrailingNewlines) }
        say("")
        say("Line mode: Enter keeps the value in [brackets], ? shows help for the question, - empties an optional answer.")
        do {
            for spec in SetupSpecs.setupPages { try page(spec) }
        } catch {
            say("")
            say("Input ended. Your answers so far are saved; run the wizard again to go on.")
            return .endOfInput
        }
        return review()
    }

    func say(_ text: String) { io.write(text + "\n") }

    // MARK: Pages

    func page(_ spec: ScreenSpec) throws {
        say("")
        say("== \(spec.title) ==")
        if !spec.intro.isEmpty { say(spec.intro.trimmingTrailingNewlines) }
        for field in spec.fields { try ask(field, item: nil) }
        if let list = spec.list { try askList(list, pageID: spec.id) }
        // The page's own check, as the Next key runs it; ask again what it finds.
        for _ in 0..<20 {
            let problems = Validator.validate(model.answers).filter { SetupSpecs.owns(spec.id, problemField: $0.field) }
            guard !problems.isEmpty else { return }
            say("")
            say("Not complete yet:")
            for p in problems { say("  \(describe(p, in: spec))") }
            var asked = Set<String>()
            for p in problems {
                let path = ProblemPath(p.field)
                let key = "\(path.fieldID)#\(path.item ?? -1)"
                guard !asked.contains(key) else { continue }
                asked.insert(key)
                if p.field == "hosts" || p.field == "appServers.nodes", let list = spec.list {
                    try addItems(list, pageID: spec.id, ask: true)
                } else if let f = (spec.fields + (spec.list?.fields ?? [])).first(where: { $0.id == path.fieldID }) {
                    try ask(f, item: path.item, force: true)
                } else if path.fieldID.hasSuffix(".httpPort"), let f = spec.list?.fields.first(where: { $0.id.hasSuffix("httpPort") }) {
                    try ask(f, item: path.item, force: true)
                }
            }
        }
    }

    func describe(_ p: Problem, in spec: ScreenSpec) -> String {
        let path = ProblemPath(p.field)
        let label = (spec.fields + (spec.list?.fields ?? [])).first { $0.id == path.fieldID }?.label ?? p.field
        if let item = path.item { return "\(rowName(spec.id, item)) \(label): \(p.message)" }
        return "\(label): \(p.message)"
    }

    func itemCount(_ pageID: String) -> Int {
        pageID == "hosts" ? model.answers.hosts.count : model.answers.appServers.nodes.count
    }

    func rowName(_ pageID: String, _ i: Int) -> String {
        if pageID == "hosts" {
            let n = model.answers.hosts.indices.contains(i) ? model.answers.hosts[i].name : ""
            return n.isEmpty ? "Host \(i + 1)" : "Host \(i + 1) (\(n))"
        }
        let n = model.answers.appServers.nodes.indices.contains(i) ? model.answers.appServers.nodes[i].name : ""
        return n.isEmpty ? "Node \(i + 1)" : "Node \(i + 1) (\(n))"
    }

    func askList(_ list: ScreenSpec.ListSpec, pageID: String) throws {
        let count = itemCount(pageID)
        if count > 0 {
            say("")
            say("\(list.label): \(count) given.")
            for i in 0..<count {
                say("-- \(rowName(pageID, i)) --")
                for f in list.fields { try ask(f, item: i) }
            }
        }
        try addItems(list, pageID: pageID, ask: false)
    }

    /// "Add a host?" until the answer is no (the first one without asking when there is none).
    func addItems(_ list: ScreenSpec.ListSpec, pageID: String, ask firstWithoutAsking: Bool) throws {
        let noun = pageID == "hosts" ? "host" : "node"
        var first = firstWithoutAsking || itemCount(pageID) == 0
        while true {
            if !first {
                guard try yesNo("Add another \(noun)?", defaultYes: false) else { return }
            }
            first = false
            let i = addItem(list, pageID: pageID)
            say("-- \(rowName(pageID, i)) --")
            for f in list.fields { try ask(f, item: i) }
        }
    }

    func addItem(_ list: ScreenSpec.ListSpec, pageID: String) -> Int {
        let index: Int
        if pageID == "hosts" {
            model.answers.hosts.append(SetupModel.newHost())
            index = model.answers.hosts.count - 1
        } else {
            let n = model.answers.appServers.nodes.count + 1
            model.answers.appServers.nodes.append(Node(name: String(format: "node%02d", n), host: ""))
            index = model.answers.appServers.nodes.count - 1
        }
        for f in list.fields where f.kind != .password {
            if let d = f.defaultValue { model.answers.set(d, at: f.id, item: index) }
        }
        _ = save(model.answers)
        return index
    }

    func yesNo(_ question: String, defaultYes: Bool) throws -> Bool {
        while true {
            io.write("\(question) \(defaultYes ? "[Y/n]" : "[y/N]") ")
            guard let line = io.readLine() else { throw EndOfInput() }
            let t = line.trimmingCharacters(in: .whitespaces).lowercased()
            if t.isEmpty { return defaultYes }
            if t == "y" || t == "yes" { return true }
            if t == "n" || t == "no" { return false }
            say("  Please answer y or n.")
        }
    }

    // MARK: One question

    func ask(_ f: FieldSpec, item: Int?, force: Bool = false) throws {
        guard model.isVisible(f, item: item) else { return }
        let label = item.map { i in "\(f.id.hasPrefix("hosts") ? "Host" : "Node") \(i + 1) \(f.label)" } ?? f.label
        if f.kind == .password {
            guard let name = model.secretName(for: f, item: item) else { return }
            let has = model.secrets[name] != nil
            let prompt = "\(label) (not shown; Enter \(has ? "keeps the one given" : "to be asked at install time")): "
            while true {
                guard let v = io.readSecret(prompt) else { throw EndOfInput() }
                if v.isEmpty { return }
                // A new password is typed twice (nothing shows what was typed).
                if f.confirm && installed == nil {
                    guard let again = io.readSecret("\(label) again: ") else { throw EndOfInput() }
                    guard again == v else { say("  The two passwords differ: type it twice again."); continue }
                }
                model.secrets[name] = v
                return
            }
        }
        let current = model.answers.value(at: f.id, item: item) ?? ""
        let fallback = current.isEmpty ? (f.defaultValue ?? "") : current
        var options = ""
        if f.kind == .choice { options = " (" + f.options.joined(separator: "/") + ")" }
        // "(db)" alone would read as a default Enter takes: the hosts are named as a choice.
        if f.kind == .host { options = " (" + (model.hostNames.isEmpty ? "no hosts yet" : "one of: " + model.hostNames.joined(separator: ", ")) + ")" }
        if f.optional, fallback.isEmpty, f.id.hasSuffix("httpPort") { options = " (empty: the common \(model.answers.appServers.httpPort))" }
        let prompt = "\(label)\(options)" + (fallback.isEmpty ? ": " : " [\(fallback)]: ")
        while true {
            io.write(prompt)
            guard let line = io.readLine() else { throw EndOfInput() }
            let typed = line.trimmingCharacters(in: .whitespaces)
            if typed == "?" {
                say("  " + SetupPage.helpText(f).replacingOccurrences(of: "\n", with: "\n  "))
                continue
            }
            var value = typed.isEmpty ? fallback : typed
            if typed == "-" && f.optional { value = "" }
            if let e = f.check(value) {
                say("  \(f.label): \(e)")
                continue
            }
            if f.kind == .host, !value.isEmpty, !model.hostNames.contains(value) {
                say("  \(f.label): \"\(value)\" is not one of the hosts (\(model.hostNames.joined(separator: ", ")))")
                continue
            }
            let old = current
            var a = model.answers
            if let e = a.set(value, at: f.id, item: item) {
                say("  \(f.label): \(e)")
                continue
            }
            if a != model.answers {
                model.answers = a
                if f.id == "hosts[].name" { model.renameHostReferences(from: old, to: value) }
                if f.id == "hosts[].user", let item { model.followUser(host: item) }
                if let e = save(model.answers) { say("  (answers not saved: \(e))") }
            }
            return
        }
    }

    // MARK: Review

    func review() -> Outcome {
        say("")
        say("== Review ==")
        let result: Result<Plan, InvalidAnswers>
        do { result = .success(try Planner.plan(model.answers, installed: installed)) } catch { result = .failure(error) }
        let problems: [Problem]
        if case .failure(let e) = result { problems = e.problems } else { problems = [] }
        if installed != nil {
            say("Changes to the installed cluster:")
            for change in ReviewPage.changes(installed: installed, answers: model.answers) { say("  " + change.text) }
            say("")
        }
        for (id, title) in ReviewPage.layers {
            let p = problems.filter { SetupSpecs.owns(id, problemField: $0.field) }
            if let first = p.first {
                say("[!] \(title): " + SetupSpecs.describe(first, answers: model.answers) + (p.count > 1 ? " (+\(p.count - 1) more)" : ""))
            } else {
                say("[x] \(title): \(ReviewPage.summary(of: id, answers: model.answers))")
            }
        }
        guard case .success(let plan) = result else {
            say("")
            say("Not ready to install: complete the [!] layers. Your answers are saved; run the wizard again to go on.")
            return .stopped
        }
        say("")
        say("Plan: \(plan.steps.count) steps on \(plan.hosts.count) hosts")
        for host in plan.hosts {
            let steps = plan.steps.filter { $0.host == host }
            var layers: [String] = []
            for s in steps where !layers.contains(s.layer.tag) { layers.append(s.layer.tag) }
            say("  \(host): \(steps.count) steps (\(layers.joined(separator: ", ")))")
        }
        say("Files to be written: \(Planner.renderedFiles(plan).count) (joget-cluster plan --answers FILE --out DIR writes them for reading)")
        let secrets = ReviewPage.installSecrets(model, installed: installed, plan: plan)
        if !secrets.isEmpty {
            say("Passwords the install uses (kept in memory, never saved):")
            for s in secrets { say("  \(s.name.rawValue): \(s.what) (\(s.typed ? "typed" : "asked when the install starts"))") }
        }
        say("")
        do {
            let retiring = Installed.retiredNodes(installed: installed, answers: model.answers).map(\.name)
            let question = retiring.isEmpty ? "Install now?" : "Retire \(retiring.joined(separator: ", ")) and install now?"
            return try yesNo(question, defaultYes: false) ? .install : .stopped
        } catch {
            return .endOfInput
        }
    }
}
