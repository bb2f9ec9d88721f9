import Foundation

/// A dedicated thread that owns one thread-bound resource and runs every job touching it.
///
/// libsystemd requires an `sd_journal` reading handle to be used from one thread for
/// its whole life, so the handle (``JournalHandle``) is created, used and closed only by
/// jobs on this thread; a writer (``JournalWriterThread``) owns nothing and uses the
/// thread so that a blocking `sd_journal_sendv` never holds a thread of Swift's
/// cooperative pool. Jobs run one at a time in submission order. After ``shutdown()``
/// the jobs already queued still run, then `release` is called with the resource and the
/// thread exits; later submissions are refused.
final class JournalThread<Resource>: @unchecked Sendable {
    // Invariant: `jobs` and `stopping` are only accessed with `condition` locked;
    // `resource` is only accessed on the dedicated thread.
    private let condition = NSCondition()
    private var jobs: [@Sendable (Resource) -> Void] = []
    private var stopping = false
    private let resource: Resource
    private let release: (Resource) -> Void

    /// Starts the thread, named `name` (visible in debuggers and `top -H`), owning
    /// `resource`; `release` runs on the thread when it stops.
    init(name: String, resource: Resource, release: @escaping (Resource) -> Void = { _ in }) {
        self.resource = resource
        self.release = release
        let thread = Thread { [self] in self.loop() }
        thread.name = name
        thread.start()
    }

    /// Runs `body` on the thread with the resource and returns its result.
    ///
    /// - Throws: what `body` throws, or ``JournalReaderError/closed`` after ``shutdown()``.
    func run<T: Sendable>(_ body: @escaping @Sendable (Resource) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let accepted = submit { resource in
                continuation.resume(with: Result { try body(resource) })
            }
            if !accepted {
                continuation.resume(throwing: JournalReaderError.closed)
            }
        }
    }

    /// Queues `job` and returns at once; `false` (and the job never runs) after ``shutdown()``.
    @discardableResult
    func submit(_ job: @escaping @Sendable (Resource) -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Stops the thread after the queued jobs; safe to call more than once.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
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
            job(resource)
        }
        release(resource)
    }
}
