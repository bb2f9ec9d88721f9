import Glibc

/// Starts `body` on a new detached thread; `nil` on success, else the `errno` value.
///
/// The follower blocks in `poll(2)` and `read(2)`: on a thread of its own it never
/// holds up a task of Swift's cooperative pool.
func startDetachedThread(_ body: @escaping @Sendable () -> Void) -> Int32? {
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
