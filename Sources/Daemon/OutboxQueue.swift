import Journal
import StateStore

/// An alert committed in this process: its outbox row and the journal entry to send
/// (built once at commit, its field names validated then; an alert left by an earlier
/// process is rebuilt from its row).
struct CommittedAlert: Sendable {
    /// The stored row (its id and payload).
    var row: OutboxEntry
    /// What is sent.
    var entry: JournalEntry
}

/// Committed alerts waiting for journald, in commit order: the engine loop submits each
/// batch's outbox entries after the commit; the outbox loop sends them and marks them
/// delivered. Entries are already durable when submitted (a crash before delivery is
/// reconciled at the next start), so the queue holds them in memory only.
final class OutboxQueue: Sendable {
    private let stream: AsyncStream<[CommittedAlert]>
    private let continuation: AsyncStream<[CommittedAlert]>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: [CommittedAlert].self)
    }

    /// Queues the entries of one committed batch.
    func submit(_ entries: [CommittedAlert]) {
        continuation.yield(entries)
    }

    /// No more entries: ``run(health:stall:deliver:)`` returns once the queue is empty.
    func finish() {
        continuation.finish()
    }

    /// The outbox loop: delivers each submitted batch in turn until ``finish()``.
    func run(
        health: LoopHealth, stall: LoopStall, deliver: @Sendable ([CommittedAlert]) async -> Void
    ) async {
        for await entries in stream {
            health.begin()
            await stall.suspendIfStalled(.outbox)
            await deliver(entries)
            health.end()
        }
    }
}
