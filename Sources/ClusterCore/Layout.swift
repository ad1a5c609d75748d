/// Where the install puts things on the hosts, for code outside the planner that needs to find
/// them again (the cluster checks, the Verify and Summary pages, `joget-cluster verify`).
///
/// The planner lays each node out as `<installDir>/<node>` (CATALINA_HOME = CATALINA_BASE, see
/// `Planner+AppServers.swift`), so nodes sharing a host never share a Tomcat folder.
public enum Layout {
    /// A node's Tomcat folder: `<installDir>/<node>`.
    public static func tomcatDirectory(of node: Node, installDir: String) -> String {
        installDir + "/" + node.name
    }

    /// A node's Tomcat folder for these answers.
    public static func tomcatDirectory(of node: Node, in answers: Answers) -> String {
        tomcatDirectory(of: node, installDir: answers.appServers.installDir)
    }

    /// Where a node's Tomcat writes its console log: `<installDir>/<node>/logs/catalina.out`.
    public static func catalinaOut(of node: Node, in answers: Answers) -> String {
        tomcatDirectory(of: node, in: answers) + "/logs/catalina.out"
    }

    /// The pid file of a node's Tomcat (CATALINA_PID in setenv.sh): `<installDir>/<node>/temp/tomcat.pid`.
    public static func pidFile(of node: Node, in answers: Answers) -> String {
        tomcatDirectory(of: node, in: answers) + "/temp/tomcat.pid"
    }

    /// The path the balancer's health check asks each node for. The node answers it from a small
    /// web app of its own (`webapps/joget-cluster`) while its `ready` file exists; the unit removes
    /// the file before Tomcat stops, so the balancer stops sending the node requests first.
    public static let readyPath = "/" + readyApp + "/ready"
    private static let readyApp = "joget-cluster"

    /// The folder of that web app: `<installDir>/<node>/webapps/joget-cluster`.
    public static func readyDirectory(of node: Node, in answers: Answers) -> String {
        tomcatDirectory(of: node, in: answers) + "/webapps/" + readyApp
    }

    /// A node's ready file: `<installDir>/<node>/webapps/joget-cluster/ready`.
    public static func readyFile(of node: Node, in answers: Answers) -> String {
        readyDirectory(of: node, in: answers) + "/ready"
    }

    /// The systemd unit a node runs as: `joget-<node>` (`/etc/systemd/system/joget-<node>.service`).
    public static func unit(of node: Node) -> String { "joget-\(node.name)" }

    /// The address a node answers on directly, bypassing the balancer: `http://ADDRESS:PORT/jw`
    /// (IPv6 addresses in brackets).
    public static func directURL(of node: Node, in answers: Answers) -> String {
        let address = answers.host(named: node.host)?.address ?? node.host
        let host = address.contains(":") ? "[\(address)]" : address
        return "http://\(host):\(answers.httpPort(of: node))/jw"
    }

    /// The cluster's address through the load balancer: `http://NAME:PORT/jw`, NAME being the
    /// balancer's server name, or its host's address when no name is set.
    public static func balancerURL(in answers: Answers) -> String {
        let lb = answers.loadBalancer
        let name = lb.serverName.isEmpty ? (answers.host(named: lb.host)?.address ?? lb.host) : lb.serverName
        let host = name.contains(":") ? "[\(name)]" : name
        // The port only when it is not the scheme's own: the URL as people write and paste it.
        if let tls = lb.tls { return "https://\(host)" + (tls.httpsPort == 443 ? "" : ":\(tls.httpsPort)") + "/jw" }
        return "http://\(host)" + (lb.httpPort == 80 ? "" : ":\(lb.httpPort)") + "/jw"
    }
}
