/// Field checks by name. The screens name these too (`validate: port`), so a field typed in the
/// wizard and the same field in an answers file are judged by one rule.
public enum FieldRule: String, CaseIterable, Sendable {
    case clusterName, hostName, address, userName, port, absolutePath, localPath, nodeName
    case databaseName, databaseUser, secretName, heap, multicastAddress, dnsName, cidr, id, required

    /// nil when the value is fine; otherwise what is wrong, naming the value.
    public func check(_ value: String) -> String? {
        let v = value
        if v.isEmpty { return "is empty" }
        if v.contains(where: { $0.isNewline || $0 == "\0" }) { return "\(Validator.show(v)) contains a line break or NUL" }
        switch self {
        case .required: return nil
        case .clusterName:
            return Validator.matches(v, first: .lowerAlnum, rest: .lowerAlnum.union("._-"), max: 63) ? nil
                : "\(Validator.show(v)) should be 1-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
        case .hostName:
            return Validator.matches(v, first: .lower, rest: .lowerAlnum.union("-"), max: 32) ? nil
                : "\(Validator.show(v)) should be 1-32 lower-case letters, digits or '-', starting with a letter"
        case .address:
            if IPv4(v) != nil || Validator.isIPv6(v) || Validator.isDNSName(v) { return nil }
            return "\(Validator.show(v)) is not an IP address or a DNS name"
        case .dnsName:
            return Validator.isDNSName(v) ? nil : "\(Validator.show(v)) is not a valid DNS name"
        case .userName:
            return Validator.matches(v, first: .lower.union("_"), rest: .lowerAlnum.union("_-"), max: 32) ? nil
                : "\(Validator.show(v)) is not a valid user name (lower-case letters, digits, '_', '-'; 1-32)"
        case .port:
            guard let n = Int(v) else { return "\(Validator.show(v)) is not a number" }
            return (1...65535).contains(n) ? nil : "\(n) is not a port (1-65535)"
        case .id:
            guard let n = Int(v) else { return "\(Validator.show(v)) is not a number" }
            return (100...60000).contains(n) ? nil : "\(n) should be between 100 and 60000 (a fixed system id)"
        case .absolutePath:
            guard v.hasPrefix("/") else { return "\(Validator.show(v)) is not an absolute path (it must start with /)" }
            if v.split(separator: "/").contains("..") { return "\(Validator.show(v)) must not contain '..'" }
            return v.allSatisfy({ Validator.pathCharacters.contains($0) }) ? nil
                : "\(Validator.show(v)) may only hold letters, digits and . _ - + @ / (it goes into config files)"
        case .localPath:
            // A file on the operator's machine: any characters but control ones; ~ is expanded.
            return v.hasPrefix("/") || v.hasPrefix("~/") ? nil : "\(Validator.show(v)) should start with / or ~/"
        case .nodeName:
            // Used as the jvmRoute, which follows a '.' in the session id: no dots.
            return Validator.matches(v, first: .alnum, rest: .alnum.union("_-"), max: 32) ? nil
                : "\(Validator.show(v)) should be 1-32 letters, digits, '_' or '-' (it becomes the jvmRoute; no dots)"
        case .databaseName:
            return Validator.matches(v, first: .alnum.union("_"), rest: .alnum.union("_"), max: 64) ? nil
                : "\(Validator.show(v)) should be 1-64 letters, digits or '_'"
        case .databaseUser:
            return Validator.matches(v, first: .alnum.union("_"), rest: .alnum.union("_-"), max: 32) ? nil
                : "\(Validator.show(v)) should be 1-32 letters, digits, '_' or '-'"
        case .secretName:
            return Validator.matches(v, first: .lowerAlnum, rest: .lowerAlnum.union("-_"), max: 64) ? nil
                : "\(Validator.show(v)) should be 1-64 lower-case letters, digits, '-' or '_'"
        case .heap:
            let digits = v.dropLast()
            guard let unit = v.last, "mMgG".contains(unit), let n = Int(digits), n > 0 else {
                return "\(Validator.show(v)) should be a size like 1024m or 2g"
            }
            let mb = "gG".contains(unit) ? n * 1024 : n
            return mb >= 256 ? nil : "\(Validator.show(v)) is too small for Joget (at least 256m)"
        case .multicastAddress:
            guard let ip = IPv4(v) else { return "\(Validator.show(v)) is not an IPv4 address" }
            return (224...239).contains(ip.octets[0]) ? nil : "\(v) is not a multicast address (224.0.0.0-239.255.255.255)"
        case .cidr:
            let parts = v.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, IPv4(String(parts[0])) != nil, let bits = Int(parts[1]), (0...32).contains(bits) else {
                return "\(Validator.show(v)) is not an IPv4 network like 192.168.1.0/24"
            }
            return nil
        }
    }
}

public struct IPv4: Equatable, Sendable {
    public var octets: [Int]
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [Int] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy(\.isASCIIDigit), let n = Int(p), n <= 255 else { return nil }
            if p.count > 1 && p.hasPrefix("0") { return nil }
            octets.append(n)
        }
        self.octets = octets
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// Checks whole answers; every problem names its field and value (never a secret's value).
public enum Validator {
    public static func validate(_ a: Answers) -> [Problem] {
        var out: [Problem] = []
        func rule(_ r: FieldRule, _ value: String, _ field: String) {
            if let message = r.check(value) { out.append(Problem(field, message)) }
        }
        func number(_ r: FieldRule, _ value: Int, _ field: String) { rule(r, String(value), field) }
        func refersToHost(_ name: String, _ field: String) {
            if name.isEmpty { out.append(Problem(field, "no host is chosen")) }
            else if a.host(named: name) == nil {
                out.append(Problem(field, "\(show(name)) is not one of the hosts (\(a.hosts.map(\.name).joined(separator: ", ")))"))
            }
        }

        if a.version != 1 { out.append(Problem("version", "\(a.version) is not supported (this wizard reads version 1)")) }
        rule(.clusterName, a.cluster, "cluster")

        // Hosts
        if a.hosts.isEmpty { out.append(Problem("hosts", "no hosts are given")) }
        var names = Set<String>(), endpoints = Set<String>()
        for (i, h) in a.hosts.enumerated() {
            let f = "hosts[\(i)]"
            rule(.hostName, h.name, "\(f).name")
            if !names.insert(h.name).inserted { out.append(Problem("\(f).name", takenHostName(h.name))) }
            rule(.address, h.address, "\(f).address")
            if h.auth != .local {
                rule(.userName, h.user, "\(f).user")
                number(.port, h.port, "\(f).port")
                if !endpoints.insert("\(h.user)@\(h.address):\(h.port)").inserted {
                    out.append(Problem("\(f).address", "\(show(h.address)) port \(h.port) is given for another host too"))
                }
            }
            if h.auth == .key {
                if let key = h.keyFile { rule(.localPath, key, "\(f).keyFile") }
                else { out.append(Problem("\(f).keyFile", "is required when auth is key")) }
            }
            if h.sudo == .root, h.auth != .local, !h.user.isEmpty, h.user != "root" {
                out.append(Problem("\(f).sudo", "is root, but user \(show(h.user)) is not root: choose nopasswd or password"))
            }
        }

        // A loopback address reaches the host itself: a host that other machines must reach needs
        // one they can use (all on loopback is one machine, which works).
        var flagged = Set<String>()
        for path in NetworkChecks.paths(for: a) {
            guard let i = a.hosts.firstIndex(where: { $0.name == path.target }), isLoopback(a.hosts[i].address),
                  !flagged.contains(path.target) else { continue }
            let away = path.clients.filter { c in a.host(named: c).map { !isLoopback($0.address) } ?? false }
            guard !away.isEmpty else { continue }
            flagged.insert(path.target)
            out.append(Problem("hosts[\(i)].address", "\(show(a.hosts[i].address)) is a loopback address, but \(away.joined(separator: ", ")) "
                               + "must reach \(path.target) (\(path.what)) and would reach themselves: give an address they can reach"))
        }

        // 1 Shared files
        let s = a.sharedFiles
        rule(.absolutePath, s.mountPoint, "sharedFiles.mountPoint")
        if s.provider == .nfs {
            refersToHost(s.server ?? "", "sharedFiles.server")
            rule(.absolutePath, s.exportPath, "sharedFiles.exportPath")
        }

        // 2 Database
        let d = a.database
        refersToHost(d.host, "database.host")
        number(.port, d.port, "database.port")
        rule(.databaseName, d.name, "database.name")
        rule(.databaseUser, d.user, "database.user")
        rule(.secretName, d.passwordSecret.rawValue, "database.passwordSecret")
        if d.admin == .password {
            rule(.databaseUser, d.adminUser, "database.adminUser")
            rule(.secretName, d.adminPasswordSecret.rawValue, "database.adminPasswordSecret")
        }

        // 3 Application servers
        let p = a.appServers
        if p.bundleOn == .local { rule(.localPath, p.bundle, "appServers.bundle") }
        else { rule(.absolutePath, p.bundle, "appServers.bundle") }
        if JogetBuild(bundleName: p.bundle).edition == "community" {
            out.append(Problem("appServers.bundle", "\(show(JogetBuild.stem(p.bundle))) is a Community Edition bundle, which does not cluster: "
                               + "Joget DX 8 clusters with the Enterprise or Large Enterprise Edition"))
        }
        rule(.absolutePath, p.installDir, "appServers.installDir")
        rule(.userName, p.serviceUser, "appServers.serviceUser")
        number(.id, p.uid, "appServers.uid")
        number(.id, p.gid, "appServers.gid")
        rule(.heap, p.heap, "appServers.heap")
        number(.port, p.httpPort, "appServers.httpPort")
        number(.port, p.replicationPort, "appServers.replicationPort")
        if p.membership == .multicast {
            rule(.multicastAddress, p.multicastAddress, "appServers.multicastAddress")
            number(.port, p.multicastPort, "appServers.multicastPort")
        }
        if p.nodes.isEmpty { out.append(Problem("appServers.nodes", "no application server nodes are given")) }
        if p.nodes.count > 32 { out.append(Problem("appServers.nodes", "\(p.nodes.count) nodes: at most 32 are supported")) }
        var nodeNames = Set<String>(), ports = Set<String>()
        for (i, n) in p.nodes.enumerated() {
            let f = "appServers.nodes[\(i)]"
            rule(.nodeName, n.name, "\(f).name")
            if !nodeNames.insert(n.name.lowercased()).inserted { out.append(Problem("\(f).name", takenNodeName(n.name))) }
            refersToHost(n.host, "\(f).host")
            if let port = n.httpPort { number(.port, port, "\(f).httpPort") }
            let port = a.httpPort(of: n)
            if !ports.insert("\(n.host):\(port)").inserted {
                out.append(Problem("\(f).httpPort", "port \(port) on \(show(n.host)) is taken by another node: give each node on one host its own httpPort"))
            }
            if a.shutdownPort(of: n) < 1 {
                out.append(Problem("\(f).httpPort", "port \(port) is too low: the shutdown port (HTTP port - 75) must be above 0"))
            }
        }

        // 4 Load balancer
        let lb = a.loadBalancer
        refersToHost(lb.host, "loadBalancer.host")
        rule(.dnsName, lb.serverName, "loadBalancer.serverName")
        number(.port, lb.httpPort, "loadBalancer.httpPort")
        if let tls = lb.tls {
            let pathRule: FieldRule = tls.filesOn == .local ? .localPath : .absolutePath
            rule(pathRule, tls.certificate, "loadBalancer.tls.certificate")
            rule(pathRule, tls.key, "loadBalancer.tls.key")
            number(.port, tls.httpsPort, "loadBalancer.tls.httpsPort")
            if tls.httpsPort == lb.httpPort { out.append(Problem("loadBalancer.tls.httpsPort", "\(tls.httpsPort) is the same as httpPort")) }
        }
        return out
    }

    // MARK: helpers shared by the rules

    /// 127.0.0.0/8, ::1 and localhost: addresses that reach the machine itself.
    public static func isLoopback(_ address: String) -> Bool {
        let a = String(address.lowercased().drop { $0 == "[" }.reversed().drop { $0 == "]" }.reversed())
        if a == "localhost" || a.hasSuffix(".localhost") || a == "localhost.localdomain" || a == "::1" || a == "0:0:0:0:0:0:0:1" { return true }
        let octets = a.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// A host name given twice (host names are compared exactly).
    public static func takenHostName(_ name: String) -> String { "\(show(name)) is used by another host too" }
    /// A node name given twice (compared without case: they become jvmRoutes).
    public static func takenNodeName(_ name: String) -> String { "\(show(name)) is used by another node too (jvmRoutes must differ)" }

    /// A value as it appears in a message: quoted, control characters made visible, cut if long.
    static func show(_ value: String) -> String {
        var shown = ""
        for scalar in value.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F { shown += "\\u{\(String(scalar.value, radix: 16))}" }
            else { shown.unicodeScalars.append(scalar) }
        }
        if shown.count > 60 { shown = String(shown.prefix(57)) + "..." }
        return "\"\(shown)\""
    }

    static let pathCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+@/")

    static func matches(_ v: String, first: Set<Character>, rest: Set<Character>, max: Int) -> Bool {
        guard let head = v.first, v.count <= max, first.contains(head) else { return false }
        return v.dropFirst().allSatisfy { rest.contains($0) }
    }

    static func isDNSName(_ v: String) -> Bool {
        let name = v.hasSuffix(".") ? String(v.dropLast()) : v
        guard !name.isEmpty, name.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        // An all-numeric name is a mistyped IPv4 address, not a host name.
        if labels.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) { return false }
        return labels.allSatisfy { label in
            guard let f = label.first, let l = label.last, label.count <= 63 else { return false }
            return Set<Character>.alnum.contains(f) && Set<Character>.alnum.contains(l)
                && label.allSatisfy { Set<Character>.alnum.union("-").contains($0) }
        }
    }

    static func isIPv6(_ v: String) -> Bool {
        guard v.contains(":"), v.count <= 45 else { return false }
        let hex = Set("0123456789abcdefABCDEF")
        let doubleColons = v.components(separatedBy: "::").count - 1
        guard doubleColons <= 1 else { return false }
        let groups = v.split(separator: ":", omittingEmptySubsequences: true)
        guard groups.count <= (doubleColons == 1 ? 7 : 8), doubleColons == 1 || groups.count == 8 else { return false }
        return groups.allSatisfy { g in (1...4).contains(g.count) && g.allSatisfy { hex.contains($0) } }
    }
}

extension Set where Element == Character {
    static let lower = Set("abcdefghijklmnopqrstuvwxyz")
    static let alnum = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    static let lowerAlnum = Set("abcdefghijklmnopqrstuvwxyz0123456789")
    func union(_ s: String) -> Set<Character> { union(Set(s)) }
}
