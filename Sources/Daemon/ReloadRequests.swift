import Synchronization
import UnixSignals

/// SIGHUP, turned into a request the engine loop takes between batches (so a reload
/// never lands in the middle of one). Several signals before it is taken make one
/// reload.
///
/// The process must ignore SIGHUP before this listens (`extravasd run` does so first
/// thing): a SIGHUP arriving earlier must not kill the daemon.
final class ReloadRequests: Sendable {
    private let pending = Mutex(false)

    /// Listens for SIGHUP until cancelled.
    func listen() async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            pending.withLock { $0 = true }
        }
    }

    /// Whether a reload was asked for since the last call.
    func take() -> Bool {
        pending.withLock { pending in
            defer { pending = false }
            return pending
        }
    }
}
