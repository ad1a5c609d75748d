import ClusterCore

/// One change a setup page makes to the setup model. The pages never hold the model: they hand
/// these back, and `App.update` applies them, in order, to the one model in the app's state.
public enum SetupEdit: Sendable, Equatable {
    /// A value that passed its field's checks, at a path of the answers (`item`: the list row).
    case answer(path: String, item: Int?, value: String)
    /// A password typed on a page; nil forgets it.
    case secret(SecretName, String?)
    /// A host renamed: the layers that name it, its passwords and its test follow.
    case renameHost(from: String, to: String)
    /// Root access follows the SSH user of the host at this index.
    case followUser(host: Int)
    case addHost(Host)
    case addNode(Node)
    /// A host removed, with its connection test.
    case removeHost(at: Int)
    case removeNode(at: Int)
}

extension SetupModel {
    /// Makes one edit. An answer the page checked goes in as the page saw it go in.
    public mutating func apply(_ edit: SetupEdit) {
        switch edit {
        case .answer(let path, let item, let value):
            _ = answers.set(value, at: path, item: item)
        case .secret(let name, let value):
            secrets[name] = value
        case .renameHost(let old, let new):
            renameHostReferences(from: old, to: new)
        case .followUser(let i):
            followUser(host: i)
        case .addHost(let host):
            answers.hosts.append(host)
        case .addNode(let node):
            answers.appServers.nodes.append(node)
        case .removeHost(let i):
            guard answers.hosts.indices.contains(i) else { return }
            tests[answers.hosts.remove(at: i).name] = nil
        case .removeNode(let i):
            guard answers.appServers.nodes.indices.contains(i) else { return }
            answers.appServers.nodes.remove(at: i)
        }
    }
}

/// The setup model as one key on a setup page sees it: the app's model with the edits this key made
/// so far applied (a field is committed, then the page is checked with it in). It lives for one key;
/// the app applies `edits` to its own model afterwards.
public struct SetupDraft {
    /// The app's model as it stands within this key.
    public private(set) var current: SetupModel
    public private(set) var edits: [SetupEdit] = []

    public init(_ model: SetupModel) { current = model }

    public mutating func apply(_ edit: SetupEdit) {
        current.apply(edit)
        edits.append(edit)
    }
}
