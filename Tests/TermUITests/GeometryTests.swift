import Testing
@testable import TermUI

@Suite struct GeometryTests {
    @Test func rectNeverNegative() {
        let r = Rect(x: 3, y: 4, width: -5, height: -1)
        #expect(r.width == 0 && r.height == 0 && r.isEmpty)
        #expect(Rect(x: 0, y: 0, width: 4, height: 4).inset(10) == Rect(x: 4, y: 4, width: 0, height: 0))
    }

    @Test func insetAndMargins() {
        let r = Rect(x: 0, y: 0, width: 80, height: 24)
        #expect(r.inset(1) == Rect(x: 1, y: 1, width: 78, height: 22))
        #expect(r.inset(horizontal: 2) == Rect(x: 2, y: 0, width: 76, height: 24))
        #expect(r.inset(top: 1, bottom: 2) == Rect(x: 0, y: 1, width: 80, height: 21))
    }

    @Test func rowsFixedPercentFill() {
        let r = Rect(x: 0, y: 0, width: 80, height: 24)
        let parts = r.rows(.fixed(1), .fill, .fixed(1))
        #expect(parts.map(\.height) == [1, 22, 1])
        #expect(parts.map(\.y) == [0, 1, 23])
        let p = r.columns(.percent(25), .fill)
        #expect(p.map(\.width) == [20, 60])
        #expect(p[1].x == 20)
    }

    @Test func fillWeightsShareTheRest() {
        let r = Rect(x: 10, y: 0, width: 31, height: 1)
        let parts = r.columns(.fill(1), .fill(2))
        #expect(parts.map(\.width) == [10, 21])
        #expect(parts[1].x == 20)
    }

    @Test func overflowIsClamped() {
        let r = Rect(x: 0, y: 0, width: 10, height: 3)
        let parts = r.rows(.fixed(2), .fixed(5), .fill)
        #expect(parts.map(\.height) == [2, 1, 0])
        #expect(parts.reduce(0) { $0 + $1.height } <= 3)
        #expect(Rect.zero.rows(.fixed(3), .fill).map(\.height) == [0, 0])
    }

    @Test func spacing() {
        let r = Rect(x: 0, y: 0, width: 20, height: 1)
        let parts = r.columns(.fill, .fill, spacing: 2)
        #expect(parts.map(\.width) == [9, 9])
        #expect(parts[1].x == 11)
    }

    @Test func centeredIsClamped() {
        let r = Rect(x: 0, y: 0, width: 10, height: 5)
        #expect(r.centered(width: 4, height: 1) == Rect(x: 3, y: 2, width: 4, height: 1))
        #expect(r.centered(width: 40, height: 40) == r)
    }

    @Test func intersection() {
        let a = Rect(x: 0, y: 0, width: 10, height: 10)
        #expect(a.intersection(Rect(x: 5, y: 5, width: 10, height: 10)) == Rect(x: 5, y: 5, width: 5, height: 5))
        #expect(a.intersection(Rect(x: 20, y: 20, width: 1, height: 1)).isEmpty)
    }
}
