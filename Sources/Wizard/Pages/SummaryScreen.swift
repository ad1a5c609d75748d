import ClusterCore
import ClusterEngine
import Foundation
import TermUI

/// The Summary page, last of the flow: what was installed where, the balancer's URL, where the
/// answers file and the logs are, what is left (a license on each node), and the commands to
/// come back with. Scrolls when it does not fit.
///
/// Requests: `.next` (Enter: finished, the app exits; everything is saved), `.back` (Esc), `.quit`.
public struct SummaryScreen: Screen, Sendable {
    /// One entry of the page, wrapped at render time.
    public enum Entry: Hashable, Sendable {
        case heading(String)
        case text(String, Role)
        /// A label and its value, the value wrapped in its own column.
        case pair(String, String, Role)
        /// Text indented under the line before (a path, a command).
        case indented(String, Role)
        case blank
    }

    public let entries: [Entry]
    /// First row shown.
    public internal(set) var top = 0
    /// The rectangle the app renders into, for paging keys.
    public var area = Rect(x: 0, y: 1, width: 80, height: 22)

    public init(entries: [Entry]) { self.entries = entries }

    /// - Parameters:
    ///   - stateDir: where the answers file, journal and logs are.
    ///   - run: how the install went, when known.
    ///   - verify: the checks' outcomes, when they ran.
    ///   - licenses: the license checklist's rows, when there is one (else every node needs its key).
    ///   - probes: the plan's read-only steps, counted apart among the "done" ones.
    public init(answers: Answers, stateDir: String, run: RunSummary? = nil, probes: Set<String> = [],
                verify: [CheckOutcome]? = nil, verifiedAt: Date? = nil, licenses: [LicenseRow]? = nil,
                defaultStateDir: String? = nil) {
        entries = SummaryScreen.entries(answers: answers, stateDir: stateDir, run: run, probes: probes, verify: verify,
                                        verifiedAt: verifiedAt, licenses: licenses, defaultStateDir: defaultStateDir)
    }

    // MARK: Content

    /// `2026-11-25 21:46` in this machine's time zone.
    static func localTime(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: date)
    }

    static func entries(answers a: Answers, stateDir: String, run: RunSummary?, probes: Set<String>,
                        verify: [CheckOutcome]?, verifiedAt: Date?,
                        licenses: [LicenseRow]?, defaultStateDir: String?) -> [Entry] {
        var e: [Entry] = []
        let installed = run.map { $0.succeeded } ?? true
        e.append(.text(installed ? "Joget cluster \"\(a.cluster)\" is installed." : "Joget cluster \"\(a.cluster)\": the install is not finished.",
                       installed ? .ok : .warning))
        e.append(.blank)
        e.append(.heading("Open Joget through the load balancer"))
        e.append(.text(Layout.balancerURL(in: a), .title))
        e.append(.blank)

        func address(_ host: String) -> String {
            guard let h = a.host(named: host) else { return host }
            return h.address == host ? host : "\(host) (\(h.address))"
        }
        let appHosts = a.appHosts.joined(separator: ", ")
        e.append(.heading("What is installed where"))
        var used: [String] = []
        for h in a.hosts where !used.contains(h.name) { used.append(h.name) }
        e.append(.pair(Layer.hosts.title, used.map(address).joined(separator: ", "), .normal))
        let f = a.sharedFiles
        switch f.provider {
        case .nfs:
            e.append(.pair(Layer.sharedFiles.title,
                           "NFS export \(f.exportPath) on \(address(f.server ?? "?")), mounted at \(f.mountPoint) on \(appHosts) (in /etc/fstab)", .normal))
        case .existing:
            e.append(.pair(Layer.sharedFiles.title, "the directory already mounted at \(f.mountPoint) on \(appHosts)", .normal))
        }
        let d = a.database
        let engine = d.engine == .mariadb ? "MariaDB" : "MySQL"
        let dbAddress = a.host(named: d.host)?.address ?? d.host
        e.append(.pair(Layer.database.title, "\(engine) on \(d.host), \(dbAddress):\(d.port), database \(d.name), user \(d.user)", .normal))
        for (i, node) in a.appServers.nodes.enumerated() {
            e.append(.pair(i == 0 ? Layer.appServers.title : "",
                           "\(node.name) on \(node.host): \(Layout.directURL(of: node, in: a)), Tomcat in \(Layout.tomcatDirectory(of: node, in: a))",
                           .normal))
        }
        let lb = a.loadBalancer
        let name = lb.serverName.isEmpty ? "" : " for \(lb.serverName)"
        e.append(.pair(Layer.loadBalancer.title,
                       "Apache httpd on \(address(lb.host))\(name), port \(lb.httpPort)\(lb.tls.map { " and \($0.httpsPort) (TLS)" } ?? ""), sticky sessions over \(a.appServers.nodes.map(\.name).joined(separator: ", "))",
                       .normal))
        e.append(.blank)

        if let run {
            var parts: [String] = []
            for (name, word) in [("done", "done"), ("alreadyDone", "already in place"), ("skipped", "skipped"),
                                 ("failed", "failed"), ("blocked", "blocked"), ("interrupted", "interrupted")] {
                let n = run.count(name)
                guard n > 0 else { continue }
                // A probe that ran changed nothing: say how many of the "done" were only checks.
                let read = name == "done" ? run.outcomes.filter { $0.status.name == name && probes.contains($0.stepID) }.count : 0
                parts.append("\(n) \(word)" + (read > 0 ? " (\(read) were checks)" : ""))
            }
            if !run.remaining.isEmpty { parts.append("\(run.remaining.count) not run") }
            let total = run.outcomes.count + run.remaining.count
            e.append(.pair("Install", "\(total) steps: " + parts.joined(separator: ", ") + (run.succeeded ? "" : ". Resume to finish it."),
                           run.succeeded ? .normal : .warning))
        }
        if let verify {
            let failed = verify.filter(\.verdict.failed), notRun = verify.filter(\.verdict.notRun)
            let when = verifiedAt.map { " (\(localTime($0)))" } ?? ""
            var parts: [String] = []
            if !failed.isEmpty { parts.append("\(failed.count) of \(verify.count) checks failed: " + failed.map(\.title).joined(separator: "; ")) }
            if !notRun.isEmpty {
                parts.append("\(notRun.count)\(failed.isEmpty ? " of \(verify.count) checks" : "") not run: " + notRun.map(\.title).joined(separator: "; "))
            }
            e.append(.pair("Verify", (parts.isEmpty ? "all \(verify.count) checks passed" : parts.joined(separator: "; ")) + when,
                           !failed.isEmpty ? .error : !notRun.isEmpty ? .warning : .ok))
        }
        if run != nil || verify != nil { e.append(.blank) }

        e.append(.heading("Saved on this machine"))
        e.append(.text("The answers, no secrets; they replay this install headless (joget-cluster apply --answers FILE):", .label))
        e.append(.indented(stateDir + "/answers.yaml", .normal))
        e.append(.text("The full logs, one file per host and step:", .label))
        e.append(.indented(stateDir + "/logs/<host>/<step>.log", .normal))
        e.append(.text("The journal of every step, which resume reads:", .label))
        e.append(.indented(stateDir + "/journal.jsonl", .normal))
        e.append(.blank)

        let rows = licenses ?? []
        let open = a.appServers.nodes.filter { n in rows.first { $0.node == n.name }?.status != .activated }
        if open.isEmpty {
            e.append(.heading("Left to do"))
            e.append(.text("Nothing: every node's license is activated.", .ok))
        } else {
            e.append(.heading("Left to do: activate a license on each node, at its own address (not through the balancer)"))
            for node in a.appServers.nodes {
                let row = rows.first { $0.node == node.name }
                let status = row?.statusText ?? LicenseStatus.keyNeeded.title
                e.append(.pair(node.name, Layout.directURL(of: node, in: a) + "/web/console/home — " + status,
                               row?.status == .activated ? .ok : .warning))
            }
            e.append(.text("Without a license only the first 3 users (alphabetically) can log in.", .muted))
        }
        e.append(.blank)

        let dirOption = (defaultStateDir == nil || defaultStateDir == stateDir) ? "" : " --state-dir \(Shell.quote(stateDir))"
        // Commands whole, each on a line of its own: they are what the operator copies.
        e.append(.heading("Come back later"))
        e.append(.text("Go on with an install that stopped:", .normal))
        e.append(.indented("joget-cluster resume" + dirOption, .title))
        e.append(.text("Run these checks again:", .normal))
        e.append(.indented("joget-cluster verify" + dirOption, .title))
        e.append(.text("The license checklist (system keys, status, export):", .normal))
        e.append(.indented("joget-cluster licenses" + dirOption, .title))
        return e
    }

    // MARK: Screen

    public var title: String { "Summary" }
    public var legend: [KeyLegend.Item] {
        [.init("Up/Down", "Scroll"), .init("Enter", "Finish"), .init("Esc", "Back"), .init("F10", "Quit")]
    }
    public var help: String? {
        "What was installed and where, and what is left. Everything is saved: the answers file replays the install, "
            + "and joget-cluster resume, verify and licenses come back to it later."
    }

    public mutating func handle(_ key: Key) -> ScreenRequest {
        let total = rows(width: area.width - 1).count
        let maxTop = max(0, total - area.height)
        switch key {
        case .up, .char("k"): top = max(0, top - 1)
        case .down, .char("j"): top = min(maxTop, top + 1)
        case .pageUp: top = max(0, top - max(1, area.height - 1))
        case .pageDown: top = min(maxTop, top + max(1, area.height - 1))
        case .home: top = 0
        case .end: top = maxTop
        case .enter: return .next
        case .escape: return .back
        case .f(10), .char("q"): return .quit
        default: return .ignored
        }
        return .none
    }

    /// Rows as drawn at `width`: spans per row.
    func rows(width: Int) -> [(spans: [(String, Role)], indent: Int)] {
        let labelWidth = min(max(12, width / 3), 2 + (entries.compactMap { if case .pair(let l, _, _) = $0 { TextWidth.of(l) } else { nil } }.max() ?? 0))
        var out: [(spans: [(String, Role)], indent: Int)] = []
        let inner = max(1, width - 2)
        for entry in entries {
            switch entry {
            case .blank: out.append(([], 0))
            case .heading(let t):
                for line in TextLayout.wrap(t, width: inner) { out.append(([(line, .title)], 1)) }
            case .text(let t, let role):
                for line in TextLayout.wrap(t, width: max(1, inner - 2)) { out.append(([(line, role)], 3)) }
            case .indented(let t, let role):
                for line in TextLayout.wrap(t, width: max(1, inner - 4)) { out.append(([(line, role)], 5)) }
            case .pair(let label, let value, let role):
                let valueWidth = max(1, inner - 2 - labelWidth)
                let wrapped = TextLayout.wrap(value, width: valueWidth)
                for (i, line) in wrapped.enumerated() {
                    let l = i == 0 ? TextLayout.pad(TextLayout.truncate(label, to: labelWidth - 2), to: labelWidth) : String(repeating: " ", count: labelWidth)
                    out.append(([(l, .label), (line, role)], 3))
                }
            }
        }
        return out
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.clear(area, style: theme[.normal])
        let all = rows(width: area.width - 1)
        let t = min(top, max(0, all.count - area.height))
        let content = all.count > area.height ? area.inset(right: 1) : area
        for (k, row) in all[t..<min(all.count, t + area.height)].enumerated() {
            let r = content.row(k).inset(left: row.indent)
            buffer.writeLine(row.spans.map { Span($0.0, style: theme[$0.1]) }, in: r, ellipsis: theme.symbols.ellipsis)
        }
        if all.count > area.height {
            if t > 0 { buffer.write(theme.symbols.moreAbove, x: area.right - 1, y: area.y, style: theme[.muted], clip: area) }
            if t + area.height < all.count {
                buffer.write(theme.symbols.moreBelow, x: area.right - 1, y: area.bottom - 1, style: theme[.muted], clip: area)
            }
        }
    }
}
