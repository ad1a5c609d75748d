/// The small languages an Ansible project is written in, as the export needs them: YAML scalars,
/// the Jinja that encodes a secret on the controller, and a step's script with its secrets as
/// shell variables set by the playbook.
enum AnsibleText {
    /// A YAML double-quoted scalar holding exactly `text`.
    static func yaml(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
                    || scalar.value == 0xFEFF || scalar.value == 0x85 {
                    out += "\\u" + scalar.value.zeroPadded(4, radix: 16, uppercase: true)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A secret's variable in the playbook: `db-password` is `db_password` (Jinja names take no dash).
    static func variable(_ name: SecretName) -> String {
        var v = String(name.rawValue.unicodeScalars.map { s -> Character in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_") ? Character(s) : "_"
        })
        if v.first.map({ $0.isNumber }) ?? true { v = "s_" + v }
        return v
    }

    static func suffix(_ encoding: SecretEncoding) -> String {
        switch encoding {
        case .plain: "plain"
        case .javaProperties: "properties"
        case .sqlString: "sql"
        case .optionFile: "option"
        }
    }

    /// The derived variable (and the shell variable in a script) holding the secret as it lands.
    static func encoded(_ name: SecretName, _ encoding: SecretEncoding) -> String {
        "jc_secret_" + variable(name) + "_" + suffix(encoding)
    }

    /// Jinja that computes `SecretEncoding.encode` of the variable `v` on the controller. No
    /// backslash inside a Jinja string: ansible-core 2.19 keeps them as typed where older versions
    /// read them as escapes, so a backslash or a quote is made with `'%c' | format(code)`, and a
    /// character is told by its UTF-16 code in hex.
    static func jinja(_ encoding: SecretEncoding, of v: String) -> String {
        let bs = "('%c' | format(92))", dq = "('%c' | format(34))"
        switch encoding {
        case .plain: return "{{ \(v) | string }}"
        case .sqlString: return "{{ \(v) | string | replace(\(bs), \(bs) ~ \(bs)) | replace(\"'\", \"''\") }}"
        case .optionFile: return "{{ \(dq) ~ (\(v) | string | replace(\(bs), \(bs) ~ \(bs)) | replace(\(dq), \(bs) ~ \(dq))) ~ \(dq) }}"
        case .javaProperties:
            // One character at a time, as JavaProperties.escapeValue; outside tags a backslash is text.
            return "{% for c in " + v + " | string %}{% set u = c.encode('utf-16-be').hex() | upper %}"
                + #"{% if u == '005C' %}\\{% elif u == '0009' %}\t{% elif u == '000A' %}\n{% elif u == '000D' %}\r{% elif u == '000C' %}\f"#
                + #"{% elif c in '=:#!' %}\{{ c }}{% elif u == '0020' and loop.first %}\ {% elif u | length == 4 and '0020' <= u <= '007E' %}{{ c }}"#
                + #"{% else %}{% for p in u | batch(4) %}\u{{ p | join }}{% endfor %}{% endif %}{% endfor %}"#
        }
    }

    /// The script as shell text with each secret a quoted expansion of its variable
    /// (`'password='"$jc_secret_db_password_option"'\n'`), which is the same word `Script` makes.
    static func shell(_ script: Script) -> String {
        var out = ""
        var word: [Piece] = []
        func flush() {
            guard !word.isEmpty else { return }
            var text = ""
            var run: String? = nil
            for piece in word {
                switch piece {
                case .text(let t): run = (run ?? "") + t
                case .secret(let name, let encoding):
                    if let r = run { text += Shell.quote(r); run = nil }
                    text += "\"$" + encoded(name, encoding) + "\""
                }
            }
            if let r = run { text += Shell.quote(r) }
            out += text
            word = []
        }
        for part in script.parts {
            switch part {
            case .code(let c): flush(); out += c
            case .value(let v): word.append(.text(v))
            case .secret(let n, let e): word.append(.secret(n, e))
            }
        }
        flush()
        return out
    }

    private enum Piece { case text(String), secret(SecretName, SecretEncoding) }

    /// Every (secret, encoding) a script names, in a stable order.
    static func secretUses(_ script: Script?) -> [SecretUse] {
        guard let script else { return [] }
        var seen: [SecretUse] = []
        for part in script.parts {
            if case .secret(let n, let e) = part, !seen.contains(SecretUse(name: n, encoding: e)) { seen.append(SecretUse(name: n, encoding: e)) }
        }
        return seen
    }

    struct SecretUse: Hashable, Comparable {
        var name: SecretName
        var encoding: SecretEncoding
        static func < (a: SecretUse, b: SecretUse) -> Bool {
            (a.name.rawValue, suffix(a.encoding)) < (b.name.rawValue, suffix(b.encoding))
        }
    }
}
