/// Everything the operator answers, as in the answers file. No secret values: only their names.
public struct Answers: Equatable, Sendable {
    public var version = 1
    public var cluster = "joget"
    public var hosts: [Host] = []
    public var sharedFiles = SharedFiles()
    public var database = Database()
    public var appServers = AppServers()
    public var loadBalancer = LoadBalancer()

    public init() {}

    public func host(named name: String) -> Host? { hosts.first { $0.name == name } }
}

public struct Host: Equatable, Sendable {
    public enum Auth: String, CaseIterable, Sendable {
        case agent, key, password
        case local  // run on this machine, without SSH
    }
    public enum Sudo: String, CaseIterable, Sendable {
        case root      // the user is root: no sudo
        case nopasswd  // sudo without a password
        case password  // sudo -S with the password from secret sudo-<host>
    }
    public var name: String
    public var address: String
    public var user: String
    public var port = 22
    public var auth: Auth = .agent
    public var keyFile: String? = nil
    public var sudo: Sudo = .nopasswd

    public init(name: String, address: String, user: String = "root", port: Int = 22,
                auth: Auth = .agent, keyFile: String? = nil, sudo: Sudo = .root) {
        self.name = name; self.address = address; self.user = user; self.port = port
        self.auth = auth; self.keyFile = keyFile; self.sudo = sudo
    }

    public var sshPasswordSecret: SecretName? { auth == .password ? .sshPassword(host: name) : nil }
    /// How steps become root: logging in over SSH as root needs no sudo (a minimal server may not
    /// have it), whatever `sudo` says. A local host runs as this program's user, so `sudo` stands.
    public var effectiveSudo: Sudo { user == "root" && auth != .local ? .root : sudo }
    public var sudoPasswordSecret: SecretName? { effectiveSudo == .password ? .sudoPassword(host: name) : nil }
    /// The secrets logging in to this host needs: its SSH and sudo passwords, where it has them.
    public var loginSecrets: Set<SecretName> { Set([sshPasswordSecret, sudoPasswordSecret].compactMap { $0 }) }
}

public struct SharedFiles: Equatable, Sendable {
    public enum Provider: String, CaseIterable, Sendable {
        case nfs       // the wizard sets up the NFS server and the client mounts
        case existing  // already mounted on every app server; the wizard only verifies it
    }
    public var provider: Provider = .nfs
    public var server: String? = nil          // nfs: the exporting host
    public var exportPath = "/export/wflow"   // nfs only
    public var mountPoint = "/opt/joget/shared/wflow"
    public init() {}
}

public struct Database: Equatable, Sendable {
    public enum Engine: String, CaseIterable, Sendable { case mariadb, mysql }
    public enum Admin: String, CaseIterable, Sendable {
        case socket    // root over the unix socket, the Debian and Ubuntu default
        case password  // adminUser with the password from adminPasswordSecret
    }
    public var engine: Engine = .mariadb
    public var host = ""
    public var port = 3306
    public var name = "jwedb"
    public var user = "joget"
    public var passwordSecret = SecretName("db-password")
    public var admin: Admin = .socket
    public var adminUser = "root"
    public var adminPasswordSecret = SecretName("db-admin-password")
    public init() {}
}

public struct AppServers: Equatable, Sendable {
    public enum BundleLocation: String, CaseIterable, Sendable {
        case local   // a tarball on this machine, uploaded to every node
        case server  // already at that path on every node
    }
    public enum Membership: String, CaseIterable, Sendable {
        case multicast  // SimpleTcpCluster's default, as the guide
        case `static`   // fixed member list, for networks without multicast
    }
    public var bundle = ""
    public var bundleOn: BundleLocation = .local
    public var installDir = "/opt/joget"
    public var serviceUser = "joget"
    public var uid = 2500
    public var gid = 2500
    public var heap = "1024m"
    public var httpPort = 8080
    public var membership: Membership = .multicast
    public var multicastAddress = "228.0.0.4"
    public var multicastPort = 45564
    public var replicationPort = 4000
    public var nodes: [Node] = []
    public init() {}
}

public struct Node: Equatable, Sendable {
    public var name: String          // also the jvmRoute
    public var host: String
    public var httpPort: Int? = nil  // only needed when several nodes share a host
    public init(name: String, host: String, httpPort: Int? = nil) {
        self.name = name; self.host = host; self.httpPort = httpPort
    }
}

public struct LoadBalancer: Equatable, Sendable {
    public struct TLS: Equatable, Sendable {
        /// The certificate file, with its intermediates after it (a "full chain").
        public var certificate: String
        public var key: String
        public var httpsPort = 443
        /// local: files on this machine, uploaded to the balancer (the key with mode 0600).
        /// server: files already at those paths on the balancer.
        public var filesOn: AppServers.BundleLocation = .server
        public init(certificate: String, key: String, httpsPort: Int = 443, filesOn: AppServers.BundleLocation = .server) {
            self.certificate = certificate; self.key = key; self.httpsPort = httpsPort; self.filesOn = filesOn
        }
    }
    public var host = ""
    public var serverName = ""
    public var httpPort = 80
    public var tls: TLS? = nil
    public init() {}
}

// MARK: - What follows from the answers

extension Answers {
    /// Every secret a run of these answers needs.
    public var secretNames: Set<SecretName> {
        var names: Set<SecretName> = [database.passwordSecret]
        if database.admin == .password { names.insert(database.adminPasswordSecret) }
        for host in hosts {
            names.formUnion(host.loginSecrets)
        }
        return names
    }

    /// Hosts that run at least one app server node, in node order.
    public var appHosts: [String] {
        var seen: [String] = []
        for node in appServers.nodes where !seen.contains(node.host) { seen.append(node.host) }
        return seen
    }

    public func nodes(on host: String) -> [Node] { appServers.nodes.filter { $0.host == host } }

    /// Several nodes on one server need `-Dwflow.name` and their own ports.
    public func sharesHost(_ node: Node) -> Bool { nodes(on: node.host).count > 1 }

    public func httpPort(of node: Node) -> Int { node.httpPort ?? appServers.httpPort }

    /// Tomcat's shutdown port: 8005 for the usual 8080, moved along with the HTTP port.
    public func shutdownPort(of node: Node) -> Int { httpPort(of: node) - 75 }

    /// The replication receiver port: the base port, plus the node's place among nodes on its host.
    public func replicationPort(of node: Node) -> Int {
        appServers.replicationPort + (nodes(on: node.host).firstIndex(of: node) ?? 0)
    }
}
