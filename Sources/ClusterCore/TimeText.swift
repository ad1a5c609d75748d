import Foundation

/// Durations and times as the operator reads them; the engine reports numbers, the views and the
/// engine's own log lines format them here.
public enum TimeText {
    /// `0.4s`, `12.0s`, `3m05s`, `1h02m`.
    public static func seconds(_ d: Duration) -> String {
        let s = max(0, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        if s < 60 { return String(format: "%.1fs", s) }
        let whole = Int(s.rounded())
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, (whole % 3600) / 60)
    }

    /// Local time, `2025-01-02 03:04:05`.
    public static func local(_ date: Date) -> String {
        let c = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0,
                      c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
