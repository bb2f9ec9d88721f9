import Synchronization

/// Where on-call review stands, for the daemon's `STATUS=` line: written by
/// ``OnCallReview``, read by the engine loop when it sends `STATUS=`.
final class ReviewStatus: Sendable {
    /// One reading.
    struct Reading: Sendable, Equatable {
        /// Reminders fired (committed to the outbox) since start.
        var reminders = 0
    }

    private let state = Mutex(Reading())

    /// The current reading.
    var reading: Reading { state.withLock { $0 } }

    /// Changes the reading.
    func update(_ change: (inout Reading) -> Void) {
        state.withLock { change(&$0) }
    }
}
