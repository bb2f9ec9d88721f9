/// How far a ``ParsedMessagePipeline``'s thread is ahead of its consumer, as its
/// preparation step sees it: batches read and waiting to be taken.
///
/// A step with work that either thread may do (the engine's preparation, in full or only
/// the header) can share it by this: more on the reading thread while batches wait (the
/// consumer is the slower), less while none does (the consumer waits for messages).
public struct ReadAhead: Sendable {
    /// The most batches that may wait (the pipeline's capacity).
    public let capacity: Int
    private let depth: @Sendable () -> Int

    /// A reading `depth` (batches waiting) out of `capacity`.
    public init(capacity: Int, depth: @escaping @Sendable () -> Int) {
        self.capacity = capacity
        self.depth = depth
    }

    /// Batches read and waiting for the consumer now (0 ... ``capacity``; read without a lock).
    public var waitingBatches: Int { depth() }
}
