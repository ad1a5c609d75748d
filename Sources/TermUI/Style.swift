// Colours, attributes, semantic roles and themes.

/// The small palette every terminal understands. `.default` is the terminal's own colour.
public enum Color: Int, CaseIterable, Hashable, Sendable {
    case `default` = -1
    case black = 0, red, green, yellow, blue, magenta, cyan, white
}

/// Text attributes. These are the only thing a monochrome theme uses.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let reverse = Attributes(rawValue: 1 << 2)
    public static let underline = Attributes(rawValue: 1 << 3)
}

/// How a cell looks: foreground, background and attributes.
public struct Style: Hashable, Sendable, CustomStringConvertible {
    public var foreground: Color
    public var background: Color
    public var attributes: Attributes

    public init(foreground: Color = .default, background: Color = .default, attributes: Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's default look.
    public static let plain = Style()

    public static func fg(_ c: Color) -> Style { Style(foreground: c) }
    public func bold() -> Style { adding(.bold) }
    public func dim() -> Style { adding(.dim) }
    public func reversed() -> Style { adding(.reverse) }
    public func underlined() -> Style { adding(.underline) }
    public func adding(_ a: Attributes) -> Style { var s = self; s.attributes.formUnion(a); return s }

    /// Lays `other` on top of this style: its non-default colours win, attributes are combined.
    public func patched(with other: Style) -> Style {
        Style(foreground: other.foreground == .default ? foreground : other.foreground,
              background: other.background == .default ? background : other.background,
              attributes: attributes.union(other.attributes))
    }

    public var description: String {
        var parts: [String] = []
        if foreground != .default { parts.append("fg:\(foreground)") }
        if background != .default { parts.append("bg:\(background)") }
        if attributes.contains(.bold) { parts.append("bold") }
        if attributes.contains(.dim) { parts.append("dim") }
        if attributes.contains(.reverse) { parts.append("reverse") }
        if attributes.contains(.underline) { parts.append("underline") }
        return parts.isEmpty ? "plain" : parts.joined(separator: ",")
    }
}

/// What a piece of the screen means; a ``Theme`` decides how it looks.
public enum Role: CaseIterable, Hashable, Sendable {
    case normal, title, focused, label, error, ok, warning, muted, selection, border, keyLegend, progressFill
    /// The editable part of a text or password field.
    case input
}

/// Box-drawing characters.
public struct BorderSet: Hashable, Sendable {
    public var horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight, teeLeft, teeRight: String

    public init(horizontal: String, vertical: String, topLeft: String, topRight: String,
                bottomLeft: String, bottomRight: String, teeLeft: String, teeRight: String) {
        self.horizontal = horizontal; self.vertical = vertical
        self.topLeft = topLeft; self.topRight = topRight
        self.bottomLeft = bottomLeft; self.bottomRight = bottomRight
        self.teeLeft = teeLeft; self.teeRight = teeRight
    }

    /// `─│┌┐└┘├┤`
    public static let unicode = BorderSet(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐",
                                          bottomLeft: "└", bottomRight: "┘", teeLeft: "├", teeRight: "┤")
    /// `-|+`
    public static let ascii = BorderSet(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+",
                                        bottomLeft: "+", bottomRight: "+", teeLeft: "+", teeRight: "+")
}

/// Every non-letter glyph the widgets draw, in a Unicode and an ASCII variant.
public struct Symbols: Hashable, Sendable {
    public var border: BorderSet
    /// Marks truncated text.
    public var ellipsis: String
    /// Drawn once per character of a hidden password.
    public var passwordMask: Character
    public var radioOn, radioOff: String
    public var checkOn, checkOff, checkAttention: String
    public var pending, running, done, skipped, failed: String
    /// Frames for a running step; ``StatusList`` picks one with its `spinnerFrame`.
    public var spinner: [String]
    public var progressFilled, progressEmpty: String
    public var scrollTrack, scrollThumb: String
    public var moreAbove, moreBelow: String
    /// Drawn left of the focused row of a ``Form`` or ``ListEditor``.
    public var focusMarker: String
    public var isASCII: Bool

    public static let unicode = Symbols(
        border: .unicode, ellipsis: "…", passwordMask: "•", radioOn: "(•)", radioOff: "( )",
        checkOn: "[x]", checkOff: "[ ]", checkAttention: "[!]",
        pending: "·", running: ">", done: "✓", skipped: "=", failed: "✗",
        spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"],
        progressFilled: "█", progressEmpty: "░", scrollTrack: "│", scrollThumb: "█",
        moreAbove: "▲", moreBelow: "▼", focusMarker: ">", isASCII: false)

    public static let ascii = Symbols(
        border: .ascii, ellipsis: "...", passwordMask: "*", radioOn: "(*)", radioOff: "( )",
        checkOn: "[x]", checkOff: "[ ]", checkAttention: "[!]",
        pending: ".", running: ">", done: "+", skipped: "=", failed: "X",
        spinner: ["|", "/", "-", "\\"],
        progressFilled: "#", progressEmpty: "-", scrollTrack: "|", scrollThumb: "#",
        moreAbove: "^", moreBelow: "v", focusMarker: ">", isASCII: true)
}

/// Maps every ``Role`` to a ``Style`` and carries the ``Symbols`` to draw with.
///
/// Build one with ``Theme/make(for:)`` from the backend's ``Capabilities``; widgets only ask `theme[.role]`.
public struct Theme: Hashable, Sendable {
    public var styles: [Role: Style]
    public var symbols: Symbols

    public init(styles: [Role: Style], symbols: Symbols = .unicode) {
        self.styles = styles
        self.symbols = symbols
    }

    public subscript(role: Role) -> Style {
        get { styles[role] ?? .plain }
        set { styles[role] = newValue }
    }

    /// A theme with colours.
    public static func colored(symbols: Symbols = .unicode) -> Theme {
        Theme(styles: [
            .normal: .plain,
            .title: Style(foreground: .cyan, attributes: .bold),
            .focused: Style(foreground: .black, background: .cyan, attributes: .bold),
            .label: .plain,
            .error: Style(foreground: .red, attributes: .bold),
            .ok: Style(foreground: .green),
            .warning: Style(foreground: .yellow, attributes: .bold),
            .muted: Style(attributes: .dim),
            .selection: Style(foreground: .black, background: .yellow),
            .border: Style(foreground: .blue),
            .keyLegend: Style(foreground: .cyan, attributes: .bold),
            .progressFill: Style(foreground: .green),
            .input: Style(attributes: .underline),
        ], symbols: symbols)
    }

    /// A theme using attributes only (reverse, bold, underline, dim), for `NO_COLOR` or colourless terminals.
    public static func monochrome(symbols: Symbols = .unicode) -> Theme {
        Theme(styles: [
            .normal: .plain,
            .title: Style(attributes: .bold),
            .focused: Style(attributes: .reverse),
            .label: .plain,
            .error: Style(attributes: [.bold, .underline]),
            .ok: .plain,
            .warning: Style(attributes: .bold),
            .muted: Style(attributes: .dim),
            .selection: Style(attributes: .reverse),
            .border: .plain,
            .keyLegend: Style(attributes: .bold),
            .progressFill: Style(attributes: .reverse),
            .input: Style(attributes: .underline),
        ], symbols: symbols)
    }

    /// The theme that suits a terminal: colours or not, Unicode glyphs or ASCII.
    public static func make(for capabilities: Capabilities) -> Theme {
        let symbols: Symbols = capabilities.unicode ? .unicode : .ascii
        return capabilities.colors ? .colored(symbols: symbols) : .monochrome(symbols: symbols)
    }
}

/// What a terminal can show.
public struct Capabilities: Hashable, Sendable {
    /// Colours may be used (the terminal has them and `NO_COLOR` is not set).
    public var colors: Bool
    /// Unicode box drawing and symbols may be used; otherwise ASCII fallbacks.
    public var unicode: Bool

    public init(colors: Bool, unicode: Bool) {
        self.colors = colors
        self.unicode = unicode
    }

    /// Terminals whose fonts lack box drawing or which are too old for UTF-8.
    public static let asciiTerminals: Set<String> = ["linux", "vt100", "vt220", "dumb"]

    /// Decides capabilities from the environment.
    ///
    /// - Parameters:
    ///   - environment: usually the process environment (`TERM`, `NO_COLOR`, `LC_ALL`, `LC_CTYPE`, `LANG`).
    ///   - terminalHasColors: what the terminal database says.
    ///   - localeIsUTF8: pass the result of `nl_langinfo(CODESET)` when known; otherwise it is guessed from the locale variables.
    public static func detect(environment: [String: String], terminalHasColors: Bool,
                              localeIsUTF8: Bool? = nil) -> Capabilities {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let term = (environment["TERM"] ?? "").lowercased()
        let utf8 = localeIsUTF8 ?? Capabilities.localeLooksUTF8(environment)
        let asciiTerm = term.isEmpty || asciiTerminals.contains(term)
        return Capabilities(colors: terminalHasColors && !noColor && term != "dumb",
                            unicode: utf8 && !asciiTerm)
    }

    /// `true` when the effective locale variable (`LC_ALL`, then `LC_CTYPE`, then `LANG`) names UTF-8.
    public static func localeLooksUTF8(_ environment: [String: String]) -> Bool {
        for key in ["LC_ALL", "LC_CTYPE", "LANG"] {
            if let v = environment[key], !v.isEmpty {
                let l = v.lowercased()
                return l.contains("utf-8") || l.contains("utf8")
            }
        }
        return false
    }
}
