import ClusterCore
import Foundation
import Testing

@Suite struct AnswersFileTests {
    @Test func exampleLoadsAndIsValid() throws {
        let a = try exampleAnswers()
        #expect(a.cluster == "acme-joget")
        #expect(a.hosts.map(\.name) == ["files", "db", "app1", "app2", "lb"])
        #expect(a.hosts[1].auth == .key && a.hosts[1].keyFile == "~/.ssh/joget_ed25519")
        #expect(a.appServers.nodes.map(\.name) == ["node01", "node02"])
        #expect(a.database.engine == .mariadb)
        #expect(Validator.validate(a) == [])
        #expect(a.secretNames == [SecretName("db-password"), SecretName("sudo-db"), SecretName("ssh-app2"), SecretName("sudo-app2")])
    }

    @Test func roundTripIsLossless() throws {
        var a = try exampleAnswers()
        a.loadBalancer.tls = .init(certificate: "/etc/ssl/c.pem", key: "/etc/ssl/k.pem", httpsPort: 8443)
        a.appServers.nodes.append(Node(name: "node03", host: "app2", httpPort: 8090))
        a.sharedFiles.server = nil
        a.hosts.append(Host(name: "me", address: "localhost", user: "", auth: .local, sudo: .root))
        let text = AnswersFile.encode(a)
        let back = try AnswersFile.decode(text)
        #expect(back == a)
        #expect(AnswersFile.encode(back) == text)
    }

    @Test func savedFileNeverHoldsASecretValue() throws {
        let a = try exampleAnswers()
        let text = AnswersFile.encode(a)
        #expect(text.contains("passwordSecret: db-password"))
        #expect(!text.lowercased().contains("password: "))
    }

    @Test func everyUnknownKeyAndWrongTypeIsNamed() {
        let yaml = """
        version: 1
        cluster: c
        colour: blue
        hosts:
          - name: a
            address: 10.0.0.1
            port: twenty
            auth: telepathy
          - address: 10.0.0.2
        database: [1, 2]
        appServers:
          nodes: {name: x}
        """
        #expect(throws: InvalidAnswers.self) { try AnswersFile.decode(yaml) }
        do { _ = try AnswersFile.decode(yaml) } catch {
            let fields = error.problems.map(\.field)
            #expect(fields.contains("colour"))
            #expect(fields.contains("hosts[0].port"))
            #expect(fields.contains("hosts[0].auth"))
            #expect(fields.contains("hosts[1].name"))
            #expect(fields.contains("database"))
            #expect(fields.contains("appServers.nodes"))
            let auth = error.problems.first { $0.field == "hosts[0].auth" }!
            #expect(auth.message.contains("telepathy") && auth.message.contains("agent"))
            #expect(error.problems.first { $0.field == "hosts[0].port" }!.message.contains("twenty"))
        }
    }

    @Test func notYAMLOrEmptyIsAProblemNotACrash() {
        #expect(throws: InvalidAnswers.self) { try AnswersFile.decode("") }
        #expect(throws: InvalidAnswers.self) { try AnswersFile.decode("hosts: [unclosed") }
        #expect(throws: InvalidAnswers.self) { try AnswersFile.decode("- just\n- a list\n") }
        #expect(throws: InvalidAnswers.self) { try AnswersFile.decode("\u{0}\u{1}binary") }
    }

    @Test func savedAtomicallyAndReadable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jc-answers-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("answers.yaml").path
        let a = try exampleAnswers()
        try AnswersFile.save(a, to: path)
        #expect(try AnswersFile.load(path: path) == a)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }
}

@Suite struct SecretsFileTests {
    func write(_ text: String, mode: mode_t) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jc-secrets-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, mode)
        return path
    }

    @Test func readsNameValueLinesKeepingColonsAndSpaces() throws {
        let path = try write("# comment\ndb-password: a: b = c # d \nsudo-app2:  two spaces\n\n", mode: 0o600)
        defer { unlink(path) }
        let s = try SecretValues.fromFile(path)
        #expect(s[SecretName("db-password")] == "a: b = c # d ")
        #expect(s[SecretName("sudo-app2")] == " two spaces")
    }

    @Test func refusesAFileOthersCanRead() throws {
        let path = try write("db-password: x\n", mode: 0o644)
        defer { unlink(path) }
        #expect(throws: SecretError.unsafeFile(path: path, mode: 0o644)) { try SecretValues.fromFile(path) }
        #expect(SecretError.unsafeFile(path: path, mode: 0o644).description.contains("chmod 600"))
    }

    @Test func badLinesAndMissingFilesAreNamed() throws {
        let path = try write("no separator here\n", mode: 0o600)
        defer { unlink(path) }
        #expect(throws: SecretError.badLine(path: path, line: 1)) { try SecretValues.fromFile(path) }
        #expect(throws: SecretError.self) { try SecretValues.fromFile("/nonexistent/secrets") }
        let nul = try write("db-password: a\u{0}b\n", mode: 0o600)
        defer { unlink(nul) }
        #expect(throws: SecretError.badLine(path: nul, line: 1)) { try SecretValues.fromFile(nul) }
    }

    @Test func environmentVariablesByName() {
        let name = SecretName("db-password")
        #expect(name.environmentVariable == "JOGET_SECRET_DB_PASSWORD")
        let s = SecretValues.fromEnvironment([name, SecretName("other")], environment: ["JOGET_SECRET_DB_PASSWORD": "v"])
        #expect(s[name] == "v" && s.names == [name])
    }
}
