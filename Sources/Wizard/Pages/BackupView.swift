import TermUI

/// What the backup page shows: what it is doing or how it ended, then the backup's own lines.
public struct BackupView: Sendable, Equatable {
    public enum State: Sendable, Equatable { case running, done(String), failed(String) }
    public var folder: String
    public var lines: [String] = []
    public var state: State = .running

    public init(folder: String, lines: [String] = [], state: State = .running) {
        self.folder = folder; self.lines = lines; self.state = state
    }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        buffer.clear(area, style: theme[.normal])
        let inner = area.inset(horizontal: 2, vertical: 1)
        guard inner.width > 0, inner.height > 2 else { return }
        let head: (String, Role)
        switch state {
        case .running: head = ("Backing up the database and the shared folder into \(folder)/ ...", .normal)
        case .done(let f): head = ("Done: \(f)\nRestore it with: joget-cluster restore \(f)", .ok)
        case .failed(let why): head = ("The backup failed: \(why)", .error)
        }
        // The folder's path is long: the head wraps, and the progress lines go below it.
        let paragraph = Paragraph(head.0, role: head.1)
        let headHeight = min(inner.height - 1, paragraph.lines(width: inner.width).count)
        paragraph.render(Rect(x: inner.x, y: inner.y, width: inner.width, height: headHeight), into: &buffer, theme: theme)
        let room = inner.height - headHeight - 1
        for (i, line) in lines.suffix(max(0, room)).enumerated() {
            Paragraph(line, role: .muted, wrap: false).render(Rect(x: inner.x, y: inner.y + headHeight + 1 + i, width: inner.width, height: 1),
                                                             into: &buffer, theme: theme)
        }
    }
}
