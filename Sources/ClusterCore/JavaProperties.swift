/// Escaping for java.util.Properties files, so any value reads back exactly.
public enum JavaProperties {
    /// A value after `key=`: leading spaces, `\ : = # !`, controls and non-ASCII are escaped.
    public static func escapeValue(_ value: String) -> String { escape(value, isKey: false) }
    public static func escapeKey(_ key: String) -> String { escape(key, isKey: true) }

    public static func line(_ key: String, _ value: String) -> String { escapeKey(key) + "=" + escapeValue(value) }

    private static func escape(_ text: String, isKey: Bool) -> String {
        var out = ""
        for (index, scalar) in text.unicodeScalars.enumerated() {
            switch scalar {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{0C}": out += "\\f"
            case "=", ":", "#", "!": out += "\\" + String(scalar)
            case " " where isKey || index == 0: out += "\\ "
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    // \uXXXX, as UTF-16 code units (a surrogate pair above U+FFFF).
                    for unit in String(scalar).utf16 {
                        out += "\\u" + unit.zeroPadded(4, radix: 16, uppercase: true)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
