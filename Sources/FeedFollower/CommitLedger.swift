import Synchronization

/// The consumer's word on which batches are committed: the highest
/// ``FollowerBatch/sequence`` whose effects are durable. The follower acts on a finished
/// file (``AfterRead``) only once the batch that carried its last checkpoint is covered.
final class CommitLedger: Sendable {
    private struct State {
        var committed = 0
        var wakeup: WakeupPipe?
    }
    private let state = Mutex(State())

    /// The highest sequence acknowledged so far.
    var committed: Int { state.withLock { $0.committed } }

    /// Records that every batch up to `sequence` is committed, and wakes the follower.
    func acknowledge(_ sequence: Int) {
        let wakeup = state.withLock { state -> WakeupPipe? in
            guard sequence > state.committed else { return nil }
            state.committed = sequence
            return state.wakeup
        }
        wakeup?.wake()
    }

    /// The follower's pipe to wake on an acknowledgement; starts a new stream (sequence 0).
    func attach(_ wakeup: WakeupPipe) {
        state.withLock {
            $0.committed = 0
            $0.wakeup = wakeup
        }
    }
}
