import ClusterCore
import ClusterEngine
import Foundation
import TermUI

/// The license activation checklist, full screen: one row per app server node (its own URL,
/// system key, status and when it changed), the selected node's detail below (the whole URL, the
/// steps in Joget, the facts behind its key, its history), and keys to record what the operator
/// did. Opened after Verify, from the Welcome page, or alone with `joget-cluster licenses`, days
/// later when the licenses have arrived.
///
/// A value in the app's state. Every read of a node and every change is work for the runtime's
/// license service (``LicenseService``, over a ``LicenseDesk``), one after another: the page queues
/// it (``pendingWork``, taken by `update` as effects) and takes in what came of it from messages,
/// so keys are never held up. Each change is saved to licenses.json (0600) as soon as it is made.
public struct LicensePage: Screen, Sendable {
    /// Where the page is shown: inside the wizard's flow (Esc goes on to the Summary) or alone
    /// (`joget-cluster licenses`: Esc and F10 leave the program).
    public enum Mode: Sendable, Equatable { case inFlow, standalone }

    /// A box drawn over the page.
    public enum Modal: Sendable {
        /// Paste or type a node's system key.
        case systemKey(node: String, field: TextField)
        /// Paste a node's license key: masked while typed.
        case license(node: String, field: PasswordField)
        /// "Do it later": how to come back.
        case leave(Dialog)

        public var node: String? {
            switch self {
            case .systemKey(let n, _), .license(let n, _): return n
            case .leave: return nil
            }
        }
    }

    /// What a piece of the service's work came to.
    public struct Outcome: Sendable {
        public var kind: Work
        public var checklist: LicenseChecklist
        /// What the work found, each with its node.
        public var notes: [LicenseNote]
        public var failure: String?

        public init(kind: Work, checklist: LicenseChecklist, notes: [LicenseNote], failure: String?) {
            self.kind = kind; self.checklist = checklist; self.notes = notes; self.failure = failure
        }
    }

    /// What a piece of background work was, for the message after it.
    public enum Work: Sendable, Equatable {
        case open
        case refresh
        case setKey(String)
        case setLicense(String)
        case verify(String)
        case export(String)   // the file's path
    }

    // MARK: State

    /// The checklist as last saved by the desk (or as opened).
    public private(set) var checklist: LicenseChecklist
    /// The selected row.
    public private(set) var selected = 0
    public private(set) var modal: Modal?
    /// The line under the detail: what the last piece of work did, or what is wrong.
    public private(set) var message: String?
    public private(set) var messageRole: Role = .normal
    /// The latest line from work in progress.
    public private(set) var progress: String?
    /// Pieces of work started and not yet finished.
    public private(set) var running = 0
    /// Those of them the operator asked for (the spinner turns while there are any).
    public private(set) var shownWork = 0
    /// Nodes whose license key is shown unmasked (`v`, only on request).
    public private(set) var revealed: Set<String> = []
    /// What the last read or check of each node said, in words ("could not read the node: ...").
    public private(set) var seen: [String: [String]] = [:]
    /// The operator chose to leave (standalone): the program ends.
    public private(set) var left = false

    /// `joget-cluster licenses ...`: how to come back to this page.
    public let comeBack: String
    public let mode: Mode
    public let stateDirectory: String
    /// Why the checklist cannot be opened (a damaged licenses.json), shown instead of the page.
    public let problem: String?
    /// `problem` is not a fault but why there is nothing to show (a cluster never installed).
    public private(set) var isNotice = false
    let timeZone: TimeZone
    /// Work asked for and not yet handed to the service (`update` takes it as effects).
    public internal(set) var pendingWork: [LicenseTask] = []

    /// Rows of the table scrolled off the top; first row of the detail shown.
    var tableTop = 0
    var detailTop = 0
    /// The rectangle the app draws the page into (paging keys, the legend's width), set from the screen size.
    public var area = Rect(x: 1, y: 2, width: 78, height: 21)
    var frame = 0

    /// A page over a checklist as the service's desk holds it; the first work reads it and saves
    /// it once (so licenses.json exists from the first visit on).
    public init(checklist: LicenseChecklist, stateDirectory: String, comeBack: String, mode: Mode = .inFlow,
                timeZone: TimeZone = .current, openingNotes: [LicenseNote] = []) {
        self.checklist = checklist
        self.stateDirectory = stateDirectory
        self.comeBack = comeBack
        self.mode = mode
        self.timeZone = timeZone
        problem = nil
        if !openingNotes.isEmpty {
            message = openingNotes.map(\.line).joined(separator: "; ")
            messageRole = .warning
        }
        perform(.open)
    }

    /// A page that cannot show the checklist, saying why.
    public init(problem: String, answers: Answers, stateDirectory: String, comeBack: String, mode: Mode = .inFlow) {
        checklist = LicenseChecklist(answers: answers, at: Date())
        self.stateDirectory = stateDirectory
        self.comeBack = comeBack
        self.mode = mode
        self.problem = problem
        timeZone = .current
    }

    /// A page with nothing to check yet (a cluster never installed), saying so instead of rows.
    public init(notice: String, answers: Answers, stateDirectory: String, comeBack: String, mode: Mode = .inFlow) {
        self.init(problem: notice, answers: answers, stateDirectory: stateDirectory, comeBack: comeBack, mode: mode)
        isNotice = true
    }

    /// Takes the work queued since the last call.
    public mutating func takeWork() -> [LicenseTask] {
        defer { pendingWork = [] }
        return pendingWork
    }

    /// The selected row, if there is one.
    public var current: LicenseRow? { checklist.rows.indices.contains(selected) ? checklist.rows[selected] : nil }

    // MARK: Screen

    public var title: String { "License checklist" }

    public var legend: [KeyLegend.Item] {
        switch modal {
        case .systemKey?: return [.init("Enter", "Record"), .init("Esc", "Cancel")]
        case .license?: return [.init("Enter", "Record"), .init("F2", "Show/hide"), .init("Esc", "Cancel")]
        case .leave?: return [.init("Left/Right", "Choose"), .init("Enter", "OK"), .init("Esc", "Stay")]
        case nil: break
        }
        if problem != nil { return [.init("Esc", mode == .standalone ? "Leave" : "Back")] }
        let later = mode == .standalone ? "Leave" : "Later"
        if area.width >= 110 {
            var items: [KeyLegend.Item] = [.init("k", "System key"), .init("l", "License key"), .init("c", "Check"),
                                           .init("r", "Read all"), .init("v", "Show"), .init("e/E", "Export")]
            if mode == .inFlow { items.append(.init("n", "Summary")) }
            items.append(.init("Esc", later))
            return items
        }
        return [.init("k", "Key"), .init("l", "License"), .init("c", "Check"), .init("r", "Read"),
                .init("e/E", "Export"), .init("Esc", later)]
    }

    public var help: String? {
        """
        Each node has its own system key (from its MAC address, datasource profile, major version and \
        edition), so each needs its own license, entered at its own URL, not through the balancer. \
        Without one only the first 3 users can log in. From DX 8 on, the Enterprise and Large Enterprise \
        Editions cluster; the free Community Edition does not.

        Enter: the selected node's next step.
        k / l: record its system key / its license key (masked; v shows it).
        c: check it: activated once its footer's License link is gone.
        r: read every node: system key, MAC, profile, version, edition.
        e / E: export Markdown / CSV for whoever buys (no license keys).
        PgUp/PgDn: scroll the detail. Esc: do it later; come back with
        \(comeBack)
        """
    }

    public mutating func handle(_ key: Key) -> ScreenRequest {
        if modal != nil { return handleModal(key) }
        if problem != nil {
            switch key {
            case .escape, .f(10), .char("q"), .enter:
                if mode == .standalone { left = true; return .exit }
                return .back
            default: return .ignored
            }
        }
        let count = checklist.rows.count
        switch key {
        case .up:
            if selected > 0 { select(selected - 1) }
        case .down:
            if selected < count - 1 { select(selected + 1) }
        case .home: select(0)
        case .end: select(max(0, count - 1))
        case .pageDown: detailTop += max(1, detailHeight - 1)
        case .pageUp: detailTop = max(0, detailTop - max(1, detailHeight - 1))
        case .enter: return nextStep()
        case .char("k"): openKeyDialog()
        case .char("l"): openLicenseDialog()
        case .char("v"):
            guard let row = current else { break }
            guard row.licenseKey != nil else { say("\(row.node) has no license key recorded yet: l records it", .warning); break }
            if revealed.contains(row.node) { revealed.remove(row.node) } else { revealed.insert(row.node) }
        case .char("c"): check()
        case .char("r"): refresh()
        case .char("e"): export(.md)
        case .char("E"): export(.csv)
        case .char("n") where mode == .inFlow: return .next
        case .escape: askLeave()
        case .f(10), .char("q"):
            guard mode == .standalone else { return .ignored }
            askLeave()
        case .ctrl("c"):
            guard mode == .standalone else { return .ignored }
            left = true
            return .exit
        default:
            return .ignored
        }
        return .none
    }

    public mutating func tick() -> ScreenRequest {
        frame &+= 1
        return .none
    }

    /// A line the service's desk logged as it worked ("node02: reading MAC, ..."): shown while it runs.
    public mutating func progress(_ line: String) {
        if shownWork > 0 { progress = line }
    }

    // MARK: Selection

    mutating func select(_ index: Int) {
        guard index != selected else { return }
        selected = index
        detailTop = 0
    }

    var detailHeight: Int { layout(area).detail.height }

    /// Enter: what the selected node needs next.
    mutating func nextStep() -> ScreenRequest {
        guard let row = current else { return .none }
        switch row.status {
        case .keyNeeded, .needsReactivation: openKeyDialog()
        case .keyRecorded: openLicenseDialog()
        case .licenseEntered: check()
        case .activated: say("\(row.node) is activated (verified): nothing left to do there", .ok)
        case .retired: say(LicenseError.retired(row.node, "nothing to do; its system key is kept for the record").description)
        }
        return .none
    }

    mutating func say(_ text: String, _ role: Role = .normal) {
        message = text
        messageRole = role
    }

    // MARK: Dialogs

    mutating func openKeyDialog() {
        guard let row = current else { return }
        if row.isRetired {
            do throws(LicenseError) { _ = try checklist.checkSystemKey("", for: row.node) } catch { say(error.description, .error) }
            return
        }
        let field = TextField(label: "System key", value: "", placeholder: "paste it here", maxLength: 200, width: 40,
                              isFocused: true)
        modal = .systemKey(node: row.node, field: field)
    }

    mutating func openLicenseDialog() {
        guard let row = current else { return }
        if row.status == .keyNeeded || row.status == .needsReactivation || row.isRetired {
            var copy = checklist
            do throws(LicenseError) { try copy.setLicense("-", for: row.node, at: Date()) } catch { say(error.description, .error) }
            return
        }
        let field = PasswordField(label: "License key", placeholder: "paste it here", width: 40, isFocused: true)
        modal = .license(node: row.node, field: field)
    }

    mutating func askLeave() {
        let open = checklist.liveRows.filter { $0.status != .activated }
        var text = "Everything here is saved in \(stateDirectory)/\(LicenseStore.fileName). Come back to it, for instance when the licenses have arrived, with:\n\n  \(comeBack)\n\n"
        text += checklist.liveRows.isEmpty ? "No node is listed yet." : open.isEmpty ? "Every node is activated." : "Left to do: " + open.map { "\($0.node) (\($0.status.title))" }.joined(separator: ", ") + "."
        let buttons = mode == .standalone ? ["Leave", "Stay"] : ["Summary", "Stay"]
        modal = .leave(Dialog(title: "Do it later", message: text, buttons: buttons, focused: 0, cancelIndex: 1, maxWidth: 76))
    }

    mutating func handleModal(_ key: Key) -> ScreenRequest {
        guard let m = modal else { return .none }
        switch m {
        case .leave(var d):
            let r = d.handle(key)
            modal = .leave(d)
            guard case .action(let i) = r else { return .none }
            modal = nil
            guard i == 0 else { return .none }
            if mode == .standalone { left = true; return .exit }
            return .next
        case .systemKey(let node, var field):
            switch key {
            case .escape: modal = nil
            case .enter:
                do throws(LicenseError) {
                    let key = try checklist.checkSystemKey(field.value, for: node)
                    modal = nil
                    setKey(key, for: node)
                } catch {
                    field.error = error.description
                    modal = .systemKey(node: node, field: field)
                }
            default:
                let before = field.value
                _ = field.handle(key)
                if field.value != before { field.error = nil }
                modal = .systemKey(node: node, field: field)
            }
        case .license(let node, var field):
            switch key {
            case .escape: modal = nil
            case .enter:
                var copy = checklist
                do throws(LicenseError) {
                    try copy.setLicense(field.value, for: node, at: Date())
                    modal = nil
                    setLicense(field.value, for: node)
                } catch {
                    field.error = error.description
                    modal = .license(node: node, field: field)
                }
            default:
                let before = field.value
                _ = field.handle(key)
                if field.value != before { field.error = nil }
                modal = .license(node: node, field: field)
            }
        }
        return .none
    }

    // MARK: Work

    mutating func setKey(_ key: String, for node: String) {
        say("\(node): recording the system key (reading the facts it depends on first)...")
        perform(.setKey(key, node: node))
    }

    mutating func setLicense(_ license: String, for node: String) {
        say("\(node): recording the license key...")
        perform(.setLicense(license, node: node))
    }

    mutating func check() {
        guard let row = current else { return }
        guard !row.isRetired else { say(LicenseError.retired(row.node, "nothing to verify").description, .error); return }
        say("\(row.node): looking at its console at \(row.url)...")
        perform(.verify(node: row.node))
    }

    mutating func refresh() {
        say("Reading every node: MAC, datasource profile, version, edition and system key...")
        perform(.refresh)
    }

    mutating func export(_ format: LicenseExportFormat) {
        perform(.export(format, path: stateDirectory + "/licenses." + format.rawValue))
    }

    /// Queues work for the service; its outcome comes back through ``take(_:)``.
    mutating func perform(_ task: LicenseTask) {
        guard problem == nil else { return }
        running += 1
        if task.kind != .open { shownWork += 1 }
        pendingWork.append(task)
    }

    /// What a piece of work came to: the checklist as saved, what was seen, the message.
    public mutating func take(_ o: Outcome) {
        running = max(0, running - 1)
        if o.kind != .open { shownWork = max(0, shownWork - 1) }
        if shownWork == 0 { progress = nil }
        let node = current?.node
        checklist = o.checklist
        if let node, let i = checklist.rows.firstIndex(where: { $0.node == node }) { selected = i }
        selected = min(selected, max(0, checklist.rows.count - 1))
        revealed = revealed.filter { n in checklist.row(n)?.licenseKey != nil }

        switch o.kind {
        case .refresh: seen = [:]
        case .verify(let n), .setKey(let n): seen[n] = []
        default: break
        }
        // A node's notes go under it: all of a refresh's, and those of the node a key or check was for.
        for note in o.notes {
            guard let node = note.node, checklist.row(node) != nil,
                  o.kind == .refresh || o.kind == .verify(node) || o.kind == .setKey(node) else { continue }
            seen[node, default: []].append(note.text)
        }
        if let failure = o.failure {
            say(failure, .error)
            return
        }
        switch o.kind {
        case .open:
            break
        case .refresh:
            let unread = checklist.rows.filter { r in seen[r.node]?.contains { $0.hasPrefix("could not read") } ?? false }.count
            say(unread > 0 ? "Read every node: \(unread) could not be; see each node's Seen line." : "Read every node: see each node's Seen line.",
                unread > 0 ? .warning : .ok)
        case .export(let path):
            say("Wrote \(path) for whoever requests the licenses (no license keys in it).", .ok)
        case .setKey, .setLicense, .verify:
            let last = o.notes.last?.line ?? "done"
            let role: Role = last.contains("cannot tell") || last.contains("careful") || last.contains("not activated") ? .warning : .ok
            say(last, role)
        }
    }
}
