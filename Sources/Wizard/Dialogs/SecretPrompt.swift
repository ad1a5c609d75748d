import ClusterCore
import TermUI

/// Asks, one at a time, for the passwords the answers name but this session has not been given
/// (they are never saved, so a restart or `--answers` leaves them out), before the install or the
/// checks start. Enter takes the typed value, F2 shows it, Esc goes back without starting.
public struct SecretPrompt: Sendable {
    public enum Outcome: Equatable, Sendable {
        case none
        case entered(SecretName, String)
        case cancelled
    }

    /// Still to ask; the first is on screen.
    public private(set) var pending: [SecretName]
    /// What opens once every one is given.
    public let then: HostedPage
    private let descriptions: [SecretName: String]
    /// New passwords (the database user's, before the first install): typed twice.
    let typedTwice: Set<SecretName>
    /// The first typing of a password asked twice, while the second is asked.
    var first: String?
    var field = PasswordField(label: "Password", width: 40, isFocused: true)
    var error: String?

    /// - Parameter installed: what earlier runs installed, to name the login of a host being retired.
    public init(missing: [SecretName], answers: Answers, installed: Answers? = nil, then: HostedPage) {
        pending = missing
        self.then = then
        var d: [SecretName: String] = [:]
        var known = answers
        for h in installed?.hosts ?? [] where answers.host(named: h.name) == nil { known.hosts.append(h) }
        for name in missing { d[name] = SecretPrompt.describe(name, known) }
        descriptions = d
        typedTwice = installed == nil && then == .run ? [answers.database.passwordSecret] : []
    }

    public var current: SecretName? { pending.first }

    /// What the password is for, in the operator's words.
    static func describe(_ name: SecretName, _ a: Answers) -> String {
        if name == a.database.passwordSecret {
            return "the password of the database user \(a.database.user) that Joget connects with"
        }
        if name == a.database.adminPasswordSecret {
            return "the password of the database admin \(a.database.adminUser) on \(a.database.host)"
        }
        for h in a.hosts {
            if name == h.sshPasswordSecret { return "the SSH password of \(h.user)@\(h.address) (\(h.name))" }
            if name == h.sudoPasswordSecret { return "the sudo password of \(h.user) on \(h.name)" }
        }
        return name.rawValue
    }

    public mutating func handle(_ key: Key) -> Outcome {
        guard let name = current else { return .cancelled }
        switch key {
        case .escape:
            return .cancelled
        case .enter:
            guard !field.value.isEmpty else {
                error = "\(name.rawValue): empty. Type the password, or Esc to go back."
                return .none
            }
            let value = field.value
            field.value = ""
            field.isRevealed = false
            if typedTwice.contains(name) {
                guard let first else {
                    self.first = value
                    field.label = "Again"
                    error = nil
                    return .none
                }
                self.first = nil
                field.label = "Password"
                guard first == value else {
                    error = "The two passwords differ: type it twice again."
                    return .none
                }
            }
            pending.removeFirst()
            error = nil
            return .entered(name, value)
        default:
            if field.handle(key) { error = nil }
            return .none
        }
    }

    var dialog: Dialog {
        let name = current?.rawValue ?? ""
        let what = current.flatMap { descriptions[$0] } ?? name
        let more = pending.count > 1 ? " (\(pending.count - 1) more after this one)" : ""
        var message = (then == .run ? "The install needs " : then == .backup ? "The backup needs " : "The checks need ") + "\(name): \(what)\(more).\n"
            + "It is kept in memory for this session only, never written to disk.\n"
        if let c = current, typedTwice.contains(c) {
            message += first == nil ? "A new password: you type it twice.\n" : "Type it again, the same.\n"
        }
        message += "\n"
        if let error { message += error + "\n" }
        // The last line is where the field is drawn.
        message += " "
        return Dialog(title: "Password needed", message: message, buttons: ["OK", "Back"], cancelIndex: 1,
                      borderRole: error == nil ? .border : .error, maxWidth: 76)
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        let d = dialog
        d.render(area, into: &buffer, theme: theme)
        let inner = d.frame(in: area).inset(horizontal: 3, vertical: 1)
        guard inner.height >= 5 else { return }
        // Dialog's layout: the message ends two rows above the buttons, which sit one row above the bottom.
        let row = Rect(x: inner.x, y: inner.y + inner.height - 4, width: inner.width, height: 1)
        buffer.clear(row, style: theme[.normal])
        field.renderField(row, into: &buffer, theme: theme)
    }
}
