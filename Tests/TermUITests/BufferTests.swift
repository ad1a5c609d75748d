import Testing
@testable import TermUI

@Suite struct BufferTests {
    @Test func writeAndLines() {
        var b = Buffer(width: 10, height: 2)
        let end = b.write("hello", x: 1, y: 0)
        #expect(end == 6)
        #expect(b.lines() == [" hello", ""])
        #expect(b.lines(trimmingTrailingSpaces: false)[0] == " hello    ")
    }

    @Test func clipping() {
        var b = Buffer(width: 10, height: 3)
        b.write("abcdefghijKLMN", x: 0, y: 0)
        b.write("xyz", x: -2, y: 1)
        b.write("clip", x: 2, y: 2, clip: Rect(x: 3, y: 2, width: 2, height: 1))
        b.write("nothing", x: 0, y: 7)
        b.write("nothing", x: 0, y: -1)
        #expect(b.lines() == ["abcdefghij", "z", "   li"])
    }

    @Test func wideCharacters() {
        var b = Buffer(width: 6, height: 1)
        b.write("日本語", x: 0, y: 0)
        #expect(b.lines() == ["日本語"])
        #expect(b[0, 0].width == 2)
        #expect(b[1, 0].isContinuation)
        // A wide character that does not fit in the last column is left out.
        var c = Buffer(width: 5, height: 1)
        c.write("日本語", x: 0, y: 0)
        #expect(c.lines() == ["日本"])
        #expect(c[4, 0].symbol == " ")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var b = Buffer(width: 6, height: 1)
        b.write("日本語", x: 0, y: 0)
        b.write("x", x: 1, y: 0)    // right half of 日
        #expect(b.lines() == [" x本語"])
        b.write("y", x: 2, y: 0)    // left half of 本
        #expect(b.lines() == [" xy 語"])
        b.write("字", x: 3, y: 0)   // wide over the right half of 本 and the left half of 語
        #expect(b.lines() == [" xy字"])
        #expect(b[5, 0].symbol == " ")
    }

    @Test func emojiAndCombining() {
        var b = Buffer(width: 8, height: 1)
        b.write("a🚀e\u{301}!", x: 0, y: 0)
        #expect(b.lines() == ["a🚀é!"])
        #expect(b[3, 0].symbol == "e\u{301}")
        #expect(b[4, 0].symbol == "!")
    }

    @Test func controlCharactersSkippedAndTabsExpanded() {
        var b = Buffer(width: 20, height: 1)
        b.write("a\u{7}b\tc", x: 0, y: 0)
        #expect(b.lines() == ["ab      c"])
    }

    @Test func writeLineTruncatesWithEllipsis() {
        var b = Buffer(width: 10, height: 2)
        b.writeLine("a long line of text", in: Rect(x: 0, y: 0, width: 8, height: 1))
        b.writeLine("a long line of text", in: Rect(x: 0, y: 1, width: 8, height: 1), ellipsis: "...")
        #expect(b.lines() == ["a long…", "a lon..."])   // no space left before the ellipsis
        var c = Buffer(width: 10, height: 1)
        c.writeLine("mid", in: c.area, alignment: .center)
        #expect(c.lines() == ["   mid"])
        c.writeLine("end", in: c.area, alignment: .right)
        #expect(c.lines() == ["   mid end"])
    }

    @Test func diffReportsOnlyChanges() {
        var a = Buffer(width: 5, height: 2)
        a.write("hello", x: 0, y: 0)
        var b = a
        #expect(b.diff(from: a).isEmpty)
        b.write("J", x: 0, y: 0)
        b.write("!", x: 4, y: 1, style: Style(attributes: .bold))
        let d = b.diff(from: a)
        #expect(d.map { Position(x: $0.x, y: $0.y) } == [Position(x: 0, y: 0), Position(x: 4, y: 1)])
        #expect(d[1].cell.style.attributes.contains(.bold))
        // A style-only change is a change.
        var c = b
        c.setStyle(Rect(x: 1, y: 0, width: 1, height: 1), Style(foreground: .red))
        #expect(c.diff(from: b).count == 1)
        // A size change reports every cell.
        #expect(Buffer(width: 3, height: 3).diff(from: a).count == 9)
    }

    @Test func diffWithWideCharacters() {
        var a = Buffer(width: 4, height: 1)
        a.write("ab", x: 0, y: 0)
        var b = Buffer(width: 4, height: 1)
        b.write("日", x: 0, y: 0)
        let d = b.diff(from: a)
        #expect(d.count == 2)
        #expect(d[0].cell.symbol == "日" && d[1].cell.isContinuation)
    }

    @Test func unicodeBorders() {
        var b = Buffer(width: 6, height: 3)
        b.drawBorder(b.area, borders: .unicode)
        #expect(b.lines() == ["┌────┐", "│    │", "└────┘"])
        b.drawSeparator(b.area, y: 1, borders: .unicode)
        #expect(b.lines()[1] == "├────┤")
    }

    @Test func asciiBorders() {
        var b = Buffer(width: 5, height: 3)
        b.drawBorder(b.area, borders: .ascii)
        #expect(b.lines() == ["+---+", "|   |", "+---+"])
    }

    @Test func bordersAtTinySizes() {
        for (w, h) in [(0, 0), (1, 1), (1, 3), (3, 1), (2, 2)] {
            var b = Buffer(width: w, height: h)
            b.drawBorder(b.area, borders: .unicode)
            b.drawBorder(Rect(x: -3, y: -3, width: 100, height: 100), borders: .ascii)
        }
        var b = Buffer(width: 2, height: 2)
        b.drawBorder(b.area, borders: .unicode)
        #expect(b.lines() == ["┌┐", "└┘"])
    }

    @Test func blockTitle() {
        var b = Buffer(width: 14, height: 3)
        Block(title: "Database").render(b.area, into: &b, theme: .monochrome())
        #expect(b.lines()[0] == "┌ Database ──┐")
        Block(title: "A very long title").render(b.area, into: &b, theme: .monochrome(symbols: .ascii))
        #expect(b.lines()[0] == "+ A very... -+")
    }

    @Test func fillAndStyles() {
        var b = Buffer(width: 3, height: 1)
        b.fill(b.area, symbol: "x", style: Style(foreground: .green))
        #expect(b.lines() == ["xxx"])
        b.patchStyle(b.area, Style(attributes: .bold))
        #expect(b[1, 0].style == Style(foreground: .green, attributes: .bold))
        b.fill(b.area, symbol: "日")   // wide fill symbols become spaces
        #expect(b.lines() == [""])
    }

    /// Filling a rectangle that cuts wide characters leaves the buffer as writing a space in
    /// each of its cells does (the other half of a cut wide character becomes a space).
    @Test func fillCutsWideCharactersAsCellWritesDo() {
        let rows = ["日本語ok字", "a日b本c語d", "x字字字字y"]
        for x in 0..<8 {
            for w in 1...(9 - x) {
                var filled = Buffer(width: 9, height: 3), written = filled
                for (y, row) in rows.enumerated() { filled.write(row, x: 0, y: y); written.write(row, x: 0, y: y) }
                let rect = Rect(x: x, y: 0, width: w, height: 3)
                filled.fill(rect, style: Style(foreground: .red))
                for y in 0..<3 { for cx in x..<(x + w) { written.write(" ", x: cx, y: y, style: Style(foreground: .red)) } }
                #expect(filled == written, "fill at \(x), width \(w)")
            }
        }
    }

    @Test func positionOfText() {
        var b = Buffer(width: 10, height: 2)
        b.write("日本 ok", x: 1, y: 1)
        #expect(b.position(of: "ok") == Position(x: 6, y: 1))
        #expect(b.position(of: "missing") == nil)
    }

    @Test func outOfRangeAccessIsSafe() {
        var b = Buffer(width: 2, height: 2)
        #expect(b[5, 5] == .blank)
        b[5, 5] = Cell("x")
        b[-1, 0] = Cell("x")
        #expect(b.lines() == ["", ""])
        var empty = Buffer(width: 0, height: 0)
        empty.write("x", x: 0, y: 0)
        empty.fill(Rect(x: 0, y: 0, width: 5, height: 5))
        #expect(empty.lines() == [])
    }
}
