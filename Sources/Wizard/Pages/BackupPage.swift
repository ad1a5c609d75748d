import ClusterCore
import ClusterEngine
import TermUI

/// "Back up this cluster" as the app holds it: the backup runs in the runtime's backup service;
/// Esc while it runs stops it (the service is closed) and returns to the Welcome page.
public struct BackupPage: Screen {
    public var view: BackupView

    public init(view: BackupView) { self.view = view }

    public var title: String { "Backup" }
    public var legend: [KeyLegend.Item] { [.init("Esc", view.state == .running ? "Stop and go back" : "Back")] }
    public var help: String? {
        "The database is dumped on its host (--single-transaction, the cluster keeps serving) and the shared folder archived on the first app host; both come here compressed, with their sha256 in manifest.json, written last. Headless: joget-cluster backup [--to DIR]; restore with joget-cluster restore FOLDER."
    }

    public mutating func handle(_ key: Key) -> ScreenRequest { key == .escape ? .back : .ignored }

    public func render(_ area: Rect, into buffer: inout Buffer, theme: Theme) { view.render(area, into: &buffer, theme: theme) }
}
