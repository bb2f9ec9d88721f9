import Foundation

/// Runs `body` on a thread of its own and awaits its result. A long, CPU-bound test body
/// run this way leaves Swift's cooperative pool (2 threads on this machine class) to the
/// other tests running in parallel: run on the pool, it would stall every async test
/// (their waits and consumers) for as long as it computes.
func onItsOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
