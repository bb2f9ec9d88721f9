import Glibc

/// Starts `body` on a new detached thread; `nil` on success, else the `errno` value.
///
/// The follower blocks in `poll(2)` and `read(2)`, the store in `fsync(2)`, the journal's
/// sender in `sd_journal_sendv`: on threads of their own they never hold up a task of
/// Swift's cooperative pool (two threads on a 2-core machine).
public func startDetachedThread(_ body: @escaping @Sendable () -> Void) -> Int32? {
    final class Start {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let start = Unmanaged.passRetained(Start(body)).toOpaque()
    var thread = pthread_t()
    let result = pthread_create(
        &thread, nil,
        { raw in
            let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
            start.body()
            return nil
        }, start)
    guard result == 0 else {
        Unmanaged<Start>.fromOpaque(start).release()
        return result
    }
    pthread_detach(thread)
    return nil
}

/// Blocking work run on a thread of its own, off Swift's cooperative pool.
public enum DedicatedThread {
    /// Runs `body` on a new detached thread (as the follower runs) and returns its result.
    /// For blocking calls made rarely — opening the state store, reading the configuration
    /// again — that must not hold one of the pool's few threads (two on a 2-core machine),
    /// which the watchdog and the other loops need. When no thread can be started, `body`
    /// runs in place.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let box = ContinuationBox(continuation)
            let failure = startDetachedThread {
                box.resume(with: Result { try body() })
            }
            if failure != nil { box.resume(with: Result { try body() }) }
        }
    }

    /// Resumes its continuation once (the thread, or the caller when no thread started).
    private final class ContinuationBox<T: Sendable>: @unchecked Sendable {
        // Invariant: resumed exactly once (the thread body or the fallback, never both).
        private let continuation: CheckedContinuation<T, any Error>
        init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = continuation }
        func resume(with result: Result<T, any Error>) { continuation.resume(with: result) }
    }
}
