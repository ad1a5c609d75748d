// A fixed-capacity ring buffer.

/// Keeps the last `capacity` elements appended; older ones are dropped. Append and index access are O(1),
/// memory never exceeds `capacity` elements.
///
/// Index `0` is the oldest element still kept. Each element also has a *stable index* (its position among all
/// elements ever appended) that does not shift when old elements are dropped: see ``stableIndices``.
///
/// Inlinable, so that a module using it for its own element type gets code made for that type (a log
/// pane appends a line per output line; through the generic entry points each append cost several
/// hundred instructions).
public struct RingBuffer<Element>: RandomAccessCollection {
    public let capacity: Int
    @usableFromInline var storage: ContiguousArray<Element> = []
    @usableFromInline var head = 0
    @usableFromInline var appended = 0
    /// How many elements were ever appended.
    @inlinable public var totalAppended: Int { appended }

    /// - Parameter capacity: at least 1.
    @inlinable
    public init(capacity: Int) {
        self.capacity = Swift.max(1, capacity)
    }

    @inlinable
    public init<S: Sequence>(capacity: Int, _ elements: S) where S.Element == Element {
        self.init(capacity: capacity)
        append(contentsOf: elements)
    }

    @inlinable
    public var startIndex: Int { 0 }
    @inlinable
    public var endIndex: Int { storage.count }
    @inlinable
    public var count: Int { storage.count }
    @inlinable
    public var isFull: Bool { storage.count == capacity }

    /// The element `i` places after the oldest kept one.
    @inlinable
    public subscript(i: Int) -> Element {
        get {
            precondition(i >= 0 && i < storage.count, "RingBuffer index \(i) out of range 0..<\(storage.count)")
            let j = head + i
            return storage[j < capacity ? j : j - capacity]
        }
        set {
            precondition(i >= 0 && i < storage.count, "RingBuffer index \(i) out of range 0..<\(storage.count)")
            let j = head + i
            storage[j < capacity ? j : j - capacity] = newValue
        }
    }

    /// Adds an element, dropping the oldest when full.
    @inlinable
    public mutating func append(_ element: Element) {
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[head] = element
            head += 1
            if head == capacity { head = 0 }
        }
        appended += 1
    }

    @inlinable
    public mutating func append<S: Sequence>(contentsOf elements: S) where S.Element == Element {
        for e in elements { append(e) }
    }

    /// Drops everything (stable indices keep counting up).
    @inlinable
    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        head = 0
    }

    /// Stable indices of the kept elements: `totalAppended - count ..< totalAppended`.
    @inlinable
    public var stableIndices: Range<Int> { (totalAppended - storage.count)..<totalAppended }

    /// The element with a stable index, or `nil` when it was dropped or not appended yet.
    @inlinable
    public func element(atStable index: Int) -> Element? {
        let r = stableIndices
        guard r.contains(index) else { return nil }
        return self[index - r.lowerBound]
    }

    /// The kept elements, oldest first.
    public var elements: [Element] { Array(self) }
}

extension RingBuffer: Equatable where Element: Equatable {
    public static func == (a: RingBuffer, b: RingBuffer) -> Bool {
        a.capacity == b.capacity && a.totalAppended == b.totalAppended && a.elementsEqual(b)
    }
}

extension RingBuffer: Sendable where Element: Sendable {}

/// Lines a ``LogView`` shows, addressed by stable indices.
///
/// The view asks only for the lines it draws, so a source can hold millions of lines.
public protocol LineSource {
    /// The indices of the lines available now. The lower bound grows when a bounded source drops old lines;
    /// an index always names the same line.
    var lineIndices: Range<Int> { get }
    /// The line at a stable index inside ``lineIndices``.
    func line(at index: Int) -> String
}

extension Array: LineSource where Element == String {
    public var lineIndices: Range<Int> { 0..<count }
    public func line(at index: Int) -> String { self[index] }
}

extension RingBuffer: LineSource where Element == String {
    public var lineIndices: Range<Int> { stableIndices }
    public func line(at index: Int) -> String { element(atStable: index) ?? "" }
}
