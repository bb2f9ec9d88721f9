import FeedIO
import Foundation
import Synchronization

/// An ``AlertDestination`` whose sends all run on one dedicated thread
/// (``JournalWriterThread``), in the order they are made, never on Swift's cooperative
/// pool: `sd_journal_sendv` blocks when journald's socket queue is full.
///
/// ``send(_:)`` queues the entry and returns at once (events, log entries); a failure
/// is reported on stderr once per episode, the journal being what failed. A producer
/// that may send faster than journald takes entries (a flood of malformed messages, each
/// with its entry) calls ``waitForRoom(keepingAtMost:)`` after its sends, so the queue,
/// and the memory it holds, stays bounded. Alerts go
/// through ``deliver(_:)``, which waits for the outcome: the outbox keeps an alert whose
/// send failed and tries again (``AlertDelivery``).
public final class ThreadedDestination: AlertDestination {
    /// Where the entries go.
    public let base: any AlertDestination
    private let thread = JournalWriterThread()
    private let eventsFailing = Mutex(false)
    /// Entries queued by ``send(_:)`` and not yet sent.
    private let queued = Atomic(0)

    /// Sends `base`'s entries on a new dedicated thread.
    public init(_ base: any AlertDestination) {
        self.base = base
    }

    /// Where `base`'s entries can be read back.
    public var readBack: (any JournalAccess)? { base.readBack }

    /// Queues the entry and returns; see the type's description. It never throws (a
    /// failure comes later, on the thread): `throws` is the protocol's.
    public func send(_ entry: JournalEntry) throws {
        queued.add(1, ordering: .relaxed)
        thread.post { [self] in
            defer { queued.subtract(1, ordering: .relaxed) }
            do {
                try base.send(entry)
                noteEvents(failing: false, reason: "")
            } catch {
                noteEvents(failing: true, reason: "\(error)")
            }
        }
    }

    /// Entries queued by ``send(_:)`` and not sent yet.
    public var queuedEntries: Int { queued.load(ordering: .relaxed) }

    /// Returns at once when at most `limit` entries wait to be sent; else once every
    /// entry queued so far has been sent (or failed). Backpressure for a producer of
    /// entries: it goes at journald's pace instead of queueing without bound.
    public func waitForRoom(keepingAtMost limit: Int = 1024) async {
        if queuedEntries > limit { await flush() }
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
