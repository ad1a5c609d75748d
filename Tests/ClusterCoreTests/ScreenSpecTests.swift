import ClusterCore
import Testing

@Suite struct ScreenSpecTests {
    @Test func everyScreenLoadsInFlowOrder() throws {
        let screens = try ScreenSpec.all()
        #expect(screens.map(\.id) == ["welcome", "hosts", "sharedFiles", "database", "appServers", "loadBalancer", "review"])
        for s in screens { #expect(!s.title.isEmpty && !s.intro.isEmpty, "\(s.id) needs a title and an intro") }
    }

    @Test func everyFieldMapsToTheModelOrToASecret() throws {
        let paths = Answers.fieldPaths
        for screen in try ScreenSpec.all() {
            for field in screen.fields + (screen.list?.fields ?? []) {
                if field.kind == .password {
                    #expect(field.secret != nil, "\(screen.id).\(field.id) is a password without a secret name")
                    #expect(!paths.contains(field.id), "\(field.id): a password must not be stored in the answers")
                } else {
                    #expect(paths.contains(field.id), "\(screen.id): field \(field.id) maps to nothing in the model")
                }
                if let condition = field.showIf {
                    #expect(paths.contains(condition.path), "\(field.id): showIf names unknown \(condition.path)")
                }
                if field.kind == .choice {
                    var a = Answers()
                    a.hosts = [Host(name: "h", address: "h")]
                    a.appServers.nodes = [Node(name: "n", host: "h")]
                    for option in field.options {
                        #expect(a.set(option, at: field.id, item: 0) == nil, "\(field.id) rejects its own option \(option)")
                    }
                }
                if let value = field.defaultValue {
                    #expect(field.check(value) == nil, "\(field.id): default \(value) fails its own validation")
                }
            }
        }
    }

    @Test func everyModelPathIsAskedOnSomeScreen() throws {
        let asked = Set(try ScreenSpec.all().flatMap { ($0.fields + ($0.list?.fields ?? [])).map(\.id) })
        // Secret names are chosen by the answers file only; the screens ask for the values.
        let notAsked = Answers.fieldPaths.subtracting(asked).subtracting(["database.passwordSecret", "database.adminPasswordSecret"])
        #expect(notAsked.isEmpty, "never asked: \(notAsked.sorted())")
    }

    @Test func badSpecsAreRefusedWithTheirSource() {
        #expect(throws: ScreenSpec.SpecError.self) {
            try ScreenSpec.load("id: x\nfields:\n  - {id: a, label: A, kind: text, validate: nosuchrule}\n", source: "x.yaml")
        }
        #expect(throws: ScreenSpec.SpecError.self) {
            try ScreenSpec.load("id: x\nfields:\n  - {id: a, label: A, kind: dial}\n", source: "x.yaml")
        }
    }

    @Test func pathsReadAndWriteTheModel() throws {
        var a = try exampleAnswers()
        #expect(a.value(at: "hosts[].address", item: 2) == "192.168.1.10")
        #expect(a.set("10.1.1.1", at: "hosts[].address", item: 2) == nil)
        #expect(a.hosts[2].address == "10.1.1.1")
        #expect(a.set("abc", at: "database.port")?.contains("abc") == true)
        #expect(a.set("x", at: "hosts[].name", item: 99) != nil)
        #expect(a.set("/c.pem", at: "loadBalancer.tls.certificate") == nil && a.loadBalancer.tls?.certificate == "/c.pem")
        #expect(a.set("", at: "loadBalancer.tls.certificate") == nil && a.loadBalancer.tls == nil)
        #expect(a.value(at: "no.such.path") == nil)
    }
}
