import Foundation
import TermCurses

/// The one way the commands put a full-screen page on the terminal: curses on a thread of its own
/// (it blocks on the keyboard), so background work keeps the async threads; the terminal is given
/// back before this returns.
enum CursesThread {
    /// `body` with the terminal; the error when there is none (`CursesBackend.Failure.notATerminal`) or it cannot start.
    static func run<T: Sendable>(inputMode: CursesBackend.InputMode = .raw,
                                 _ body: @escaping @Sendable (CursesBackend) -> T) async -> Result<T, any Error> {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>, Never>) in
            let thread = Thread {
                let backend: CursesBackend
                do { backend = try CursesBackend(options: .init(inputMode: inputMode)) } catch {
                    continuation.resume(returning: .failure(error))
                    return
                }
                let value = body(backend)
                backend.shutdown()
                continuation.resume(returning: .success(value))
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
