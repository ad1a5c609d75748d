import Foundation
import TestSupport
import Testing
@testable import ClusterCore

/// Answers the plan tests share: the example, eight nodes with static membership, two nodes on one host.
enum Fixtures {
    static var twoNode: Answers {
        guard let text = Assets.text("assets/examples/two-node.yaml") else { fatalError("example answers are not embedded") }
        do { return try AnswersFile.decode(text) } catch { fatalError("\(error)") }
    }

    /// Eight app hosts, static membership (no multicast), MySQL with an admin password, TLS at the balancer,
    /// the bundle already on the servers.
    static var eightNodeStatic: Answers {
        var a = Answers()
        a.cluster = "big"
        a.hosts = [Host(name: "files", address: "10.0.0.2", user: "root", sudo: .root),
                   Host(name: "db", address: "10.0.0.3", user: "ops", sudo: .password),
                   Host(name: "lb", address: "10.0.0.4", user: "ops", sudo: .nopasswd)]
        for i in 1...8 {
            a.hosts.append(Host(name: "app\(i)", address: "10.0.1.\(i)", user: "ops", sudo: .nopasswd))
            a.appServers.nodes.append(Node(name: String(format: "node%02d", i), host: "app\(i)"))
        }
        a.sharedFiles.provider = .nfs
        a.sharedFiles.server = "files"
        a.database.engine = .mysql
        a.database.host = "db"
        a.database.admin = .password
        a.database.adminUser = "dbadmin"
        a.appServers.bundle = "/srv/joget/joget-enterprise-linux-8.1.6.tar.gz"
        a.appServers.bundleOn = .server
        a.appServers.membership = .static
        a.loadBalancer.host = "lb"
        a.loadBalancer.serverName = "joget.example.org"
        a.loadBalancer.tls = LoadBalancer.TLS(certificate: "/etc/ssl/certs/joget.pem", key: "/etc/ssl/private/joget.key")
        return a
    }

    /// Two nodes sharing one host (so -Dwflow.name, their own ports), an existing shared folder, every
    /// role on that one host but the balancer, which runs on a port of its own.
    static var twoOnOneHost: Answers {
        var a = Answers()
        a.cluster = "solo"
        a.hosts = [Host(name: "box", address: "192.168.5.9", user: "root", sudo: .root),
                   Host(name: "edge", address: "192.168.5.10", user: "root", sudo: .root)]
        a.sharedFiles.provider = .existing
        a.sharedFiles.mountPoint = "/srv/shared/wflow"
        a.database.host = "box"
        a.appServers.bundle = "~/Downloads/joget-enterprise-linux-8.1.6.tar.gz"
        a.appServers.nodes = [Node(name: "node01", host: "box"), Node(name: "node02", host: "box", httpPort: 8081)]
        a.loadBalancer.host = "edge"
        a.loadBalancer.serverName = "joget.internal"
        a.loadBalancer.httpPort = 8000
        return a
    }

    static let all: [(String, Answers)] = [("two-node", twoNode), ("eight-node-static", eightNodeStatic), ("two-on-one-host", twoOnOneHost)]

    static func plan(_ a: Answers) -> Plan {
        do { return try Planner.plan(a) } catch {
            Issue.record("answers rejected: \(error.description)")
            return Plan(steps: [])
        }
    }

    /// Every script of a step with its role.
    static func scripts(_ step: Step) -> [(String, Script)] {
        var out: [(String, Script)] = [("apply", step.apply)]
        if let c = step.check { out.append(("check", c)) }
        if let v = step.verify { out.append(("verify", v)) }
        return out
    }

    /// Values for every secret a plan needs.
    static func secrets(_ plan: Plan, value: String) -> SecretValues {
        var s = SecretValues()
        for step in plan.steps { for name in step.secrets { s[name] = value } }
        return s
    }

    /// The package root, found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// Running programs from tests.
enum Run {
    struct Result { var status: Int32; var output: String }

    /// Runs a program to its end, stdout and stderr together.
    @discardableResult
    static func program(_ path: String, _ args: [String], input: String? = nil, environment: [String: String]? = nil,
                        directory: String? = nil) throws -> Result {
        let r = Program.run([path] + args, input: input, environment: environment, directory: directory, mergeErrors: true)
        return Result(status: r.status, output: r.output)
    }

    static func sh(_ script: String, environment: [String: String]? = nil) throws -> Result {
        try program("/bin/sh", ["-c", script], environment: environment)
    }

    /// A fresh folder under /tmp, removed by the caller.
    static func tempDir(_ prefix: String) throws -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
