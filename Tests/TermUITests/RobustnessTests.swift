import Testing
import TestSupport
@testable import TermUI

let allKeys: [Key] = [.char("a"), .char("Z"), .char("日"), .char("🚀"), .char(" "), .char("/"), .char("n"), .char("N"),
                      .char("e"), .char("d"), .char("g"), .char("G"), .char("j"), .char("k"),
                      .enter, .tab, .backTab, .escape, .backspace, .delete, .insert, .up, .down, .left, .right,
                      .home, .end, .pageUp, .pageDown, .f(1), .f(2), .f(10), .ctrl("a"), .ctrl("e"), .ctrl("k"),
                      .ctrl("u"), .ctrl("w"), .resize]

/// Every widget, in a state with some content.
func sampleWidgets() -> [any Widget] {
    var field = TextField(label: "Host name", value: "db.example.org", placeholder: "host", width: 30,
                          error: "cannot resolve host")
    field.isFocused = true
    return [
        field,
        PasswordField(label: "Password", value: "secret", error: "too short", isFocused: true),
        Choice(label: "Engine", options: ["MySQL", "MariaDB", "外部"], isFocused: true),
        Choice(label: "Mode", options: ["A", "B", "C"], orientation: .vertical, error: "pick one"),
        ListEditor(title: "Nodes", headers: ["Name", "Address"], rows: [["n1", "10.0.0.1"], ["n2", "10.0.0.2"]],
                   isFocused: true),
        ListEditor(items: []),
        ButtonRow(["Back", "Next", "Quit"], focused: 1),
        Dialog(title: "Really quit?", message: "The installation is not finished. Quit anyway?",
               buttons: ["Quit", "Stay"], cancelIndex: 1),
        ProgressBar(fraction: 0.42, label: "Copying", elapsed: .seconds(80), estimatedTotal: .seconds(190)),
        StatusList([.init(.done, "Java"), .init(.running, "Files"), .init(.failed, "DB", detail: "timeout"),
                    .init(.attention, "Nodes: 2 fields missing")], selected: 1, isFocused: true, spinnerFrame: 3),
        KeyLegend([("Enter", "Next"), ("Esc", "Back"), ("F1", "Help"), ("F10", "Quit")]),
        Form([.text("a", "Host", value: "x", width: 20), .password("b", "Password"),
              .choice("c", "Engine", options: ["MySQL", "MariaDB"]), .note("A note that is long enough to wrap.")]),
        TooSmallNotice(current: Size(width: 60, height: 15)),
        Paragraph("Some text that wraps over a few lines when the area is narrow. 日本語も。"),
        Block(title: "A box"),
    ]
}

let sizes: [(Int, Int)] = [(0, 0), (1, 1), (2, 1), (1, 2), (3, 3), (5, 2), (40, 12), (80, 24), (120, 40)]
let themes: [Theme] = [.colored(), .monochrome(symbols: .ascii)]

@Suite struct RobustnessTests {
    @Test(arguments: [0, 1, 2, 3, 4, 5, 6, 7, 8])
    func everyWidgetAtEverySize(sizeIndex: Int) {
        let (w, h) = sizes[sizeIndex]
        for theme in themes {
            for widget in sampleWidgets() {
                var b = Buffer(width: w, height: h)
                widget.render(b.area, into: &b, theme: theme)
                // Areas partly or wholly outside the buffer are clipped, not trusted.
                widget.render(Rect(x: w / 2, y: h / 2, width: w + 10, height: h + 10), into: &b, theme: theme)
                widget.render(Rect(x: -5, y: -5, width: 7, height: 7), into: &b, theme: theme)
                #expect(b.lines().count == h)
                #expect(b.lines().allSatisfy { $0.displayWidth <= w }, "\(type(of: widget)) at \(w)x\(h)")
                if let c = b.cursor { #expect(b.area.contains(c) || w == 0, "cursor of \(type(of: widget)) at \(w)x\(h)") }
            }
            var b = Buffer(width: w, height: h)
            var log = RingBuffer<String>(capacity: 100)
            for i in 0..<300 { log.append("log line \(i) with 日本 and 🚀") }
            LogView(title: "Log").render(b.area, into: &b, source: log, theme: theme)
            LogView().render(b.area, into: &b, source: [String](), theme: theme)
        }
    }

    @Test func randomKeysNeverBreakWidgets() {
        var rng = SplitMix64(state: 42)
        var text = TextField(label: "T", maxLength: 12)
        var pass = PasswordField(label: "P")
        var choice = Choice(options: ["a", "b", "c"])
        var list = ListEditor(items: ["x", "y", "z"])
        var buttons = ButtonRow(["A", "B"])
        var dialog = Dialog(title: "t", message: "m", buttons: ["OK", "No"], cancelIndex: 1)
        var form = Form([.text("a", "A"), .note("n"), .password("b", "B"), .choice("c", "C", options: ["1", "2"])])
        var log = LogView()
        var ring = RingBuffer<String>(capacity: 50)
        for step in 0..<3000 {
            let key = allKeys.randomElement(using: &rng)!
            _ = text.handle(key); _ = pass.handle(key); _ = choice.handle(key)
            _ = list.handle(key); _ = buttons.handle(key); _ = dialog.handle(key); _ = form.handle(key)
            _ = log.handle(key, source: ring, viewHeight: 7)
            ring.append("line \(step) error")
            if step % 3 == 0, !list.rows.isEmpty { list.rows.removeLast() } else if step % 5 == 0 { list.rows.append(["r"]) }
            #expect(text.value.count <= 12)
            #expect(text.cursor >= 0 && text.cursor <= text.value.count)
            if step % 97 == 0 {
                let (w, h) = sizes[step % sizes.count]
                var b = Buffer(width: w, height: h)
                for widget: any Widget in [text, pass, choice, list, buttons, dialog, form] {
                    widget.render(b.area, into: &b, theme: .colored())
                }
                log.render(b.area, into: &b, source: ring, theme: .colored())
            }
        }
    }
}
