import ClusterCore
import ClusterEngine
import TermUI

/// A modal the app draws over the page.
public enum AppDialog: Sendable {
    case quit(Dialog)
    /// "Start over": says what is kept, and that it starts a new cluster (`newName`).
    case startOver(Dialog, newName: String)
    case help(Dialog)
    case hostKey(Dialog, hostIndex: Int, fingerprint: String)
    case message(Dialog)
    case secret(SecretPrompt)

    public var dialog: Dialog {
        get {
            switch self {
            case .quit(let d), .help(let d), .message(let d), .hostKey(let d, _, _), .startOver(let d, _): return d
            case .secret(let p): return p.dialog
            }
        }
        set {
            switch self {
            case .quit: self = .quit(newValue)
            case .startOver(_, let name): self = .startOver(newValue, newName: name)
            case .help: self = .help(newValue)
            case .message: self = .message(newValue)
            case .hostKey(_, let i, let fp): self = .hostKey(newValue, hostIndex: i, fingerprint: fp)
            case .secret: break   // its keys go to the prompt (handleDialogKey)
            }
        }
    }
}
