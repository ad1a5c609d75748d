import ClusterCore
import ClusterEngine
import Foundation
import TermUI

// Drawing the license checklist page: a title line, the table of nodes (scrolling), the selected
// node's detail (scrolling, nothing cut: long URLs and keys wrap), a message line, and the command
// to come back with. Modals on top.

extension LicensePage {
    /// Where each part goes in `area`.
    struct Parts {
        var title: Rect
        var header: Rect
        var table: Rect
        var separator: Rect
        var detail: Rect
        var message: Rect
        var later: Rect
    }

    func layout(_ area: Rect) -> Parts {
        let n = max(1, checklist.rows.count)
        let laterHeight = laterLines(width: area.width, theme: .monochrome()).count
        let avail = max(0, area.height - 4 - laterHeight)
        var t = n <= 4 ? n : min(n, max(4, avail * 2 / 5))
        t = min(t, max(1, avail - 3))
        let d = max(0, avail - t)
        var y = area.y
        func take(_ h: Int) -> Rect {
            let r = Rect(x: area.x, y: y, width: area.width, height: max(0, min(h, area.bottom - y)))
            y += r.height
            return r
        }
        let title = take(1), header = take(1), table = take(t), separator = take(1), detail = take(d)
        let message = take(1), later = take(laterHeight)
        return Parts(title: title, header: header, table: table, separator: separator, detail: detail, message: message, later: later)
    }

    // MARK: Columns

    /// Column widths of the table; the status takes what is left.
    struct Columns: Equatable {
        var node: Int
        var address: Int
        var key: Int
        var changed: Int
        var fullURL: Bool
        var longDate: Bool
        static let gap = 2
        static let marker = 2
    }

    static func shortAddress(_ row: LicenseRow) -> String {
        let h = row.address.contains(":") && !row.address.hasPrefix("[") ? "[\(row.address)]" : row.address
        return "\(h):\(row.port)"
    }

    /// The widest layout that fits `width`: the whole URL and key when there is room; else the
    /// node's address and port (the detail shows the whole URL), a key cut short, a shorter date.
    static func columns(for rows: [LicenseRow], width: Int) -> Columns {
        func widest(_ texts: [String], _ header: String) -> Int { max(TextWidth.of(header), texts.map { TextWidth.of($0) }.max() ?? 0) }
        let node = min(16, widest(rows.map(\.node), "NODE"))
        let url = widest(rows.map(\.url), "URL (direct)")
        let short = widest(rows.map(shortAddress), "ADDRESS")
        let key = widest(rows.map { $0.systemKey ?? "-" }, "SYSTEM KEY")
        let statusNeed = min(20, widest(rows.map(\.status.title), "STATUS"))
        let gap = Columns.gap
        func fits(_ address: Int, _ key: Int, _ changed: Int) -> Bool {
            Columns.marker + node + gap + address + gap + key + gap + changed + gap + statusNeed <= width
        }
        let keyMin = min(key, 13)
        for (full, longDate) in [(true, true), (true, false), (false, true)] where fits(full ? url : short, key, longDate ? 16 : 11) {
            return Columns(node: node, address: full ? url : short, key: key, changed: longDate ? 16 : 11, fullURL: full, longDate: longDate)
        }
        for longDate in [true, false] {
            let changed = longDate ? 16 : 11
            let room = width - (Columns.marker + node + gap + short + gap + gap + changed + gap + statusNeed)
            if room >= keyMin {
                return Columns(node: node, address: short, key: min(key, room), changed: changed, fullURL: false, longDate: longDate)
            }
        }
        return Columns(node: node, address: short, key: keyMin, changed: 11, fullURL: false, longDate: false)
    }

    func date(_ d: Date?, long: Bool = true) -> String {
        guard let d else { return "" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = timeZone
        f.dateFormat = long ? "yyyy-MM-dd HH:mm" : "MM-dd HH:mm"
        return f.string(from: d)
    }

    static func role(of status: LicenseStatus) -> Role {
        switch status {
        case .activated: return .ok
        case .needsReactivation: return .warning
        case .keyNeeded, .retired: return .muted
        case .keyRecorded, .licenseEntered: return .normal
        }
    }

    /// Where the table and the detail are scrolled to in these parts: the selected row in view,
    /// the detail not past its end.
    func scrolled(_ parts: Parts) -> (table: Int, detail: Int) {
        var table = tableTop
        let height = parts.table.height
        if selected < table { table = selected }
        if selected >= table + height { table = selected - height + 1 }
        table = max(0, min(table, checklist.rows.count - height))
        var detail = detailTop
        if let row = current {
            let count = detailLines(row, width: parts.detail.width - 2, theme: .monochrome()).count
            detail = max(0, min(detail, count - parts.detail.height))
        }
        return (table, detail)
    }

    /// Keeps the scroll positions in view after a key or a resize (render only reads them).
    public mutating func scrollIntoView() {
        (tableTop, detailTop) = scrolled(layout(area))
    }

    // MARK: Render

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.clear(area, style: theme[.normal])
        if let problem {
            Paragraph(isNotice ? problem : "The license checklist cannot be opened: \(problem)", role: isNotice ? .normal : .error)
                .render(area.inset(horizontal: 1, vertical: 1), into: &buffer, theme: theme)
            return
        }
        let parts = layout(area)
        let (tableTop, detailTop) = scrolled(parts)
        let s = theme.symbols
        let rows = checklist.rows

        // Title: how far along the cluster is (its live nodes; retired ones are only kept for the record).
        let live = checklist.liveRows
        let done = live.filter { $0.status == .activated }.count
        let flagged = live.filter { $0.status == .needsReactivation }.count
        let retired = rows.count - live.count
        var title = [Span("License activation: ", style: theme[.title]),
                     Span("\(done) of \(live.count) node\(live.count == 1 ? "" : "s") activated", style: theme[done == live.count && done > 0 ? .ok : .title])]
        if flagged > 0 { title.append(Span(", \(flagged) need\(flagged == 1 ? "s" : "") re-activation", style: theme[.warning])) }
        if retired > 0 { title.append(Span(", \(retired) retired", style: theme[.muted])) }
        let suffix = Span(" · one license per node, entered at its own URL", style: theme[.muted])
        if title.reduce(0, { $0 + $1.width }) + suffix.width <= parts.title.width { title.append(suffix) }
        buffer.writeLine(title, in: parts.title, ellipsis: s.ellipsis)

        // Table.
        let indicator = rows.count > parts.table.height
        let tableWidth = parts.header.width - (indicator ? 1 : 0)
        let c = Self.columns(for: rows, width: tableWidth)
        func cells(_ texts: [String], _ styles: [Style]) -> [Span] {
            let widths = [c.node, c.address, c.key, c.changed]
            var out: [Span] = []
            for (i, text) in texts.enumerated() {
                if i < widths.count {
                    out.append(Span(TextLayout.pad(TextLayout.truncate(text, to: widths[i], ellipsis: s.ellipsis), to: widths[i]) + "  ", style: styles[i]))
                } else {
                    out.append(Span(text, style: styles[i]))
                }
            }
            return out
        }
        let header = [c.fullURL ? "URL (direct)" : "ADDRESS", "SYSTEM KEY", "CHANGED", "STATUS"]
        buffer.writeLine(cells(["NODE"] + header, Array(repeating: theme[.label].bold(), count: 5)),
                         in: parts.header.inset(left: Columns.marker, right: indicator ? 1 : 0), ellipsis: s.ellipsis)
        if rows.isEmpty {
            buffer.writeLine("No app server nodes in the answers: nothing to license.", in: parts.table.row(0).inset(left: Columns.marker),
                             style: theme[.muted], ellipsis: s.ellipsis)
        }
        let height = parts.table.height
        for line in 0..<min(height, max(0, rows.count - tableTop)) {
            let index = tableTop + line
            let row = rows[index]
            let r = parts.table.row(line).inset(right: indicator ? 1 : 0)
            let isSel = index == selected && modal == nil
            // A retired row is there for the record: drawn muted throughout.
            let base = isSel ? theme[.selection] : theme[row.isRetired ? .muted : .normal]
            if isSel { buffer.fill(r, style: base) }
            if index == selected { buffer.write(s.focusMarker, x: r.x, y: r.y, style: base, clip: r) }
            let statusStyle = isSel ? base : theme[Self.role(of: row.status)]
            let texts = [row.node, c.fullURL ? row.url : Self.shortAddress(row), row.systemKey ?? "-",
                         date(row.statusSince, long: c.longDate), row.statusText]
            let styles = [base, base, row.systemKey == nil && !isSel ? theme[.muted] : base, isSel ? base : theme[.muted], statusStyle]
            buffer.writeLine(cells(texts, styles), in: r.inset(left: Columns.marker), ellipsis: s.ellipsis)
        }
        if indicator {
            let x = parts.table.right - 1
            if tableTop > 0 { buffer.write(s.moreAbove, x: x, y: parts.table.y, style: theme[.muted], clip: parts.table) }
            if tableTop + height < rows.count {
                buffer.write(s.moreBelow, x: x, y: parts.table.bottom - 1, style: theme[.muted], clip: parts.table)
            }
        }

        // The selected node's detail.
        buffer.fill(parts.separator, symbol: Character(s.border.horizontal), style: theme[.border])
        if let row = current {
            var head = " \(row.node) (\(selected + 1) of \(rows.count)) "
            if TextWidth.of(head) + 2 > parts.separator.width { head = " \(row.node) " }
            buffer.writeLine(head, in: parts.separator.inset(left: 1), style: theme[.title], ellipsis: s.ellipsis)
            let lines = detailLines(row, width: parts.detail.width - 2, theme: theme)
            let h = parts.detail.height
            for (i, spans) in lines.dropFirst(detailTop).prefix(h).enumerated() {
                buffer.writeLine(spans, in: parts.detail.row(i).inset(right: 2), ellipsis: s.ellipsis)
            }
            if lines.count > h, h > 0 {
                let x = parts.detail.right - 1
                if detailTop > 0 { buffer.write(s.moreAbove, x: x, y: parts.detail.y, style: theme[.muted], clip: parts.detail) }
                if detailTop + h < lines.count {
                    buffer.write(s.moreBelow, x: x, y: parts.detail.bottom - 1, style: theme[.muted], clip: parts.detail)
                    let more = " PgDn: more "
                    if parts.separator.width > TextWidth.of(head) + TextWidth.of(more) + 4 {
                        buffer.writeLine(more, in: parts.separator.inset(right: 1), style: theme[.muted], alignment: .right,
                                         ellipsis: s.ellipsis)
                    }
                }
            }
        }

        // Message, then the way back.
        if shownWork > 0 {
            let spin = s.spinner.isEmpty ? "" : s.spinner[frame % s.spinner.count] + " "
            buffer.writeLine([Span(spin, style: theme[.title]), Span(progress ?? message ?? "working...", style: theme[.normal])],
                             in: parts.message, ellipsis: s.ellipsis)
        } else if let message {
            buffer.writeLine(message, in: parts.message, style: theme[messageRole], ellipsis: s.ellipsis)
        } else {
            buffer.writeLine("Enter does the selected node's next step; F1 explains every key.", in: parts.message,
                             style: theme[.muted], ellipsis: s.ellipsis)
        }
        for (i, line) in laterLines(width: parts.later.width, theme: theme).prefix(parts.later.height).enumerated() {
            buffer.writeLine(line, in: parts.later.row(i), ellipsis: s.ellipsis)
        }

        if let modal { renderModal(modal, in: area, into: &buffer, theme: theme) }
    }

    /// "Do it later: joget-cluster licenses ..." on one line when it fits, else the command on a
    /// line of its own (wrapped when even that is too narrow): the command is never cut.
    func laterLines(width: Int, theme: Theme) -> [[Span]] {
        let lead = Span("Do it later: ", style: theme[.muted])
        let command = Span(comeBack, style: theme[.label].bold())
        let aside = Span("  (everything is saved as you go)", style: theme[.muted])
        if lead.width + command.width + aside.width <= width { return [[lead, command, aside]] }
        if lead.width + command.width <= width { return [[lead, command]] }
        let head = [Span("Do it later (everything is saved as you go) with:", style: theme[.muted])]
        return [head] + TextLayout.wrap(comeBack, width: max(1, width)).prefix(2).map { [Span($0, style: theme[.label].bold())] }
    }

    // MARK: Detail

    /// The steps in Joget for one node, as the operator does them.
    func steps(_ row: LicenseRow, arrow: String) -> [String] {
        [
            "Open the URL above in a browser: this node directly, not the load balancer.",
            "Log in as admin (default admin/admin).",
            "Open Settings \(arrow) General Settings \(arrow) License, or the License link in the footer.",
            "Copy the system key shown there, press k and paste it here.",
            "Request an Enterprise (or Large Enterprise) Edition license on Joget's site with that key: the free Community Edition does not cluster (e or E exports the list for whoever buys them).",
            "Paste the license key from the e-mail into the node's License pop-up, press l to record it here, then c to check.",
        ]
    }

    /// The step the node is at (0-based), or nil when it is activated.
    static func currentStep(_ status: LicenseStatus) -> Int? {
        switch status {
        case .keyNeeded, .needsReactivation: return 0
        case .keyRecorded: return 4
        case .licenseEntered: return 5
        case .activated, .retired: return nil
        }
    }

    /// The detail of `row`, wrapped to `width`: a label column, then the text; nothing is cut.
    func detailLines(_ row: LicenseRow, width: Int, theme: Theme) -> [[Span]] {
        guard width > 4 else { return [] }
        let s = theme.symbols
        let labelWidth = width >= 50 ? 13 : 0
        let textWidth = width - labelWidth
        var out: [[Span]] = []

        /// One entry: `lead` on the first line (a marker, a date), continuation lines under the text;
        /// `aside` after the last line when it fits there (else left out: it only repeats).
        func add(_ label: String, _ text: String, _ role: Role = .normal, lead: String = "", leadRole: Role = .muted,
                 aside: String = "") {
            let leadWidth = TextWidth.of(lead)
            let room = max(4, textWidth - leadWidth)
            var lines = TextLayout.wrap(text, width: room)
            if lines.isEmpty { lines = [""] }
            var asideSpan: Span?
            if !aside.isEmpty, let last = lines.last, TextWidth.of(last) + 2 + TextWidth.of(aside) <= room {
                asideSpan = Span("  " + aside, style: theme[.muted])
            }
            if labelWidth == 0 && !label.isEmpty {
                out.append([Span(label, style: theme[.label].bold())])
            }
            for (i, line) in lines.enumerated() {
                var spans: [Span] = []
                if labelWidth > 0 {
                    spans.append(Span(TextLayout.pad(i == 0 ? label : "", to: labelWidth), style: theme[.label].bold()))
                }
                spans.append(Span(i == 0 ? lead : String(repeating: " ", count: leadWidth), style: theme[leadRole]))
                spans.append(Span(line, style: theme[role]))
                if i == lines.count - 1, let asideSpan { spans.append(asideSpan) }
                out.append(spans)
            }
        }

        add("URL", row.url, row.isRetired ? .muted : .title, aside: row.isRetired ? "(retired: no longer in the answers)" : "(this node, not the balancer)")
        if let key = row.systemKey {
            let how = row.keySource == .read ? "read from the node" : "pasted"
            let since = row.history.last(where: { $0.status == .keyRecorded })?.at
            add("System key", key, aside: "(\(how)\(since.map { " " + date($0, long: false) } ?? ""))")
            if let shown = row.currentKey, shown.lowercased() != key.lowercased() {
                add("", "the node now shows \(shown)", .warning)
            }
        } else if row.isRetired {
            add("System key", "none was recorded", .muted)
        } else {
            add("System key", "not recorded yet: k pastes it (r tries to read it from the node)", .muted)
        }
        if row.licenseKey != nil {
            let shown = revealed.contains(row.node)
            add("License key", row.license(revealed: shown), aside: shown ? "(v hides it)" : "(masked; v shows it)")
        } else {
            add("License key", "none recorded yet", .muted)
        }
        add("Status", row.statusText + (row.statusSince.map { " since \(date($0))" } ?? ""), Self.role(of: row.status))

        let notes = seen[row.node] ?? []
        for (i, note) in notes.enumerated() {
            let role: Role = note.hasPrefix("could not") || note.contains("not found") || note.contains("cannot tell") ? .warning : .normal
            add(i == 0 ? "Seen" : "", note, role)
        }
        if let check = row.lastCheck, !notes.contains(where: { $0.hasSuffix(check) || check.hasSuffix($0) }) {
            add("Last check", check, check.hasPrefix("cannot tell") || check.contains("not found") ? .warning : .normal)
        }

        let arrow = s.isASCII ? "->" : "→"
        if row.isRetired {
            add("Steps", "None: the node left the answers and is no longer read or checked. Its row is kept for the record: "
                + (row.systemKey == nil ? "no system key was recorded." : "its license was made for the system key above, which the vendor asks for when that license goes to a new node."),
                .muted)
        } else if let at = Self.currentStep(row.status) {
            if row.status == .needsReactivation {
                add("Steps", "Its key changed: record the new key, then request a license for it.", .warning)
            }
            if at > 0 {
                let key = row.keySource == .read ? "system key read from the node's pages" : "system key copied from the node's License pop-up"
                let done = at == 4 ? key + " and recorded here" : "system key recorded, license requested"
                add("Steps", done, .muted, lead: TextLayout.pad(s.done, to: 2) + "1-\(at) ", leadRole: .ok)
            }
            for (i, step) in steps(row, arrow: arrow).enumerated() where i >= at {
                add(i == 0 && row.status != .needsReactivation ? "Steps" : "", step, .normal,
                    lead: TextLayout.pad(i == at ? s.focusMarker : "", to: 2) + "\(i + 1) ", leadRole: i == at ? .title : .muted)
            }
        } else {
            add("Steps", "Nothing left: the node's console shows it licensed.", .ok)
        }

        if let recorded = row.recorded {
            add("Facts", "with the key: " + recorded.summary)
        }
        if let current = row.current {
            let what = current == NodeFacts() ? "nothing could be read (see Seen)" : current.summary
            add(row.recorded == nil ? "Facts" : "", "read \(date(row.lastRead)): " + what, row.recorded == nil ? .normal : .muted)
        }
        if row.recorded == nil && row.current == nil && !row.isRetired {
            add("Facts", "not read yet (MAC, datasource profile, version, edition): r reads every node", .muted)
        }

        for (i, change) in row.history.enumerated().reversed() {
            let text = change.status.title + (change.note.map { ": \($0)" } ?? "")
            add(i == row.history.count - 1 ? "History" : "", text, .normal, lead: date(change.at) + "  ")
        }
        return out
    }

    // MARK: Modals

    func renderModal(_ modal: Modal, in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let s = theme.symbols
        switch modal {
        case .leave(let d):
            d.render(area, into: &buffer, theme: theme)
            return
        case .systemKey, .license:
            break
        }
        guard let node = modal.node, let row = checklist.row(node) else { return }
        let width = min(area.width, 76)
        let inner = width - 4
        let arrow = s.isASCII ? "->" : "→"
        let intro: String
        let title: String
        var error: String?
        switch modal {
        case .systemKey(_, let field):
            title = "System key of \(node)"
            intro = "Open \(row.url) (this node, not the balancer), log in as admin and open Settings \(arrow) General Settings \(arrow) License, or the License link in the footer. Copy the System Key shown there and paste it here."
                + (row.systemKey.map { "\n\nRecorded now: \($0)" } ?? "")
            error = field.error
        case .license(_, let field):
            title = "License key of \(node)"
            intro = "Paste the license key Joget sent for \(node)'s system key \(row.systemKey ?? "?"). It is kept only in licenses.json (mode 0600) and shown masked. Enter it in \(node)'s own License pop-up too, at \(row.url)."
            error = field.error
        case .leave:
            return
        }
        let introLines = TextLayout.wrap(intro, width: inner)
        let errorLines = error.map { TextLayout.wrap($0, width: inner) } ?? []
        let hintText: String
        if case .license = modal { hintText = "Enter records it, F2 shows or hides what you typed, Esc cancels." }
        else { hintText = "Enter records it, Esc cancels." }
        let height = min(area.height, 2 + 1 + introLines.count + 1 + 1 + errorLines.count + 1 + 1 + 1)
        let box = area.centered(width: width, height: height)
        buffer.cursor = nil
        buffer.clear(box, style: theme[.normal])
        Block(title: title, borderRole: error == nil ? .border : .error).render(box, into: &buffer, theme: theme)
        let content = box.inset(horizontal: 2, vertical: 1)
        var y = content.y + 1
        func line(_ text: String, _ role: Role) {
            guard y < content.bottom else { return }
            buffer.writeLine(text, in: Rect(x: content.x, y: y, width: content.width, height: 1), style: theme[role], ellipsis: s.ellipsis)
            y += 1
        }
        for l in introLines { line(l, .normal) }
        y += 1
        if y < content.bottom {
            let fieldRow = Rect(x: content.x, y: y, width: content.width, height: 1)
            switch modal {
            case .systemKey(_, var field):
                field.error = nil
                field.preferredWidth = content.width - 12
                field.renderField(fieldRow, into: &buffer, theme: theme, labelWidth: 12)
            case .license(_, var field):
                field.error = nil
                field.preferredWidth = content.width - 12
                field.renderField(fieldRow, into: &buffer, theme: theme, labelWidth: 12)
            case .leave: break
            }
            y += 1
        }
        let cursor = buffer.cursor
        for l in errorLines { line(l, .error) }
        y += 1
        line(hintText, .muted)
        buffer.cursor = cursor
    }
}
