import FeedIO
import Foundation
import Synchronization

/// An ``AlertDestination`` whose sends all run on one dedicated thread
/// (``JournalWriterThread``), in the order they are made, never on Swift's cooperative
/// pool: `sd_journal_sendv` blocks when journald's socket queue is full.
///
/// ``send(_:)`` queues the entry and returns at once (events, log entries); a failure
/// is reported on stderr once per episode, the journal being what failed. Alerts go
/// through ``deliver(_:)``, which waits for the outcome: the outbox keeps an alert whose
/// send failed and tries again (``AlertDelivery``).
public final class ThreadedDestination: AlertDestination {
    /// Where the entries go.
    public let base: any AlertDestination
    private let thread = JournalWriterThread()
    private let eventsFailing = Mutex(false)

    /// Sends `base`'s entries on a new dedicated thread.
    public init(_ base: any AlertDestination) {
        self.base = base
    }

    /// Where `base`'s entries can be read back.
    public var readBack: (any JournalAccess)? { base.readBack }

    /// Queues the entry and returns; see the type's description. It never throws (a
    /// failure comes later, on the thread): `throws` is the protocol's.
    public func send(_ entry: JournalEntry) throws {
        thread.post { [self] in
            do {
                try base.send(entry)
                noteEvents(failing: false, reason: "")
            } catch {
                noteEvents(failing: true, reason: "\(error)")
            }
        }
    }

    /// On the writer thread: a line on stderr when event sends start or stop failing.
    private func noteEvents(failing: Bool, reason: String) {
        let changed = eventsFailing.withLock { state in
            defer { state = failing }
            return state != failing
        }
        guard changed else { return }
        StandardError.write(
            failing
                ? "extravasd: journal send failed (\(reason)); events and log entries are lost until "
                    + "journald answers (alerts stay in the outbox)"
                : "extravasd: journald accepts entries again")
    }

    /// Sends the entry after those queued before and returns once it is handed over.
    ///
    /// - Throws: what the destination's send throws (for journald a `SystemdError`).
    public func deliver(_ entry: JournalEntry) async throws {
        try await thread.run { [base] in try base.send(entry) }
    }

    /// Returns once every entry queued before has been sent (or failed).
    public func flush() async {
        _ = try? await thread.run {}
    }
}

extension AlertDestination {
    /// This destination with its sends on a dedicated thread (itself when it already is).
    public func threaded() -> ThreadedDestination {
        self as? ThreadedDestination ?? ThreadedDestination(self)
    }
}

/// One-line notices on standard error (the journal may be what failed).
public enum StandardError {
    /// Writes `line` and a newline.
    public static func write(_ line: String) {
        StandardStreams.writeError((line + "\n"))
    }
}
