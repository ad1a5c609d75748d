import Testing
@testable import TermUI

@Suite struct HeadlessScreenTests {
    @Test func drawsAndDiffs() {
        let screen = HeadlessScreen(width: 20, height: 3)
        let terminal = Terminal(backend: screen)
        terminal.draw { b in b.write("hello", x: 0, y: 0) }
        #expect(screen.lines == ["hello", "", ""])
        #expect(screen.lastChangeCount == 60)                 // first frame: everything
        terminal.draw { b in b.write("help", x: 0, y: 0) }
        #expect(screen.lines == ["help", "", ""])
        #expect(screen.lastChangeCount == 2)                   // "p" and the blank after it
        terminal.draw { b in b.write("help", x: 0, y: 0) }
        #expect(screen.lastChangeCount == 0)
        #expect(screen.drawCount == 3)
    }

    @Test func scriptedEventsAndResize() {
        let screen = HeadlessScreen(width: 80, height: 24)
        screen.send(.tab, .enter)
        screen.type("ab")
        screen.resize(width: 60, height: 15)
        let terminal = Terminal(backend: screen)
        var events: [Event] = []
        for _ in 0..<6 { events.append(terminal.nextEvent(tick: .milliseconds(10))) }
        #expect(events == [.key(.tab), .key(.enter), .key(.char("a")), .key(.char("b")),
                           .resize(Size(width: 60, height: 15)), .tick])
        #expect(terminal.size == Size(width: 60, height: 15))
        let frame = terminal.draw { b in
            let notice = TooSmallNotice(current: b.size)
            if notice.isNeeded { notice.render(b.area, into: &b, theme: terminal.theme) }
        }
        #expect(frame.size == Size(width: 60, height: 15))
        #expect(screen.lines[7].contains("Terminal too small: 60x15, need 80x24"))
    }

    @Test func wideCharactersOnScreen() {
        let screen = HeadlessScreen(width: 6, height: 1)
        let terminal = Terminal(backend: screen)
        terminal.draw { b in b.write("日本語", x: 0, y: 0) }
        terminal.draw { b in b.write("a本b", x: 0, y: 0) }
        #expect(screen.lines == ["a本b"])
        #expect(screen.screen[2, 0].isContinuation)
    }

    @Test func cursorAndSuspend() {
        let screen = HeadlessScreen(width: 30, height: 2)
        let terminal = Terminal(backend: screen)
        var field = TextField(label: "Name", value: "ab", width: 10)
        field.isFocused = true
        terminal.draw { b in field.render(b.area, into: &b, theme: terminal.theme) }
        #expect(screen.screen.cursor == Position(x: 8, y: 0))
        screen.suspend()
        #expect(screen.isSuspended)
        screen.resume()
        terminal.draw { b in field.render(b.area, into: &b, theme: terminal.theme) }
        #expect(screen.lastChangeCount == 60)                  // full repaint after resume
    }

    @Test func themeFollowsCapabilities() {
        let screen = HeadlessScreen(width: 10, height: 1, capabilities: Capabilities(colors: false, unicode: false))
        let t = Terminal(backend: screen)
        #expect(t.theme.symbols == .ascii)
        #expect(t.theme[.error].foreground == .default)
    }

    /// A whole little app loop: pure update on a state, driven by scripted keys.
    @Test func elmStyleLoop() {
        struct State { var form = Form([.text("name", "Name", width: 12)]); var submitted: String?; var quit = false }
        func update(_ s: inout State, _ e: Event) {
            guard case .key(let k) = e else { return }
            if s.form.handle(k) { return }
            switch k {
            case .enter: s.submitted = s.form.value("name")
            case .f(10): s.quit = true
            default: break
            }
        }
        let screen = HeadlessScreen(width: 40, height: 5)
        screen.type("joget")
        screen.send(.backspace, .enter, .f(10))
        let terminal = Terminal(backend: screen)
        var state = State()
        var frames = 0
        while !state.quit && frames < 50 {
            terminal.draw { b in state.form.render(b.area, into: &b, theme: terminal.theme) }
            update(&state, terminal.nextEvent(tick: nil))
            frames += 1
        }
        #expect(state.submitted == "joge")
        #expect(!screen.ranOutOfEvents)
        #expect(terminal.nextEvent(tick: nil) == .tick)   // a blocking read with nothing scripted does not hang
        #expect(screen.ranOutOfEvents)
        #expect(screen.lines[0] == "> Name  [joge      ]")
    }
}
