import Foundation

/// A dedicated thread that owns one ``JournalHandle`` and runs every job touching it.
///
/// libsystemd requires an `sd_journal` reading handle to be used from one thread for
/// its whole life, so the handle is created, used and closed only by jobs on this
/// thread. Jobs run one at a time in submission order. After ``shutdown()`` the jobs
/// already queued still run, then the handle is closed and the thread exits; later
/// submissions are refused.
final class JournalThread: @unchecked Sendable {
    // Invariant: `jobs` and `stopping` are only accessed with `condition` locked;
    // `handle` is only accessed on the dedicated thread.
    private let condition = NSCondition()
    private var jobs: [@Sendable (JournalHandle) -> Void] = []
    private var stopping = false
    private let handle = JournalHandle()

    /// Starts the thread, named `name` (visible in debuggers and `top -H`).
    init(name: String) {
        let thread = Thread { [self] in self.loop() }
        thread.name = name
        thread.start()
    }

    /// Runs `body` on the thread with the handle and returns its result.
    ///
    /// - Throws: what `body` throws, or ``JournalReaderError/closed`` after ``shutdown()``.
    func run<T: Sendable>(_ body: @escaping @Sendable (JournalHandle) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let accepted = submit { handle in
                continuation.resume(with: Result { try body(handle) })
            }
            if !accepted {
                continuation.resume(throwing: JournalReaderError.closed)
            }
        }
    }

    /// Stops the thread after the queued jobs; safe to call more than once.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func submit(_ job: @escaping @Sendable (JournalHandle) -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping {
                condition.wait()
            }
            if jobs.isEmpty {
                condition.unlock()
                break
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job(handle)
        }
        handle.close()
    }
}
