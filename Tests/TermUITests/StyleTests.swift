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

@Suite struct EscapeSequenceTests {
    @Test func functionKeys() {
        #expect(Key.decodeEscapeSequence("[21~") == .f(10))
        #expect(Key.decodeEscapeSequence("[11~") == .f(1))
        #expect(Key.decodeEscapeSequence("[15~") == .f(5))
        #expect(Key.decodeEscapeSequence("[17~") == .f(6))
        #expect(Key.decodeEscapeSequence("[24~") == .f(12))
        #expect(Key.decodeEscapeSequence("OP") == .f(1))
        #expect(Key.decodeEscapeSequence("OS") == .f(4))
        #expect(Key.decodeEscapeSequence("[1;2P") == .f(1))
    }

    @Test func navigation() {
        #expect(Key.decodeEscapeSequence("[A") == .up)
        #expect(Key.decodeEscapeSequence("OB") == .down)
        #expect(Key.decodeEscapeSequence("[1;5C") == .right)
        #expect(Key.decodeEscapeSequence("[H") == .home)
        #expect(Key.decodeEscapeSequence("[4~") == .end)
        #expect(Key.decodeEscapeSequence("[3~") == .delete)
        #expect(Key.decodeEscapeSequence("[5~") == .pageUp)
        #expect(Key.decodeEscapeSequence("[6~") == .pageDown)
        #expect(Key.decodeEscapeSequence("[Z") == .backTab)
    }

    @Test func unknown() {
        #expect(Key.decodeEscapeSequence("[99~") == nil)
        #expect(Key.decodeEscapeSequence("x") == nil)
        #expect(Key.decodeEscapeSequence("") == nil)
        #expect(Key.decodeEscapeSequence("[200~") == nil)
        #expect(Key.isEscapeSequenceFinal("~", introducer: "["))
        #expect(!Key.isEscapeSequenceFinal("2", introducer: "["))
        #expect(!Key.isEscapeSequenceFinal(";", introducer: "["))
    }
}
