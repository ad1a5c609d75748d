import Foundation

/// The Joget bundle on this machine, looked into before any step runs: a readable archive (tar.gz
/// or zip) holding one Tomcat, `wflow/wflow-cluster.jar` and `jw.war`, as the hosts' unpacking
/// script wants (assets/scripts/hosts/bundle.sh). Listing a 1 GB tar.gz takes seconds; finding
/// out at the upload, after every host's packages were installed, takes much longer.
public enum LocalBundle {
    /// What is wrong with the bundle at `path`, in words naming it; nil when it can be installed.
    public static func problem(at path: String) async -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            return "\(path) does not exist on this machine"
        }
        guard FileManager.default.isReadableFile(atPath: path) else { return "\(path) cannot be read (permissions)" }
        let entries: [String]
        if isFolder.boolValue {
            guard let walk = FileManager.default.enumerator(atPath: path) else { return "\(path) cannot be read" }
            entries = walk.compactMap { $0 as? String }
        } else {
            let zip = path.lowercased().hasSuffix(".zip")
            let listed: ProcessSupport.Collected
            do {
                listed = try await ProcessSupport.collect(zip ? "unzip" : "tar", zip ? ["-Z1", path] : ["-tf", path], limit: 64 << 20)
            } catch {
                return "\(path) cannot be listed: \(error)"
            }
            guard listed.status == 0 else {
                let why = String(decoding: listed.stderr, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "exit \(listed.status)"
                return "\(path) is not a readable \(zip ? "zip" : "tar.gz") archive (\(why))"
            }
            entries = String(decoding: listed.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        return missing(in: entries).map { "\(path) holds no \($0)" }
    }

    /// The first piece the unpacking script needs that the listed entries lack, in words.
    static func missing(in entries: [String]) -> String? {
        let names = entries.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        func parts(_ e: String) -> [Substring] { e.split(separator: "/") }
        // Within three folders of the top, as the script looks.
        let tomcats = Set(names.compactMap { e -> String? in
            let p = parts(e)
            guard p.count >= 3, p.count <= 5, p[p.count - 1] == "catalina.sh", p[p.count - 2] == "bin",
                  p[p.count - 3].hasPrefix("apache-tomcat-") else { return nil }
            return p.dropLast(2).joined(separator: "/")
        })
        if tomcats.isEmpty { return "Tomcat (apache-tomcat-*/bin/catalina.sh)" }
        guard tomcats.count == 1, let tomcat = tomcats.first else { return "single Tomcat: it has \(tomcats.sorted().joined(separator: ", "))" }
        // wflow sits beside the Tomcat folder.
        let top = parts(tomcat).dropLast().joined(separator: "/")
        let wflow = (top.isEmpty ? "" : top + "/") + "wflow"
        if !names.contains(wflow) && !names.contains(where: { $0.hasPrefix(wflow + "/") }) { return "wflow folder beside \(tomcat)" }
        if !names.contains(wflow + "/wflow-cluster.jar") {
            return "wflow/wflow-cluster.jar: it cannot be clustered (a Joget DX 8 Enterprise or Large Enterprise bundle can)"
        }
        if !names.contains(where: { $0 == "jw.war" || $0.hasSuffix("/jw.war") }) { return "jw.war" }
        return nil
    }
}
