// Geometry: positions, sizes, rectangles and a small layout solver.

/// A column/row position on the screen, zero-based from the top-left corner.
public struct Position: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public init(x: Int, y: Int) { self.x = x; self.y = y }
    public var description: String { "(\(x),\(y))" }
}

/// A size in terminal cells. Negative values are clamped to zero.
public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
    }
    /// `true` when both dimensions are at least those of `minimum`.
    public func fits(_ minimum: Size) -> Bool { width >= minimum.width && height >= minimum.height }
    public var description: String { "\(width)x\(height)" }
}

/// A rectangle of cells. Width and height are never negative.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int { didSet { if width < 0 { width = 0 } } }
    public var height: Int { didSet { if height < 0 { height = 0 } } }

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// A rectangle at the origin with the given size.
    public init(size: Size) { self.init(x: 0, y: 0, width: size.width, height: size.height) }

    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    public var size: Size { Size(width: width, height: height) }
    public var isEmpty: Bool { width == 0 || height == 0 }
    /// One past the last column.
    public var right: Int { x + width }
    /// One past the last row.
    public var bottom: Int { y + height }
    public var area: Int { width * height }

    public var description: String { "Rect(\(x),\(y) \(width)x\(height))" }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < right && py >= y && py < bottom
    }
    public func contains(_ p: Position) -> Bool { contains(x: p.x, y: p.y) }

    /// The overlapping part of two rectangles (empty, positioned at the clamped origin, when they do not overlap).
    public func intersection(_ other: Rect) -> Rect {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(right, other.right), y1 = min(bottom, other.bottom)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// Shrinks the rectangle by `margin` cells on every side (never below zero size).
    public func inset(_ margin: Int) -> Rect { inset(top: margin, left: margin, bottom: margin, right: margin) }

    /// Shrinks the rectangle horizontally by `horizontal` and vertically by `vertical` cells on each side.
    public func inset(horizontal: Int = 0, vertical: Int = 0) -> Rect {
        inset(top: vertical, left: horizontal, bottom: vertical, right: horizontal)
    }

    /// Shrinks the rectangle by the given amounts. Over-large insets give an empty rectangle, never a negative one.
    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        let l = min(max(0, left), width), t = min(max(0, top), height)
        return Rect(x: x + l, y: y + t,
                    width: width - l - max(0, right),
                    height: height - t - max(0, bottom))
    }

    /// A rectangle of at most `width`×`height` centred inside this one (clamped to it).
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(max(0, w), width), ch = min(max(0, h), height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }

    /// The single row `index` (relative to the top), clipped to this rectangle.
    public func row(_ index: Int) -> Rect {
        guard index >= 0, index < height else { return Rect(x: x, y: y + max(0, min(index, height)), width: width, height: 0) }
        return Rect(x: x, y: y + index, width: width, height: 1)
    }

    /// Splits the rectangle into horizontal bands, top to bottom. See ``Constraint``.
    public func rows(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        let sizes = Constraint.solve(constraints, length: height, spacing: spacing)
        var result: [Rect] = []
        var cursor = y
        for (i, s) in sizes.enumerated() {
            result.append(Rect(x: x, y: cursor, width: width, height: s))
            cursor += s
            if i < sizes.count - 1 { cursor = min(cursor + max(0, spacing), bottom) }
        }
        return result
    }

    /// Variadic form of ``rows(_:spacing:)``.
    public func rows(_ constraints: Constraint..., spacing: Int = 0) -> [Rect] { rows(constraints, spacing: spacing) }

    /// Splits the rectangle into vertical bands, left to right. See ``Constraint``.
    public func columns(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        let sizes = Constraint.solve(constraints, length: width, spacing: spacing)
        var result: [Rect] = []
        var cursor = x
        for (i, s) in sizes.enumerated() {
            result.append(Rect(x: cursor, y: y, width: s, height: height))
            cursor += s
            if i < sizes.count - 1 { cursor = min(cursor + max(0, spacing), right) }
        }
        return result
    }

    /// Variadic form of ``columns(_:spacing:)``.
    public func columns(_ constraints: Constraint..., spacing: Int = 0) -> [Rect] { columns(constraints, spacing: spacing) }
}

/// How much room one band of a ``Rect/rows(_:spacing:)`` or ``Rect/columns(_:spacing:)`` split gets.
///
/// Fixed and percentage bands are sized first, in order, each clamped to what is left;
/// the remainder is shared among `fill` bands by weight. The bands never add up to more than the length.
public enum Constraint: Hashable, Sendable {
    /// Exactly `n` cells (less if there is not enough room).
    case fixed(Int)
    /// `p` percent of the whole length (rounded down).
    case percent(Int)
    /// A share of what remains, proportional to the weight.
    case fill(Int)
    /// Shorthand for `.fill(1)`.
    public static var fill: Constraint { .fill(1) }

    static func solve(_ constraints: [Constraint], length: Int, spacing: Int) -> [Int] {
        guard !constraints.isEmpty else { return [] }
        let total = max(0, length)
        let gaps = max(0, spacing) * (constraints.count - 1)
        var remaining = max(0, total - gaps)
        var sizes = Array(repeating: 0, count: constraints.count)
        var fillWeight = 0
        for (i, c) in constraints.enumerated() {
            switch c {
            case .fixed(let n):
                sizes[i] = min(max(0, n), remaining)
                remaining -= sizes[i]
            case .percent(let p):
                sizes[i] = min(total * min(max(0, p), 100) / 100, remaining)
                remaining -= sizes[i]
            case .fill(let w):
                fillWeight += max(0, w)
            }
        }
        if fillWeight > 0 {
            let pool = remaining
            var given = 0
            var lastFill = -1
            for (i, c) in constraints.enumerated() {
                if case .fill(let w) = c, w > 0 {
                    sizes[i] = pool * w / fillWeight
                    given += sizes[i]
                    lastFill = i
                }
            }
            if lastFill >= 0 { sizes[lastFill] += pool - given }
        }
        return sizes
    }
}
