import Testing
@testable import TermUI

private let mono = Theme.monochrome()

private func render(_ w: some Widget, width: Int, height: Int = 1, theme: Theme = mono) -> Buffer {
    var b = Buffer(width: width, height: height)
    w.render(b.area, into: &b, theme: theme)
    return b
}

@Suite struct ListEditorTests {
    @Test func actionsAreReturnedNotApplied() {
        var l = ListEditor(rows: [["node1", "10.0.0.1"], ["node2", "10.0.0.2"]])
        let r1 = l.handle(.char("a"))
        #expect(r1 == .action(.add))
        let r2 = l.handle(.down)
        #expect(r2 == .handled)
        #expect(l.selection == 1)
        let r3 = l.handle(.enter)
        #expect(r3 == .action(.edit(1)))
        let r4 = l.handle(.delete)
        #expect(r4 == .action(.remove(1)))
        let r5 = l.handle(.char("d"))
        #expect(r5 == .action(.remove(1)))
        #expect(l.rows.count == 2)
        let r6 = l.handle(.down)
        #expect(r6 == .ignored)         // at the end: let the app move focus
        let r7 = l.handle(.home)
        #expect(r7 == .handled && l.selection == 0)
        let r8 = l.handle(.up)
        #expect(r8 == .ignored)
        let r9 = l.handle(.char("z"))
        #expect(r9 == .ignored)
    }

    @Test func emptyList() {
        var l = ListEditor(items: [])
        #expect(l.selection == nil)
        let r10 = l.handle(.enter)
        #expect(r10 == .ignored)
        let r11 = l.handle(.insert)
        #expect(r11 == .action(.add))
        let b = render(l, width: 40, height: 3)
        #expect(b.lines()[0] == "  Nothing here yet. Press a to add.")
    }

    @Test func selectionIsClampedWhenRowsShrink() {
        var l = ListEditor(items: ["a", "b", "c"], selectedIndex: 2)
        l.rows.removeLast(2)
        #expect(l.selection == 0)
        let r12 = l.handle(.enter)
        #expect(r12 == .action(.edit(0)))
    }

    @Test func alignedColumnsAndMarker() {
        let l = ListEditor(title: "Nodes", headers: ["Name", "Address"],
                           rows: [["app1", "10.0.0.11"], ["application2", "10.0.0.12"]], selectedIndex: 1, isFocused: true)
        let b = render(l, width: 40, height: 5)
        #expect(b.lines() == ["Nodes", "  Name          Address", "  app1          10.0.0.11",
                              "> application2  10.0.0.12", ""])
        #expect(b[3, 3].style == mono[.selection])
    }

    @Test func scrollsToSelection() {
        let rows = (1...20).map { ["row \($0)"] }
        let l = ListEditor(rows: rows, selectedIndex: 15, isFocused: true)
        let b = render(l, width: 12, height: 4)
        #expect(b.lines() == ["  row 13   ▲", "  row 14", "  row 15", "> row 16   ▼"])
    }
}

@Suite struct ButtonAndDialogTests {
    @Test func buttonRow() {
        var r = ButtonRow(["Back", "Next"], focused: 1)
        let r13 = r.handle(.enter)
        #expect(r13 == .action(1))
        let r14 = r.handle(.left)
        #expect(r14 == .handled)
        let r15 = r.handle(.left)
        #expect(r15 == .ignored)
        let r16 = r.handle(.space)
        #expect(r16 == .action(0))
        let b = render(r, width: 18)
        #expect(b.lines() == ["[ Back ]  [ Next ]"])
        #expect(b[0, 0].style == mono[.focused])
        #expect(b[10, 0].style == mono[.normal])
        #expect(r.width == 18)
    }

    @Test func dialogCentredAndClamped() {
        let d = Dialog(title: "Quit?", message: "Stop the installer?", buttons: ["Yes", "No"], focused: 1, cancelIndex: 1)
        let b = render(d, width: 40, height: 10)
        #expect(b.lines() == [
            "",
            "       ┌ Quit? ────────────────┐",
            "       │                       │",
            "       │  Stop the installer?  │",
            "       │                       │",
            "       │    [ Yes ]  [ No ]    │",
            "       │                       │",
            "       └───────────────────────┘",
            "",
            "",
        ])
        let tiny = render(d, width: 12, height: 4)
        #expect(tiny.lines().count == 4)
        #expect(tiny.lines()[0].hasPrefix("┌"))
    }

    @Test func dialogHidesTheCursorBelowIt() {
        var b = Buffer(width: 40, height: 10)
        var f = TextField(label: "Name", width: 10)
        f.isFocused = true
        f.render(b.area, into: &b, theme: mono)
        #expect(b.cursor != nil)
        Dialog(title: "t", message: "m").render(b.area, into: &b, theme: mono)
        #expect(b.cursor == nil)
    }

    @Test func dialogKeys() {
        var d = Dialog(title: "t", message: "m", buttons: ["OK", "Cancel"], cancelIndex: 1)
        let r17 = d.handle(.escape)
        #expect(r17 == .action(1))
        let r18 = d.handle(.tab)
        #expect(r18 == .handled)
        #expect(d.buttons.focused == 1)
        let r19 = d.handle(.tab)
        #expect(r19 == .handled)
        #expect(d.buttons.focused == 0)
        let r20 = d.handle(.backTab)
        #expect(r20 == .handled && d.buttons.focused == 1)
        let r21 = d.handle(.enter)
        #expect(r21 == .action(1))
        var noCancel = Dialog(title: "t", message: "m")
        let r22 = noCancel.handle(.escape)
        #expect(r22 == .ignored)
    }

    @Test func dialogWrapsLongMessages() {
        let d = Dialog(title: "Error", message: String(repeating: "word ", count: 30), maxWidth: 30)
        let b = render(d, width: 80, height: 24)
        #expect(b.lines().allSatisfy { $0.displayWidth <= 80 })
        let frame = d.frame(in: b.area)
        #expect(frame.width == 30)
        #expect(frame.height > 6)
    }
}

@Suite struct ProgressBarTests {
    @Test func durations() {
        #expect(ProgressBar.format(.seconds(45)) == "45s")
        #expect(ProgressBar.format(.seconds(80)) == "1m20s")
        #expect(ProgressBar.format(.seconds(65)) == "1m05s")
        #expect(ProgressBar.format(.seconds(3720)) == "1h02m")
        #expect(ProgressBar.format(.seconds(-3)) == "0s")
    }

    @Test func fullLine() {
        let p = ProgressBar(fraction: 0.5, label: "Copy", elapsed: .seconds(80), estimatedTotal: .seconds(160))
        let b = render(p, width: 50, theme: .monochrome(symbols: .ascii))
        #expect(b.lines() == ["Copy  [##########-----------]  50%  1m20s / ~2m40s"])
    }

    @Test func narrowDropsParts() {
        let p = ProgressBar(fraction: 0.25, label: "Copying files", elapsed: .seconds(10), estimatedTotal: .seconds(40))
        let ascii = Theme.monochrome(symbols: .ascii)
        #expect(render(p, width: 12, theme: ascii).lines() == ["[#----]  25%"])
        #expect(render(p, width: 5, theme: ascii).lines() == ["[---]"])
        #expect(render(p, width: 2, theme: ascii).lines() == ["25"])
        _ = render(p, width: 0)
        _ = render(p, width: 1)
    }

    @Test func clampsFraction() {
        let ascii = Theme.monochrome(symbols: .ascii)
        #expect(render(ProgressBar(fraction: 7), width: 12, theme: ascii).lines() == ["[#####] 100%"])
        #expect(render(ProgressBar(fraction: .nan), width: 12, theme: ascii).lines() == ["[-----]   0%"])
        #expect(render(ProgressBar(fraction: -1), width: 12, theme: ascii).lines() == ["[-----]   0%"])
    }
}

@Suite struct StatusListTests {
    @Test func stepIcons() {
        let l = StatusList([.init(.done, "Install Java"), .init(.running, "Copy files"), .init(.pending, "Start"),
                            .init(.skipped, "Optional"), .init(.failed, "Check", detail: "timeout")])
        #expect(render(l, width: 30, height: 5).lines() == ["✓ Install Java", "> Copy files", "· Start", "= Optional",
                                                              "✗ Check  timeout"])
        #expect(render(l, width: 30, height: 5, theme: .monochrome(symbols: .ascii)).lines()
                == ["+ Install Java", "> Copy files", ". Start", "= Optional", "X Check  timeout"])
    }

    @Test func checkListAndSpinner() {
        var l = StatusList([.init(.checked, "Shared files"), .init(.attention, "Database: 2 fields missing"),
                            .init(.unchecked, "Nodes"), .init(.running, "Working")])
        l.spinnerFrame = 1
        let b = render(l, width: 40, height: 4)
        #expect(b.lines() == ["[x] Shared files", "[!] Database: 2 fields missing", "[ ] Nodes", "⠙ Working"])
        l.spinnerFrame = 5
        #expect(render(l, width: 40, height: 4, theme: .monochrome(symbols: .ascii)).lines()[3] == "/ Working")
    }

    @Test func truncatesAndScrolls() {
        let rows = (1...10).map { StatusList.Row(.pending, "Step number \($0)") }
        let l = StatusList(rows, selected: 8, isFocused: true)
        let b = render(l, width: 10, height: 3)
        #expect(b.lines() == ["· Step nu…", "· Step nu…", "· Step nu…"])
        #expect(b[2, 2].style == mono[.selection])   // rows 7-9 shown, row 9 selected
    }
}

@Suite struct KeyLegendTests {
    let legend = KeyLegend([("Enter", "Next"), ("Esc", "Back"), ("F1", "Help"), ("F10", "Quit")])

    @Test func fullLine() {
        let b = render(legend, width: 80)
        #expect(b.lines() == ["Enter Next  Esc Back  F1 Help  F10 Quit"])
        #expect(b[0, 0].style == mono[.keyLegend])
        #expect(b[6, 0].style == mono[.normal])
    }

    @Test func dropsItemsWhenNarrow() {
        #expect(render(legend, width: 30).lines() == ["Enter Next  Esc Back  F1 Help", ]
                    || render(legend, width: 30).lines() == ["Enter Next  Esc Back  …"])
        #expect(render(legend, width: 24).lines() == ["Enter Next  Esc Back  …"])
        #expect(render(legend, width: 8).lines() == ["Enter N…"])
        #expect(render(legend, width: 1).lines() == ["E"])
    }

    @Test func keyItems() {
        let l = KeyLegend([KeyLegend.Item(Key.f(10), "Quit"), KeyLegend.Item(Key.ctrl("l"), "Redraw")])
        #expect(render(l, width: 40).lines() == ["F10 Quit  Ctrl-L Redraw"])
    }
}

@Suite struct TooSmallTests {
    @Test func message() {
        let n = TooSmallNotice(current: Size(width: 60, height: 15))
        #expect(n.isNeeded)
        #expect(!TooSmallNotice(current: Size(width: 80, height: 24)).isNeeded)
        let b = render(n, width: 60, height: 15)
        #expect(b.lines()[7] == "           Terminal too small: 60x15, need 80x24")
    }

    @Test func wrapsAndNeverCrashes() {
        let n = TooSmallNotice(current: Size(width: 20, height: 5))
        let b = render(n, width: 20, height: 5)
        #expect(b.lines() == ["", "Terminal too small:", "  20x5, need 80x24", "", ""])
        for (w, h) in [(0, 0), (1, 1), (2, 1), (1, 5), (5, 2)] {
            _ = render(TooSmallNotice(current: Size(width: w, height: h)), width: w, height: h)
        }
        #expect(render(TooSmallNotice(current: Size(width: 1, height: 1)), width: 1, height: 1).lines() == ["T"])
    }
}
