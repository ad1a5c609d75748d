import Foundation

/// Formats of the list handed to whoever requests the licenses. Never holds a license key.
public enum LicenseExportFormat: String, CaseIterable, Sendable {
    case md, csv
}

extension LicenseChecklist {
    /// Node, its own URL, system key, edition, version and status: what a license request needs.
    /// Retired nodes too (status "retired"), after the others: the key their license was made for
    /// is what the vendor asks when that license goes to a new node.
    public func export(_ format: LicenseExportFormat) -> String {
        let header = ["Node", "URL", "System key", "Edition", "Version", "Status"]
        let lines = rows.map { row -> [String] in
            let build = row.build
            return [row.node, row.url, row.systemKey ?? "", build.edition, build.version, row.statusText]
        }
        switch format {
        case .csv:
            return ([header] + lines).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .md:
            var out = "# Joget DX licenses for cluster \(Self.mdCell(cluster))\n\n"
            out += "A Joget DX 8 cluster runs the Enterprise or Large Enterprise Edition (the Community Edition\n"
            out += "does not cluster). Request one license per node with its system key. Activate each node at its\n"
            out += "own URL (log in as admin, footer link \"License\"), not through the load balancer.\n"
            if rows.contains(where: \.isRetired) {
                out += "Retired nodes are out of the cluster: their license, made for the system key shown, is free again.\n"
            }
            out += "\n"
            out += "| " + header.joined(separator: " | ") + " |\n"
            out += "|" + String(repeating: "---|", count: header.count) + "\n"
            for line in lines {
                var cells = line.map(Self.mdCell)
                if cells[2].isEmpty { cells[2] = "(not recorded yet)" }
                out += "| " + cells.joined(separator: " | ") + " |\n"
            }
            return out
        }
    }

    /// RFC 4180: quoted when it holds a comma, a quote or a line break.
    static func csvField(_ value: String) -> String {
        value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    static func mdCell(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    /// The checklist as plain text for a terminal: license keys masked unless `revealLicenses`.
    /// `timeZone` only for tests; times are shown to the minute.
    public func table(revealLicenses: Bool = false, timeZone: TimeZone = .current) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let header = ["NODE", "URL (direct, not the balancer)", "SYSTEM KEY", "LICENSE", "STATUS", "SINCE"]
        let body = rows.map { row in
            [row.node, row.url, row.systemKey ?? "-", row.licenseKey == nil ? "-" : row.license(revealed: revealLicenses),
             row.status.title, row.statusSince.map(formatter.string(from:)) ?? ""]
        }
        var widths = header.map(\.count)
        for line in body { for (i, cell) in line.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = render(header) + "\n"
        for (row, line) in zip(rows, body) {
            out += render(line) + "\n"
            if row.status == .needsReactivation, !row.reactivation.isEmpty {
                out += "    changed since the key was recorded: " + row.reactivation.map(\.description).joined(separator: "; ") + "\n"
            }
            if let check = row.lastCheck { out += "    last check: \(check)\n" }
        }
        return out
    }
}
