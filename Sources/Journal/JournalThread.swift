import Threads

/// A dedicated thread that owns one thread-bound resource and runs every job touching it.
///
/// libsystemd requires an `sd_journal` reading handle to be used from one thread for
/// its whole life, so the handle (``JournalHandle``) is created, used and closed only by
/// jobs on this thread; a writer (``JournalWriterThread``) owns nothing and uses the
/// thread so that a blocking `sd_journal_sendv` never holds a thread of Swift's
/// cooperative pool. Jobs run one at a time in submission order (a ``SerialThread``).
/// After ``shutdown()`` the jobs already queued still run, then `release` is called with
/// the resource and the thread exits; later submissions are refused.
final class JournalThread<Resource>: Sendable {
    /// The resource, touched only by jobs on the thread.
    private struct Bound: @unchecked Sendable {
        let resource: Resource
    }

    private let thread: SerialThread
    private let bound: Bound
    private let release: @Sendable (Resource) -> Void

    /// Starts the thread, named `name`, owning `resource`; `release` runs on the thread
    /// when it stops.
    init(name: String, resource: Resource, release: @escaping @Sendable (Resource) -> Void = { _ in }) {
        thread = SerialThread(name: name)
        bound = Bound(resource: resource)
        self.release = release
    }

    /// Runs `body` on the thread with the resource and returns its result.
    ///
    /// - Throws: what `body` throws, or ``JournalReaderError/closed`` after ``shutdown()``.
    func run<T: Sendable>(_ body: @escaping @Sendable (Resource) throws -> T) async throws -> T {
        let bound = self.bound
        do {
            return try await thread.run { try body(bound.resource) }
        } catch SerialThreadError.stopped {
            throw JournalReaderError.closed
        }
    }

    /// Queues `job` and returns at once; `false` (and the job never runs) after ``shutdown()``.
    @discardableResult
    func submit(_ job: @escaping @Sendable (Resource) -> Void) -> Bool {
        let bound = self.bound
        return thread.submit { job(bound.resource) }
    }

    /// Stops the thread after the queued jobs; safe to call more than once.
    func shutdown() {
        let bound = self.bound
        let release = self.release
        thread.shutdown { release(bound.resource) }
    }
}
