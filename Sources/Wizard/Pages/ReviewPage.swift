import ClusterCore
import TermUI

/// The hub before the install: each layer `[x]` complete or `[!]` with what is missing, the plan per
/// host (Enter lists its steps; Enter on a step shows its scripts), every file the plan writes (Enter
/// shows it), the passwords the install uses, "Check hosts and network", and Install, refused with
/// the reason while anything is missing.
public struct ReviewPage: Screen {
    public enum Row: Sendable, Equatable {
        case layer(pageID: String, title: String)
        case host(String)
        case file(Int)
        case checkHosts
        case install
    }

    /// A host's steps, one a row: Enter shows the selected step's scripts.
    /// A host's steps, one a row: Enter shows the selected step's scripts.
    public struct StepList: Sendable, Equatable {
        public var host: String
        /// The host's step ids, in plan order.
        public var ids: [String]
        public var selected = 0
        /// The list as drawn, laid out when it opens (and again on a resize).
        var lines: [Line] = []

        public static func == (a: StepList, b: StepList) -> Bool {
            a.host == b.host && a.ids == b.ids && a.selected == b.selected
        }
    }

    public struct Viewer: Sendable {
        public var title: String
        public var lines: [String]
        public var view: LogView
    }

    /// What earlier runs installed (`installed.yaml`), nil before the first install. When set, the
    /// page starts with what the install changes: nodes added and retired, hosts left with no role.
    public var installed: Answers?
    /// The dialog on screen asks to confirm the retirement of nodes (Enter starts the install).
    public var confirmsRetirement = false
    /// The problems of the answers (validator, then the planner's cross-checks), nil while the plan is built.
    public var problems: [Problem]?
    public var plan: Plan?
    public var files: [(host: String, path: String, text: String)] = []
    public var selected: Int = 0
    public var viewer: Viewer?
    /// The step list of a host (under `viewer` when a step's scripts are open: Esc comes back to it).
    public var steps: StepList?
    public var dialog: Dialog?
    /// Set by the app while it opens the Run page past the check that Install runs first.
    public var checkedForInstall = false
    /// Rows of the body, set by the app from the terminal size (for paging in a viewer).
    public var bodyHeight: Int = 20
    /// Columns of the body, for wrapping the steps' notes.
    public var bodyWidth: Int = 78
    /// Everything the page shows and acts on that comes from the answers, the plan and what is
    /// installed: worked out by ``layOut(_:width:)`` when one of them changes, never per key or frame.
    public private(set) var layout = Layout()

    public init(installed: Answers? = nil) {
        self.installed = installed
    }

    /// Takes the planner's result (from the app's build-plan effect).
    public mutating func setPlan(_ result: Result<Plan, InvalidAnswers>) {
        switch result {
        case .success(let p):
            plan = p
            problems = []
            files = Planner.renderedFiles(p)
        case .failure(let e):
            plan = nil
            problems = e.problems
            files = []
        }
    }

    /// Forgets the plan (the answers changed).
    public mutating func invalidate() {
        plan = nil
        problems = nil
        files = []
    }

    public static let layers: [(id: String, title: String)] = [
        ("hosts", "Hosts and connections"), ("sharedFiles", "1 Shared file directory"), ("database", "2 Shared database"),
        ("appServers", "3 Application servers"), ("loadBalancer", "4 Load balancer"),
    ]

    public var rows: [Row] { layout.rows }

    public func problems(of pageID: String) -> [Problem] {
        (problems ?? []).filter { SetupSpecs.owns(pageID, problemField: $0.field) }
    }

    public var isComplete: Bool { problems?.isEmpty == true && plan != nil }

    /// Nodes installed earlier that the answers no longer have: the install retires them.
    public var retiringNodes: [Node] { layout.retiringNodes }

    /// What an install of `answers` changes in the installed cluster, a paragraph a line, with how
    /// to show it; empty before the first install. The retirement is worded as `apply` words it.
    public static func changes(installed: Answers?, answers: Answers) -> [(role: Role, text: String)] {
        guard let installed else { return [] }
        let added = Installed.addedNodes(installed: installed, answers: answers)
        var out: [(role: Role, text: String)] = added.map {
            (.ok, "This run adds \($0.name) (on \($0.host)): it is installed, then the balancer sends it requests too.")
        }
        let retirement = Installed.retirement(installed: installed, answers: answers, purge: false)
        out += retirement.map { (.warning, $0) }
        let upgrade = Upgrade.sentence(installed: installed, answers: answers)
        if let upgrade { out.append((.warning, upgrade)) }
        if retirement.isEmpty {
            if added.isEmpty && upgrade == nil { out.append((.muted, "No node added or retired.")) }
            out += Installed.hostsWithoutRole(installed: installed, answers: answers).map { (.warning, Installed.noRoleLeft($0)) }
        }
        return out
    }

    /// Secrets the plan needs that were not typed on the pages (asked when the install starts).
    public var missingSecrets: [SecretName] {
        installSecrets.filter { !$0.typed }.map(\.name)
    }

    /// Every password the install uses (the database's, the SSH and sudo logins, a retiring host's
    /// login), what it is for, and whether this session has it already.
    public var installSecrets: [(name: SecretName, what: String, typed: Bool)] { layout.installSecrets }

    static func installSecrets(_ model: SetupModel, installed: Answers?, plan: Plan?) -> [(name: SecretName, what: String, typed: Bool)] {
        var known = model.answers
        for h in installed?.hosts ?? [] where known.host(named: h.name) == nil { known.hosts.append(h) }
        return App.neededSecrets(.run, answers: model.answers, installed: installed, plan: plan).sorted().map {
            ($0, SecretPrompt.describe($0, known), model.secrets[$0] != nil)
        }
    }

    // MARK: Screen

    public var title: String { "Review" }

    public var legend: [KeyLegend.Item] {
        if dialog != nil {
            return confirmsRetirement ? [.init("Enter", "Retire and install"), .init("Esc", "Back")] : [.init("Enter", "OK")]
        }
        if viewer != nil { return [.init("Up/Down", "Scroll"), .init("/", "Search"), .init("Esc", "Close")] }
        if steps != nil { return [.init("Up/Down", "Move"), .init("Enter", "Scripts"), .init("Esc", "Close")] }
        return [.init("Up/Down", "Move"), .init("Enter", "Open"), .init("c", "Check"), .init("i", "Install"),
                .init("Esc", "Back")]
    }

    public var help: String? {
        "Each layer shows [x] when complete or [!] with what is missing: Enter opens its page. Enter on a host lists the steps that run there, and Enter on a step shows its check, apply and verify scripts and what it waits for; on a file, shows exactly what will be written (passwords as ****). \"Check hosts and network\" (c) runs the checks of `joget-cluster check`; Install runs them first too, and stops before anything changes when one fails. Install starts when nothing is missing.\n\nOnce the cluster is installed, the top of the page lists what the install changes: nodes added, nodes retired (the install asks first), hosts left with no role."
    }

    public mutating func handle(_ key: Key) -> ScreenRequest {
        if var d = dialog {
            let r = d.handle(key)
            dialog = d
            if case .action(let index) = r {
                dialog = nil
                if confirmsRetirement {
                    confirmsRetirement = false
                    if index == 0 { return .install }
                }
            }
            return .none
        }
        if var v = viewer {
            if key == .escape && v.view.search == nil { viewer = nil; return .none }
            if key == .char("q") && v.view.search == nil { viewer = nil; return .none }
            _ = v.view.handle(key, source: v.lines, viewHeight: max(1, bodyHeight - 2))
            viewer = v
            return .none
        }
        if var list = steps {
            let n = list.ids.count
            switch key {
            case .escape, .char("q"): steps = nil; return .none
            case .up, .backTab: list.selected = max(0, list.selected - 1)
            case .down, .tab: list.selected = min(max(0, n - 1), list.selected + 1)
            case .pageUp: list.selected = max(0, list.selected - 10)
            case .pageDown: list.selected = min(max(0, n - 1), list.selected + 10)
            case .home: list.selected = 0
            case .end: list.selected = max(0, n - 1)
            case .enter, .space:
                if list.ids.indices.contains(list.selected) { openScripts(list.ids[list.selected]) }
            default: return .ignored
            }
            steps = list
            return .none
        }
        let count = rows.count
        switch key {
        case .up, .backTab: selected = max(0, selected - 1); return .none
        case .down, .tab: selected = min(count - 1, selected + 1); return .none
        case .pageUp: selected = max(0, selected - 10); return .none
        case .pageDown: selected = min(count - 1, selected + 10); return .none
        case .home: selected = 0; return .none
        case .end: selected = count - 1; return .none
        case .escape: return .back
        case .char("i"): return install()
        case .char("c"): return checkHosts()
        case .enter, .space:
            guard rows.indices.contains(selected) else { return .none }
            switch rows[selected] {
            case .layer(let id, _): return .edit(setupPage: id)
            case .host(let name): openSteps(name); return .none
            case .file(let i): openFile(i); return .none
            case .checkHosts: return checkHosts()
            case .install: return install()
            }
        default: return .ignored
        }
    }

    /// "Check hosts and network": the app opens the check page (its passwords asked first).
    mutating func checkHosts() -> ScreenRequest {
        if notReady(title: "Not ready to check", what: "The checks run") { return .none }
        return .checkAgain
    }

    /// Shows why nothing can start yet; false when the answers are complete and planned.
    mutating func notReady(title: String, what: String) -> Bool {
        if let all = problems, !all.isEmpty {
            dialog = Dialog(title: title, message: "\(what) when every layer is complete. Missing:\n" + layout.missing.joined(separator: "\n"),
                            buttons: ["OK"], cancelIndex: 0, borderRole: .error, maxWidth: 76)
            return true
        }
        guard plan != nil else {
            dialog = Dialog(title: "Not ready", message: "The plan is still being built.", buttons: ["OK"], cancelIndex: 0)
            return true
        }
        return false
    }

    mutating func install() -> ScreenRequest {
        if notReady(title: "Not ready to install", what: "Install starts") { return .none }
        let retiring = retiringNodes
        if !retiring.isEmpty {
            // Never silently: the operator reads what retiring does and says yes.
            dialog = Dialog(title: "Retire " + retiring.map(\.name).joined(separator: ", ") + "?",
                            message: layout.retirement.joined(separator: "\n") + "\n\nEnter retires and installs; Esc goes back.",
                            buttons: ["Retire and install", "Back"], focused: 0, cancelIndex: 1, borderRole: .warning,
                            maxWidth: 76)
            confirmsRetirement = true
            return .none
        }
        return .install
    }

    mutating func openSteps(_ host: String) {
        guard let plan else { return }
        var list = StepList(host: host, ids: plan.steps.filter { $0.host == host }.map(\.id))
        list.lines = ReviewPage.stepLines(list, plan: plan)
        steps = list
    }

    /// The step list as lines: layer headings, a row per step, its notes wrapped under it.
    static func stepLines(_ list: StepList, plan: Plan) -> [Line] {
        var out: [Line] = [Line(row: -1, [Piece("Steps on \(list.host): \(list.ids.count)", .label, bold: true),
                                          Piece("  (Enter shows a step's scripts)", .muted)])]
        var layer: Layer? = nil
        let byID = Dictionary(plan.steps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, id) in list.ids.enumerated() {
            guard let step = byID[id] else { continue }
            if step.layer != layer {
                out.append(Line(row: -1, []))
                out.append(Line(row: -1, [Piece(step.layer.title, .label)]))
                layer = step.layer
            }
            out.append(Line(row: i, [Piece(step.title), Piece(step.optional ? "  (optional)" : "", .muted)]))
            for note in step.notes {
                // Wrapped to the view, hanging under the note's text.
                out.append(Line(paragraph: Paragraph("note: " + note, .muted, margin: 12, minimum: 20, first: "  ", rest: "        ")))
            }
        }
        return out
    }

    /// One step's check, apply and verify scripts (passwords as ****) and what it waits for.
    mutating func openScripts(_ id: String) {
        guard let step = plan?.steps.first(where: { $0.id == id }) else { return }
        let title = "\(step.host): \(step.title)"
        viewer = Viewer(title: title, lines: ReviewPage.scriptLines(step, plan: plan, width: bodyWidth - 2), view: .textView(title: title))
    }

    static func scriptLines(_ step: Step, plan: Plan?, width: Int = 78) -> [String] {
        var lines = ["Step \(step.id) (\(step.layer.title))"]
        let titles = Dictionary((plan?.steps ?? []).map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        if step.dependsOn.isEmpty {
            lines.append("Waits for: no other step")
        } else {
            lines.append("Waits for:")
            lines += step.dependsOn.map { "  \($0)" + (titles[$0].map { " (\($0))" } ?? "") }
        }
        if step.optional { lines.append("Optional: a failure does not stop the run") }
        switch step.transfer {
        case .upload(let local, let remote)?: lines.append("Uploads: \(local) -> \(step.host):\(remote)")
        case .download(let remote, let local)?: lines.append("Downloads: \(step.host):\(remote) -> \(local)")
        case nil: break
        }
        for file in step.files { lines.append("Writes: \(file.path) (mode \(String(file.mode, radix: 8)), \(file.owner))") }
        for note in step.notes {
            // Wrapped: the viewer scrolls sideways only for scripts.
            for (i, l) in PageText.wrap("Note: " + note, width: max(30, width - 6)).enumerated() { lines.append((i == 0 ? "" : "      ") + l) }
        }
        for (name, script, none) in [("check", step.check, "none: the apply always runs"), ("apply", step.apply, ""),
                                     ("verify", step.verify, "none")] {
            lines.append("")
            guard let script else { lines.append("\(name): \(none)"); continue }
            lines.append("\(name):")
            lines += script.display.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        }
        return lines
    }

    mutating func openFile(_ i: Int) {
        guard files.indices.contains(i) else { return }
        let f = files[i]
        let lines = f.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        viewer = Viewer(title: "\(f.host):\(f.path)", lines: lines, view: .textView(title: "\(f.host):\(f.path)"))
    }

    // MARK: Layout

    /// What the page shows, worked out from the answers, the plan and what is installed.
    public struct Layout: Sendable {
        public fileprivate(set) var rows: [Row] = []
        var lines: [Line] = []
        /// The review's intro (wrapped when drawn).
        var intro = ""
        /// A line per layer with a problem, for the "Not ready" dialog.
        var missing: [String] = []
        public fileprivate(set) var retiringNodes: [Node] = []
        /// What retiring them does, for the dialog that asks first.
        var retirement: [String] = []
        public fileprivate(set) var installSecrets: [(name: SecretName, what: String, typed: Bool)] = []
    }

    /// Works out the layout again: the app calls it when the answers, the passwords, the plan or
    /// what is installed change.
    public mutating func layOut(_ model: SetupModel) {
        let a = model.answers
        var l = Layout()
        var rows: [Row] = ReviewPage.layers.map { .layer(pageID: $0.id, title: $0.title) }
        if let plan { rows += plan.hosts.map { .host($0) } }
        rows += files.indices.map { .file($0) }
        rows.append(.checkHosts)
        rows.append(.install)
        l.rows = rows
        l.intro = SetupSpecs.named("review")?.intro.trimmingTrailingNewlines ?? ""
        for (id, title) in ReviewPage.layers {
            let p = problems(of: id)
            if let first = p.first {
                l.missing.append("[!] \(title): " + SetupSpecs.describe(first, answers: a) + (p.count > 1 ? " (+\(p.count - 1) more)" : ""))
            }
        }
        l.retiringNodes = Installed.retiredNodes(installed: installed, answers: a)
        l.retirement = l.retiringNodes.isEmpty ? [] : Installed.retirement(installed: installed, answers: a, purge: false)
        l.installSecrets = ReviewPage.installSecrets(model, installed: installed, plan: plan)
        layout = l
        layout.lines = displayLines(a)
        selected = min(selected, max(0, rows.count - 1))
        if var list = steps, let plan {
            list.lines = ReviewPage.stepLines(list, plan: plan)
            steps = list
        }
    }

    /// A piece of a line: its text and the role it is drawn in (nil: plain), or a layer's mark.
    struct Piece: Sendable {
        var text: String
        var role: Role?
        var bold = false
        var mark: Mark?

        init(_ text: String, _ role: Role? = nil, bold: Bool = false) { self.text = text; self.role = role; self.bold = bold }
        init(mark: Mark, _ role: Role) { text = ""; self.role = role; self.mark = mark }

        func span(_ theme: Theme) -> Span {
            let s = theme.symbols
            let text = mark.map { m in
                (m == .checking ? "[ ]" : m == .complete ? s.checkOn : s.checkAttention) + " "
            } ?? self.text
            let style = role.map { theme[$0] } ?? .plain
            return Span(text, style: bold ? style.bold() : style)
        }
    }

    /// A layer's mark: still checking, complete, or something to attend to.
    enum Mark: Sendable { case checking, complete, attention }

    /// Text wrapped to the width it is drawn at: `minimum` columns at least, `margin` fewer than the
    /// view; the first line after `first`, the others after `rest`.
    struct Paragraph: Sendable {
        var text: String
        var role: Role
        var margin = 2
        var minimum = 1
        var first = ""
        var rest = ""

        init(_ text: String, _ role: Role, margin: Int = 2, minimum: Int = 1, first: String = "", rest: String = "") {
            self.text = text; self.role = role; self.margin = margin; self.minimum = minimum; self.first = first; self.rest = rest
        }
    }

    struct Line: Sendable {
        var row: Int        // index in `rows`, or -1 for a heading
        var pieces: [Piece] = []
        var paragraph: Paragraph?

        init(row: Int, _ pieces: [Piece]) { self.row = row; self.pieces = pieces }
        init(paragraph: Paragraph) { row = -1; self.paragraph = paragraph }
    }

    /// The body's lines, every one from the layout.
    func displayLines(_ a: Answers) -> [Line] {
        var out: [Line] = []
        let rows = layout.rows
        let titleWidth = ReviewPage.layers.map { TextWidth.of($0.title) }.max() ?? 20
        var sawHost = false, sawFile = false
        let hostWidth = max(4, (plan?.hosts.map { TextWidth.of($0) }.max() ?? 4))
        let stepsByHost = Dictionary(grouping: plan?.steps ?? [], by: \.host)
        for (i, row) in rows.enumerated() {
            switch row {
            case .layer(let id, let title):
                if i == 0 {
                    if installed != nil {
                        out.append(Line(row: -1, [Piece("Changes to the installed cluster", .label, bold: true)]))
                        for change in ReviewPage.changes(installed: installed, answers: a) {
                            out.append(Line(paragraph: Paragraph(change.text, change.role)))
                        }
                        out.append(Line(row: -1, []))
                    }
                    out.append(Line(row: -1, [Piece("Layers", .label, bold: true)]))
                }
                let ps = problems(of: id)
                let mark: Mark
                let detail: String
                let role: Role
                if problems == nil {
                    mark = .checking; detail = "checking..."; role = .muted
                } else if let p = ps.first {
                    mark = .attention
                    let more = ps.count > 1 ? " (+\(ps.count - 1) more)" : ""
                    detail = SetupSpecs.describe(p, answers: a) + more; role = .error
                } else {
                    mark = .complete; detail = ReviewPage.summary(of: id, answers: a); role = .muted
                }
                out.append(Line(row: i, [Piece(mark: mark, ps.isEmpty && problems != nil ? .ok : .warning),
                                         Piece(TextLayout.pad(title, to: titleWidth) + "  "),
                                         Piece(detail, role)]))
            case .host(let name):
                if !sawHost {
                    sawHost = true
                    out.append(Line(row: -1, []))
                    let total = plan?.steps.count ?? 0
                    out.append(Line(row: -1, [Piece("Plan: \(total) steps on \(plan?.hosts.count ?? 0) hosts", .label, bold: true),
                                              Piece("  (Enter lists a host's steps and their scripts)", .muted)]))
                }
                let steps = stepsByHost[name] ?? []
                var layers: [String] = []
                for st in steps where !layers.contains(st.layer.tag) { layers.append(st.layer.tag) }
                out.append(Line(row: i, [Piece(TextLayout.pad(name, to: hostWidth) + "  "),
                                         Piece(TextLayout.pad("\(steps.count) steps", to: 9), .normal),
                                         Piece("  " + layers.joined(separator: ", "), .muted)]))
            case .file(let f):
                if !sawFile {
                    sawFile = true
                    out.append(Line(row: -1, []))
                    out.append(Line(row: -1, [Piece("Files to be written: \(files.count)", .label, bold: true),
                                              Piece("  (Enter shows one; passwords as ****)", .muted)]))
                }
                let file = files[f]
                out.append(Line(row: i, [Piece(TextLayout.pad(file.host, to: hostWidth) + "  "), Piece(file.path)]))
            case .checkHosts:
                if isComplete {
                    let secrets = layout.installSecrets
                    out.append(Line(row: -1, []))
                    let asked = secrets.filter { !$0.typed }.count
                    out.append(Line(row: -1, [Piece("Passwords the install uses: \(secrets.count)", .label, bold: true),
                                              Piece(asked == 0 ? "  (all typed; kept in memory only)"
                                                      : "  (\(asked) asked at Install; never saved)", .muted)]))
                    let nameWidth = min(28, secrets.map { TextWidth.of($0.name.rawValue) }.max() ?? 0)
                    for secret in secrets {
                        out.append(Line(row: -1, [Piece(TextLayout.pad(secret.name.rawValue, to: nameWidth) + "  "),
                                                  Piece(TextLayout.pad(secret.typed ? "typed" : "asked", to: 5) + "  ",
                                                        secret.typed ? .ok : .warning),
                                                  Piece(secret.what, .muted)]))
                    }
                }
                out.append(Line(row: -1, []))
                out.append(Line(row: i, [Piece("[ Check hosts and network ]", isComplete ? .normal : .muted),
                                         Piece("  read-only; Install runs it first", .muted)]))
            case .install:
                let label = isComplete ? "[ Install ]" : "[ Install ]  (not yet: complete the [!] layers)"
                out.append(Line(row: i, [Piece(label, isComplete ? .normal : .muted)]))
            }
        }
        return out
    }

    static func summary(of id: String, answers a: Answers) -> String {
        switch id {
        case "hosts":
            return "\(a.hosts.count) host\(a.hosts.count == 1 ? "" : "s"): " + a.hosts.map(\.name).joined(separator: ", ")
        case "sharedFiles":
            return a.sharedFiles.provider == .nfs
                ? "NFS from \(a.sharedFiles.server ?? "?"), mounted at \(a.sharedFiles.mountPoint)"
                : "existing, at \(a.sharedFiles.mountPoint)"
        case "database":
            return "\(a.database.engine.rawValue) on \(a.database.host):\(a.database.port), database \(a.database.name)"
        case "appServers":
            return "\(a.appServers.nodes.count) node\(a.appServers.nodes.count == 1 ? "" : "s"): " + a.appServers.nodes.map { "\($0.name)@\($0.host)" }.joined(separator: ", ")
        case "loadBalancer":
            return "Apache on \(a.loadBalancer.host), http://\(a.loadBalancer.serverName)" + (a.loadBalancer.tls != nil ? " + https" : "")
        default: return ""
        }
    }

    // MARK: Drawing

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        let s = theme.symbols
        if let v = viewer {
            v.view.render(area, into: &buffer, source: v.lines, theme: theme)
            return
        }
        if let list = steps {
            drawList(list.lines, selected: list.selected, in: area, into: &buffer, theme: theme)
            return
        }
        buffer.writeLine("Review", in: area.row(0), style: theme[.title], ellipsis: s.ellipsis)
        var top = area.y + 1
        let intro = PageText.wrap(layout.intro, width: max(1, area.width))
        for line in intro.prefix(max(0, area.height - 8)) {
            buffer.writeLine(line, in: Rect(x: area.x, y: top, width: area.width, height: 1), style: theme[.muted],
                             ellipsis: s.ellipsis)
            top += 1
        }
        if area.bottom - top > 8 { top += 1 }
        let listArea = Rect(x: area.x, y: top, width: area.width, height: max(0, area.bottom - top))
        drawList(layout.lines, selected: selected, in: listArea, into: &buffer, theme: theme)
        if let d = dialog { d.render(area, into: &buffer, theme: theme) }
    }

    /// Lines with selectable rows, scrolled to keep the selected one in view; paragraphs wrapped to the width.
    func drawList(_ laidOut: [Line], selected: Int, in listArea: Rect, into buffer: inout Buffer, theme: Theme) {
        let s = theme.symbols
        var lines: [(row: Int, spans: [Span])] = []
        lines.reserveCapacity(laidOut.count)
        for line in laidOut {
            guard let p = line.paragraph else {
                lines.append((line.row, line.pieces.map { $0.span(theme) }))
                continue
            }
            for (j, text) in PageText.wrap(p.text, width: max(p.minimum, listArea.width - p.margin)).enumerated() {
                lines.append((-1, [Span((j == 0 ? p.first : p.rest) + text, style: theme[p.role])]))
            }
        }
        // Scroll to keep the selected row visible.
        let selLine = lines.firstIndex { $0.row == selected } ?? 0
        var first = 0
        if lines.count > listArea.height {
            first = min(max(0, selLine - listArea.height + 2), lines.count - listArea.height)
            if selLine < first { first = selLine }
        }
        for (i, line) in lines.dropFirst(first).prefix(listArea.height).enumerated() {
            let r = listArea.row(i)
            let isSel = line.row == selected && line.row >= 0
            if isSel { buffer.write(s.focusMarker, x: r.x, y: r.y, style: theme[.focused], clip: r) }
            var spans = line.spans
            if isSel, !spans.isEmpty {
                spans = spans.map { Span($0.text, style: $0.style.patched(with: theme[.focused])) }
            }
            buffer.writeLine(spans, in: r.inset(left: 2), alignment: .left, ellipsis: s.ellipsis)
        }
        if lines.count > listArea.height, listArea.width > 2 {
            if first > 0 { buffer.write(s.moreAbove, x: listArea.right - 1, y: listArea.y, style: theme[.muted]) }
            if first + listArea.height < lines.count {
                buffer.write(s.moreBelow, x: listArea.right - 1, y: listArea.bottom - 1, style: theme[.muted])
            }
        }
    }
}
