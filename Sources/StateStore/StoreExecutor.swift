import Foundation

/// A serial executor on one dedicated thread, for the ``SQLiteStore`` actor.
///
/// A commit waits for `fsync` (`synchronous=FULL`), which can take milliseconds to
/// tens of milliseconds; on the store's own thread that wait does not hold one of the
/// few threads of Swift's cooperative pool. Jobs run one at a time in submission order.
/// After ``shutdown()`` the jobs already queued still run, then the thread exits.
final class StoreExecutor: SerialExecutor, @unchecked Sendable {
    // Invariant: `jobs` and `stopping` are only accessed with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

    /// Starts the thread, named `name` (visible in debuggers and `top -H`).
    init(name: String) {
        let thread = Thread { [self] in self.loop() }
        thread.name = name
        thread.start()
    }

    /// Queues `job` to run on the thread.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// This executor, as actors refer to it.
    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Lets the thread exit once the queue is empty; safe to call more than once.
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
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedSerialExecutor())
        }
    }
}
