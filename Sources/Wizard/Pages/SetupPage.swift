import ClusterCore
import TermUI

/// One page of questions, generated from a screen file: its fields as a form and, when the screen
/// has a list (hosts, app server nodes), a list editor whose rows open a form of the list's fields.
///
/// The Hosts page is this page too; it adds the roles of each host, the "Test connection" keys and
/// the test results of the selected host.
///
/// Focus moves form → list → buttons with Tab/Down (back with Shift-Tab/Up). Enter on the last
/// field (or the Next button) runs the page's check: `Validator.validate` narrowed to this page;
/// with problems, each is drawn beside its field and the first gets focus; without, `.next`.
///
/// The page holds no copy of the setup model: the app passes its model in to read (`render`), or a
/// ``SetupDraft`` of it for one key (`handle`), and applies the ``SetupEdit``s the key made.
public struct SetupPage: PageChrome {
    public enum Focus: Sendable, Equatable { case form, list, buttons }

    public let spec: ScreenSpec
    public var fields: SpecForm
    public var list: ListEditor?
    /// The open row editor (a form of the list's fields for one row).
    public var itemEditor: SpecForm?
    /// Row editors closed with text that did not pass, kept so nothing typed is lost.
    var itemDrafts: [Int: SpecForm] = [:]
    public var focus: Focus
    public var buttons: ButtonRow
    /// A line under the form: what is wrong, in full.
    public var message: String?
    /// "Remove host app1?"
    public var confirm: Dialog?
    var pendingRemoval: Int?
    /// The key ran the page's check (Next): its summary stands as made.
    var checked = false

    /// A page whose fields start from `model` (read here, not kept).
    public init(spec: ScreenSpec, model: SetupModel) {
        self.spec = spec
        fields = SpecForm(specs: spec.fields, model: model)
        if let l = spec.list {
            list = ListEditor(headers: SetupPage.headers(for: l.id), rows: [],
                              emptyText: "None yet. Press a to add one.")
        }
        focus = fields.isEmpty ? (spec.list != nil ? .list : .buttons) : .form
        buttons = ButtonRow(["Back", "Next"], focused: 1, isFocused: false)
        syncFocus()
    }

    public var isHosts: Bool { spec.id == "hosts" }

    // MARK: Screen

    public var title: String { spec.title }

    public var legend: [KeyLegend.Item] {
        if confirm != nil { return [.init("Enter", "Choose"), .init("Esc", "Cancel")] }
        if itemEditor != nil {
            return [.init("Tab", "Next field"), .init("Enter", "Done"), .init("Esc", "Back to list")]
        }
        switch focus {
        case .form:
            let field = fields.focusedSpec
            var items: [KeyLegend.Item] = [.init("Tab", "Next field"), .init("Enter", "Next")]
            if field?.kind == .choice || (field?.kind == .host && fields.form.focusedID.flatMap { fields.form[$0] }.map { if case .choice = $0.control { true } else { false } } == true) {
                items.insert(.init("Left/Right", "Choose"), at: 0)
            }
            if field?.kind == .password { items.append(.init("F2", "Show")) }
            items.append(.init("Esc", "Back"))
            return items
        case .list:
            var items: [KeyLegend.Item] = [.init("a", "Add"), .init("Enter", "Edit"), .init("d", "Remove")]
            if isHosts { items += [.init("t", "Test"), .init("T", "Test all")] }
            items += [.init("Esc", "Back")]
            return items
        case .buttons:
            return [.init("Left/Right", "Move"), .init("Enter", "Choose"), .init("Esc", "Back")]
        }
    }

    public var help: String? {
        if let editor = itemEditor { return editor.focusedSpec.map(SetupPage.helpText) }
        switch focus {
        case .form: return fields.focusedSpec.map(SetupPage.helpText)
        case .list:
            guard let l = spec.list else { return nil }
            var text = "\(l.label): a adds one, Enter or e edits the selected one, d removes it."
            if isHosts {
                text += "\n\nt tests the connection to the selected host (SSH login, root access, OS, disk, Java, ports, clock); T tests every host. A host seen for the first time shows its key fingerprint to accept or refuse."
            }
            return text
        case .buttons: return "Back returns to the previous page, keeping your answers. Next checks this page and goes on."
        }
    }

    /// The label of the field F1 is about, if a field has focus.
    public var focusedFieldLabel: String? {
        if let editor = itemEditor { return editor.focusedSpec?.label }
        return focus == .form ? fields.focusedSpec?.label : nil
    }

    static func helpText(_ f: FieldSpec) -> String {
        var text = f.help.isEmpty ? f.label + "." : f.help
        if f.kind == .choice { text += "\n\nOne of: " + f.options.joined(separator: ", ") + "." }
        if f.kind == .host { text += "\n\nOne of the hosts defined on the Hosts page." }
        if let d = f.defaultValue, f.kind != .choice { text += "\nDefault: \(d)" }
        if f.optional { text += "\nMay be left empty." }
        if f.kind == .password { text += "\n\nPasswords are kept in memory only, never in the answers file. F2 shows or hides it." }
        return text
    }

    /// One key: the edits it makes to the model go into `draft`, for the app to apply.
    public mutating func handle(_ key: Key, draft: inout SetupDraft) -> ScreenRequest {
        checked = false
        let request = dispatch(key, &draft)
        // A fix (or a new mistake) after Next: the summary says what is wrong now, not then.
        if !checked { updateSummary(draft.current) }
        return request
    }

    mutating func dispatch(_ key: Key, _ draft: inout SetupDraft) -> ScreenRequest {
        if confirm != nil { return handleConfirm(key, &draft) }
        if itemEditor != nil { return handleEditor(key, &draft) }
        defer { syncFocus() }
        switch focus {
        case .form:
            if key == .escape { fields.commitFocused(draft: &draft); return .back }
            let r = fields.handle(key, draft: &draft)
            if r.used { refreshMessage(); return .none }
            switch key {
            case .tab, .down, .enter:
                fields.commitFocused(draft: &draft)
                if list != nil, spec.list != nil { focus = .list; return .none }
                if key == .enter { return next(draft: &draft) }
                focus = .buttons
                return .none
            case .backTab, .up: return .none
            default: return .ignored
            }
        case .list:
            guard var l = list else { focus = .buttons; return .none }
            l.rows = rows(draft.current)
            let r = l.handle(key)
            list = l
            switch r {
            case .action(.add): addItem(&draft); return .none
            case .action(.edit(let i)): openEditor(i, model: draft.current); return .none
            case .action(.remove(let i)):
                askRemove(i, draft.current); return .none
            case .handled: return .none
            case .ignored: break
            }
            switch key {
            case .tab, .down: focus = .buttons; return .none
            case .backTab, .up:
                if !fields.isEmpty { focus = .form }
                return .none
            case .escape: return .back
            case .char("t") where isHosts:
                guard let sel = l.selection, draft.current.answers.hosts.indices.contains(sel) else { return .none }
                return .testConnection(.host(index: sel))
            case .char("T") where isHosts:
                return draft.current.answers.hosts.isEmpty ? .none : .testConnection(.all)
            default: return .ignored
            }
        case .buttons:
            let r = buttons.handle(key)
            if case .action(let i) = r { return i == 0 ? .back : next(draft: &draft) }
            if r.consumed { return .none }
            switch key {
            case .backTab, .up: focus = list != nil ? .list : (fields.isEmpty ? .buttons : .form); return .none
            case .tab: return .none
            case .escape: return .back
            default: return .ignored
            }
        }
    }

    /// Marks the part with focus. The list's rows come from the model where they are used (a key
    /// on the list, a frame).
    mutating func syncFocus() {
        fields.form.hasFocus = focus == .form && itemEditor == nil
        list?.isFocused = focus == .list && itemEditor == nil
        buttons.isFocused = focus == .buttons && itemEditor == nil
    }

    mutating func refreshMessage() {
        if let m = message, m.hasPrefix("Saved") { message = nil }
    }

    // MARK: Page check

    /// The problems `Validator.validate` finds in this page's part of the answers.
    public func problems(_ model: SetupModel) -> [Problem] {
        Validator.validate(model.answers).filter { SetupSpecs.owns(spec.id, problemField: $0.field) }
    }

    /// Next: checks the page; returns `.next` when nothing is wrong, else shows every problem.
    public mutating func next(draft: inout SetupDraft) -> ScreenRequest {
        checked = true
        fields.commitFocused(draft: &draft)
        if itemEditor != nil { closeEditor(&draft) }
        let model = draft.current
        let all = problems(model)
        let own = all.filter { ProblemPath($0.field).item == nil }
        let fieldErrors = fields.showProblems(own)
        let unplacedOwn = fields.unplaced(own)
        let rowProblems = all.filter { ProblemPath($0.field).item != nil }
        let draftErrors = itemDrafts.values.flatMap { $0.pendingErrors }
        if fieldErrors == 0 && unplacedOwn.isEmpty && rowProblems.isEmpty && draftErrors.isEmpty {
            message = nil
            return .next
        }
        let total = fieldErrors + unplacedOwn.count + rowProblems.count
        let first: String
        if fieldErrors > 0, let f = fields.form.focusedID.flatMap({ fields.form[$0] }), let e = f.error {
            first = "\(f.label): \(e)"
            focus = .form
        } else if let p = unplacedOwn.first {
            first = describe(p, model)
            focus = list != nil ? .list : .buttons
        } else if let p = rowProblems.first {
            first = describe(p, model)
            focus = .list
            if let item = ProblemPath(p.field).item { list?.selectedIndex = item }
        } else {
            first = draftErrors.first.map { "\($0.label): \($0.message)" } ?? ""
            focus = .list
        }
        message = total > 1 ? "\(first)  (+\(total - 1) more)" : first
        syncFocus()
        return .none
    }

    /// Counts the page's problems again once a summary is shown (after Next), keeping the focus:
    /// an error the validator put beside a field goes when the validator no longer finds it.
    mutating func updateSummary(_ model: SetupModel) {
        guard message != nil, itemEditor == nil, confirm == nil else { return }
        let all = problems(model)
        let own = all.filter { ProblemPath($0.field).item == nil }
        for i in fields.form.fields.indices {
            let f = fields.form.fields[i]
            guard f.error != nil, f.id != fields.form.focusedID, let spec = fields.spec(f.id) else { continue }
            let ownCheck = spec.kind == .password ? nil : fields.form.value(f.id).flatMap(spec.check)
            if ownCheck == nil, !own.contains(where: { ProblemPath($0.field).fieldID == f.id }) {
                fields.form.fields[i].error = nil
            }
        }
        var texts = fields.form.fields.compactMap { f in f.error.map { "\(f.label): \($0)" } }
        texts += fields.unplaced(own).map { describe($0, model) }
        texts += all.filter { ProblemPath($0.field).item != nil }.map { describe($0, model) }
        texts += itemDrafts.values.flatMap { $0.pendingErrors }.map { "\($0.label): \($0.message)" }
        guard let first = texts.first else { message = nil; return }
        message = texts.count > 1 ? "\(first)  (+\(texts.count - 1) more)" : first
    }

    /// A problem in words with its field's label: `Host 2 (app1) Address: "x" is not ...`.
    public func describe(_ p: Problem, _ model: SetupModel) -> String {
        let path = ProblemPath(p.field)
        let allSpecs = spec.fields + (spec.list?.fields ?? [])
        if p.field == "hosts" || p.field == "appServers.nodes" {
            return "\(spec.list?.label ?? p.field): \(p.message)"
        }
        let label = allSpecs.first { $0.id == path.fieldID }?.label ?? path.fieldID
        if let item = path.item {
            return "\(rowName(item, model)) \(label): \(p.message)"
        }
        return "\(label): \(p.message)"
    }

    func rowName(_ item: Int, _ model: SetupModel) -> String {
        if isHosts {
            let name = model.answers.hosts.indices.contains(item) ? model.answers.hosts[item].name : ""
            return name.isEmpty ? "Host \(item + 1)" : "Host \(item + 1) (\(name))"
        }
        let name = model.answers.appServers.nodes.indices.contains(item) ? model.answers.appServers.nodes[item].name : ""
        return name.isEmpty ? "Node \(item + 1)" : "Node \(item + 1) (\(name))"
    }

    // MARK: List

    static func headers(for listID: String) -> [String] {
        listID == "hosts" ? ["Name", "Address", "User", "Port", "Login", "Roles", "Test"] : ["Node name", "Host", "HTTP port"]
    }

    func itemCount(_ model: SetupModel) -> Int { isHosts ? model.answers.hosts.count : model.answers.appServers.nodes.count }

    /// The list's rows from the model; a `!` marks a row with a problem.
    public func rows(_ model: SetupModel) -> [[String]] {
        let problems = Validator.validate(model.answers)
        func flagged(_ i: Int) -> String {
            let prefix = (isHosts ? "hosts" : "appServers.nodes") + "[\(i)]"
            let bad = problems.contains { $0.field.hasPrefix(prefix + ".") }
                || (itemDrafts[i]?.pendingErrors.isEmpty == false)
            return bad ? " !" : ""
        }
        if isHosts {
            return model.answers.hosts.enumerated().map { i, h in
                let local = h.auth == .local
                return [(h.name.isEmpty ? "(no name)" : h.name) + flagged(i), h.address,
                        local ? "-" : h.user, local ? "-" : String(h.port), h.auth.rawValue,
                        HostRoles.text(of: h.name, in: model.answers), model.tests[h.name]?.summary(for: h) ?? "-"]
            }
        }
        let a = model.answers
        return a.appServers.nodes.enumerated().map { i, n in
            [(n.name.isEmpty ? "(no name)" : n.name) + flagged(i), n.host.isEmpty ? "(none)" : n.host,
             n.httpPort.map(String.init) ?? "\(a.appServers.httpPort) (common)"]
        }
    }

    mutating func addItem(_ draft: inout SetupDraft) {
        guard let l = spec.list else { return }
        let index: Int
        if isHosts {
            draft.apply(.addHost(SetupModel.newHost()))
            index = draft.current.answers.hosts.count - 1
        } else {
            let model = draft.current
            let taken = Set(model.answers.appServers.nodes.map(\.name))
            var n = model.answers.appServers.nodes.count + 1
            while taken.contains(String(format: "node%02d", n)) { n += 1 }
            // A new node goes to the first host no node uses yet.
            let used = Set(model.answers.appServers.nodes.map(\.host))
            let host = model.hostNames.first { !used.contains($0) && HostRoles.roles(of: $0, in: model.answers).isEmpty } ?? ""
            draft.apply(.addNode(Node(name: String(format: "node%02d", n), host: host)))
            index = draft.current.answers.appServers.nodes.count - 1
        }
        for f in l.fields where f.kind != .password {
            if let d = f.defaultValue { draft.apply(.answer(path: f.id, item: index, value: d)) }
        }
        list?.selectedIndex = index
        openEditor(index, model: draft.current)
    }

    /// Opens the row editor of list row `index`, its fields read from `model`.
    mutating func openEditor(_ index: Int, model: SetupModel) {
        guard let l = spec.list, index < itemCount(model) else { return }
        var editor = itemDrafts.removeValue(forKey: index) ?? SpecForm(specs: l.fields, item: index, model: model)
        editor.rebuild(model)
        editor.form.hasFocus = true
        itemEditor = editor
        syncFocus()
    }

    mutating func closeEditor(_ draft: inout SetupDraft) {
        guard var editor = itemEditor, let index = editor.item else { itemEditor = nil; return }
        editor.commitFocused(draft: &draft)
        if !editor.pendingErrors.isEmpty { itemDrafts[index] = editor }
        itemEditor = nil
        message = nil
        syncFocus()
    }

    mutating func handleEditor(_ key: Key, _ draft: inout SetupDraft) -> ScreenRequest {
        guard var editor = itemEditor, let index = editor.item else { itemEditor = nil; return .none }
        if key == .escape {
            closeEditor(&draft)
            return .none
        }
        let r = editor.handle(key, draft: &draft)
        itemEditor = editor
        if r.used { message = nil; return .none }
        switch key {
        case .enter:
            // Done: the row's own checks and the validator's problems for this row.
            editor.commitFocused(draft: &draft)
            let prefix = (isHosts ? "hosts" : "appServers.nodes") + "[\(index)]."
            let rowProblems = Validator.validate(draft.current.answers).filter { $0.field.hasPrefix(prefix) }
            if editor.showProblems(rowProblems) > 0 {
                itemEditor = editor
                if let f = editor.form.focusedID.flatMap({ editor.form[$0] }), let e = f.error {
                    message = "\(f.label): \(e)"
                }
                return .none
            }
            itemEditor = editor
            closeEditor(&draft)
            return .none
        case .tab, .down, .backTab, .up:
            return .none
        default:
            return .ignored
        }
    }

    mutating func askRemove(_ i: Int, _ model: SetupModel) {
        let name: String
        if isHosts {
            let h = model.answers.hosts[i]
            name = "host " + (h.name.isEmpty ? "\(i + 1)" : h.name)
        } else {
            let n = model.answers.appServers.nodes[i]
            name = "node " + (n.name.isEmpty ? "\(i + 1)" : n.name)
        }
        pendingRemoval = i
        confirm = Dialog(title: "Remove", message: "Remove \(name)? Pages that use it will ask for another.",
                         buttons: ["Remove", "Keep"], focused: 1, cancelIndex: 1)
    }

    mutating func handleConfirm(_ key: Key, _ draft: inout SetupDraft) -> ScreenRequest {
        guard var d = confirm else { return .none }
        let r = d.handle(key)
        confirm = d
        if case .action(let i) = r {
            confirm = nil
            if i == 0, let index = pendingRemoval { remove(index, &draft) }
            pendingRemoval = nil
        }
        return .none
    }

    mutating func remove(_ index: Int, _ draft: inout SetupDraft) {
        if isHosts {
            guard draft.current.answers.hosts.indices.contains(index) else { return }
            draft.apply(.removeHost(at: index))
        } else {
            guard draft.current.answers.appServers.nodes.indices.contains(index) else { return }
            draft.apply(.removeNode(at: index))
        }
        itemDrafts = [:]
        let count = itemCount(draft.current)
        if var l = list { l.selectedIndex = min(l.selectedIndex, max(0, count - 1)); list = l }
        syncFocus()
    }

    /// The answers changed elsewhere (another page, a loaded file): show the model's values.
    public mutating func reload(_ model: SetupModel) {
        fields.reload(model)
        itemDrafts = [:]
        itemEditor = nil
        syncFocus()
    }

    /// The model changed on another page (host names): refresh choices, keep what is typed here.
    public mutating func refresh(_ model: SetupModel) {
        fields.rebuild(model)
        syncFocus()
    }

    // MARK: Drawing

    public func render(_ area: Rect, model: SetupModel, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        var page = self
        page.syncFocus()
        if page.list != nil { page.list!.rows = rows(model) }
        let width = area.width
        let introLines = spec.intro.isEmpty ? [] : PageText.wrap(spec.intro.trimmingTrailingNewlines, width: max(1, width))
        var y = area.y
        buffer.writeLine(spec.title, in: Rect(x: area.x, y: y, width: width, height: 1), style: theme[.title],
                         ellipsis: theme.symbols.ellipsis)
        y += 1
        // Keep room for the message and buttons (2), and 1 blank under the intro.
        let introRoom = max(0, min(introLines.count, area.height - 8))
        for line in introLines.prefix(introRoom) {
            buffer.writeLine(line, in: Rect(x: area.x, y: y, width: width, height: 1), style: theme[.muted],
                             ellipsis: theme.symbols.ellipsis)
            y += 1
        }
        if introRoom > 0 && area.bottom - y > 6 { y += 1 }
        let bottom = area.bottom
        let buttonRow = Rect(x: area.x, y: bottom - 1, width: width, height: 1)
        // What the message line says: the editor's hint or error, else the page's error. A long
        // error gets a second line: its end usually says what is allowed.
        let hint = "Enter on the last field: done.  Esc: back to the list (nothing is lost)."
        let shown: (text: String, isError: Bool)? = itemEditor.map { editor in
            page.editorMessage(editor).map { ($0, true) } ?? (hint, false)
        } ?? page.currentMessage.map { ($0, true) }
        let message = shown.map { (lines: messageLines($0.text, isError: $0.isError, width: width, theme: theme), isError: $0.isError) }
        let messageHeight = message?.lines.count ?? 1
        let messageRow = Rect(x: area.x, y: bottom - 1 - messageHeight, width: width, height: messageHeight)
        var body = Rect(x: area.x, y: y, width: width, height: max(0, messageRow.y - y))

        if let editor = itemEditor, let index = editor.item {
            let heading = rowName(index, model)
            buffer.writeLine(heading, in: body.row(0), style: theme[.label].bold(), ellipsis: theme.symbols.ellipsis)
            body = body.inset(top: 2)
            editor.form.render(body, into: &buffer, theme: theme)
            if let message { drawMessage(message.lines, isError: message.isError, in: messageRow, buffer: &buffer, theme: theme) }
            return
        }

        let formHeight = fields.isEmpty ? 0 : fields.form.layout(width: width).reduce(0) { $0 + $1.height }
        if let l = spec.list {
            let rowsNeeded = max(1, page.list?.rows.count ?? 0)
            let listNeed = 2 + rowsNeeded
            let testNeed = isHosts ? 1 + max(1, page.selectedTest(model)?.checks.count ?? 1) : 0
            // Blank lines between the parts only when everything fits with them.
            let spare = body.height - formHeight - listNeed - testNeed
            let formGap = !fields.isEmpty && spare >= 1 ? 1 : 0
            let testGap = isHosts && spare >= 1 + formGap ? 1 : 0
            let formGets = max(fields.isEmpty ? 0 : 1, min(formHeight, body.height - listNeed - testNeed - formGap - testGap))
            let formArea = Rect(x: body.x, y: body.y, width: width, height: fields.isEmpty ? 0 : formGets)
            page.fields.form.render(formArea, into: &buffer, theme: theme)
            var rest = body.inset(top: formArea.height + formGap)
            let listHeight = min(listNeed, max(0, rest.height - (isHosts ? min(testNeed, 3) : 0)))
            let listArea = Rect(x: rest.x, y: rest.y, width: width, height: listHeight)
            rest = rest.inset(top: listHeight + testGap)
            var listWidget = page.list ?? ListEditor()
            listWidget.title = l.label
            listWidget.render(listArea, into: &buffer, theme: theme)
            if isHosts { page.renderTests(rest, model: model, into: &buffer, theme: theme) }
        } else {
            page.fields.form.render(body, into: &buffer, theme: theme)
        }

        if let c = confirm {
            c.render(area, into: &buffer, theme: theme)
        }
        if let message {
            drawMessage(message.lines, isError: message.isError, in: messageRow, buffer: &buffer, theme: theme)
        }
        page.buttons.render(buttonRow, into: &buffer, theme: theme)
        if confirm != nil { buffer.cursor = nil }
    }

    /// The full text of the focused field's error, or the page's message.
    var currentMessage: String? {
        if focus == .form, let e = SetupPage.fieldMessage(fields.form) { return e }
        return message ?? SetupPage.fieldMessage(fields.form)
    }

    func editorMessage(_ editor: SpecForm) -> String? {
        SetupPage.fieldMessage(editor.form) ?? message
    }

    /// The focused field's error in full, else the first field error: the field may show it cut.
    static func fieldMessage(_ form: Form) -> String? {
        if let f = form.focusedID.flatMap({ form[$0] }), let e = f.error { return "\(f.label): \(e)" }
        if let f = form.fields.first(where: { $0.error != nil }), let e = f.error { return "\(f.label): \(e)" }
        return nil
    }

    /// The message as drawn: one line, or two for an error that does not fit (the second cut if need be).
    func messageLines(_ text: String, isError: Bool, width: Int, theme: Theme) -> [String] {
        let prefix = isError ? (theme.symbols.isASCII ? "! " : "✗ ") : ""
        guard isError, TextWidth.of(prefix + text) > width else { return [prefix + text] }
        let lines = PageText.wrap(text, width: max(1, width - TextWidth.of(prefix)))
        let second = lines.dropFirst().joined(separator: " ")
        return [prefix + lines[0], String(repeating: " ", count: TextWidth.of(prefix)) + second]
    }

    func drawMessage(_ lines: [String], isError: Bool, in rows: Rect, buffer: inout Buffer, theme: Theme) {
        for (i, line) in lines.prefix(rows.height).enumerated() {
            buffer.writeLine(line, in: rows.row(i), style: theme[isError ? .error : .muted], ellipsis: theme.symbols.ellipsis)
        }
    }

    /// The last test of the selected host.
    func selectedTest(_ model: SetupModel) -> HostTest? {
        guard let sel = list?.selection, model.answers.hosts.indices.contains(sel) else { return nil }
        return model.tests[model.answers.hosts[sel].name]
    }

    func renderTests(_ area: Rect, model: SetupModel, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        let hosts = model.answers.hosts
        guard let sel = list?.selection, hosts.indices.contains(sel) else { return }
        let host = hosts[sel]
        let name = host.name.isEmpty ? "host \(sel + 1)" : host.name
        buffer.writeLine("Connection test: \(name)", in: area.row(0), style: theme[.title], ellipsis: theme.symbols.ellipsis)
        var rest = area.inset(top: 1)
        guard let test = model.tests[host.name] else {
            buffer.writeLine("Not tested yet. With the list focused: t tests this host, T tests every host.",
                             in: rest.row(0), style: theme[.muted], ellipsis: theme.symbols.ellipsis)
            return
        }
        if test.isStale(for: host), let tested = test.tested, rest.height > 0 {
            buffer.writeLine("Stale: this tested \(tested.name.isEmpty ? "the host" : tested.name) at \(tested.text) before an edit. t tests again.",
                             in: rest.row(0), style: theme[.warning], ellipsis: theme.symbols.ellipsis)
            rest = rest.inset(top: 1)
        }
        let s = theme.symbols
        for (i, c) in test.checks.prefix(rest.height).enumerated() {
            let icon: String, word: String, role: Role
            switch c.outcome {
            case .running: icon = s.running; word = "..."; role = .title
            case .ok: icon = s.done; word = "ok"; role = .ok
            case .warn: icon = "!"; word = "warn"; role = .warning
            case .fail: icon = s.failed; word = "FAIL"; role = .error
            }
            let spans = [Span(icon + " ", style: theme[role]), Span(TextLayout.pad(c.name, to: 12) + " "),
                         Span(TextLayout.pad(word, to: 5), style: theme[role]),
                         Span(c.detail, style: theme[c.outcome == .fail ? .error : .normal])]
            buffer.writeLine(spans, in: rest.row(i), ellipsis: s.ellipsis)
        }
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
