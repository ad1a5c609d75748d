import ClusterCore
import TermUI

/// A TermUI ``Form`` generated from screen-file fields and bound to the answers by path.
///
/// - Fields are built from ``FieldSpec``s: text/path/port/number → text field, choice → ``Choice``,
///   host → a ``Choice`` of the defined host names, password → ``PasswordField`` stored in the
///   model's secrets (never in the answers).
/// - `showIf` is read from the answers after every committed change, so fields appear and hide live.
/// - A field is checked as focus leaves it (``FieldSpec/check(_:)``, then the model's type check in
///   ``Answers/set(_:at:item:)``); a value that passes is written to the answers at once, one that does
///   not stays in the field (nothing typed is lost) with the error beside it.
public struct SpecForm: Sendable {
    public var specs: [FieldSpec]
    /// The list row these fields edit (`hosts[].name` with item 2 is the third host), or nil.
    public var item: Int?
    public var form: Form

    public init(specs: [FieldSpec], item: Int? = nil, model: SetupModel) {
        self.specs = specs
        self.item = item
        form = Form([], enterMovesFocus: true)
        rebuild(model)
    }

    public func spec(_ id: String) -> FieldSpec? { specs.first { $0.id == id } }

    /// The field under a password that must be typed twice: `database.password#again`.
    static func againID(_ id: String) -> String { id + "#again" }

    /// The password a confirmation field repeats, for an `#again` id.
    func confirmed(by id: String) -> FieldSpec? {
        guard id.hasSuffix("#again") else { return nil }
        return spec(String(id.dropLast("#again".count)))
    }

    /// The focused field's spec (a confirmation field's is its password's).
    public var focusedSpec: FieldSpec? { form.focusedID.flatMap { spec($0) ?? confirmed(by: $0) } }

    public var isEmpty: Bool { form.fields.isEmpty }

    /// The value the answers hold for a field (or its secret, for passwords).
    func modelValue(_ spec: FieldSpec, _ model: SetupModel) -> String {
        if spec.kind == .password {
            return model.secretName(for: spec, item: item).flatMap { model.secrets[$0] } ?? ""
        }
        return model.answers.value(at: spec.id, item: item) ?? ""
    }

    /// Whether a host field is drawn as a choice of the host names (when they fit on one line).
    static func hostChoice(_ names: [String]) -> Bool {
        !names.isEmpty && names.reduce(0) { $0 + TextWidth.of($1) + 6 } <= 52
    }

    func makeField(_ spec: FieldSpec, _ model: SetupModel) -> Form.Field {
        let value = modelValue(spec, model)
        switch spec.kind {
        case .password:
            return .password(spec.id, spec.label, value: value, placeholder: "typed at run time if empty", width: 28)
        case .choice:
            return .choice(spec.id, spec.label, options: spec.options, selected: spec.options.firstIndex(of: value))
        case .host:
            let names = model.hostNames
            if SpecForm.hostChoice(names) {
                return .choice(spec.id, spec.label, options: names, selected: names.firstIndex(of: value))
            }
            let hint = names.isEmpty ? "add hosts on the Hosts page" : "one of: " + names.joined(separator: ", ")
            return .text(spec.id, spec.label, value: value, placeholder: hint, width: 24)
        case .port, .number:
            let hint = SpecForm.placeholder(spec, model)
            return .text(spec.id, spec.label, value: value, placeholder: hint, maxLength: 6,
                         filter: .digits, width: 15)
        case .path:
            return .text(spec.id, spec.label, value: value, placeholder: SpecForm.placeholder(spec, model), width: 30)
        case .text:
            return .text(spec.id, spec.label, value: value, placeholder: SpecForm.placeholder(spec, model), width: 24)
        }
    }

    /// What an empty field shows, worded so that it never reads as a value: an empty field is not
    /// its default (the check refuses it), so the default is an example; an optional node port
    /// falls back to the common one.
    static func placeholder(_ spec: FieldSpec, _ model: SetupModel) -> String {
        if spec.optional && spec.id.hasSuffix("httpPort") { return "\(model.answers.appServers.httpPort) if empty" }
        return spec.defaultValue.map { "e.g. \($0)" } ?? ""
    }

    /// Rebuilds the field list for what is visible now, keeping every field that stays (its text,
    /// cursor and error) and the focus.
    public mutating func rebuild(_ model: SetupModel) {
        let focused = form.focusedID
        var fields: [Form.Field] = []
        for spec in specs where model.isVisible(spec, item: item) {
            defer {
                if spec.confirm, spec.kind == .password {
                    let id = SpecForm.againID(spec.id)
                    let stale = form.value(id)?.isEmpty == true && !modelValue(spec, model).isEmpty
                    fields.append(form[id].flatMap { stale ? nil : $0 }
                                  ?? .password(id, "Type it again", value: modelValue(spec, model), placeholder: "the same password", width: 28))
                }
            }
            if var old = form[spec.id] {
                if spec.kind == .host, case .choice(var c) = old.control {
                    // The host names may have changed on the Hosts page.
                    let names = model.hostNames
                    if SpecForm.hostChoice(names) {
                        let value = c.selectedOption ?? modelValue(spec, model)
                        c.options = names
                        c.selected = names.firstIndex(of: value)
                        c.highlighted = c.selected ?? 0
                        old.control = .choice(c)
                    } else {
                        old = makeField(spec, model)
                    }
                } else if spec.kind == .host, case .text = old.control, SpecForm.hostChoice(model.hostNames) {
                    old = makeField(spec, model)
                } else if spec.kind == .password, form.value(spec.id)?.isEmpty == true, !modelValue(spec, model).isEmpty {
                    // Given since at the password prompt (before the checks or the install): shown here,
                    // so that leaving the field empty does not forget it.
                    old = makeField(spec, model)
                }
                fields.append(old)
            } else {
                fields.append(makeField(spec, model))
            }
        }
        form.fields = fields
        if let focused, let i = form.index(of: focused) { form.focusIndex = i }
        else { form.focusIndex = min(form.focusIndex, max(0, fields.count - 1)) }
    }

    /// Replaces every field's value with the model's (after the answers changed elsewhere).
    public mutating func reload(_ model: SetupModel) {
        form.fields = []
        rebuild(model)
    }

    // MARK: Keys

    /// Gives a key to the form: edits, focus moves, and the checks as focus leaves a field (what
    /// passes goes into `draft` as edits). Returns whether the key was used and whether the answers changed.
    public mutating func handle(_ key: Key, draft: inout SetupDraft) -> (used: Bool, changed: Bool) {
        let before = form.focusedID
        var used: Bool
        // An unanswered host choice: the first Left/Right/Space picks the option under the cursor.
        if let i = form.fields.indices.contains(form.focusIndex) ? form.focusIndex : nil,
           case .choice(var c) = form.fields[i].control, c.selected == nil,
           key == .left || key == .right || key == .space {
            c.selected = c.highlighted
            form.fields[i].control = .choice(c)
            used = true
        } else {
            let valueBefore = before.flatMap { form.value($0) }
            used = form.handle(key)
            // Typing into a field with an error: the error is about the old text; it is checked again on leaving.
            if let id = before, form.focusedID == id, form.value(id) != valueBefore, form[id]?.error != nil {
                form.setError(id, nil)
            }
        }
        var changed = false
        // Choices take effect at once, so fields they show or hide follow live.
        if let id = before, let spec = spec(id), spec.kind == .choice || spec.kind == .host,
           case .choice? = form[id]?.control {
            if commit(id, draft: &draft) { changed = true }
        }
        if let id = before, form.focusedID != before {
            if commit(id, draft: &draft) { changed = true }
        }
        if changed { rebuild(draft.current) }
        return (used, changed)
    }

    /// Checks the focused field and writes it to the model (before leaving the page, say).
    @discardableResult
    public mutating func commitFocused(draft: inout SetupDraft) -> Bool {
        guard let id = form.focusedID else { return false }
        let changed = commit(id, draft: &draft)
        if changed { rebuild(draft.current) }
        return changed
    }

    /// Checks one field; a value that passes goes into the draft as an edit. Returns whether the answers changed.
    @discardableResult
    public mutating func commit(_ id: String, draft: inout SetupDraft) -> Bool {
        let model = draft.current
        if let password = confirmed(by: id) { return commitAgain(password, draft: &draft) }
        guard let spec = spec(id), let value = form.value(id) else { return false }
        if spec.kind == .password {
            form.setError(id, nil)
            if let name = model.secretName(for: spec, item: item) {
                // A password typed twice is kept once the two match.
                let again = spec.confirm ? form.value(SpecForm.againID(id)) : value
                let kept = value.isEmpty || again != value ? nil : value
                if model.secrets[name] != kept { draft.apply(.secret(name, kept)) }
                if spec.confirm { form.setError(SpecForm.againID(id), SpecForm.mismatch(value, again ?? "", final: false)) }
            } else if !value.isEmpty {
                form.setError(id, "give the host a name first")
            }
            return false
        }
        if let problem = spec.check(value) {
            form.setError(id, problem)
            return false
        }
        let old = model.answers.value(at: id, item: item) ?? ""
        guard old != value else { form.setError(id, nil); return false }
        // Refused here, not only at Next: a host renamed to another's name would take over its roles.
        if let problem = SpecForm.nameTaken(id, value, item: item, in: model.answers) {
            form.setError(id, problem)
            return false
        }
        // Tried on a copy first: a value the model's type refuses stays in the field with the reason.
        var trial = model.answers
        if let problem = trial.set(value, at: id, item: item) {
            form.setError(id, problem)
            return false
        }
        form.setError(id, nil)
        draft.apply(.answer(path: id, item: item, value: value))
        if id == "hosts[].name" { draft.apply(.renameHost(from: old, to: value)) }
        if id == "hosts[].user", let item { draft.apply(.followUser(host: item)) }
        return true
    }

    /// A host or node name that another row of the same list already has, in the validator's words.
    static func nameTaken(_ id: String, _ value: String, item: Int?, in answers: Answers) -> String? {
        func others<T>(_ rows: [T]) -> [T] { rows.enumerated().filter { $0.offset != item }.map(\.element) }
        switch id {
        case "hosts[].name":
            return others(answers.hosts).contains { $0.name == value } ? Validator.takenHostName(value) : nil
        case "appServers.nodes[].name":
            return others(answers.appServers.nodes).contains { $0.name.lowercased() == value.lowercased() }
                ? Validator.takenNodeName(value) : nil
        default:
            return nil
        }
    }

    /// Leaving the second typing of a password: kept when the two match, else said so.
    mutating func commitAgain(_ password: FieldSpec, draft: inout SetupDraft) -> Bool {
        let id = SpecForm.againID(password.id)
        let first = form.value(password.id) ?? "", again = form.value(id) ?? ""
        form.setError(id, SpecForm.mismatch(first, again, final: false))
        if first == again, !first.isEmpty, let name = draft.current.secretName(for: password, item: item),
           draft.current.secrets[name] != first {
            draft.apply(.secret(name, first))
        }
        return false
    }

    /// What is wrong with a password and its second typing: nothing while the second is still to
    /// be typed, unless the page is being left (`final`).
    static func mismatch(_ first: String, _ again: String, final: Bool) -> String? {
        if first.isEmpty && again.isEmpty || first == again { return nil }
        if again.isEmpty { return final ? "type the password again, the same" : nil }
        return "does not match the password above: type both again"
    }

    // MARK: Page checks

    /// Puts an error beside every field that fails its own check or has a problem from the
    /// validator (`problems` already narrowed to this form's fields and row). Returns how many fields
    /// have an error; focus moves to the first.
    @discardableResult
    public mutating func showProblems(_ problems: [Problem]) -> Int {
        var count = 0
        for i in form.fields.indices {
            let id = form.fields[i].id
            if let password = confirmed(by: id) {
                form.fields[i].error = SpecForm.mismatch(form.value(password.id) ?? "", form.value(id) ?? "", final: true)
                if form.fields[i].error != nil { count += 1 }
                continue
            }
            guard let spec = spec(id) else { continue }
            // A choice with nothing chosen (no NFS server, no balancer host) has no value, and may
            // still be what the validator says is wrong.
            let value = form.value(id)
            var error = spec.kind == .password ? nil : value.flatMap { spec.check($0) }
            if error == nil {
                error = problems.first { ProblemPath($0.field).fieldID == id }?.message
            }
            form.fields[i].error = error
            if error != nil { count += 1 }
        }
        if count > 0 { form.focusFirstError() }
        return count
    }

    /// The problems of these fields that have no visible field to sit beside.
    public func unplaced(_ problems: [Problem]) -> [Problem] {
        problems.filter { p in form.index(of: ProblemPath(p.field).fieldID) == nil }
    }

    /// Fields whose text fails its own check now (typed but not accepted).
    public var pendingErrors: [(label: String, message: String)] {
        form.fields.compactMap { f in f.error.map { (f.label, $0) } }
    }
}
