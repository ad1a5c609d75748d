import ClusterCore
import ClusterEngine
import TermUI

/// The wizard's update function: `update(&state, message) -> effects`, pure but for the state it is given.
public enum App {
    public static func update(_ s: inout AppState, _ message: AppMessage) -> [AppEffect] {
        switch message {
        case .key(let key): return handleKey(&s, key)
        case .resize(let size):
            s.size = size
            let body = AppView.bodyArea(size)
            s.run?.screen.area = body
            s.verify?.screen.area = body
            s.changes?.screen.area = body
            if s.licenses != nil {
                s.licenses!.area = body
                s.licenses!.scrollIntoView()
            }
            return []
        case .time(let now):
            s.clock = now
            if s.run != nil { s.run!.screen.tick(elapsed: now - s.run!.openedAt) }
            if s.verify != nil { s.verify!.screen.tick(elapsed: now - s.verify!.openedAt) }
            if s.changes != nil { s.changes!.screen.tick(elapsed: now - s.changes!.startedAt) }
            return []
        case .run(let m): return runMessage(&s, m)
        case .verify(let m): return verifyMessage(&s, m)
        case .changes(let m): return changesMessage(&s, m)
        case .backup(let m): return backupMessage(&s, m)
        case .licenses(let m): return licenseMessage(&s, m)
        case .checkup(let m): return checkupMessage(&s, m)
        case .clusterOpened(let result, let path): return clusterOpened(&s, result, path: path)
        case .tick:
            s.tickCount += 1
            if s.page == .hosted(.licenses), s.licenses != nil { _ = s.licenses!.tick() }
            if case .hosted = s.page, var h = s.hosted {
                let r = h.tick()
                s.hosted = h
                return handleRequest(&s, r, key: nil)
            }
            return []
        case .hostTest(let host, var test):
            if test.tested == nil, let h = s.model.answers.host(named: host) { test.tested = TestedHost(h) }
            s.model.tests[host] = test
            return []
        case .hostKeyUnknown(let index, let host, let fp, let type):
            let h = s.model.answers.hosts.indices.contains(index) ? s.model.answers.hosts[index] : nil
            let where_ = h.map { "\($0.address) port \($0.port)" } ?? host
            let d = Dialog(title: "Unknown host key: \(host)",
                           message: "\(where_) is not known yet. It offers this \(type) key:\n\n  \(fp)\n\nCompare it with the server's own (ssh-keygen -lf /etc/ssh/ssh_host_\(type.lowercased())_key.pub on the server) before accepting.",
                           buttons: ["Accept", "Refuse"], focused: 1, cancelIndex: 1, maxWidth: 76)
            present(&s, .hostKey(d, hostIndex: index, fingerprint: fp))
            return []
        case .overviewRead(let rows):
            s.welcome.overview = rows
            return []
        case .planBuilt(let result, let installed):
            s.installed = installed
            s.review.installed = installed
            s.review.setPlan(result)
            s.review.layOut(s.model)
            return []
        case .saved(let path, let error):
            s.saveError = error
            if let path { s.savedTo = path }
            return []
        }
    }

    static func present(_ s: inout AppState, _ d: AppDialog) {
        if s.dialog == nil { s.dialog = d } else { s.queuedDialogs.append(d) }
    }

    static func dismissDialog(_ s: inout AppState) {
        s.dialog = s.queuedDialogs.isEmpty ? nil : s.queuedDialogs.removeFirst()
    }

    // MARK: Keys

    static func handleKey(_ s: inout AppState, _ key: Key) -> [AppEffect] {
        if key == .resize { return [] }
        // Only the "too small" notice is drawn: a key would act on a page (or a dialog) no one sees.
        if !s.size.fits(AppView.minimum) {
            // Ctrl-C still leaves (the answers are saved as given), unless an install is running.
            if key == .ctrl("c"), s.run?.busy != true { return exit(&s) }
            return []
        }
        if s.dialog != nil { return handleDialogKey(&s, key) }
        // Hosted pages get every key first (a run page may want Ctrl-C for itself); the setup pages
        // leave the global keys to the app.
        if case .hosted = s.page {
            let request = sendToPage(&s, key)
            let work = licenseWork(&s) + checkWork(&s)
            if request == .ignored, globalKey(&s, key) { return work }
            return work + handleRequest(&s, request, key: key)
        }
        if globalKey(&s, key) { return [] }
        let before = s.model.answers
        let request = sendToPage(&s, key)
        var effects: [AppEffect] = []
        if s.model.answers != before { effects += answersChanged(&s) }
        effects += handleRequest(&s, request, key: key)
        return effects
    }

    /// F1 help, F10 and Ctrl-C quit (after asking). Returns whether the key was one of them.
    static func globalKey(_ s: inout AppState, _ key: Key) -> Bool {
        switch key {
        case .ctrl("c"), .f(10):
            askQuit(&s)
            return true
        case .f(1):
            showHelp(&s)
            return true
        default:
            return false
        }
    }

    static func answersChanged(_ s: inout AppState) -> [AppEffect] {
        s.review.invalidate()
        s.review.layOut(s.model)
        return [.saveAnswers(s.model.answers)]
    }

    /// Makes a setup page's edits to the one setup model, in order.
    static func apply(_ s: inout AppState, _ edits: [SetupEdit]) {
        for e in edits { s.model.apply(e) }
    }

    /// Gives the key to the page on screen. A setup page reads the model through a draft for this
    /// key and hands back its edits, which are made here.
    static func sendToPage(_ s: inout AppState, _ key: Key) -> ScreenRequest {
        switch s.page {
        case .welcome: return s.welcome.handle(key)
        case .setup(let i):
            var draft = SetupDraft(s.model)
            let r = s.setup[i].handle(key, draft: &draft)
            apply(&s, draft.edits)
            return r
        case .review:
            s.review.bodyHeight = max(1, s.size.height - 3)
            s.review.bodyWidth = max(1, s.size.width - 2)
            return s.review.handle(key)
        case .hosted(.run):
            guard s.run != nil else { return key == .escape ? .back : .ignored }
            return s.run!.handle(key)
        case .hosted(.verify):
            guard s.verify != nil else { return key == .escape ? .back : .ignored }
            return s.verify!.handle(key)
        case .hosted(.changes):
            guard s.changes != nil else { return key == .escape ? .back : .ignored }
            return s.changes!.handle(key)
        case .hosted(.backup):
            guard s.backup != nil else { return key == .escape ? .back : .ignored }
            return s.backup!.handle(key)
        case .hosted(.licenses):
            guard s.licenses != nil else { return key == .escape ? .back : .ignored }
            return s.licenses!.handle(key)
        case .hosted(.check):
            guard s.check != nil else { return key == .escape ? .back : .ignored }
            s.check!.bodyHeight = max(1, s.size.height - 3)
            return s.check!.handle(key)
        case .hosted:
            guard var h = s.hosted else { return .back }
            let r = h.handle(key)
            s.hosted = h
            return r
        }
    }

    static func handleRequest(_ s: inout AppState, _ request: ScreenRequest, key: Key?) -> [AppEffect] {
        switch request {
        case .none: return []
        case .ignored:
            if key == .char("q") { askQuit(&s) }
            // `?` is help like F1 wherever the page did not take it as typed text.
            if key == .char("?") { showHelp(&s) }
            return []
        case .quit:
            askQuit(&s)
            return []
        case .back: return goBack(&s)
        case .next: return goNext(&s)
        case .welcome(let option): return welcomeChoice(&s, option)
        case .openCluster(let path): return [.openCluster(path: path)]
        case .edit(let id):
            guard let i = s.setup.firstIndex(where: { $0.spec.id == id }) else { return [] }
            var effects = enter(&s, .setup(i))
            s.returnToReview = true
            // A layer Review marks [!] opens with its problems shown, the focus on the first field at fault.
            if !s.setup[i].problems(s.model).isEmpty {
                let before = s.model.answers
                var draft = SetupDraft(s.model)
                _ = s.setup[i].next(draft: &draft)
                apply(&s, draft.edits)
                if s.model.answers != before { effects += answersChanged(&s) }
            }
            return effects
        case .install: return install(&s)
        // The page already asked (the Run page's "Stop and quit"): no second question.
        case .exit: return exit(&s)
        case .openLog(let path):
            if s.page == .hosted(.run), let run = s.run, !run.opensLogsWithPager { return [.run(.readLog(path))] }
            return [.openPager(path)]
        case .testConnection(.all): return testConnection(&s, s.model.answers.hosts)
        case .testConnection(.host(let i)):
            return s.model.answers.hosts.indices.contains(i) ? testConnection(&s, [s.model.answers.hosts[i]]) : []
        case .run(let r): return runRequest(&s, r)
        case .checkAgain:
            if let effects = checkAgain(&s) { return effects }
            if s.page == .hosted(.verify), s.verify?.problem == nil { return [.verify(.again)] }
            if s.page == .hosted(.changes), s.changes?.problem == nil { return [.changes(.again)] }
            return []
        }
    }

    /// Welcome shows the cluster picked from its list: a fresh state for it, as if the wizard had
    /// been started on its folder; the focus goes to its options.
    static func clusterOpened(_ s: inout AppState, _ result: Result<AppStartup, InvalidAnswers>, path: String) -> [AppEffect] {
        guard s.page == .welcome else { return [] }
        switch result {
        case .success(let startup):
            var fresh = startup.makeState(hostedPages: s.hostedPages)
            fresh.size = s.size
            fresh.clock = s.clock
            fresh.tickCount = s.tickCount
            s = fresh
        case .failure(let error):
            let name = path.split(separator: "/").last.map(String.init) ?? path
            s.welcome.problem = "Cluster \(name) cannot be opened: \(error)"
        }
        return []
    }

    /// Start over never hides the cluster on screen: it is kept in its folder, and the new one gets
    /// a name with no folder yet (unless --state-dir names one folder for every cluster).
    static func askStartOver(_ s: inout AppState) {
        let old = s.model.answers.cluster
        let dir = s.config.stateDirectoryPath(cluster: old) ?? "."
        var name = SetupModel().answers.cluster
        let message: String
        if let fixed = s.config.stateDirectory, !fixed.isEmpty {
            message = "Start over from empty pages? The answers saved in \(fixed) are replaced as you answer; its journal, "
                + "logs and license checklist stay. To keep these answers too, quit and start the wizard with another --state-dir."
        } else {
            var n = 1
            while s.config.hasStateDirectory(cluster: name) {
                n += 1
                name = SetupModel().answers.cluster + "-\(n)"
            }
            message = "Start a new cluster from empty pages? Cluster \(old) stays as it is: its answers, journal, logs and "
                + "license checklist, in \(dir). Come back to it with: joget-cluster --state-dir \(dir)\n\n"
                + "The new cluster is called \(name) until you name it."
        }
        s.dialog = .startOver(Dialog(title: "Start over", message: message, buttons: ["Start over", "Back"], focused: 1,
                                     cancelIndex: 1, maxWidth: 72), newName: name)
    }

    /// Empty pages for a new cluster named `name`; the one before stays in its folder.
    static func startOver(_ s: inout AppState, name: String) -> [AppEffect] {
        s.model = SetupModel()
        s.model.answers.cluster = name
        s.resumeInstall = false
        s.installed = nil
        for i in s.setup.indices {
            s.setup[i] = SetupPage(spec: s.setup[i].spec, model: s.model)
        }
        s.review = ReviewPage(installed: nil)
        s.review.layOut(s.model)
        var effects = enter(&s, .setup(0))
        effects.append(.saveAnswers(s.model.answers))
        return effects
    }

    static func askQuit(_ s: inout AppState) {
        let d = Dialog(title: "Quit", message: "Quit? Your answers are kept.", buttons: ["Quit", "Stay"], focused: 1, cancelIndex: 1)
        s.dialog = .quit(d)
    }

    static func showHelp(_ s: inout AppState) {
        let screen = s.currentPage
        let text = screen.help ?? "No help for this part of the page."
        let keys = "\n\nKeys: Tab/Shift-Tab or Up/Down move, Enter goes on, Esc goes back (nothing is lost), F1 or ? (outside a text field) help, F10 or q (outside a text field) quits."
        var title = s.page == .welcome ? "Help" : "Help: \(screen.title)"
        if case .setup(let i) = s.page, let label = s.setup[i].focusedFieldLabel { title = "Help: \(label)" }
        s.dialog = .help(Dialog(title: title, message: text + keys, buttons: ["OK"], cancelIndex: 0, maxWidth: 72))
    }

    static func handleDialogKey(_ s: inout AppState, _ key: Key) -> [AppEffect] {
        guard var current = s.dialog else { return [] }
        if case .secret(var prompt) = current {
            switch prompt.handle(key) {
            case .none:
                s.dialog = .secret(prompt)
            case .cancelled:
                dismissDialog(&s)
            case .entered(let name, let value):
                s.model.secrets[name] = value
                s.review.layOut(s.model)
                if prompt.current == nil {
                    dismissDialog(&s)
                    return openHosted(&s, prompt.then)
                }
                s.dialog = .secret(prompt)
            }
            return []
        }
        if case .quit = current, key == .ctrl("c") {
            s.done = true
            return [.quit]
        }
        var d = current.dialog
        let r = d.handle(key)
        current.dialog = d
        s.dialog = current
        guard case .action(let index) = r else { return [] }
        switch current {
        case .quit:
            if index == 0 { s.done = true; return [.quit] }
            dismissDialog(&s)
            return []
        case .startOver(_, let name):
            dismissDialog(&s)
            return index == 0 ? startOver(&s, name: name) : []
        case .help, .message, .secret:
            dismissDialog(&s)
            return []
        case .hostKey(_, let hostIndex, let fp):
            dismissDialog(&s)
            guard s.model.answers.hosts.indices.contains(hostIndex) else { return [] }
            let host = s.model.answers.hosts[hostIndex]
            if index == 0 {
                s.model.tests[host.name] = HostTest(checks: [.init("Host key", .running, "recording \(fp)")], isRunning: true,
                                                   tested: TestedHost(host))
                return [.acceptHostKey(host: host, fingerprint: fp, answers: s.model.answers, secrets: s.model.secrets,
                                       knownHostsFile: s.config.knownHostsPath(cluster: s.model.answers.cluster))]
            }
            s.model.tests[host.name] = HostTest(checks: [.init("Host key", .fail, "\(fp) refused: no login was tried")],
                                               tested: TestedHost(host))
            return []
        }
    }

    // MARK: Flow

    static func enter(_ s: inout AppState, _ page: AppPage) -> [AppEffect] {
        s.page = page
        switch page {
        case .setup(let i):
            s.setup[i].refresh(s.model)
            return []
        case .review:
            s.returnToReview = false
            s.review.invalidate()
            s.review.layOut(s.model)
            return [.buildPlan(s.model.answers)]
        case .welcome:
            return s.welcome.overview.isEmpty ? [] : [.readOverview(s.model.answers)]
        default:
            return []
        }
    }

    static func goNext(_ s: inout AppState) -> [AppEffect] {
        switch s.page {
        case .welcome: return enter(&s, .setup(0))
        case .setup(let i):
            if s.returnToReview || i == s.setup.count - 1 { return enter(&s, .review) }
            return enter(&s, .setup(i + 1))
        case .review: return openHosted(&s, .run)
        case .hosted(let h):
            let closing = leaveHosted(&s)
            if let n = h.next { return closing + openHosted(&s, n) }
            s.done = true
            return closing + [.quit]
        }
    }

    static func goBack(_ s: inout AppState) -> [AppEffect] {
        switch s.page {
        case .welcome: return []
        case .setup(let i):
            if s.returnToReview { return enter(&s, .review) }
            return enter(&s, i == 0 ? .welcome : .setup(i - 1))
        case .review: return enter(&s, .setup(s.setup.count - 1))
        case .hosted(let h):
            let closing = leaveHosted(&s)
            if h == .changes || h == .backup { return closing + enter(&s, .welcome) }
            return closing + enter(&s, .review)
        }
    }

    static func testConnection(_ s: inout AppState, _ hosts: [Host]) -> [AppEffect] {
        var ready: [Host] = []
        for h in hosts {
            guard !h.name.isEmpty else { continue }
            var problems: [String] = []
            if let e = FieldRule.address.check(h.address) { problems.append("Address: \(e)") }
            if h.auth != .local, let e = FieldRule.userName.check(h.user) { problems.append("SSH user: \(e)") }
            if h.auth == .key, h.keyFile == nil { problems.append("Key file: is required when auth is key") }
            if problems.isEmpty {
                var started = HostTest.started
                started.tested = TestedHost(h)
                s.model.tests[h.name] = started
                ready.append(h)
            } else {
                s.model.tests[h.name] = HostTest(checks: [.init("Answers", .fail, problems.joined(separator: "; "))],
                                                 tested: TestedHost(h))
            }
        }
        guard !ready.isEmpty else { return [] }
        return [.testConnection(hosts: ready, answers: s.model.answers, secrets: s.model.secrets,
                                knownHostsFile: s.config.knownHostsPath(cluster: s.model.answers.cluster))]
    }

    static func welcomeChoice(_ s: inout AppState, _ choice: WelcomePage.Option) -> [AppEffect] {
        switch choice {
        case .newInstall:
            return enter(&s, .setup(0))
        case .changeCluster:
            // The pages from the start (add a host, then its node), or the first with something missing.
            return enter(&s, firstIncompletePage(s) ?? .setup(0))
        case .checkChanges:
            return openHosted(&s, .changes)
        case .backup:
            return openHosted(&s, .backup)
        case .continueAnswers, .goThroughAnswers:
            // The first page with something missing, else the review.
            return enter(&s, firstIncompletePage(s) ?? .review)
        case .reviewAnswers:
            return enter(&s, .review)
        case .resume:
            s.resumeInstall = true
            return openHosted(&s, .run)
        case .startOver:
            askStartOver(&s)
            return []
        case .licenses:
            return openHosted(&s, .licenses)
        }
    }

    /// The first setup page with something missing, if any.
    static func firstIncompletePage(_ s: AppState) -> AppPage? {
        let problems = Validator.validate(s.model.answers)
        for (i, p) in s.setup.enumerated() where problems.contains(where: { SetupSpecs.owns(p.spec.id, problemField: $0.field) }) {
            return .setup(i)
        }
        return nil
    }

    /// The passwords a hosted page needs before it opens: the install's and the checks' (as Verify
    /// and apply ask them), the dry run's only those its checks and logins use.
    static func neededSecrets(_ page: HostedPage, answers: Answers, installed: Answers?, plan: Plan?) -> Set<SecretName> {
        let host = { (name: String) in answers.host(named: name) ?? installed?.host(named: name) }
        switch page {
        case .changes:
            return plan.map { InstallSession.checkSecrets(of: $0, host: host) } ?? []
        case .run:
            // A host being retired is logged in to with its installed login.
            var names = answers.secretNames
            for retiring in (plan?.hosts ?? []).filter({ answers.host(named: $0) == nil }).compactMap(host) {
                names.formUnion(retiring.loginSecrets)
            }
            return names
        case .verify: return answers.secretNames
        case .check: return Set(answers.hosts.flatMap(\.loginSecrets))
        case .backup: return Backup.neededSecrets(answers)
        case .licenses, .summary: return []
        }
    }

    /// Builds a hosted page from its factory (or a placeholder) and shows it.
    static func openHosted(_ s: inout AppState, _ page: HostedPage) -> [AppEffect] {
        let answers = s.model.answers
        let plan: Plan?
        if let p = s.review.plan { plan = p } else {
            do { plan = try Planner.plan(answers, installed: s.installed) } catch { plan = nil }
        }
        // Passwords are never saved: after a restart, or with --answers, ask for them first.
        let missing = neededSecrets(page, answers: answers, installed: s.installed, plan: plan)
            .filter { s.model.secrets[$0] == nil }.sorted()
        if !missing.isEmpty, Validator.validate(answers).isEmpty {
            present(&s, .secret(SecretPrompt(missing: missing, answers: answers, installed: s.installed, then: page)))
            return []
        }
        if (page == .run || page == .changes) && plan == nil {
            let problems = Validator.validate(answers)
            let text = problems.prefix(5).map { "  \($0.field): \($0.message)" }.joined(separator: "\n")
            present(&s, .message(Dialog(title: page == .run ? "Not ready to install" : "Not ready to check",
                                         message: "The answers are not complete:\n" + text, buttons: ["OK"],
                                         cancelIndex: 0, borderRole: .error, maxWidth: 76)))
            if s.page == .welcome { return enter(&s, .review) }
            return []
        }
        let context = HostedContext(answers: answers, secrets: s.model.secrets, plan: plan,
                                    stateDirectory: s.config.stateDirectoryPath(cluster: answers.cluster) ?? ".",
                                    knownHostsFile: s.config.knownHostsPath(cluster: answers.cluster),
                                    resume: s.resumeInstall)
        // Install from the Review: the hosts' keys and the checkup first (see App+Check).
        if page == .run, s.page == .review, !s.review.checkedForInstall { return openCheck(&s, .install, context) }
        if page == .check { return openCheck(&s, .check, context) }
        s.page = .hosted(page)
        switch page {
        case .run:
            s.run = nil   // until the service says it opened
            return [.run(.start(context))]
        case .verify:
            s.verify = nil
            return [.verify(.start(context))]
        case .changes:
            s.changes = nil
            return [.changes(.start(context))]
        case .backup:
            s.backup = nil
            return [.backup(.start(context))]
        case .licenses:
            s.licenses = nil
            return [.licenses(.open(context))]
        default:
            s.hosted = s.hostedPages.factories[page].map { $0(context) } ?? PlaceholderPage(page: page)
            return []
        }
    }
}

// MARK: Run and Verify

extension App {
    static func runMessage(_ s: inout AppState, _ m: RunMessage) -> [AppEffect] {
        switch m {
        case .opened(var screen, let pager):
            screen.area = AppView.bodyArea(s.size)
            s.run = RunPage(screen: screen, opensLogsWithPager: pager, openedAt: s.clock)
        case .cannotStart(let why, let plan):
            s.run = RunPage(screen: RunScreen(plan: plan), problem: why, openedAt: s.clock)
        case .events(let events, let leftOut):
            // In place: the page's panes are not copied for a batch.
            guard s.run != nil else { return [] }
            s.run!.screen.apply(events, linesLeftOut: leftOut)
        case .idle:
            guard s.run != nil else { return [] }
            s.run!.busy = false
            if s.run!.quitting { return exit(&s) }
        case .log(let viewer):
            s.run?.screen.viewer = viewer
        }
        return []
    }

    static func verifyMessage(_ s: inout AppState, _ m: VerifyMessage) -> [AppEffect] {
        switch m {
        case .opened(let checks):
            var screen = VerifyScreen(checks: checks)
            screen.area = AppView.bodyArea(s.size)
            s.verify = VerifyPage(screen: screen, openedAt: s.clock)
        case .cannotStart(let why):
            s.verify = VerifyPage(screen: VerifyScreen(rows: []), problem: why, openedAt: s.clock)
        case .events(let events):
            guard s.verify != nil else { return [] }
            s.verify!.screen.apply(contentsOf: events)
        }
        return []
    }

    static func changesMessage(_ s: inout AppState, _ m: ChangesMessage) -> [AppEffect] {
        switch m {
        case .opened(let plan):
            var screen = DriftScreen(plan: plan)
            screen.area = AppView.bodyArea(s.size)
            s.changes = ChangesPage(screen: screen, startedAt: s.clock)
        case .cannotStart(let why, let plan):
            s.changes = ChangesPage(screen: DriftScreen(plan: plan), problem: why, startedAt: s.clock)
        case .events(let events):
            guard s.changes != nil else { return [] }
            if events.contains(where: { if case .started = $0 { true } else { false } }) { s.changes!.startedAt = s.clock }
            s.changes!.screen.apply(contentsOf: events)
        }
        return []
    }

    static func backupMessage(_ s: inout AppState, _ m: BackupMessage) -> [AppEffect] {
        switch m {
        case .opened(let folder): s.backup = BackupPage(view: BackupView(folder: folder))
        case .line(let line): s.backup?.view.lines.append(line)
        case .ended(let state): s.backup?.view.state = state
        }
        return []
    }

    static func licenseMessage(_ s: inout AppState, _ m: LicenseMessage) -> [AppEffect] {
        switch m {
        case .opened(var page):
            page.area = AppView.bodyArea(s.size)
            s.licenses = page
            return licenseWork(&s)
        case .progress(let line):
            s.licenses?.progress(line)
        case .finished(let outcome):
            guard s.licenses != nil else { return [] }
            s.licenses!.take(outcome)
            s.licenses!.scrollIntoView()
        }
        return []
    }

    /// The work the license page queued, as effects for the license service.
    static func licenseWork(_ s: inout AppState) -> [AppEffect] {
        guard s.licenses != nil else { return [] }
        s.licenses!.scrollIntoView()
        return s.licenses!.takeWork().map { .licenses(.work($0)) }
    }

    /// The Run page's requests, as work for the install service.
    static func runRequest(_ s: inout AppState, _ r: RunRequest) -> [AppEffect] {
        guard s.run != nil, s.page == .hosted(.run) else { return [] }
        switch r {
        case .retry(let id):
            s.run!.busy = true
            return [.run(.retry(step: id))]
        case .skip(let id):
            s.run!.busy = true
            return [.run(.skip(step: id))]
        case .abort:
            return [.run(.stop)]
        case .stopAndQuit:
            // The page asked already; the app leaves once running steps are recorded as interrupted.
            guard s.run!.busy else { return exit(&s) }
            s.run!.quitting = true
            return [.run(.stop)]
        }
    }

    /// Leaves without a second question, closing the services.
    static func exit(_ s: inout AppState) -> [AppEffect] {
        s.done = true
        return [.quit]
    }

    /// Takes the hosted page off screen; its service is closed.
    static func leaveHosted(_ s: inout AppState) -> [AppEffect] {
        guard case .hosted(let h) = s.page else { return [] }
        switch h {
        case .run:
            s.run = nil
            return [.run(.close)]
        case .verify:
            s.verify = nil
            return [.verify(.close)]
        case .changes:
            s.changes = nil
            return [.changes(.close)]
        case .backup:
            s.backup = nil
            return [.backup(.close)]
        case .licenses:
            s.licenses = nil
            return [.licenses(.close)]
        case .check:
            s.check = nil
            return [.checkup(.close)]
        default:
            s.hosted = nil
            return []
        }
    }
}
