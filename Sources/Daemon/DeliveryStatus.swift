import Synchronization

/// Where delivery to journald stands, for the daemon's `STATUS=` line: written by
/// ``AlertDelivery``, read by the engine loop when it sends `STATUS=`.
final class DeliveryStatus: Sendable {
    /// One reading.
    struct Reading: Sendable, Equatable {
        /// Alerts committed but not yet confirmed in the journal (sent and read back).
        var undelivered = 0
        /// Why journald sends fail right now, if they do.
        var sendFailure: String?
        /// Whether the daemon cannot read its own entries back (delivery at least once).
        var journalUnreadable = false
    }

    private let state = Mutex(Reading())

    /// The current reading.
    var reading: Reading { state.withLock { $0 } }

    /// Changes the reading.
    func update(_ change: (inout Reading) -> Void) {
        state.withLock { change(&$0) }
    }
}
