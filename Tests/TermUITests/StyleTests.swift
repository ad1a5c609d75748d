import Testing
@testable import TermUI

@Suite struct StyleTests {
    @Test func capabilitiesFromEnvironment() {
        let utf = ["TERM": "xterm-256color", "LANG": "en_US.UTF-8"]
        #expect(Capabilities.detect(environment: utf, terminalHasColors: true) == Capabilities(colors: true, unicode: true))
        var noColor = utf
        noColor["NO_COLOR"] = "1"
        #expect(Capabilities.detect(environment: noColor, terminalHasColors: true).colors == false)
        #expect(Capabilities.detect(environment: utf, terminalHasColors: false).colors == false)
        for term in ["vt100", "vt220", "linux", "dumb"] {
            #expect(Capabilities.detect(environment: ["TERM": term, "LANG": "C.UTF-8"], terminalHasColors: true).unicode == false)
        }
        #expect(Capabilities.detect(environment: ["TERM": "xterm", "LANG": "C"], terminalHasColors: true).unicode == false)
        #expect(Capabilities.detect(environment: ["TERM": "xterm", "LC_ALL": "C", "LANG": "en_US.UTF-8"],
                                    terminalHasColors: true).unicode == false)
        #expect(Capabilities.detect(environment: ["TERM": "xterm", "LANG": "C"], terminalHasColors: true,
                                    localeIsUTF8: true).unicode == true)
    }

    @Test func monochromeThemeUsesOnlyAttributes() {
        let t = Theme.monochrome()
        for role in Role.allCases {
            #expect(t[role].foreground == .default && t[role].background == .default, "role \(role)")
        }
        #expect(t[.focused].attributes.contains(.reverse))
        #expect(t[.selection].attributes.contains(.reverse))
        #expect(t[.error] != t[.normal])
    }

    @Test func themeFromCapabilities() {
        let mono = Theme.make(for: Capabilities(colors: false, unicode: false))
        #expect(mono.symbols == .ascii)
        #expect(mono[.error].foreground == .default)
        let color = Theme.make(for: Capabilities(colors: true, unicode: true))
        #expect(color.symbols.border == .unicode)
        #expect(color[.error].foreground == .red)
    }

    @Test func patching() {
        let base = Style(foreground: .red, background: .blue, attributes: .bold)
        let p = base.patched(with: Style(foreground: .green, attributes: .underline))
        #expect(p == Style(foreground: .green, background: .blue, attributes: [.bold, .underline]))
    }

    @Test func keyNames() {
        #expect(Key.f(10).description == "F10")
        #expect(Key.ctrl("c").description == "Ctrl-C")
        #expect(Key.escape.description == "Esc")
        #expect(Key.space.description == "Space")
    }
}

@Suite struct KeyDecodeTests {
    @Test func controlBytes() {
        #expect(Key.decode("\n") == .enter)
        #expect(Key.decode("\r") == .enter)
        #expect(Key.decode(Unicode.Scalar(127)) == .backspace)
        #expect(Key.decode(Unicode.Scalar(8)) == .backspace)
        #expect(Key.decode("\t") == .tab)
        #expect(Key.decode(Unicode.Scalar(27)) == .escape)
        #expect(Key.decode(Unicode.Scalar(3)) == .ctrl("c"))
        #expect(Key.decode(Unicode.Scalar(1)) == .ctrl("a"))
        #expect(Key.decode(Unicode.Scalar(26)) == .ctrl("z"))
        #expect(Key.decode(Unicode.Scalar(0)) == nil)
        #expect(Key.decode("x") == .char("x"))
        #expect(Key.decode("日") == .char("日"))
        #expect(Key.decode(" ") == .space)
    }
}
