/// A node's Tomcat log of its current run only, and the cluster members it says are present now:
/// read by the members check (`app.members@NODE`) and by the plan's cluster-check step.
///
/// Where the log is: with systemd as PID 1 the node runs as its unit, and Tomcat's console goes to
/// the journal, so the log is the journal of the unit's current invocation (its InvocationID); else
/// it is `logs/catalina.out` from the last line Tomcat prints when it starts (`Server version name:`
/// or `Starting service [`), as earlier runs are in the same file.
///
/// Members are counted from SimpleTcpCluster's messages (Tomcat 8.5 to 10, `org.apache.catalina.ha.tcp`
/// LocalStrings `simpleTcpCluster.member.added` and `.disappeared`), matched by the member's address:
/// `Replication member added:[…[tcp://{10, 0, 0, 12}:4000,…]]` and `Received member disappeared:[…]`.
/// They are English because the node runs with LANG=C.UTF-8.
public enum NodeLog {
    /// One `JC member=` line: a member came or went.
    public struct Event: Sendable, Equatable {
        public var added: Bool
        /// `HOST:PORT` as Tomcat wrote it: `{10, 0, 0, 12}:4000` (multicast) or `10.0.0.12:4000` (static).
        public var member: String
    }

    static let addedText = "Replication member added:"
    static let goneText = "Received member disappeared:"

    /// Shell defining `node_log`, which prints, as `JC` lines:
    /// `active=` (`active` when the node runs), `log=` (what was read), `logerror=` (why nothing
    /// could be read), `started=yes|no` (a start line was found), `loglines=` (lines of this run),
    /// `manager=yes` (a clustering session manager started in this run: Tomcat 8.5 logs "Starting
    /// clustering manager at", 9 and 10 "Register manager [...] to cluster element"), and one `member=` line per
    /// member that came or went in this run, in order.
    public static func functions(unit: String, catalinaOut: String, pidFile: String) -> Script {
        ScriptFile.load("app/node-log.sh", ["log_unit": .value(unit), "catalina_out": .value(catalinaOut), "log_pid_file": .value(pidFile)])
    }

    /// awk reading `node_log`'s lines and printing how many members are present: added, less those
    /// that disappeared since (assets/scripts/app/members-present.awk).
    public static var presentAwk: String { ScriptFile.text("app/members-present.awk") }

    /// The event of one `JC member=` value, nil when it names no `tcp://HOST:PORT`.
    public static func event(_ line: String) -> Event? {
        guard let tcp = line.range(of: "tcp://") else { return nil }
        let rest = line[tcp.upperBound...]
        let host: Substring, afterHost: Substring
        if rest.hasPrefix("{") {
            guard let close = rest.firstIndex(of: "}") else { return nil }
            host = rest[...close]
            afterHost = rest[rest.index(after: close)...]
        } else {
            // Up to the first comma, the port after the last colon (an IPv6 address has colons too).
            let word = rest.prefix { $0 != "," }
            guard let colon = word.lastIndex(of: ":") else { return nil }
            host = word[..<colon]
            afterHost = word[colon...]
        }
        guard afterHost.hasPrefix(":") else { return nil }
        let port = afterHost.dropFirst().prefix { $0.isASCII && $0.isNumber }
        guard !port.isEmpty, !host.isEmpty else { return nil }
        if line.contains(addedText) { return Event(added: true, member: "\(host):\(port)") }
        if line.contains(goneText) { return Event(added: false, member: "\(host):\(port)") }
        return nil
    }

    /// The members present after these `JC member=` values, in the order they (last) came.
    public static func present(_ lines: [String]) -> [String] {
        var count: [String: Int] = [:], order: [String] = []
        for e in lines.compactMap(event) {
            if e.added {
                count[e.member, default: 0] += 1
                order.removeAll { $0 == e.member }
                order.append(e.member)
            } else if let n = count[e.member], n > 0 {
                count[e.member] = n - 1
            }
        }
        return order.filter { (count[$0] ?? 0) > 0 }
    }

    /// `{10, 0, 0, 12}:4000` as `10.0.0.12:4000`; anything else as it is.
    public static func readable(_ member: String) -> String {
        guard member.hasPrefix("{"), let close = member.firstIndex(of: "}") else { return member }
        let bytes = member[member.index(after: member.startIndex)..<close].split(separator: ",")
            .map { String($0.filter { $0 != " " }) }
        guard bytes.count == 4, bytes.allSatisfy({ UInt8($0) != nil }) else { return member }
        return bytes.joined(separator: ".") + member[member.index(after: close)...]
    }
}
