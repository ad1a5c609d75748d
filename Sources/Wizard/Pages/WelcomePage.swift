import ClusterCore
import TermUI

/// The first page: what the wizard does, what to have at hand (the welcome screen file's intro),
/// and where to start: a new install, the saved answers, an unfinished install, or the licenses.
public struct WelcomePage: Screen {
    public enum Option: String, Sendable, CaseIterable {
        case newInstall = "new"
        case continueAnswers = "continue"
        case goThroughAnswers = "go-through"
        case resume = "resume"
        case reviewAnswers = "review"
        case startOver = "start-over"
        case licenses = "licenses"
        case changeCluster = "change"
        case checkChanges = "check"
        case backup = "backup"

        public var label: String {
            switch self {
            case .newInstall: return "New install"
            case .continueAnswers: return "Continue where you left off"
            case .goThroughAnswers: return "Continue with these answers"
            case .resume: return "Resume the unfinished install"
            case .reviewAnswers: return "Review answers"
            case .startOver: return "Start over (a new cluster; this one is kept)"
            case .licenses: return "License checklist"
            case .changeCluster: return "Change this cluster (add or retire nodes)"
            case .checkChanges: return "Check for changes (nothing is changed)"
            case .backup: return "Back up this cluster (database and shared folder)"
            }
        }
    }

    public var options: [Option]
    public var selected: Int
    /// A line about what was found: "Saved answers for cluster prod (3 hosts) in ...".
    public var found: String?
    public var intro: String

    /// - Parameters:
    ///   - savedAnswers: answers from an earlier session (the state folder).
    ///   - givenAnswers: answers from `--answers`.
    ///   - installed: the state folder holds a finished install (installed.yaml, no unfinished run).
    public init(savedAnswers: Bool, givenAnswers: Bool = false, unfinishedInstall: Bool, installed: Bool = false,
                found: String? = nil) {
        if unfinishedInstall {
            options = [.resume, .reviewAnswers, .startOver, .licenses]
        } else if installed {
            options = [givenAnswers ? .goThroughAnswers : .changeCluster, .checkChanges, .backup, .startOver, .licenses]
        } else if givenAnswers {
            options = [.goThroughAnswers, .startOver, .licenses]
        } else if savedAnswers {
            options = [.continueAnswers, .startOver, .licenses]
        } else {
            options = [.newInstall, .licenses]
        }
        selected = 0
        self.found = found
        intro = SetupSpecs.named("welcome")?.intro.trimmingTrailingNewlines ?? ""
    }

    public var title: String { "Welcome" }

    public var legend: [KeyLegend.Item] {
        [.init("Up/Down", "Choose"), .init("Enter", "Start")]
    }

    public var help: String? {
        "Up and Down choose, Enter starts.\n\nNew install asks every question from the start. Continue opens the answers saved last time. Resume goes on with an install that stopped: what finished is not run again. License checklist shows each node's license status.\n\nOnce the cluster is installed: Change this cluster opens the pages with its answers, to add a host and a node or take a node out; the Review then lists what changes, and asks before it retires a node. Check for changes runs every step's read-only check on the hosts and lists what an install would change, and why (as joget-cluster apply --dry-run). Back up takes a backup of the database and the shared folder while the cluster serves (as joget-cluster backup)."
    }

    public var selectedOption: Option { options[min(max(0, selected), options.count - 1)] }

    public mutating func handle(_ key: Key) -> ScreenRequest {
        switch key {
        case .up, .backTab:
            if selected > 0 { selected -= 1 }
            return .none
        case .down, .tab:
            if selected < options.count - 1 { selected += 1 }
            return .none
        case .home: selected = 0; return .none
        case .end: selected = options.count - 1; return .none
        case .enter, .space:
            return .welcome(selectedOption)
        default:
            return .ignored
        }
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        let s = theme.symbols
        buffer.writeLine("Welcome", in: area.row(0), style: theme[.title], ellipsis: s.ellipsis)
        let menuHeight = options.count + (found == nil ? 0 : 2)
        let textArea = Rect(x: area.x, y: area.y + 1, width: area.width, height: max(0, area.height - 2 - menuHeight))
        var lines = PageText.wrap(intro, width: max(1, textArea.width))
        // What does not fit goes a paragraph at a time: a sentence is never cut half way.
        if lines.count > textArea.height, let blank = lines.prefix(textArea.height + 1).lastIndex(where: { $0.isEmpty }) {
            lines = Array(lines[..<blank])
        }
        for (i, line) in lines.prefix(textArea.height).enumerated() {
            let role: Role = line.hasPrefix("Have at hand") ? .label : .normal
            buffer.writeLine(line, in: textArea.row(i), style: theme[role], ellipsis: s.ellipsis)
        }
        var y = area.bottom - menuHeight
        if let found {
            buffer.writeLine(found, in: Rect(x: area.x, y: y, width: area.width, height: 1), style: theme[.ok],
                             ellipsis: s.ellipsis)
            y += 2
        }
        for (i, option) in options.enumerated() {
            let row = Rect(x: area.x, y: y + i, width: area.width, height: 1)
            let isSel = i == selected
            if isSel {
                buffer.write(s.focusMarker, x: row.x, y: row.y, style: theme[.focused], clip: row)
            }
            buffer.writeLine(option.label, in: row.inset(left: 2), style: theme[isSel ? .focused : .normal],
                             ellipsis: s.ellipsis)
        }
    }
}
