import StateStore

/// Committed alerts waiting for journald, in commit order: the engine loop submits each
/// batch's outbox entries after the commit; the outbox loop sends them and marks them
/// delivered. Entries are already durable when submitted (a crash before delivery is
/// reconciled at the next start), so the queue holds them in memory only.
final class OutboxQueue: Sendable {
    private let stream: AsyncStream<[OutboxEntry]>
    private let continuation: AsyncStream<[OutboxEntry]>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: [OutboxEntry].self)
    }

    /// Queues the entries of one committed batch.
    func submit(_ entries: [OutboxEntry]) {
        continuation.yield(entries)
    }

    /// No more entries: ``run(health:stall:deliver:)`` returns once the queue is empty.
    func finish() {
        continuation.finish()
    }

    /// The outbox loop: delivers each submitted batch in turn until ``finish()``.
    func run(
        health: LoopHealth, stall: LoopStall, deliver: @Sendable ([OutboxEntry]) async -> Void
    ) async {
        for await entries in stream {
            health.begin()
            await stall.suspendIfStalled(.outbox)
            await deliver(entries)
            health.end()
        }
    }
}
