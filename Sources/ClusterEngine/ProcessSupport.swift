import ClusterCore
import Foundation
import Subprocess
import Synchronization
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small process helpers on top of swift-subprocess, shared by the transports.
enum ProcessSupport {
    /// A write to a pipe whose reader is gone must be an error, not the end of this program.
    static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// 128 random bits as 32 hex digits: per-command markers, prompts, temp names.
    static func nonce() -> String {
        var rng = SystemRandomNumberGenerator()
        let a = rng.next() as UInt64, b = rng.next() as UInt64
        return a.zeroPadded(16, radix: 16) + b.zeroPadded(16, radix: 16)
    }

    struct Collected: Sendable {
        var status: Int32        // exit code, or 128 + signal
        var stdout: [UInt8]
        var stderr: [UInt8]
        var out: String { String(decoding: stdout, as: UTF8.self) }
        var err: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Runs a short program to the end and collects its output (bounded).
    static func collect(_ executable: String, _ arguments: [String], environment: Environment = .inherit,
                        input: [UInt8]? = nil, limit: Int = 8 << 20) async throws -> Collected {
        _ = ignoreBrokenPipes
        var options = PlatformOptions()
        options.createSession = true  // no controlling terminal: nothing can prompt on it
        let exe: Executable = executable.contains("/") ? .path(FilePath(executable)) : .name(executable)
        let result: ExecutionResult<Void, BytesOutput, BytesOutput>
        if let input {
            result = try await run(exe, arguments: Arguments(arguments), environment: environment,
                                   platformOptions: options, input: .array(input),
                                   output: .bytes(limit: limit), error: .bytes(limit: limit))
        } else {
            result = try await run(exe, arguments: Arguments(arguments), environment: environment,
                                   platformOptions: options, input: .none,
                                   output: .bytes(limit: limit), error: .bytes(limit: limit))
        }
        return Collected(status: code(result.terminationStatus), stdout: result.standardOutput, stderr: result.standardError)
    }

    static func code(_ status: TerminationStatus) -> Int32 {
        switch status {
        case .exited(let c): return Int32(c)
        case .signaled(let s): return 128 + Int32(s)
        }
    }

    /// Finds a program in PATH (and the usual sbin directories), like the shell would.
    static func which(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"] {
            let candidate = dir + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// A private directory for sockets and FIFOs: 0700, short path (unix sockets allow ~104 bytes).
    static func makeRuntimeDirectory() throws -> String {
        var bases: [String] = []
        if let xdg = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"], !xdg.isEmpty, xdg.utf8.count < 60 { bases.append(xdg) }
        bases.append("/tmp")
        var lastError = "no base directory"
        for base in bases {
            var template = Array((base + "/jc-XXXXXX").utf8CString)
            let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in mkdtemp(buffer.baseAddress!) != nil }
            if made {
                let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                chmod(path, 0o700)
                return path
            }
            lastError = String(cString: strerror(errno))
        }
        throw TransportError.unreachable(host: "localhost", detail: "cannot create a private runtime directory: \(lastError)")
    }

    /// write(2) until done; false on error.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
    }

    static func closeDescriptor(_ fd: Int32) { _ = close(fd) }

    /// Starts a thread of our own (blocking work: a pipe's reads or writes, the disk), named for
    /// what it does, with a small stack.
    static func startThread(_ name: String, stackSize: Int = 256 << 10, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.stackSize = stackSize
        thread.start()
    }

    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A long-running child process with a writable stdin and both output streams delivered as bytes
/// to callbacks, as they arrive. Lives in its own session (and process group), so it never reads
/// the operator's terminal and can be signalled as a group.
final class LiveProcess: Sendable {
    struct Handlers: Sendable {
        var stdout: @Sendable ([UInt8]) -> Void
        var stderr: @Sendable ([UInt8]) -> Void
        /// Both streams reached their end and the process was reaped (status: exit code or 128 + signal).
        var exit: @Sendable (Int32) -> Void
    }

    private struct State {
        var pid: pid_t = 0
        var exited = false
        var exitStatus: Int32? = nil
        var exitWaiters: [CheckedContinuation<Int32, Never>] = []
    }

    private let state = Mutex(State())
    private let input: InputPipe
    let label: String

    private init(label: String, input: InputPipe) {
        self.label = label
        self.input = input
    }

    var pid: pid_t { state.withLock { $0.pid } }
    var hasExited: Bool { state.withLock { $0.exited } }

    /// Starts the process; returns once it is spawned (or throws if it cannot be).
    /// - Parameter outputPipeSize: the stdout pipe's size. Large only for the channels that carry
    ///   step output: an unprivileged user's pipes share a budget (`pipe-user-pages-soft`, 64 MB),
    ///   and past it every new pipe gets a single page.
    static func start(_ executable: String, _ arguments: [String], environment: Environment = .inherit,
                      label: String, outputPipeSize: Int = 64 << 10, handlers: Handlers) async throws -> LiveProcess {
        _ = ProcessSupport.ignoreBrokenPipes
        let input = try InputPipe()
        let process = LiveProcess(label: label, input: input)
        var options = PlatformOptions()
        options.createSession = true
        let platformOptions = options
        let exe: Executable = executable.contains("/") ? .path(FilePath(executable)) : .name(executable)
        // Our own pipes, read by a thread each with blocking reads: a step that floods its output
        // is read in pieces as big as the pipe, without a task hop per read.
        let out = try OutputPipe(capacity: outputPipeSize), err = try OutputPipe(capacity: 64 << 10)
        let spawned: pid_t = try await withCheckedThrowingContinuation { (started: CheckedContinuation<pid_t, Error>) in
            let once = Mutex(Optional(started))
            Task.detached {
                var status: Int32 = 255
                do {
                    let result = try await run(exe, arguments: Arguments(arguments), environment: environment,
                                               platformOptions: platformOptions,
                                               input: .fileDescriptor(FileDescriptor(rawValue: input.readEnd), closeAfterSpawningProcess: true),
                                               output: .fileDescriptor(FileDescriptor(rawValue: out.writeEnd), closeAfterSpawningProcess: true),
                                               error: .fileDescriptor(FileDescriptor(rawValue: err.writeEnd), closeAfterSpawningProcess: true)) { execution in
                        process.state.withLock { $0.pid = execution.processIdentifier.value }
                        once.withLock { $0.take() }?.resume(returning: execution.processIdentifier.value)
                        async let outDone: Void = out.read(into: handlers.stdout)
                        async let errDone: Void = err.read(into: handlers.stderr)
                        _ = await (outDone, errDone)
                        // Both outputs ended: nothing reads stdin any more.
                        input.abandon()
                    }
                    status = ProcessSupport.code(result.terminationStatus)
                } catch {
                    // swift-subprocess has closed the child's ends either way; the others are ours.
                    out.closeUnread(); err.closeUnread(); input.abandon()
                    once.withLock { $0.take() }?.resume(throwing: error)
                }
                let waiters = process.state.withLock { s -> [CheckedContinuation<Int32, Never>] in
                    s.exited = true; s.exitStatus = status
                    let w = s.exitWaiters; s.exitWaiters = []; return w
                }
                handlers.exit(status)
                for w in waiters { w.resume(returning: status) }
            }
        }
        _ = spawned
        return process
    }

    /// Queues bytes for the process's stdin, in order. Errors (the process is gone) show up as its exit.
    func write(_ bytes: [UInt8]) { input.write(bytes) }
    func write(_ text: String) { input.write(Array(text.utf8)) }
    /// Writes and returns once the bytes are in the pipe (false: the process is gone).
    func writeAndWait(_ bytes: [UInt8]) async -> Bool { await input.writeAndWait(bytes) }
    /// Closes stdin once the queued bytes are written.
    func finishInput() { input.finish() }

    /// Waits for the process to end; returns its status.
    func waitForExit() async -> Int32 {
        await withCheckedContinuation { (c: CheckedContinuation<Int32, Never>) in
            let done: Int32? = state.withLock { s in
                if s.exited { return s.exitStatus ?? 255 }
                s.exitWaiters.append(c); return nil
            }
            if let done { c.resume(returning: done) }
        }
    }

    /// Waits at most `limit` for the process to end; true when it did.
    func waitForExit(limit: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            if hasExited { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return hasExited
    }

    /// Sends a signal to the process group (the process leads its own session).
    func signal(_ sig: Int32) {
        let pid = state.withLock { $0.exited ? 0 : $0.pid }
        guard pid > 0 else { return }
        if kill(-pid, sig) != 0 { kill(pid, sig) }
    }

    /// SIGTERM to the group, wait, SIGKILL, wait for the reap.
    func terminate(grace: Duration = .seconds(2)) async {
        if hasExited { return }
        signal(SIGTERM)
        if await waitForExit(limit: grace) { return }
        signal(SIGKILL)
        _ = await waitForExit(limit: .seconds(5))
    }
}

/// The stdin pipe of a `LiveProcess`: the child gets the read end; bytes go in order through the
/// write end, which is non-blocking. A write goes straight into the pipe from the caller's thread
/// when nothing is queued and the pipe has room (a command frame, the usual case: no thread is
/// woken); what does not fit waits in a queue for a thread of its own, which writes as the pipe
/// drains (a file being uploaded).
final class InputPipe: @unchecked Sendable {
    let readEnd: Int32
    // Every field below is read and written with `cond` locked.
    private let cond = NSCondition()
    private var fd: Int32
    private var queue: [(bytes: [UInt8], sent: Int, ack: CheckedContinuation<Bool, Never>?)] = []
    private var finishing = false
    private var broken = false
    private var drainer = false

    init() throws {
        var fds: [Int32] = [-1, -1]
        guard OutputPipe.makePipe(&fds) else { throw Errno(rawValue: errno) }
        readEnd = fds[0]; fd = fds[1]
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    func write(_ bytes: [UInt8]) { enqueue(bytes, ack: nil) }

    func writeAndWait(_ bytes: [UInt8]) async -> Bool {
        await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in enqueue(bytes, ack: c) }
    }

    /// Closes the write end once everything queued is written.
    func finish() {
        cond.lock(); defer { cond.unlock() }
        finishing = true
        if queue.isEmpty { closeLocked() } else { cond.broadcast() }
    }

    /// The child no longer reads: queued bytes are dropped (their writers are told false).
    func abandon() {
        cond.lock()
        broken = true
        let acks = queue.compactMap(\.ack)
        queue.removeAll()
        closeLocked()
        cond.broadcast()
        cond.unlock()
        for a in acks { a.resume(returning: false) }
    }

    private func enqueue(_ bytes: [UInt8], ack: CheckedContinuation<Bool, Never>?) {
        cond.lock()
        if broken || finishing || fd < 0 {
            cond.unlock()
            ack?.resume(returning: false)
            return
        }
        var sent = 0
        if queue.isEmpty {
            sent = writeSome(bytes, from: 0)
            if sent == bytes.count {
                cond.unlock()
                ack?.resume(returning: true)
                return
            }
            if sent < 0 {   // the pipe is broken: the process is going
                broken = true
                closeLocked()
                cond.unlock()
                ack?.resume(returning: false)
                return
            }
        }
        queue.append((bytes, sent, ack))
        if !drainer {
            drainer = true
            ProcessSupport.startThread("stdin", stackSize: 128 << 10) { [self] in drain() }
        }
        cond.broadcast()
        cond.unlock()
    }

    /// Writes what the pipe takes now: the count written so far, or -1 when the pipe is broken.
    /// With `cond` locked.
    private func writeSome(_ bytes: [UInt8], from start: Int) -> Int {
        var offset = start
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return offset }
            return -1
        }
        return offset
    }

    /// The queue's thread: waits for room in the pipe, writes, tells each writer when its bytes are in.
    private func drain() {
        cond.lock()
        while true {
            if queue.isEmpty {
                if finishing || broken || fd < 0 { break }
                cond.wait()
                continue
            }
            let target = fd
            cond.unlock()
            var p = pollfd(fd: target, events: Int16(POLLOUT), revents: 0)
            _ = poll(&p, 1, 1000)
            cond.lock()
            guard fd >= 0, !queue.isEmpty else { continue }
            let sent = writeSome(queue[0].bytes, from: queue[0].sent)
            if sent < 0 {
                broken = true
                let acks = queue.compactMap(\.ack)
                queue.removeAll()
                closeLocked()
                cond.unlock()
                for a in acks { a.resume(returning: false) }
                cond.lock()
                break
            }
            queue[0].sent = sent
            if sent == queue[0].bytes.count {
                let ack = queue.removeFirst().ack
                if queue.isEmpty && finishing { closeLocked() }
                cond.unlock()
                ack?.resume(returning: true)
                cond.lock()
            }
        }
        if finishing { closeLocked() }
        drainer = false
        cond.unlock()
    }

    /// With `cond` locked.
    private func closeLocked() {
        if fd >= 0 { close(fd); fd = -1 }
    }
}

/// A pipe for one output stream of a `LiveProcess`: the child gets the write end; a thread of our
/// own reads the other end until every writer has closed it.
final class OutputPipe: Sendable {
    let readEnd: Int32
    let writeEnd: Int32
    private let capacity: Int
    private let reading = Mutex(false)   // the reader owns (and closes) the read end from then on

    init(capacity: Int) throws {
        var fds: [Int32] = [-1, -1]
        guard OutputPipe.makePipe(&fds) else { throw Errno(rawValue: errno) }
        readEnd = fds[0]; writeEnd = fds[1]
        // Best effort: the kernel may cap it (fs.pipe-max-size); reads then are as big as it allows.
        // F_SETPIPE_SZ and F_GETPIPE_SZ (Linux; Glibc does not export them without _GNU_SOURCE).
        _ = fcntl(fds[0], 1031, Int32(capacity))
        self.capacity = max(4096, Int(fcntl(fds[0], 1032)))
    }

    /// pipe2(O_CLOEXEC), so no program started meanwhile by another thread inherits an end (a
    /// writer left open would keep the reader from ever seeing the end). Glibc's module hides
    /// pipe2 without _GNU_SOURCE, hence dlsym; pipe() and fcntl where it is missing.
    static func makePipe(_ fds: inout [Int32]) -> Bool {
        if let pipe2 = OutputPipe.pipe2 { return pipe2(&fds, O_CLOEXEC) == 0 }
        guard pipe(&fds) == 0 else { return false }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }

    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private static let pipe2: Pipe2? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2")
        .map { unsafeBitCast($0, to: Pipe2.self) }

    /// Reads to the end on a thread of its own, handing each read to `handler`; closes the read end.
    func read(into handler: @escaping @Sendable ([UInt8]) -> Void) async {
        reading.withLock { $0 = true }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let fd = readEnd, size = capacity
            let thread = Thread {
                while true {
                    // Straight into the array handed over (no copy of a full read); a short read is
                    // handed over in an array of its own size, so the big one is not kept alive by it.
                    var n = 0
                    let chunk = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                        n = Glibc.read(fd, buffer.baseAddress, size)
                        count = max(0, n)
                    }
                    if n > 0 { handler(n * 2 < size ? Array(chunk[0..<n]) : chunk); continue }
                    if n < 0 && errno == EINTR { continue }
                    break
                }
                close(fd)
                done.resume()
            }
            thread.stackSize = 256 << 10
            thread.start()
        }
    }

    /// Closes the read end when no reader took it (the process did not start).
    func closeUnread() {
        if reading.withLock({ was in defer { was = true }; return !was }) { close(readEnd) }
    }

    /// Closes both ends: for a pipe no process was given (tests).
    func closeAll() { close(readEnd); close(writeEnd) }
}
