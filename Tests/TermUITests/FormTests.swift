import Testing
@testable import TermUI

private let mono = Theme.monochrome()

private func render(_ f: Form, width: Int, height: Int, theme: Theme = mono) -> Buffer {
    var b = Buffer(width: width, height: height)
    f.render(b.area, into: &b, theme: theme)
    return b
}

@Suite struct FormTests {
    func sample() -> Form {
        Form([
            .text("host", "Host name", placeholder: "db.example.org", width: 20),
            .text("port", "Port", value: "3306", filter: .digits, width: 8),
            .note("The password is stored only in memory."),
            .password("pass", "Password", width: 20),
            .choice("engine", "Engine", options: ["MySQL", "MariaDB"]),
        ])
    }

    @Test func focusMovesWithTabArrowsAndSkipsNotes() {
        var f = sample()
        #expect(f.focusedID == "host")
        var used = f.handle(.tab)
        #expect(used && f.focusedID == "port")
        used = f.handle(.down)
        #expect(used && f.focusedID == "pass")          // the note is skipped
        used = f.handle(.tab)
        #expect(used && f.focusedID == "engine")
        used = f.handle(.tab)
        #expect(!used && f.focusedID == "engine")       // end: left to the app
        used = f.handle(.backTab)
        #expect(used && f.focusedID == "pass")
        used = f.handle(.up)
        #expect(used && f.focusedID == "port")
        used = f.handle(.up)
        #expect(used && f.focusedID == "host")
        used = f.handle(.up)
        #expect(!used && f.focusedID == "host")
    }

    @Test func wrapping() {
        var f = sample()
        f.wrapsFocus = true
        var used = f.handle(.backTab)
        #expect(used && f.focusedID == "engine")
        used = f.handle(.tab)
        #expect(used && f.focusedID == "host")
    }

    @Test func keysGoToTheFocusedFieldFirst() {
        var f = sample()
        for c in "db1" { _ = f.handle(.char(c)) }
        #expect(f.value("host") == "db1")
        f.focus("engine")
        var used = f.handle(.right)
        #expect(used && f.value("engine") == "MariaDB")
        used = f.handle(.right)
        #expect(!used)
        var g = sample()
        used = g.handle(.enter)
        #expect(!used)                                    // Enter is the app's by default
        g.enterMovesFocus = true
        used = g.handle(.enter)
        #expect(used && g.focusedID == "port")
    }

    @Test func valuesAndErrorsById() {
        var f = sample()
        f.setValue("pass", "pw")
        f.setValue("engine", "MariaDB")
        #expect(f.value("pass") == "pw")
        #expect(f.value("engine") == "MariaDB")
        #expect(f.value("nope") == nil)
        f.setError("port", "must be 1-65535")
        #expect(f["port"]?.error == "must be 1-65535")
        let found = f.focusFirstError()
        #expect(found && f.focusedID == "port")
        f.clearErrors()
        let none = f.focusFirstError()
        #expect(!none)
    }

    @Test func rendersAlignedLabelsMarkerAndErrors() {
        var f = sample()
        f.setError("port", "must be 1-65535")
        f.focus("pass")
        let b = render(f, width: 60, height: 6)
        #expect(b.lines() == [
            "  Host name  [db.example.org    ]",
            "  Port       [3306  ]  must be 1-65535",
            "  The password is stored only in memory.",
            "> Password   [                  ]",
            "  Engine     (•) MySQL  ( ) MariaDB",
            "",
        ])
        #expect(b[0, 3].style == mono[.focused])            // the marker
        #expect(b[2, 3].style == mono[.focused])            // the label, reverse in monochrome
        #expect(b[2, 0].style == mono[.label])
        let e = b.position(of: "must")!
        #expect(b[e.x, e.y].style == mono[.error])
        #expect(b.cursor == Position(x: 14, y: 3))
    }

    @Test func errorGoesBelowWhenNarrow() {
        var f = sample()
        f.setError("host", "required")
        let b = render(f, width: 38, height: 8)
        #expect(b.lines()[0] == "> Host name  [db.example.org    ]")
        #expect(b.lines()[1] == "             required")
        #expect(b.lines()[2] == "  Port       [3306  ]")
    }

    @Test func scrollsToKeepTheFocusedFieldVisible() {
        var f = Form((1...10).map { .text("f\($0)", "Field \($0)", value: "v\($0)", width: 8) })
        var b = render(f, width: 30, height: 4)
        #expect(b.lines() == ["> Field 1   [v1    ]", "  Field 2   [v2    ]", "  Field 3   [v3    ]",
                              "  Field 4   [v4    ]         ▼"])
        f.focus("f8")
        b = render(f, width: 30, height: 4)
        #expect(b.lines() == ["  Field 5   [v5    ]         ▲", "  Field 6   [v6    ]", "  Field 7   [v7    ]",
                              "> Field 8   [v8    ]         ▼"])
        #expect(b.cursor == Position(x: 15, y: 3))
    }

    @Test func unfocusedFormShowsNoMarker() {
        var f = sample()
        f.hasFocus = false
        let b = render(f, width: 60, height: 6)
        #expect(!b.lines().contains { $0.hasPrefix(">") })
        #expect(b.cursor == nil)
    }

    @Test func verticalChoiceTakesSeveralRows() {
        var f = Form([.choice("mode", "Mode", options: ["One node", "Cluster", "Upgrade"], orientation: .vertical),
                      .text("name", "Name", width: 10)])
        let b = render(f, width: 30, height: 5)
        #expect(b.lines() == ["> Mode  (•) One node", "        ( ) Cluster", "        ( ) Upgrade", "  Name  [        ]", ""])
        var used = f.handle(.down)
        #expect(used && f.value("mode") == "Cluster")
        _ = f.handle(.down)
        used = f.handle(.down)
        #expect(used && f.focusedID == "name")
    }
}
