import DequeModule
import Dispatch
import Glibc
import Synchronization

/// One dedicated thread running jobs one at a time, in the order they were submitted:
/// closures (``submit(_:)``, ``run(_:)``) and, as a `SerialExecutor`, the jobs of an actor
/// that names it as its executor.
///
/// For work that blocks (`fsync`, `sd_journal_sendv`) or that a C library requires on
/// one thread for a handle's whole life (an `sd_journal` reader): there it never holds a
/// thread of Swift's cooperative pool. After ``shutdown(then:)`` the jobs already queued
/// still run, then the final job, and the thread exits; later submissions are refused.
public final class SerialThread: SerialExecutor, Sendable {
    private enum Job {
        case closure(@Sendable () -> Void)
        case actorJob(UnownedJob)
    }

    private struct Queue {
        var jobs = Deque<Job>()
        var stopping = false
        var final: (@Sendable () -> Void)?
    }

    private let queue = Mutex(Queue())
    /// Signalled once per job queued and once at shutdown: the thread waits on it.
    private let wakeup = DispatchSemaphore(value: 0)

    /// Starts the thread, named `name` (visible in debuggers and `top -H`; the kernel
    /// keeps 15 bytes). A thread that cannot be started (the system's limit, memory) is
    /// fatal: what runs on it must run on one thread, and this happens at start-up, where
    /// systemd restarts the service.
    public init(name: String) {
        let failure = startDetachedThread { [self] in
            Self.nameThisThread(name)
            self.loop()
        }
        if let failure {
            fatalError("extravasd: cannot start the \(name) thread: \(String(cString: strerror(failure)))")
        }
    }

    /// Queues `job` and returns at once; `false` (and the job never runs) after
    /// ``shutdown(then:)``.
    @discardableResult
    public func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        let accepted = queue.withLock { queue in
            guard !queue.stopping else { return false }
            queue.jobs.append(.closure(job))
            return true
        }
        if accepted { wakeup.signal() }
        return accepted
    }

    /// Runs `body` on the thread and returns its result.
    ///
    /// - Throws: what `body` throws, or ``SerialThreadError/stopped`` after
    ///   ``shutdown(then:)``.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let accepted = submit { continuation.resume(with: Result { try body() }) }
            if !accepted { continuation.resume(throwing: SerialThreadError.stopped) }
        }
    }

    /// Queues an actor's job (the `SerialExecutor` requirement).
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // An actor's jobs run even after shutdown (the actor outlives it): the thread
        // exits only once its queue is empty.
        queue.withLock { $0.jobs.append(.actorJob(job)) }
        wakeup.signal()
    }

    /// This thread as an actor's executor.
    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Lets the thread exit once the jobs already queued have run, running `final` last
    /// (on the thread). Safe to call more than once (the first `final` runs).
    public func shutdown(then final: (@Sendable () -> Void)? = nil) {
        let first = queue.withLock { queue in
            defer { queue.stopping = true }
            if !queue.stopping { queue.final = final }
            return !queue.stopping
        }
        if first { wakeup.signal() }
    }

    private func loop() {
        while true {
            wakeup.wait()
            let next: Job? = queue.withLock { queue in queue.jobs.popFirst() }
            switch next {
            case .closure(let job): job()
            case .actorJob(let job): job.runSynchronously(on: asUnownedSerialExecutor())
            case nil:
                // Woken by shutdown with nothing left.
                let final = queue.withLock { queue -> (@Sendable () -> Void)?? in
                    guard queue.stopping, queue.jobs.isEmpty else { return .none }
                    return .some(queue.final)
                }
                if let final {
                    final?()
                    return
                }
            }
        }
    }
}

extension SerialThread {
    /// Names the calling thread (`/proc/thread-self/comm`; the kernel keeps 15 bytes).
    public static func nameThisThread(_ name: String) {
        let file = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard file >= 0 else { return }
        defer { close(file) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
    }
}

/// Why a ``SerialThread`` refused a job.
public enum SerialThreadError: Error, Sendable, Hashable {
    /// The thread was shut down.
    case stopped
}
