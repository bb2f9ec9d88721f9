import Synchronization
import UnixSignals

/// SIGHUP, turned into a request the engine loop takes between batches (so a reload
/// never lands in the middle of one). Several signals before it is taken make one
/// reload.
///
/// The process must ignore SIGHUP before this listens (`extravasd run` does so first
/// thing): a SIGHUP arriving earlier must not kill the daemon.
///
/// A test (or an embedding program) asks with ``request()`` instead, with SIGHUP left
/// alone (`listensToSIGHUP: false`).
public final class ReloadRequests: Sendable {
    private let pending = Mutex(false)
    private let listensToSIGHUP: Bool

    /// Requests that come from SIGHUP (and ``request()``), or from ``request()`` only.
    public init(listensToSIGHUP: Bool = true) {
        self.listensToSIGHUP = listensToSIGHUP
    }

    /// Asks for a reload, taken between two batches.
    public func request() {
        pending.withLock { $0 = true }
    }

    /// Listens for SIGHUP until cancelled (returns at once when it does not listen).
    func listen() async {
        guard listensToSIGHUP else { return }
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            request()
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
