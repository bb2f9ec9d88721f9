/// A dedicated thread for journal writes, in the order they are given.
///
/// `sd_journal_sendv` blocks when journald's socket queue is full (journald busy or
/// stopped under socket activation) and formats and copies every field first: on this
/// thread that never holds one of the few threads of Swift's cooperative pool. It is
/// the same kind of thread as the one a ``JournalReader`` reads on, owning nothing.
public final class JournalWriterThread: Sendable {
    private let thread: JournalThread<Void>

    /// Starts the thread, named `name`.
    public init(name: String = "extravasd.journal-writer") {
        thread = JournalThread(name: name, resource: ())
    }

    deinit {
        thread.shutdown()
    }

    /// Queues `job` after the jobs already queued and returns at once; after
    /// ``shutdown()`` the job is dropped.
    public func post(_ job: @escaping @Sendable () -> Void) {
        thread.submit { _ in job() }
    }

    /// Runs `job` after the jobs already queued and returns its result.
    ///
    /// - Throws: what `job` throws, ``JournalReaderError/closed`` after ``shutdown()``.
    public func run<T: Sendable>(_ job: @escaping @Sendable () throws -> T) async throws -> T {
        try await thread.run { _ in try job() }
    }

    /// Lets the thread end once the jobs already queued have run.
    public func shutdown() {
        thread.shutdown()
    }
}
