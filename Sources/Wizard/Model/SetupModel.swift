import ClusterCore
import TermUI

/// What the setup pages edit together: the answers (saved, no secrets), the passwords typed this
/// session (memory only) and the latest connection test of each host.
public struct SetupModel: Sendable {
    public var answers: Answers
    /// Passwords typed on the pages. Never written to answers.yaml.
    public var secrets: SecretValues
    /// The last "Test connection" of each host, by host name.
    public var tests: [String: HostTest]

    public init(answers: Answers = SetupModel.defaultAnswers(), secrets: SecretValues = SecretValues(),
                tests: [String: HostTest] = [:]) {
        self.answers = answers
        self.secrets = secrets
        self.tests = tests
    }

    /// Fresh answers with every screen default filled in.
    public static func defaultAnswers() -> Answers {
        var a = Answers()
        for spec in SetupSpecs.all {
            for field in spec.fields where field.kind != .password {
                if let d = field.defaultValue, a.value(at: field.id)?.isEmpty ?? true { a.set(d, at: field.id) }
            }
        }
        return a
    }

    /// The names of the hosts defined so far, in order (blank names left out).
    public var hostNames: [String] { answers.hosts.map(\.name).filter { !$0.isEmpty } }

    /// Reads a model path for conditions and secret names; `[]` paths read row `item`.
    public func value(at path: String, item: Int?) -> String? {
        answers.value(at: path, item: path.contains("[]") ? item : nil)
    }

    /// Whether a field is shown now (its `showIf`, read from the answers).
    public func isVisible(_ field: FieldSpec, item: Int?) -> Bool {
        field.showIf?.holds { self.value(at: $0, item: item) } ?? true
    }

    /// The secret a password field stores into: its `secret` template with `{name}` the row's host
    /// name and `{some.path}` that path's value. `nil` when the template cannot be filled yet.
    public func secretName(for field: FieldSpec, item: Int?) -> SecretName? {
        guard var template = field.secret else { return nil }
        while let open = template.firstIndex(of: "{"), let close = template[open...].firstIndex(of: "}") {
            let key = String(template[template.index(after: open)..<close])
            let replacement: String?
            if key == "name" {
                replacement = item.flatMap { answers.hosts.indices.contains($0) ? answers.hosts[$0].name : nil }
            } else {
                replacement = value(at: key, item: item)
            }
            guard let r = replacement, !r.isEmpty else { return nil }
            template.replaceSubrange(open...close, with: r)
        }
        return template.isEmpty ? nil : SecretName(template)
    }

    /// A new host as the forms start it: no user yet, sudo with a password (what works on a
    /// fresh Debian or Ubuntu server).
    public static func newHost() -> Host { Host(name: "", address: "", user: "", sudo: .password) }

    /// Root access follows the SSH user: root over SSH needs no sudo; another user cannot be root.
    public mutating func followUser(host i: Int) {
        guard answers.hosts.indices.contains(i), answers.hosts[i].auth != .local else { return }
        if answers.hosts[i].user == "root" { answers.hosts[i].sudo = .root }
        else if answers.hosts[i].sudo == .root { answers.hosts[i].sudo = .password }
    }

    /// Renames a host everywhere a layer refers to it.
    public mutating func renameHostReferences(from old: String, to new: String) {
        guard !old.isEmpty, old != new else { return }
        if answers.sharedFiles.server == old { answers.sharedFiles.server = new }
        if answers.database.host == old { answers.database.host = new }
        if answers.loadBalancer.host == old { answers.loadBalancer.host = new }
        for i in answers.appServers.nodes.indices where answers.appServers.nodes[i].host == old {
            answers.appServers.nodes[i].host = new
        }
        for suffix in ["ssh-", "sudo-"] {
            if let v = secrets[SecretName(suffix + old)] {
                secrets[SecretName(suffix + new)] = v
                secrets[SecretName(suffix + old)] = nil
            }
        }
        if let t = tests.removeValue(forKey: old) { tests[new] = t }
    }
}
