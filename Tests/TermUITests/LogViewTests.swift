import Testing
@testable import TermUI

private let mono = Theme.monochrome(symbols: .ascii)

/// A huge synthetic source that records which lines were read.
private final class CountingSource: LineSource {
    let count: Int
    var reads: [Int] = []
    init(count: Int) { self.count = count }
    var lineIndices: Range<Int> { 0..<count }
    func line(at index: Int) -> String {
        reads.append(index)
        return index % 100_000 == 99_999 ? "line \(index) NEEDLE here" : "line \(index)"
    }
}

@Suite struct RingBufferTests {
    @Test func keepsOnlyTheLastCapacityElements() {
        var r = RingBuffer<Int>(capacity: 3)
        #expect(r.isEmpty)
        r.append(contentsOf: 1...5)
        #expect(r.count == 3 && r.isFull)
        #expect(Array(r) == [3, 4, 5])
        #expect(r[0] == 3 && r[2] == 5)
        #expect(r.totalAppended == 5)
        #expect(r.stableIndices == 2..<5)
        #expect(r.element(atStable: 1) == nil)
        #expect(r.element(atStable: 4) == 5)
        r[1] = 40
        #expect(r.elements == [3, 40, 5])
    }

    @Test func wrapsManyTimesWithBoundedStorage() {
        var r = RingBuffer<String>(capacity: 1000)
        for i in 0..<25_000 { r.append("l\(i)") }
        #expect(r.count == 1000)
        #expect(r.first == "l24000" && r.last == "l24999")
        #expect(r.lineIndices == 24_000..<25_000)
        #expect(r.line(at: 24_500) == "l24500")
        #expect(r.line(at: 3) == "")
    }

    @Test func removeAllKeepsCounting() {
        var r = RingBuffer<Int>(capacity: 2, [1, 2, 3])
        r.removeAll()
        #expect(r.isEmpty && r.totalAppended == 3 && r.stableIndices == 3..<3)
        r.append(9)
        #expect(r.stableIndices == 3..<4)
        #expect(RingBuffer<Int>(capacity: 0).capacity == 1)
    }

    @Test func equality() {
        #expect(RingBuffer(capacity: 2, [1, 2, 3]) == RingBuffer(capacity: 2, [1, 2, 3]))
        #expect(RingBuffer(capacity: 2, [1, 2, 3]) != RingBuffer(capacity: 2, [2, 3]))
    }
}

@Suite struct LogViewTests {
    let lines = (1...100).map { "line \($0)" }

    func render(_ v: LogView, _ source: some LineSource, width: Int = 30, height: Int = 6) -> Buffer {
        var b = Buffer(width: width, height: height)
        v.render(b.area, into: &b, source: source, theme: mono)
        return b
    }

    @Test func followShowsTheBottom() {
        let v = LogView()
        let b = render(v, lines)
        #expect(b.lines() == ["line 96                      |", "line 97                      |",
                              "line 98                      |", "line 99                      |",
                              "line 100                     #", "             96-100/100 FOLLOW"]
                    .map { $0.replacingTrailing() })
    }

    @Test func followsNewLinesInARingBuffer() {
        var ring = RingBuffer<String>(capacity: 50)
        let v = LogView(showsScrollbar: false, showsStatusLine: false)
        for i in 1...10 { ring.append("l\(i)") }
        #expect(render(v, ring, height: 3).lines() == ["l8", "l9", "l10"])
        for i in 11...200 { ring.append("l\(i)") }
        #expect(render(v, ring, height: 3).lines() == ["l198", "l199", "l200"])
    }

    @Test func scrollingTurnsFollowOffAndEndTurnsItOn() {
        var v = LogView(showsScrollbar: false)
        let h = 6   // 5 text rows + status
        var used = v.handle(.up, source: lines, viewHeight: h)
        #expect(used && !v.follow)
        #expect(render(v, lines).lines().first == "line 95")
        used = v.handle(.pageUp, source: lines, viewHeight: h)
        #expect(render(v, lines).lines().first == "line 91")
        used = v.handle(.home, source: lines, viewHeight: h)
        #expect(render(v, lines).lines().first == "line 1")
        #expect(render(v, lines).lines().last == "                    1-5/100 0%")
        used = v.handle(.pageDown, source: lines, viewHeight: h)
        #expect(render(v, lines).lines().first == "line 5")
        used = v.handle(.down, source: lines, viewHeight: h)
        #expect(render(v, lines).lines().first == "line 6")
        used = v.handle(.end, source: lines, viewHeight: h)
        #expect(v.follow)
        // Scrolling down to the bottom by hand sticks to it again.
        used = v.handle(.up, source: lines, viewHeight: h)
        #expect(!v.follow)
        used = v.handle(.down, source: lines, viewHeight: h)
        #expect(v.follow)
        #expect(used)
    }

    @Test func stableIndicesKeepTheViewStillWhileOldLinesDrop() {
        var ring = RingBuffer<String>(capacity: 100)
        for i in 0..<100 { ring.append("l\(i)") }
        var v = LogView(showsScrollbar: false, showsStatusLine: false)
        _ = v.handle(.pageUp, source: ring, viewHeight: 3)
        let before = render(v, ring, height: 3).lines()
        for i in 100..<110 { ring.append("l\(i)") }
        #expect(render(v, ring, height: 3).lines() == before)
        for i in 110..<400 { ring.append("l\(i)") }
        // The lines it showed are gone: it shows the oldest ones kept.
        #expect(render(v, ring, height: 3).lines().first == "l300")
    }

    @Test func searchFindsAndHighlights() {
        var src = lines
        src[41] = "ERROR: disk full"
        src[81] = "another error here"
        var v = LogView(showsScrollbar: false)
        _ = v.handle(.home, source: src, viewHeight: 6)
        for k: Key in [.char("/"), .char("e"), .char("r"), .char("r"), .char("o"), .char("r")] {
            _ = v.handle(k, source: src, viewHeight: 6)
        }
        #expect(v.search?.isEditing == true)
        var b = render(v, src)
        #expect(b.lines().last == "/error              1-5/100 0%")
        #expect(b.cursor == Position(x: 6, y: 5))
        _ = v.handle(.enter, source: src, viewHeight: 6)
        #expect(v.search?.matchLine == 41)
        #expect(!v.follow)
        b = render(v, src)
        #expect(b.lines().contains("ERROR: disk full"))
        let p = b.position(of: "ERROR")!
        #expect(b[p.x, p.y].style == mono[.selection])     // smart case: lower-case query matches ERROR
        #expect(b[p.x + 5, p.y].style == mono[.normal])
        _ = v.handle(.char("n"), source: src, viewHeight: 6)
        #expect(v.search?.matchLine == 81)
        _ = v.handle(.char("n"), source: src, viewHeight: 6)
        #expect(v.search?.matchLine == 41)                   // wraps around
        _ = v.handle(.char("N"), source: src, viewHeight: 6)
        #expect(v.search?.matchLine == 81)
        let cleared = v.handle(.escape, source: src, viewHeight: 6)
        #expect(cleared && v.search == nil)
        let again = v.handle(.escape, source: src, viewHeight: 6)
        #expect(!again)
    }

    @Test func searchNotFoundAndCancel() {
        var v = LogView()
        for k: Key in [.char("/"), .char("Z"), .enter] { _ = v.handle(k, source: lines, viewHeight: 6) }
        #expect(v.search?.notFound == true)
        #expect(render(v, lines).lines().last?.hasPrefix("Not found: Z") == true)
        for k: Key in [.char("/"), .char("x"), .escape] { _ = v.handle(k, source: lines, viewHeight: 6) }
        #expect(v.search == nil)
        for k: Key in [.char("/"), .backspace] { _ = v.handle(k, source: lines, viewHeight: 6) }
        #expect(v.search == nil)
        // Upper case in the query makes the search case-sensitive.
        #expect(TextMatcher("Line").matches("line 1") == false)
        #expect(TextMatcher("line").matches("LINE 1") == true)
        #expect(TextMatcher("é").ranges(in: "café é") == [3..<5, 6..<8])
    }

    @Test func renderingAHugeSourceTouchesOnlyVisibleLines() {
        let src = CountingSource(count: 1_000_000)
        var v = LogView()
        var b = Buffer(width: 80, height: 42)
        v.render(b.area, into: &b, source: src, theme: mono)
        #expect(src.reads.count == 41)                       // 41 text rows + status line
        #expect(b.lines()[40].hasPrefix("line 999999"))
        src.reads.removeAll()
        _ = v.handle(.home, source: src, viewHeight: 42)
        _ = v.handle(.pageDown, source: src, viewHeight: 42)
        v.render(b.area, into: &b, source: src, theme: mono)
        #expect(src.reads.count == 41)
        #expect(src.reads.min() == 40)
    }

    @Test func searchingAHugeSourceReadsLineByLine() {
        let src = CountingSource(count: 1_000_000)
        var v = LogView()
        _ = v.handle(.home, source: src, viewHeight: 42)
        for k: Key in [.char("/")] + "needle".map(Key.char) + [.enter] {
            _ = v.handle(k, source: src, viewHeight: 42)
        }
        #expect(v.search?.matchLine == 99_999)
        #expect(src.reads.count == 100_000)                  // stopped at the first match
        _ = v.handle(.char("n"), source: src, viewHeight: 42)
        #expect(v.search?.matchLine == 199_999)
    }

    @Test func horizontalScrollAndLongLines() {
        let src = ["0123456789abcdefghij"]
        var v = LogView(showsScrollbar: false, showsStatusLine: false)
        #expect(render(v, src, width: 10, height: 1).lines() == ["0123456..."])
        _ = v.handle(.right, source: src, viewHeight: 1)
        #expect(render(v, src, width: 10, height: 1).lines() == ["89abcde..."])
        _ = v.handle(.left, source: src, viewHeight: 1)
        _ = v.handle(.left, source: src, viewHeight: 1)
        #expect(v.horizontalOffset == 0)
    }

    @Test func boundViewIsAWidget() {
        let widget: any Widget = LogView(showsScrollbar: false, showsStatusLine: false).bound(to: lines)
        var b = Buffer(width: 10, height: 2)
        widget.render(b.area, into: &b, theme: mono)
        #expect(b.lines() == ["line 99", "line 100"])
    }

    @Test func titleAndEmptySource() {
        let v = LogView(title: "Install log")
        let b = render(v, [String](), height: 4)
        #expect(b.lines() == ["Install log", "", "", "                  empty FOLLOW"])
        let t = LogView.textView(title: "Help")
        #expect(!t.follow)
        #expect(render(t, lines, height: 3).lines()[1].hasPrefix("line 1 "))
    }
}

private extension String {
    func replacingTrailing() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
