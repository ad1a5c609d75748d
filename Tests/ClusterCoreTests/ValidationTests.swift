import ClusterCore
import Testing

@Suite struct FieldRuleTests {
    static let good: [(FieldRule, String)] = [
        (.clusterName, "acme-joget"), (.clusterName, "prod.2"),
        (.hostName, "app1"), (.hostName, "db-primary"),
        (.address, "192.168.1.10"), (.address, "10.0.0.1"), (.address, "server1.example.com"), (.address, "fe80::1"),
        (.address, "2001:db8::8a2e:370:7334"), (.address, "localhost"),
        (.userName, "admin"), (.userName, "_svc"), (.userName, "deploy-user"),
        (.port, "22"), (.port, "65535"), (.id, "2500"),
        (.absolutePath, "/opt/joget"), (.absolutePath, "/export/wflow"), (.absolutePath, "/"),
        (.localPath, "~/bundle.tar.gz"), (.localPath, "/home/a b/joget.tar.gz"),
        (.nodeName, "node01"), (.nodeName, "Node_2"), (.databaseName, "jwedb"), (.databaseUser, "joget"),
        (.secretName, "db-password"), (.heap, "1024m"), (.heap, "2G"), (.multicastAddress, "228.0.0.4"),
        (.dnsName, "joget.example.com"), (.cidr, "192.168.1.0/24"),
    ]
    static let bad: [(FieldRule, String)] = [
        (.clusterName, "Acme"), (.clusterName, "-x"), (.clusterName, "a/b"),
        (.hostName, "App1"), (.hostName, "1app"), (.hostName, "app_1"), (.hostName, "a;b"),
        (.address, "192.168.1.300"), (.address, "10.0.0"), (.address, "01.2.3.4"), (.address, "-host"), (.address, "a..b"),
        (.address, "host name"), (.address, "$(reboot)"), (.address, "1:2:3"), (.address, "1::2::3"),
        (.userName, "Admin"), (.userName, "root;id"), (.userName, "a b"),
        (.port, "0"), (.port, "65536"), (.port, "http"), (.port, "-1"), (.id, "0"), (.id, "99"), (.id, "70000"),
        (.absolutePath, "opt/joget"), (.absolutePath, "/opt/../etc"), (.absolutePath, "/opt/jo get"),
        (.absolutePath, "/opt/$(id)"), (.absolutePath, "/opt/`id`"), (.absolutePath, "/opt/a'b"),
        (.localPath, "bundle.tar.gz"), (.localPath, "/a\nb"),
        (.nodeName, "node.01"), (.nodeName, "node 1"), (.nodeName, "-n"), (.databaseName, "jw-edb"), (.databaseName, "a;drop"),
        (.databaseUser, "jo'get"), (.secretName, "DB"), (.heap, "1024"), (.heap, "lots"), (.heap, "128m"),
        (.multicastAddress, "192.168.1.1"), (.multicastAddress, "240.0.0.1"), (.dnsName, "under_score.com"),
        (.dnsName, "1.2.3.4"), (.cidr, "192.168.1.0"), (.cidr, "192.168.1.0/33"), (.required, ""),
    ]

    @Test(arguments: good.indices)
    func acceptsGoodValues(_ i: Int) {
        let (rule, value) = Self.good[i]
        #expect(rule.check(value) == nil, "\(rule) should accept \(value)")
    }

    @Test(arguments: bad.indices)
    func refusesBadValuesNamingThem(_ i: Int) {
        let (rule, value) = Self.bad[i]
        let message = rule.check(value)
        #expect(message != nil, "\(rule) should refuse \(value.debugDescription)")
        if let message, !value.isEmpty, !value.contains("\n") {
            #expect(message.contains(value) || message.contains(String(Int(value) ?? -99_999)), "message should name the value: \(message)")
        }
    }

    @Test(arguments: hostileStrings)
    func hostileStringsNeverPassAServerSideRule(_ value: String) {
        for rule in [FieldRule.hostName, .userName, .absolutePath, .nodeName, .databaseName, .databaseUser, .clusterName] {
            let hostile = value.contains { "$`;'\"\n\r|&<>(){}*?[]!\\ ~%".contains($0) } || value.isEmpty
            if hostile { #expect(rule.check(value) != nil, "\(rule) accepted \(value.debugDescription)") }
        }
    }

    @Test func controlCharactersAreShownNotPrinted() {
        let message = FieldRule.address.check("a\u{1B}[2Jb")!
        #expect(!message.contains("\u{1B}"))
        #expect(message.contains("\\u{1b}"))
    }
}

@Suite struct ValidatorTests {
    func problems(_ change: (inout Answers) -> Void) throws -> [Problem] {
        var a = try exampleAnswers()
        change(&a)
        return Validator.validate(a)
    }

    func fields(_ change: (inout Answers) -> Void) throws -> [String] { try problems(change).map(\.field) }

    @Test func everyLayerReportsItsOwnFields() throws {
        #expect(try fields { $0.hosts[2].address = "999.1.1.1" } == ["hosts[2].address"])
        #expect(try fields { $0.hosts[0].name = "db" }.contains("hosts[1].name"))  // the second "db" is the duplicate
        #expect(try fields { $0.sharedFiles.server = "nas" } == ["sharedFiles.server"])
        #expect(try fields { $0.sharedFiles.mountPoint = "relative" } == ["sharedFiles.mountPoint"])
        #expect(try fields { $0.database.port = 70000 } == ["database.port"])
        #expect(try fields { $0.database.host = "" } == ["database.host"])
        #expect(try fields { $0.appServers.nodes[1].name = "node01" } == ["appServers.nodes[1].name"])
        #expect(try fields { $0.appServers.nodes[1].host = "app1" } == ["appServers.nodes[1].httpPort"])
        #expect(try fields { $0.appServers.nodes = [] } == ["appServers.nodes"])
        #expect(try fields { $0.appServers.heap = "1t" } == ["appServers.heap"])
        #expect(try fields { $0.loadBalancer.serverName = "bad name" } == ["loadBalancer.serverName"])
        #expect(try fields { $0.loadBalancer.tls = .init(certificate: "/c", key: "k") } == ["loadBalancer.tls.key"])
    }

    @Test func twoNodesOnOneHostNeedTheirOwnPorts() throws {
        let ok = try problems {
            $0.appServers.nodes[1].host = "app1"
            $0.appServers.nodes[1].httpPort = 8090
        }
        #expect(ok == [])
        var a = try exampleAnswers()
        a.appServers.nodes[1] = Node(name: "node02", host: "app1", httpPort: 8090)
        #expect(a.sharesHost(a.appServers.nodes[0]))
        #expect(a.replicationPort(of: a.appServers.nodes[1]) == 4001)
        #expect(a.shutdownPort(of: a.appServers.nodes[1]) == 8015)
    }

    @Test func missingRolesAreNamed() throws {
        var a = Answers()
        a.hosts = []
        let f = Validator.validate(a).map(\.field)
        for field in ["hosts", "database.host", "appServers.nodes", "loadBalancer.host", "appServers.bundle", "sharedFiles.server"] {
            #expect(f.contains(field), "missing \(field)")
        }
    }

    /// A host other hosts reach, on a loopback address, would make each of them reach itself.
    @Test func aLoopbackAddressOthersMustReachIsRefused() throws {
        for loopback in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "db.localhost"] {
            let db = try problems { $0.hosts[1].address = loopback }
            #expect(db.map(\.field) == ["hosts[1].address"], "\(loopback)")
            #expect(db.first?.message.contains("app1, app2 must reach db (the database)") == true, "\(db)")
        }
        #expect(try fields { $0.hosts[0].address = "localhost" } == ["hosts[0].address"], "the NFS server")
        #expect(try fields { $0.hosts[3].address = "127.0.0.1" } == ["hosts[3].address"], "a node the balancer and app1 reach")
        // The balancer is reached by browsers, not by the other hosts.
        #expect(try fields { $0.hosts[4].address = "127.0.0.1" } == [])
        // Every host on loopback is one machine: they reach each other there.
        #expect(try fields { a in for i in a.hosts.indices { a.hosts[i].address = "127.0.0.1"; a.hosts[i].port = 2200 + i } } == [])
        #expect(!Validator.isLoopback("128.0.0.1") && !Validator.isLoopback("127.0.0") && !Validator.isLoopback("my-localhost-box"))
    }

    /// The Community Edition does not cluster: said before anything is installed.
    @Test func aCommunityBundleIsRefusedNamingTheEdition() throws {
        let problems = try problems { $0.appServers.bundle = "/home/admin/joget-community-linux-8.1.6.tar.gz" }
        #expect(problems.map(\.field) == ["appServers.bundle"])
        #expect(problems.first?.message.contains("Community Edition bundle, which does not cluster") == true)
        #expect(try fields { $0.appServers.bundle = "/home/admin/joget-enterprise-linux-8.1.6.tar.gz" } == [])
        #expect(try fields { $0.appServers.bundle = "/home/admin/joget-large-enterprise-linux-8.1.6.tar.gz" } == [])
    }

    @Test func existingProviderNeedsNoServer() throws {
        #expect(try fields { $0.sharedFiles.provider = .existing; $0.sharedFiles.server = nil } == [])
    }

    @Test func nodeLimitIs32() throws {
        let f = try fields { a in
            a.appServers.nodes = (1...33).map { Node(name: "n\($0)", host: "app1", httpPort: 8000 + $0 * 10) }
        }
        #expect(f == ["appServers.nodes"])
    }

    @Test func rootSudoNeedsTheRootUser() throws {
        #expect(try fields { $0.hosts[0].sudo = .root } == ["hosts[0].sudo"])
        #expect(try fields { $0.hosts[0].sudo = .root; $0.hosts[0].user = "root" } == [])
    }

    @Test func messagesNameFieldAndValue() throws {
        let p = try problems { $0.hosts[3].address = "10.0.0.256" }
        #expect(p.count == 1)
        #expect(p[0].description == "hosts[3].address: \"10.0.0.256\" is not an IP address or a DNS name")
    }
}

/// Logging in as root over SSH needs no sudo, whatever the host's sudo answer says; a local host
/// runs as this program's user, so its answer stands.
@Suite struct EffectiveSudoTests {
    @Test func rootOverSSHNeedsNoSudoNorItsPassword() {
        let root = Host(name: "db", address: "10.0.0.3", user: "root", sudo: .password)
        #expect(root.effectiveSudo == .root)
        #expect(root.sudoPasswordSecret == nil)
        let admin = Host(name: "db", address: "10.0.0.3", user: "admin", sudo: .password)
        #expect(admin.effectiveSudo == .password)
        #expect(admin.sudoPasswordSecret == SecretName.sudoPassword(host: "db"))
        let local = Host(name: "here", address: "127.0.0.1", user: "root", auth: .local, sudo: .nopasswd)
        #expect(local.effectiveSudo == .nopasswd)
    }
}
