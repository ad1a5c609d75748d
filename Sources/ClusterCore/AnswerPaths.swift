/// Reads and writes answers by the field paths the screens use ("database.port", "hosts[].address"),
/// so a screen file binds to the model by name and a test can prove every name exists.
extension Answers {
    /// The value as text, as a form shows it. `item` picks the row for list paths (`hosts[].name`).
    public func value(at path: String, item: Int? = nil) -> String? {
        guard let binding = AnswerPaths.table[path] else { return nil }
        return binding.get(self, item ?? 0)
    }

    /// Sets a value from text. Returns a problem (naming the value) when it does not fit the field's
    /// type; rules such as "is a valid address" are the screens' and the Validator's job.
    @discardableResult
    public mutating func set(_ text: String, at path: String, item: Int? = nil) -> String? {
        guard let binding = AnswerPaths.table[path] else { return "unknown field \(path)" }
        return binding.set(&self, item ?? 0, text)
    }

    public static var fieldPaths: Set<String> { Set(AnswerPaths.table.keys) }
}

private struct Binding: Sendable {
    var get: @Sendable (Answers, Int) -> String?
    var set: @Sendable (inout Answers, Int, String) -> String?
}

private enum AnswerPaths {
    static func text(_ kp: WritableKeyPath<Answers, String> & Sendable) -> Binding {
        Binding(get: { a, _ in a[keyPath: kp] }, set: { a, _, v in a[keyPath: kp] = v; return nil })
    }
    static func number(_ kp: WritableKeyPath<Answers, Int> & Sendable) -> Binding {
        Binding(get: { a, _ in String(a[keyPath: kp]) }, set: { a, _, v in
            guard let n = Int(v) else { return "\"\(v)\" is not a whole number" }
            a[keyPath: kp] = n; return nil
        })
    }
    static func choice<T: RawRepresentable & CaseIterable & Sendable>(_ kp: WritableKeyPath<Answers, T> & Sendable) -> Binding where T.RawValue == String {
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        return Binding(get: { a, _ in a[keyPath: kp].rawValue }, set: { a, _, v in
            guard let c = T(rawValue: v) else { return "\"\(v)\" is not one of: \(allowed)" }
            a[keyPath: kp] = c; return nil
        })
    }
    static func secretName(_ kp: WritableKeyPath<Answers, SecretName> & Sendable) -> Binding {
        Binding(get: { a, _ in a[keyPath: kp].rawValue }, set: { a, _, v in a[keyPath: kp] = SecretName(v); return nil })
    }
    /// A field of the `index`-th element of a list; reading past the end gives nil, writing past it
    /// is refused (rows are added by the list editor first).
    static func row<Element: Sendable>(_ list: WritableKeyPath<Answers, [Element]> & Sendable, get: @escaping @Sendable (Element) -> String?,
                             set: @escaping @Sendable (inout Element, String) -> String?) -> Binding {
        Binding(get: { a, i in a[keyPath: list].indices.contains(i) ? get(a[keyPath: list][i]) : nil },
                set: { a, i, v in
                    guard a[keyPath: list].indices.contains(i) else { return "there is no row \(i + 1)" }
                    return set(&a[keyPath: list][i], v)
                })
    }
    static func enumValue<T: RawRepresentable & CaseIterable>(_ v: String, _ apply: (T) -> Void) -> String? where T.RawValue == String {
        guard let c = T(rawValue: v) else { return "\"\(v)\" is not one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))" }
        apply(c); return nil
    }
    static func port(_ v: String, _ apply: (Int) -> Void) -> String? {
        guard let n = Int(v) else { return "\"\(v)\" is not a whole number" }
        apply(n); return nil
    }

    /// TLS is optional: an empty certificate removes it; any TLS field creates it.
    static func tls(get: @escaping @Sendable (LoadBalancer.TLS) -> String, set: @escaping @Sendable (inout LoadBalancer.TLS, String) -> String?) -> Binding {
        Binding(get: { a, _ in a.loadBalancer.tls.map(get) ?? "" }, set: { a, _, v in
            var t = a.loadBalancer.tls ?? LoadBalancer.TLS(certificate: "", key: "")
            if let problem = set(&t, v) { return problem }
            a.loadBalancer.tls = t.certificate.isEmpty && t.key.isEmpty ? nil : t
            return nil
        })
    }

    static let table: [String: Binding] = [
        "cluster": text(\.cluster),
        "hosts[].name": row(\.hosts, get: { $0.name }, set: { $0.name = $1; return nil }),
        "hosts[].address": row(\.hosts, get: { $0.address }, set: { $0.address = $1; return nil }),
        "hosts[].user": row(\.hosts, get: { $0.user }, set: { $0.user = $1; return nil }),
        "hosts[].port": row(\.hosts, get: { String($0.port) }, set: { h, v in port(v) { h.port = $0 } }),
        "hosts[].auth": row(\.hosts, get: { $0.auth.rawValue }, set: { h, v in enumValue(v) { h.auth = $0 } }),
        "hosts[].keyFile": row(\.hosts, get: { $0.keyFile ?? "" }, set: { $0.keyFile = $1.isEmpty ? nil : $1; return nil }),
        "hosts[].sudo": row(\.hosts, get: { $0.sudo.rawValue }, set: { h, v in enumValue(v) { h.sudo = $0 } }),
        "sharedFiles.provider": choice(\.sharedFiles.provider),
        "sharedFiles.server": Binding(get: { a, _ in a.sharedFiles.server ?? "" },
                                      set: { a, _, v in a.sharedFiles.server = v.isEmpty ? nil : v; return nil }),
        "sharedFiles.exportPath": text(\.sharedFiles.exportPath),
        "sharedFiles.mountPoint": text(\.sharedFiles.mountPoint),
        "database.engine": choice(\.database.engine),
        "database.host": text(\.database.host),
        "database.port": number(\.database.port),
        "database.name": text(\.database.name),
        "database.user": text(\.database.user),
        "database.passwordSecret": secretName(\.database.passwordSecret),
        "database.admin": choice(\.database.admin),
        "database.adminUser": text(\.database.adminUser),
        "database.adminPasswordSecret": secretName(\.database.adminPasswordSecret),
        "appServers.bundle": text(\.appServers.bundle),
        "appServers.bundleOn": choice(\.appServers.bundleOn),
        "appServers.installDir": text(\.appServers.installDir),
        "appServers.serviceUser": text(\.appServers.serviceUser),
        "appServers.uid": number(\.appServers.uid),
        "appServers.gid": number(\.appServers.gid),
        "appServers.heap": text(\.appServers.heap),
        "appServers.httpPort": number(\.appServers.httpPort),
        "appServers.membership": choice(\.appServers.membership),
        "appServers.multicastAddress": text(\.appServers.multicastAddress),
        "appServers.multicastPort": number(\.appServers.multicastPort),
        "appServers.replicationPort": number(\.appServers.replicationPort),
        "appServers.nodes[].name": row(\.appServers.nodes, get: { $0.name }, set: { $0.name = $1; return nil }),
        "appServers.nodes[].host": row(\.appServers.nodes, get: { $0.host }, set: { $0.host = $1; return nil }),
        "appServers.nodes[].httpPort": row(\.appServers.nodes, get: { $0.httpPort.map(String.init) ?? "" }, set: { n, v in
            if v.isEmpty { n.httpPort = nil; return nil }
            return port(v) { n.httpPort = $0 }
        }),
        "loadBalancer.host": text(\.loadBalancer.host),
        "loadBalancer.serverName": text(\.loadBalancer.serverName),
        "loadBalancer.httpPort": number(\.loadBalancer.httpPort),
        "loadBalancer.tls.certificate": tls(get: { $0.certificate }, set: { $0.certificate = $1; return nil }),
        "loadBalancer.tls.key": tls(get: { $0.key }, set: { $0.key = $1; return nil }),
        "loadBalancer.tls.httpsPort": tls(get: { String($0.httpsPort) }, set: { t, v in port(v) { t.httpsPort = $0 } }),
        "loadBalancer.tls.filesOn": tls(get: { $0.filesOn.rawValue }, set: { t, v in
            guard let location = AppServers.BundleLocation(rawValue: v) else { return "\"\(v)\" is not one of: local, server" }
            t.filesOn = location; return nil
        }),
    ]
}
