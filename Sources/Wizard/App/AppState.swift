import ClusterCore
import ClusterEngine
import TermUI

/// The whole wizard as one value: `update` changes it, `AppView` draws it.
public struct AppState {
    public var config: AppConfig
    public var model: SetupModel
    public var page: AppPage = .welcome
    public var welcome: WelcomePage
    /// The five pages of questions, in flow order.
    public var setup: [SetupPage]
    public var review: ReviewPage
    /// The hosted page being shown when it has no service (the summary).
    public var hosted: (any Screen)?
    /// The Run page, while shown: its runner is the runtime's install service.
    public var run: RunPage?
    /// The Verify page, while shown: its checks are the runtime's verify service.
    public var verify: VerifyPage?
    /// "Check for changes", while shown: its dry run is the runtime's drift service.
    public var changes: ChangesPage?
    /// "Back up this cluster", while shown: the backup is the runtime's backup service.
    public var backup: BackupPage?
    /// The license checklist, while shown: its reads and changes are the runtime's license service.
    public var licenses: LicensePage?
    /// "Check hosts and network", while shown: its checkup is the runtime's checkup service.
    public var check: CheckPage?
    /// The runtime's clock, from `.time` messages.
    public var clock: Duration = .zero
    public var hostedPages: HostedPages
    public var dialog: AppDialog?
    /// Dialogs waiting for the one on screen to close (a host key asked while help is open).
    public var queuedDialogs: [AppDialog] = []
    public var size: Size
    /// A page opened from the review returns there on Next.
    public var returnToReview = false
    /// The last save's problem, shown in the header line until the next good save.
    public var saveError: String?
    /// Where the answers were last saved.
    public var savedTo: String?
    /// What earlier runs installed (installed.yaml), nil before the first install; refreshed with each plan built.
    public var installed: Answers?
    /// Resume an unfinished install when Install is chosen.
    public var resumeInstall = false
    public var done = false
    /// Frames drawn with a spinner.
    public var tickCount = 0

    /// - Parameters:
    ///   - answers: pre-filled answers (from `--answers` or the state folder), or nil for a new install.
    ///   - unfinishedInstall: the state folder's journal has a run that did not finish.
    ///   - installed: what earlier runs installed (the state folder's installed.yaml).
    public init(config: AppConfig = AppConfig(), answers: Answers? = nil, savedAnswers: Bool = false,
                givenAnswers: Bool = false, unfinishedInstall: Bool = false, installed: Answers? = nil, found: String? = nil,
                hostedPages: HostedPages = HostedPages(), size: Size = Size(width: 80, height: 24)) {
        self.config = config
        model = SetupModel(answers: answers ?? SetupModel.defaultAnswers())
        welcome = WelcomePage(savedAnswers: savedAnswers || (answers != nil && !givenAnswers), givenAnswers: givenAnswers,
                              unfinishedInstall: unfinishedInstall, installed: installed != nil && !unfinishedInstall,
                              found: found)
        self.installed = installed
        let model = self.model
        setup = SetupSpecs.setupPages.map { SetupPage(spec: $0, model: model) }
        review = ReviewPage(installed: installed)
        review.layOut(model)
        self.hostedPages = hostedPages
        self.size = size
    }

    /// The page on screen: its title, legend and help.
    public var currentPage: any PageChrome {
        if case .setup(let i) = page { return setup[i] }
        return currentScreen ?? welcome
    }

    /// Draws the page on screen; a setup page reads the app's model as it draws.
    public func renderPage(_ area: Rect, into buffer: inout Buffer, theme: Theme) {
        if case .setup(let i) = page {
            setup[i].render(area, model: model, into: &buffer, theme: theme)
        } else {
            currentScreen?.render(area, into: &buffer, theme: theme)
        }
    }

    /// The page on screen as a `Screen`; nil for a setup page (drawn with the model, see `renderPage`).
    var currentScreen: (any Screen)? {
        switch page {
        case .welcome: return welcome
        case .setup: return nil
        case .review: return review
        case .hosted(.run): return run ?? OpeningPage(page: .run)
        case .hosted(.verify): return verify ?? OpeningPage(page: .verify)
        case .hosted(.changes): return changes ?? OpeningPage(page: .changes)
        case .hosted(.backup): return backup ?? OpeningPage(page: .backup)
        case .hosted(.licenses): return licenses ?? OpeningPage(page: .licenses)
        case .hosted(.check): return check ?? OpeningPage(page: .check)
        case .hosted(let h): return hosted ?? PlaceholderPage(page: h)
        }
    }

    /// `3/7 Application servers` for the header.
    public var stepText: String {
        let names = ["Welcome", "Hosts", "Shared files", "Database", "Application servers", "Load balancer", "Review"]
        switch page {
        case .welcome: return "1/7 Welcome"
        case .setup(let i): return "\(i + 2)/7 \(names[i + 1])"
        case .review: return "7/7 Review"
        case .hosted(let h): return h.title
        }
    }
}
