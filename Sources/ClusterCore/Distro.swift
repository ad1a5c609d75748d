/// Everything that differs between the Linux distributions the wizard installs on, in one table:
/// package names, service names and paths. The plan's scripts detect the release at run time
/// (`. /etc/os-release`) and pick from here; no package name is written anywhere else.
///
/// Keyed by package family (only apt today). A dnf family would add its own `Family` value with
/// its paths and service names (httpd, /etc/httpd/conf.d, ...) and its releases.
public enum Distro {
    /// A package the plan needs, by role rather than by name.
    public enum Package: String, CaseIterable, Sendable {
        case java, unzip, zip, curl, iproute, openssl
        case nfsServer, nfsClient
        case apache
        case mariadbServer, mariadbClient, mysqlServer, mysqlClient
    }

    public enum FamilyName: String, Sendable { case apt }

    /// A service by its systemd unit name and its init script name (they differ: nfs-server vs
    /// nfs-kernel-server), because systemctl refuses to enable an alias and `service` wants the script.
    public struct Service: Sendable, Hashable {
        public var unit: String
        public var initScript: String
        public init(_ unit: String, initScript: String? = nil) { self.unit = unit; self.initScript = initScript ?? unit }
    }

    /// What one package family shares: default package names, paths, service names, commands.
    public struct Family: Sendable {
        public var name: FamilyName
        public var packages: [Package: String]
        /// The script (under assets/scripts/) that installs the packages in `$pkgs`.
        public var installScript: String
        /// The script that fails, saying so, unless every package in `$pkgs` is installed.
        public var installedScript: String

        public var apacheService: Service
        public var apacheCtl: String
        public var apachePidFile: String
        public var apacheSitesAvailable: String
        public var apacheSitesEnabled: String
        public var apacheModsEnabled: String
        public var apacheDefaultSite: String  // the site that answers *:80 out of the box

        /// Drop-in folder read by the database server, per engine (for bind-address).
        public var databaseConfDir: [Database.Engine: String]
        public var databaseService: [Database.Engine: Service]
        public var nfsServerService: Service
    }

    /// One release: how /etc/os-release names it, and the package names that differ from its family's.
    public struct Release: Sendable {
        public var id: String          // ID in /etc/os-release
        public var versionID: String   // VERSION_ID
        public var title: String
        public var family: FamilyName
        /// Overrides of the family's package names; nil = not available on this release.
        public var overrides: [Package: String?]

        public func package(_ p: Package) -> String? {
            if let o = overrides[p] { return o }
            return Distro.family(family).packages[p]
        }
    }

    public static let apt = Family(
        name: .apt,
        packages: [
            .java: "default-jre-headless",
            .unzip: "unzip",
            .zip: "zip",
            .curl: "curl",
            .iproute: "iproute2",
            .openssl: "openssl",
            .nfsServer: "nfs-kernel-server",
            .nfsClient: "nfs-common",
            .apache: "apache2",
            .mariadbServer: "mariadb-server",
            .mariadbClient: "mariadb-client",
            .mysqlServer: "mysql-server",
            .mysqlClient: "mysql-client",
        ],
        installScript: "hosts/apt-install.sh",
        installedScript: "hosts/apt-installed.sh",
        apacheService: Service("apache2"),
        apacheCtl: "apache2ctl",
        apachePidFile: "/var/run/apache2/apache2.pid",
        apacheSitesAvailable: "/etc/apache2/sites-available",
        apacheSitesEnabled: "/etc/apache2/sites-enabled",
        apacheModsEnabled: "/etc/apache2/mods-enabled",
        apacheDefaultSite: "000-default",
        databaseConfDir: [.mariadb: "/etc/mysql/mariadb.conf.d", .mysql: "/etc/mysql/mysql.conf.d"],
        databaseService: [.mariadb: Service("mariadb"), .mysql: Service("mysql")],
        nfsServerService: Service("nfs-server", initScript: "nfs-kernel-server"))

    public static func family(_ name: FamilyName) -> Family {
        switch name {
        case .apt: apt
        }
    }

    /// The releases the wizard is tested on.
    public static let releases: [Release] = [
        // Java 17 is Debian 12's default.
        Release(id: "debian", versionID: "12", title: "Debian 12", family: .apt,
                overrides: [.mysqlServer: String?.none, .mysqlClient: "default-mysql-client"]),
        // Ubuntu 22.04 defaults to Java 11; Joget DX 8 runs on 11 or 17, 17 lasts longer.
        Release(id: "ubuntu", versionID: "22.04", title: "Ubuntu 22.04", family: .apt,
                overrides: [.java: "openjdk-17-jre-headless"]),
        // Ubuntu 24.04 defaults to Java 21, which Joget DX 8 does not list.
        Release(id: "ubuntu", versionID: "24.04", title: "Ubuntu 24.04", family: .apt,
                overrides: [.java: "openjdk-17-jre-headless"]),
    ]

    /// For an apt-based release not in the table (a newer Debian or Ubuntu): the family's defaults.
    public static func fallback(_ family: FamilyName) -> Release {
        Release(id: "*", versionID: "*", title: "another \(family.rawValue)-based release", family: family, overrides: [:])
    }

    // MARK: shell

    /// The names of `packages` on each release, as assets/scripts/hosts/select-packages.sh reads
    /// them: one line per release, "ID:VERSION_ID names", then "*" for another apt-based release;
    /// "!why" instead of the names when the release lacks one of them.
    public static func packageTable(_ packages: [Package], why: [Package: String] = [:]) -> String {
        func row(_ pattern: String, _ release: Release) -> String {
            if let missing = packages.first(where: { release.package($0) == nil }) {
                return pattern + " !" + (why[missing] ?? "\(missing.rawValue) is not packaged for \(release.title)")
            }
            return ([pattern] + packages.compactMap { release.package($0) }).joined(separator: " ")
        }
        let rows = releases.map { row("\($0.id):\($0.versionID)", $0) } + [row("*", fallback(.apt))]
        return rows.joined(separator: "\n")
    }

    /// Shell that reads /etc/os-release and refuses what is not apt-based, with words an operator
    /// understands (assets/scripts/lib/os-release.sh).
    public static let detect = ScriptFile.load("lib/os-release.sh")

    /// A human list of the tested releases: "Debian 12, Ubuntu 22.04, Ubuntu 24.04".
    public static var testedTitles: String { releases.map(\.title).joined(separator: ", ") }
}
