/// Layer 4, "Load balancer": Apache httpd 2.4 with mod_proxy_balancer and sticky sessions on the
/// nodes' jvmRoute. The modules and the site can be prepared early; Apache (re)loads the site only
/// after every node has started.
extension Planner {
    /// The modules the site needs. The guide's list lacks lbmethod_byrequests (Apache then refuses to
    /// start: "Cannot find LB Method: byrequests") and proxy_wstunnel (for the ws:// members);
    /// proxy_hcheck asks each node for its ready file, so a node leaves before it stops.
    static func apacheModules(_ c: Cluster) -> [String] {
        var mods = ["headers", "alias", "proxy", "proxy_http", "proxy_balancer", "lbmethod_byrequests", "proxy_wstunnel", "proxy_hcheck"]
        if c.answers.loadBalancer.tls != nil { mods.append("ssl") }
        return mods
    }

    /// What the site serves: the nodes, the nodes but one (a rolling upgrade replaces it), or
    /// the maintenance page (a safe upgrade: every /jw request answered 503 with Retry-After).
    enum SiteMode: Equatable { case serving, without(Node), maintenance }

    static func siteContext(_ c: Cluster, _ mode: SiteMode = .serving) -> TemplateContext {
        let lb = c.answers.loadBalancer
        var ctx = TemplateContext(["serverName": .text(lb.serverName)])
        var listen: [TemplateContext] = []
        // Debian's ports.conf already listens on 80, and on 443 when mod_ssl is on; twice is an error.
        if lb.httpPort != 80 { listen.append(TemplateContext(["port": .text(String(lb.httpPort)), "protocol": ""])) }
        if let tls = lb.tls, tls.httpsPort != 443 {
            listen.append(TemplateContext(["port": .text(String(tls.httpsPort)), "protocol": " https"]))
        }
        ctx.lists["listen"] = listen
        ctx["readyPath"] = .text(Layout.readyPath)
        ctx.lists["members"] = c.app.nodes.filter { mode != .without($0) }.map { n in
            TemplateContext(["hostPort": .text("\(c.urlHost(n.host)):\(c.answers.httpPort(of: n))"), "route": .text(n.name)])
        }
        let serves = mode == .maintenance ? "maintenance" : "proxy"
        var http = TemplateContext(["port": .text(String(lb.httpPort))])
        http.lists["ssl"] = []
        http.lists["proxy"] = []
        http.lists["maintenance"] = []
        if let tls = lb.tls, let paths = c.tlsPaths {
            let target = "https://\(lb.serverName)" + (tls.httpsPort == 443 ? "" : ":\(tls.httpsPort)") + "/"
            http.lists["redirect"] = [TemplateContext(["target": .text(target)])]
            var https = TemplateContext(["port": .text(String(tls.httpsPort))])
            https.lists["redirect"] = []
            https.lists["ssl"] = [TemplateContext(["certificate": .text(paths.certificate), "key": .text(paths.key)])]
            https.lists["proxy"] = []
            https.lists["maintenance"] = []
            https.lists[serves] = [TemplateContext()]
            ctx.lists["vhosts"] = [http, https]
        } else {
            http.lists["redirect"] = []
            http.lists[serves] = [TemplateContext()]
            ctx.lists["vhosts"] = [http]
        }
        return ctx
    }

    static func siteFile(_ c: Cluster, _ mode: SiteMode = .serving) -> PlannedFile {
        PlannedFile(path: c.family.apacheSitesAvailable + "/jwsite.conf", content: render("jwsite.conf", siteContext(c, mode)),
                    mode: 0o644, owner: "root:root")
    }

    /// The URL the balancer serves Joget at, and curl's `--resolve` to ask it on this host.
    static func balancerURL(_ c: Cluster) -> (url: String, resolve: String) {
        let lb = c.answers.loadBalancer
        let port = lb.tls?.httpsPort ?? lb.httpPort
        return ("\(lb.tls == nil ? "http" : "https")://\(lb.serverName):\(port)/jw/", "\(lb.serverName):\(port):127.0.0.1")
    }

    static func loadBalancerSteps(_ c: Cluster) -> [Step] {
        let f = c.family, lb = c.answers.loadBalancer, host = lb.host
        let mods = apacheModules(c)
        let modules = Step(
            id: id(.modules, host), layer: .loadBalancer, host: host,
            title: "Enable Apache's proxy and balancer modules (\(mods.joined(separator: " ")))",
            check: mods.enumerated().reduce(Script()) { s, m in
                s + (m.offset == 0 ? "" : " && ")
                    + Sh.require("[ -e \(f.apacheModsEnabled + "/" + m.element + ".load") ]", because: "Apache's module \(m.element) is not enabled")
            } + "\n",
            apply: Sh.strict + "a2enmod -q \(raw: mods.joined(separator: " "))\n",
            dependsOn: [id(.packages, host)], timeoutSeconds: 60)

        let tls = tlsSteps(c, after: id(.packages, host))
        let file = siteFile(c)
        let enabled = f.apacheSitesEnabled + "/jwsite.conf", defaultSite = f.apacheSitesEnabled + "/\(f.apacheDefaultSite).conf"
        var notes = ["Debian's default site (\(f.apacheDefaultSite)) is disabled: it would answer *:\(lb.httpPort) before jwsite."]
        if let t = lb.tls { notes.append("HTTP on port \(lb.httpPort) redirects to HTTPS on port \(t.httpsPort).") }
        let site = Step(
            id: id(.site, host), layer: .loadBalancer, host: host,
            title: "Write and enable the balancer site jwsite (and disable the default site)",
            check: Sh.matches(file) + " && " + Sh.require("[ -e \(enabled) ]", because: "the site jwsite is not enabled")
                + " && " + Sh.require("[ ! -e \(defaultSite) ]", because: "the default site \(f.apacheDefaultSite) is enabled") + "\n",
            apply: Sh.strict + ScriptFile.load("lb/site-keep.sh", ["site": .value(file.path)]) + Sh.write(file)
                + ScriptFile.load("lb/site-enable.sh", ["site": .value(file.path), "enabled": .value(enabled), "default_site": .value(defaultSite),
                                                        "default_name": .value(f.apacheDefaultSite), "apachectl": .value(f.apacheCtl)]),
            files: [file], dependsOn: [modules.id] + tls.suffix(1).map(\.id), timeoutSeconds: 60, notes: notes)

        var fingerprinted = [file.path]
        if let paths = c.tlsPaths { fingerprinted += [paths.certificate, paths.key] }
        let service = f.apacheService
        let fingerprint = ScriptFile.load("lb/apache-state.sh", ["files": .value(fingerprinted.joined(separator: "\n")),
                                                                 "mods_dir": .value(f.apacheModsEnabled), "sites_dir": .value(f.apacheSitesEnabled)])
        let queries = Sh.serviceQueries + fingerprint
        let helpers = Sh.services + fingerprint
        let stamp = c.stamp("apache2")
        let apache = Step(
            id: id(.apache, host), layer: .loadBalancer, host: host,
            title: "Start Apache, or reload it when its configuration changed",
            check: queries + "need_running \(Sh.service(service)) && need_enabled \(Sh.service(service)) && "
                + Sh.require("[ \"$(cat \(stamp) 2>/dev/null)\" = \"$(fingerprint)\" ]",
                             because: "Apache was (re)loaded before its configuration last changed: it would be reloaded") + "\n",
            apply: helpers + ScriptFile.load("lb/apache.sh", ["unit": .value(service.unit), "init_script": .value(service.initScript),
                                                              "apachectl": .value(f.apacheCtl), "stamp": .value(stamp), "state_dir": .value(c.stateDir)]),
            dependsOn: [site.id] + appStarts(c), timeoutSeconds: 120,
            notes: ["A firewall on \(host) must let clients reach port \(lb.httpPort)\(lb.tls.map { " and \($0.httpsPort)" } ?? "")."])

        let (url, resolve) = balancerURL(c)
        let check = Step(
            id: id(.balancerCheck, host), layer: .loadBalancer, host: host,
            title: "Check that the balancer answers \(url)",
            check: nil,
            apply: ScriptFile.load("lb/check.sh", ["url": .value(url), "resolve": .value(resolve)]),
            dependsOn: [apache.id], optional: true, timeoutSeconds: 120, readOnly: true)
        return [modules] + tls + [site, apache, check]
    }

    /// With TLS: the files uploaded when they are on this machine (each upload is skipped when the
    /// balancer has the same bytes), then checked with openssl before the site names them. The
    /// check is the last step returned.
    static func tlsSteps(_ c: Cluster, after packages: String) -> [Step] {
        guard let tls = c.answers.loadBalancer.tls, let paths = c.tlsPaths else { return [] }
        let host = c.answers.loadBalancer.host
        var uploads: [Step] = []
        if tls.filesOn == .local {
            for (kind, local, remote, mode, what) in [(StepKind.tlsCertificate, tls.certificate, paths.certificate, 0o644, "certificate"),
                                                     (.tlsKey, tls.key, paths.key, 0o600, "key")] {
                uploads.append(Step(
                    id: id(kind, host), layer: .loadBalancer, host: host,
                    title: "Upload the TLS \(what) to \(remote) (mode \(Sh.octal(mode)))",
                    check: nil,
                    apply: ScriptFile.load("lb/tls-file.sh", ["path": .value(remote), "mode": .value(Sh.octal(mode))]),
                    transfer: .upload(local: local, remote: remote),
                    dependsOn: [packages], timeoutSeconds: 60))
            }
        }
        let check = Step(
            id: id(.tlsCheck, host), layer: .loadBalancer, host: host,
            title: "Check the TLS certificate and key: they match, are valid for 30 days, cover \(c.answers.loadBalancer.serverName), chain complete",
            check: nil,
            apply: ScriptFile.load("lb/tls-check.sh", ["cert": .value(paths.certificate), "key": .value(paths.key),
                                                       "server_name": .value(c.answers.loadBalancer.serverName)]),
            dependsOn: [packages] + uploads.map(\.id), timeoutSeconds: 60,
            notes: ["A certificate that fails stops the install before Apache is given it; the site keeps what it served."],
            readOnly: true)
        return uploads + [check]
    }
}
