import ClusterCore
import ClusterEngine
import Foundation
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
    /// The clusters in the state root, when there are several: Enter on one opens it.
    public private(set) var clusters: [ClusterFolder] = []
    /// The folder of the cluster on screen (its options are the menu below the list).
    public private(set) var openCluster: String?
    /// The cluster row with the focus; nil while the focus is in the options.
    public var focusedCluster: Int?
    /// Why the cluster picked could not be opened.
    public var problem: String?
    /// A line about what was found: "Saved answers for cluster prod (3 hosts) in ...".
    public var found: String?
    public var intro: String
    /// An installed cluster at a glance (as `status` starts), shown instead of the intro.
    public var overview: [ClusterOverview.Row] = []

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

    /// Lists the clusters above the options, the open one marked.
    public mutating func showClusters(_ list: [ClusterFolder], open: String?) {
        clusters = list
        openCluster = open
    }

    public var title: String { "Welcome" }

    public var legend: [KeyLegend.Item] {
        [.init("Up/Down", "Choose"), .init("Enter", focusedCluster == nil ? "Start" : "Open")]
    }

    public var help: String? {
        (clusters.isEmpty ? "" : "The clusters kept in the state folder are listed first: Enter on one opens it, and the choices below are then about it. Nothing of the others is changed.\n\n")
        + "Up and Down choose, Enter starts.\n\nNew install asks every question from the start. Continue opens the answers saved last time. Resume goes on with an install that stopped: what finished is not run again. License checklist shows each node's license status.\n\nOnce the cluster is installed: Change this cluster opens the pages with its answers, to add a host and a node or take a node out; the Review then lists what changes, and asks before it retires a node. Check for changes runs every step's read-only check on the hosts and lists what an install would change, and why (as joget-cluster apply --dry-run). Back up takes a backup of the database and the shared folder while the cluster serves (as joget-cluster backup)."
    }

    public var selectedOption: Option { options[min(max(0, selected), options.count - 1)] }

    public mutating func handle(_ key: Key) -> ScreenRequest {
        if let c = focusedCluster { return handleCluster(key, c) }
        switch key {
        case .up, .backTab:
            if selected > 0 { selected -= 1 } else if !clusters.isEmpty { focusedCluster = clusters.count - 1 }
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

    mutating func handleCluster(_ key: Key, _ c: Int) -> ScreenRequest {
        switch key {
        case .up, .backTab: focusedCluster = max(0, c - 1)
        case .down, .tab:
            if c < clusters.count - 1 { focusedCluster = c + 1 } else { focusedCluster = nil; selected = 0 }
        case .home: focusedCluster = 0
        case .end: focusedCluster = nil; selected = options.count - 1
        case .enter, .space:
            let folder = clusters[c]
            if folder.path == openCluster { focusedCluster = nil; selected = 0; return .none }
            return .openCluster(path: folder.path)
        default: return .ignored
        }
        return .none
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        let s = theme.symbols
        buffer.writeLine("Welcome", in: area.row(0), style: theme[.title], ellipsis: s.ellipsis)
        // An installed cluster: what was found heads its overview, at the top; else it sits above the menu.
        let foundOnTop = !overview.isEmpty && problem == nil && found != nil
        let listHeight = clusters.isEmpty ? 0 : clusters.count + 2
        let menuHeight = listHeight + options.count + (foundOnTop || (found == nil && problem == nil) ? 0 : 2)
        let textArea = Rect(x: area.x, y: area.y + 1, width: area.width, height: max(0, area.height - 2 - menuHeight))
        if !overview.isEmpty {
            if foundOnTop, let found { buffer.writeLine(found, in: textArea.row(0), style: theme[.ok], ellipsis: s.ellipsis) }
            renderOverview(foundOnTop ? textArea.inset(top: 2) : textArea, into: &buffer, theme: theme)
        } else {
            renderIntro(textArea, into: &buffer, theme: theme)
        }
        var y = area.bottom - menuHeight
        if !clusters.isEmpty {
            renderClusters(Rect(x: area.x, y: y, width: area.width, height: listHeight), into: &buffer, theme: theme)
            y += listHeight
        }
        if !foundOnTop, let line = problem ?? found {
            buffer.writeLine(line, in: Rect(x: area.x, y: y, width: area.width, height: 1),
                             style: theme[problem == nil ? .ok : .error], ellipsis: s.ellipsis)
            y += 2
        }
        for (i, option) in options.enumerated() {
            menuRow(option.label, focused: focusedCluster == nil && i == selected,
                    in: Rect(x: area.x, y: y + i, width: area.width, height: 1), into: &buffer, theme: theme)
        }
    }

    /// What the wizard does and what to have at hand (the welcome screen file's intro).
    func renderIntro(_ textArea: Rect, into buffer: inout Buffer, theme: Theme) {
        let s = theme.symbols
        var lines = PageText.wrap(intro, width: max(1, textArea.width))
        // What does not fit goes a paragraph at a time: a sentence is never cut half way.
        if lines.count > textArea.height {
            if let blank = lines.prefix(textArea.height + 1).lastIndex(where: { $0.isEmpty }) {
                lines = Array(lines[..<blank])
            } else if let end = lines.prefix(textArea.height).lastIndex(where: { $0.hasSuffix(".") || $0.hasSuffix(":") }) {
                lines = Array(lines[...end])   // a paragraph taller than the space: cut after a whole sentence
            }
        }
        for (i, line) in lines.prefix(textArea.height).enumerated() {
            let role: Role = line.hasPrefix("Have at hand") ? .label : .normal
            buffer.writeLine(line, in: textArea.row(i), style: theme[role], ellipsis: s.ellipsis)
        }
    }

    /// The installed cluster's rows (`OverviewLines`), those that need the operator in the warning colour.
    func renderOverview(_ textArea: Rect, into buffer: inout Buffer, theme: Theme) {
        let lines = OverviewLines.lines(overview, width: textArea.width, withCommands: false)
        for (y, line) in lines.prefix(textArea.height).enumerated() {
            buffer.writeLine(line.text, in: textArea.row(y), style: theme[line.needsAttention ? .warning : .normal], ellipsis: theme.symbols.ellipsis)
        }
    }

    /// The clusters, a row each: name, how far it got, and which one is open.
    func renderClusters(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        let root = clusters.first.map { ($0.path as NSString).deletingLastPathComponent } ?? ""
        buffer.writeLine("Clusters in \(root):", in: area.row(0), style: theme[.label], ellipsis: theme.symbols.ellipsis)
        let nameWidth = min(24, clusters.map(\.name.count).max() ?? 0)
        for (i, c) in clusters.enumerated() {
            let name = c.name.count > nameWidth ? String(c.name.prefix(nameWidth - 1)) + "~" : c.name
            let open = c.path == openCluster ? "  (open)" : ""
            let text = name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  " + c.stageText + open
            menuRow(text, focused: focusedCluster == i, in: area.row(1 + i), into: &buffer, theme: theme)
        }
    }

    func menuRow(_ text: String, focused: Bool, in row: Rect, into buffer: inout Buffer, theme: Theme) {
        if focused { buffer.write(theme.symbols.focusMarker, x: row.x, y: row.y, style: theme[.focused], clip: row) }
        buffer.writeLine(text, in: row.inset(left: 2), style: theme[focused ? .focused : .normal], ellipsis: theme.symbols.ellipsis)
    }
}
