import ClusterCore
import ClusterEngine
import Foundation
import Synchronization
import TestSupport

/// A fake app server node: a tiny HTTP server on loopback (python3's http.server) serving a console
/// page and the footer fragment shaped like Joget's. Its folder steers it:
/// `key` (the system key shown; empty: a pop-up without a key), `activated` (present: "Licensed
/// to" and no license link), `mode` (`login`: the console answers 302; `unexpected`: every page is
/// an unrelated one).
final class LicenseFakeNode: @unchecked Sendable {
    static let handler = #"""
        import html, http.server, os, signal, sys
        # A child of a test process may inherit blocked signals: let SIGTERM end this server.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
        root = sys.argv[1]

        def read(name):
            try:
                with open(os.path.join(root, name)) as f:
                    return f.read().strip()
            except OSError:
                return None

        def footer():
            licensed = read("activated")
            if licensed is not None:
                return ('<div class="footer-text">Powered by Joget DX 8.1.6 Enterprise Edition | '
                        '<span id="licensed-to">Licensed to: %s</span></div>\n' % html.escape(licensed or "Example Org"))
            key = read("key") or ""
            return ('<div class="footer-text">Powered by Joget DX 8.1.6 Enterprise Edition | '
                    '<a id="license-link" href="#license">License</a></div>\n'
                    '<div id="license" class="license-popup"><h3>License</h3>\n'
                    '<p>System Key: <span id="system-key">%s</span></p>\n'
                    '<form><label>License key <textarea name="licenseKey"></textarea></label></form></div>\n' % html.escape(key))

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path, _, query = self.path.partition("?")
                with open(os.path.join(root, "requests.log"), "a") as f:
                    f.write(self.path + "\n")
                mode = read("mode") or ""
                if mode == "login" and path == "/jw/web/console/home":
                    self.send_response(302)
                    self.send_header("Location", "/jw/web/login")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if mode == "unexpected":
                    body = "<html><body><h1>It works!</h1></body></html>\n"
                elif path == "/jw/web/console/home":
                    body = ('<!DOCTYPE html>\n<html><head><title>Console</title></head><body>\n'
                            '<div id="header">App Center</div>\n<div id="footer">' + footer() + '</div>\n</body></html>\n')
                elif path == "/jw/web/json/plugin/org.joget.apps.ext.ConsoleWebPlugin/service" and query == "spot=footer":
                    body = footer()
                else:
                    self.send_error(404)
                    return
                data = body.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        with open(os.path.join(root, "port.tmp"), "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(os.path.join(root, "port.tmp"), os.path.join(root, "port"))
        server.serve_forever()
        """#

    let dir: String
    private(set) var port = 0
    private var pid: pid_t = 0

    init(dir: String, key: String?) throws {
        self.dir = dir
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try LicenseFakeNode.handler.write(toFile: dir + "/server.py", atomically: true, encoding: .utf8)
        set("key", key)
        try start()
    }

    func set(_ name: String, _ value: String?) {
        let path = dir + "/" + name
        if let value { try? value.write(toFile: path, atomically: true, encoding: .utf8) } else { try? FileManager.default.removeItem(atPath: path) }
    }

    var requests: [String] {
        ((try? String(contentsOfFile: dir + "/requests.log", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func start() throws {
        try? FileManager.default.removeItem(atPath: dir + "/port")
        pid = try Program.spawn(["python3", dir + "/server.py", dir])
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: dir + "/port", encoding: .utf8), let n = Int(text) { port = n; return }
            usleep(25_000)
        }
        stop()
        throw POSIXError(.ETIMEDOUT)
    }

    /// SIGKILL: nothing to clean up, and it cannot be blocked.
    func stop() {
        guard pid > 0 else { return }
        kill(pid, SIGKILL)
        Program.wait(pid)
        pid = 0
    }

    deinit { stop() }
}

/// A fake server for a node: its default route's interface and that interface's MAC live in a
/// folder, and the capture script is pointed at them through its environment.
struct LicenseFakeHost {
    let name: String
    let dir: String
    static let device = "eth7"

    init(name: String, dir: String, mac: String) throws {
        self.name = name; self.dir = dir
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/sys/class/net/\(Self.device)", withIntermediateDirectories: true)
        try "default via 10.213.7.1 dev \(Self.device) proto static metric 100\n".write(toFile: dir + "/route", atomically: true, encoding: .utf8)
        try "#!/bin/sh\n[ \"$1 $2 $3\" = \"route show default\" ] && cat \"$(dirname \"$0\")/route\"\n"
            .write(toFile: dir + "/ip", atomically: true, encoding: .utf8)
        chmod(dir + "/ip", 0o755)
        setMAC(mac)
    }

    func setMAC(_ mac: String) {
        try? (mac + "\n").write(toFile: dir + "/sys/class/net/\(Self.device)/address", atomically: true, encoding: .utf8)
    }

    var environment: [String: String] {
        ["JC_SYSFS_ROOT": dir + "/sys", "JC_IP": dir + "/ip", "JC_PROC_ROUTE": dir + "/no-such-route"]
    }
}

/// Runs scripts in a real local `/bin/sh` (script on stdin), with the fake host's environment.
/// Every line it delivers is also kept, to check what reached the caller.
final class LicenseShell: Transport, @unchecked Sendable {
    let hostName: String
    let environment: [String: String]
    let reachable: Bool
    private let seen = Mutex<[String]>([])
    private let runs = Mutex(0)

    init(hostName: String, environment: [String: String], reachable: Bool = true) {
        self.hostName = hostName; self.environment = environment; self.reachable = reachable
    }

    var lines: [String] { seen.withLock { $0 } }
    var runCount: Int { runs.withLock { $0 } }

    func connect() async throws {
        if !reachable { throw TransportError.unreachable(host: hostName, detail: "connection refused") }
    }

    func run(_ script: String, timeout: Duration, onLine: @escaping @Sendable (OutputLine) -> Void) async -> CommandResult {
        runs.withLock { $0 += 1 }
        let environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let result: Program.Result = await withCheckedContinuation { done in
            DispatchQueue.global().async {
                done.resume(returning: Program.run(["/bin/sh", "-s"], input: script, environment: environment, mergeErrors: true))
            }
        }
        var text = result.output
        if text.hasSuffix("\n") { text.removeLast() }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            seen.withLock { $0.append(String(line)) }
            onLine(OutputLine(stream: .stdout, text: String(line)))
        }
        return .exited(result.status)
    }

    func upload(localPath: String, remotePath: String, mode: Int) async throws -> UploadOutcome {
        throw TransportError.transferFailed(host: hostName, detail: "not in this fake")
    }
    func download(remotePath: String, localPath: String) async throws {
        throw TransportError.transferFailed(host: hostName, detail: "not in this fake")
    }
    func close() async {}
}

/// Lines given to a log callback from any thread.
final class LicenseLog: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// A temporary folder removed at the end of the test.
final class LicenseTempDir: @unchecked Sendable {
    let path: String
    init() throws {
        var template = Array((NSTemporaryDirectory() + "/jc-license-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else { throw POSIXError(.EIO) }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
