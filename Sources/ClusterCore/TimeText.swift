import Foundation

/// Durations and times as the operator reads them; the engine reports numbers, the views and the
/// engine's own log lines format them here.
public enum TimeText {
    /// `0.4s`, `12.0s`, `3m05s`, `1h02m`.
    /// Written without `String(format:)`: the engine writes one of these for every step it ends.
    public static func seconds(_ d: Duration) -> String {
        let (whole, atto) = d.components
        guard whole >= 0, atto >= 0 else { return "0.0s" }
        if whole < 60 {
            // Tenths, rounded to nearest (an exact half to even, as printf's %.1f does).
            let tenth: Int64 = 100_000_000_000_000_000, rest = atto % tenth
            var tenths = whole * 10 + atto / tenth
            if rest > tenth / 2 || (rest == tenth / 2 && tenths % 2 == 1) { tenths += 1 }
            return "\(tenths / 10).\(tenths % 10)s"
        }
        let s = Int(whole) + (atto >= 500_000_000_000_000_000 ? 1 : 0)
        if s < 3600 { return "\(s / 60)m" + (s % 60).zeroPadded(2) + "s" }
        return "\(s / 3600)h" + ((s % 3600) / 60).zeroPadded(2) + "m"
    }

    /// Local time, `2025-01-02 03:04:05`.
    public static func local(_ date: Date) -> String {
        let c = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0,
                      c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
