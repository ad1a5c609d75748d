import Testing
@testable import TermUI

private let mono = Theme.monochrome()

private func render(_ w: some Widget, width: Int, height: Int = 1, theme: Theme = mono) -> Buffer {
    var b = Buffer(width: width, height: height)
    w.render(b.area, into: &b, theme: theme)
    return b
}

@Suite struct TextFieldTests {
    @Test func typingAndEditing() {
        var f = TextField(label: "Host")
        for c in "dbhost" { let used = f.handle(.char(c)); #expect(used) }
        #expect(f.value == "dbhost" && f.cursor == 6)
        let r1 = f.handle(.left)
        let r2 = f.handle(.left)
        #expect(r1 && r2)
        let r3 = f.handle(.backspace)
        #expect(r3)
        #expect(f.value == "dbhst" && f.cursor == 3)
        let r4 = f.handle(.delete)
        #expect(r4)
        #expect(f.value == "dbht")
        let r5 = f.handle(.home)
        #expect(r5 && f.cursor == 0)
        _ = f.handle(.char("x"))
        #expect(f.value == "xdbht" && f.cursor == 1)
        let r6 = f.handle(.end)
        #expect(r6 && f.cursor == 5)
        // Moving past the ends is consumed but harmless.
        let r7 = f.handle(.right)
        #expect(r7 && f.cursor == 5)
        _ = f.handle(.home)
        let r8 = f.handle(.left)
        #expect(r8 && f.cursor == 0)
        let r9 = f.handle(.backspace)
        #expect(r9 && f.value == "xdbht")
        _ = f.handle(.end)
        let r10 = f.handle(.delete)
        #expect(r10 && f.value == "xdbht")
    }

    @Test func nonEditingKeysAreNotConsumed() {
        var f = TextField(value: "a")
        for k: Key in [.up, .down, .tab, .backTab, .enter, .escape, .f(1), .pageUp, .ctrl("c")] {
            let r11 = f.handle(k)
            #expect(!r11, "\(k)")
        }
        #expect(f.value == "a")
    }

    @Test func emacsKeys() {
        var f = TextField(value: "mysql -h db.local")
        let r12 = f.handle(.ctrl("w"))
        #expect(r12)
        #expect(f.value == "mysql -h ")
        _ = f.handle(.ctrl("a"))
        _ = f.handle(.right)
        let r13 = f.handle(.ctrl("k"))
        #expect(r13)
        #expect(f.value == "m")
        _ = f.handle(.ctrl("e"))
        let r14 = f.handle(.ctrl("u"))
        #expect(r14)
        #expect(f.value == "" && f.cursor == 0)
    }

    @Test func maxLengthAndFilter() {
        var f = TextField(maxLength: 3)
        for c in "abcdef" { _ = f.handle(.char(c)) }
        #expect(f.value == "abc")
        var port = TextField(filter: .digits)
        for c in "8a0-8x0" { _ = port.handle(.char(c)) }
        #expect(port.value == "8080")
        var host = TextField(filter: .noSpaces)
        for c in "a b" { _ = host.handle(.char(c)) }
        #expect(host.value == "ab")
        var clipped = TextField(value: "toolong", maxLength: 4)
        #expect(clipped.value == "tool")
        clipped.value = "abcdefgh"
        #expect(clipped.value == "abcd")
    }

    @Test func unicodeEditing() {
        var f = TextField()
        for c in "日本e\u{301}" { _ = f.handle(.char(c)) }
        #expect(f.value == "日本é" || f.value == "日本e\u{301}")
        _ = f.handle(.backspace)
        #expect(f.value == "日本")
    }

    @Test func rendersLabelBoxAndCursor() {
        var f = TextField(label: "Host", value: "db1", width: 10)
        f.isFocused = true
        let b = render(f, width: 30)
        #expect(b.lines() == ["Host [db1     ]"])
        #expect(b.cursor == Position(x: 9, y: 0))
        #expect(b[0, 0].style == mono[.focused])
        f.isFocused = false
        #expect(render(f, width: 30).cursor == nil)
    }

    @Test func horizontalScrollingKeepsCursorVisible() {
        var f = TextField(value: "abcdefghijklmnop", width: 8)   // 6 columns inside the brackets
        f.isFocused = true
        var b = render(f, width: 8)
        #expect(b.lines() == ["[lmnop ]"])   // the cursor at the end needs a free cell
        #expect(b.cursor == Position(x: 6, y: 0))
        _ = f.handle(.home)
        b = render(f, width: 8)
        #expect(b.lines() == ["[abcdef]"])
        #expect(b.cursor == Position(x: 1, y: 0))
        for _ in 0..<8 { _ = f.handle(.right) }
        b = render(f, width: 8)
        #expect(b.lines() == ["[defghi]"])
        #expect(b.cursor == Position(x: 6, y: 0))
    }

    @Test func placeholder() {
        let f = TextField(placeholder: "db.example.org", width: 12)
        let b = render(f, width: 12)
        #expect(b.lines() == ["[db.exampl…]"])
        #expect(b[1, 0].style.attributes.contains(.dim))
        // Not underlined as a typed value is: in NO_COLOR it does not read as one.
        #expect(!b[1, 0].style.attributes.contains(.underline))
        let typed = render(TextField(value: "db", width: 12), width: 12)
        #expect(typed[1, 0].style.attributes.contains(.underline))
    }

    @Test func errorBesideOrBelow() {
        let f = TextField(label: "Port", value: "99999", width: 8, error: "must be 1-65535")
        let wide = render(f, width: 40, height: 2)
        #expect(wide.lines() == ["Port [99999 ]  must be 1-65535", ""])
        let p = wide.position(of: "must")!
        #expect(wide[p.x, p.y].style == mono[.error])
        let narrow = render(f, width: 20, height: 2)
        #expect(narrow.lines() == ["Port [99999 ]", "     must be 1-65535"])
        let oneRow = render(f, width: 20, height: 1)
        #expect(oneRow.lines() == ["Port [99999 ]  must…"])
    }
}

@Suite struct PasswordFieldTests {
    @Test func neverShowsTheValue() {
        var p = PasswordField(label: "Password", width: 12)
        for c in "s3cret" { _ = p.handle(.char(c)) }
        #expect(p.value == "s3cret")
        p.isFocused = true
        let b = render(p, width: 30)
        #expect(b.lines() == ["Password [••••••    ]"])
        #expect(!b.text.contains("s3cret"))
        #expect(b.cursor == Position(x: 16, y: 0))
        let ascii = render(p, width: 30, theme: .monochrome(symbols: .ascii))
        #expect(ascii.lines() == ["Password [******    ]"])
    }

    @Test func revealToggle() {
        var p = PasswordField(value: "pw", width: 6)
        let r15 = p.handle(.f(2))
        #expect(r15)
        #expect(render(p, width: 6).lines() == ["[pw  ]"])
        let r16 = p.handle(.f(2))
        #expect(r16)
        #expect(render(p, width: 6).lines() == ["[••  ]"])
        var noReveal = PasswordField(value: "pw", revealKey: nil)
        let r17 = noReveal.handle(.f(2))
        #expect(!r17)
    }

    @Test func ctrlWClearsEverythingBeforeTheCursor() {
        var p = PasswordField(value: "two words")
        _ = p.handle(.ctrl("w"))
        #expect(p.value.isEmpty)
    }
}

@Suite struct ChoiceTests {
    @Test func horizontalMovesAndSelects() {
        var c = Choice(label: "Database", options: ["MySQL", "MariaDB", "External"])
        #expect(c.selectedOption == "MySQL")
        let r18 = c.handle(.left)
        #expect(!r18)                     // at the first option: not consumed
        let r19 = c.handle(.right)
        #expect(r19)
        #expect(c.selectedOption == "MariaDB")
        let r20 = c.handle(.down)
        #expect(!r20)                     // vertical keys are for the form
        let r21 = c.handle(.end)
        #expect(r21 && c.selected == 2)
        let r22 = c.handle(.right)
        #expect(!r22)
    }

    @Test func spaceSelectsWhenMovingDoesNot() {
        var c = Choice(options: ["a", "b"], selected: nil, orientation: .vertical, selectsOnMove: false)
        #expect(c.selected == nil)
        let r23 = c.handle(.down)
        #expect(r23)
        #expect(c.selected == nil && c.highlighted == 1)
        let r24 = c.handle(.space)
        #expect(r24)
        #expect(c.selected == 1)
    }

    @Test func rendering() {
        var c = Choice(label: "DB", options: ["MySQL", "Other"], selected: 1)
        c.isFocused = true
        let b = render(c, width: 40)
        #expect(b.lines() == ["DB ( ) MySQL  (•) Other"])
        let p = b.position(of: "Other")!
        #expect(b[p.x, p.y].style == mono[.focused])
        let ascii = render(c, width: 40, theme: .monochrome(symbols: .ascii))
        #expect(ascii.lines() == ["DB ( ) MySQL  (*) Other"])
        let v = Choice(label: "DB", options: ["MySQL", "Other"], selected: 0, orientation: .vertical)
        #expect(render(v, width: 20, height: 3).lines() == ["DB (•) MySQL", "   ( ) Other", ""])
    }

    @Test func emptyOptions() {
        var c = Choice(options: [])
        let r25 = c.handle(.right)
        #expect(!r25)
        #expect(c.selectedOption == nil)
        _ = render(c, width: 10)
    }
}
