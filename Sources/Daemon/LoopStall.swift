import Glibc
import Synchronization
import UnixSignals

/// A test hook of debug builds (in a release build it never stalls anything), off unless
/// `extravasd run` is started with
/// `EXTRAVASD_TEST_STALL_ON_SIGUSR1=<loop>` (`follower`, `engine`, `outbox` or `review`): on SIGUSR1
/// that loop stops making progress for good, the way a loop hung in a system call would,
/// so a test can see the watchdog withhold `WATCHDOG=1`. (The store is tested for real:
/// another process holding the database's write lock.)
final class LoopStall: Sendable {
    /// The loop that stalls on SIGUSR1, if any.
    let loop: DaemonLoop?
    private let stalled = Mutex(false)

    init(loop: DaemonLoop?) {
        self.loop = loop
    }

    /// Waits for SIGUSR1 (only when a loop is named), then stalls it.
    func listen() async {
        #if DEBUG
            guard loop != nil else { return }
            for await _ in await UnixSignalsSequence(trapping: .sigusr1) {
                stalled.withLock { $0 = true }
            }
        #endif
    }

    /// Whether `loop` must stall now.
    func isStalled(_ loop: DaemonLoop) -> Bool {
        #if DEBUG
            self.loop == loop && stalled.withLock { $0 }
        #else
            false
        #endif
    }

    /// On the follower's thread: blocks it for good once stalled.
    func blockThreadIfStalled(_ loop: DaemonLoop) {
        while isStalled(loop) { sleep(3600) }
    }

    /// In a task: suspends it (until cancelled) once stalled.
    func suspendIfStalled(_ loop: DaemonLoop) async {
        while isStalled(loop) && !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
    }
}
