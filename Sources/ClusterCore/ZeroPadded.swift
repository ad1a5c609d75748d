extension BinaryInteger {
    /// The number's digits in `radix`, with leading zeros up to `width` (`7.zeroPadded(3)` is `007`):
    /// times, escapes and markers.
    public func zeroPadded(_ width: Int, radix: Int = 10, uppercase: Bool = false) -> String {
        let digits = String(self, radix: radix, uppercase: uppercase)
        return digits.count < width ? String(repeating: "0", count: width - digits.count) + digits : digits
    }
}
