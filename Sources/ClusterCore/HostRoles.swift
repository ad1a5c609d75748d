import Foundation

/// Which layers use a host, from the answers.
public enum HostRoles {
    public static func roles(of name: String, in a: Answers) -> [String] {
        guard !name.isEmpty else { return [] }
        var out: [String] = []
        if a.sharedFiles.provider == .nfs, a.sharedFiles.server == name { out.append("NFS") }
        if a.database.host == name { out.append("DB") }
        let nodes = a.nodes(on: name).map(\.name)
        if !nodes.isEmpty { out.append("app " + nodes.joined(separator: ",")) }
        if a.loadBalancer.host == name { out.append("LB") }
        return out
    }

    /// `NFS, DB` or `-` when no layer uses the host yet.
    public static func text(of name: String, in a: Answers) -> String {
        let r = roles(of: name, in: a)
        return r.isEmpty ? "-" : r.joined(separator: ", ")
    }

    /// The TCP ports the host's roles will listen on, with what listens there.
    public static func ports(of name: String, in a: Answers) -> [(port: Int, what: String)] {
        var out: [(Int, String)] = []
        if a.database.host == name { out.append((a.database.port, "the database")) }
        for node in a.nodes(on: name) {
            out.append((a.httpPort(of: node), "\(node.name) HTTP"))
            out.append((a.shutdownPort(of: node), "\(node.name) shutdown"))
            out.append((a.replicationPort(of: node), "\(node.name) replication"))
        }
        if a.loadBalancer.host == name {
            out.append((a.loadBalancer.httpPort, "the balancer's HTTP"))
            if let tls = a.loadBalancer.tls { out.append((tls.httpsPort, "the balancer's HTTPS")) }
        }
        return out
    }
}
