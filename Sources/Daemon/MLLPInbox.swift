import MLLPListener
import Synchronization

/// The MLLP batches the listener handed over that the engine has not taken yet.
///
/// Group commit: what arrives while the engine is busy (committing the last batch, its
/// fsync) is taken at once, as one batch and so one store transaction, whose commit
/// acknowledges every connection's waiting messages together. Only the move from empty
/// to not empty rings the engine (``EngineInput/mllp``), and each ring takes everything,
/// so no batch waits for a ring that will not come.
final class MLLPInbox: Sendable {
    private let waiting = Mutex<[MLLPBatch]>([])

    /// Adds `batch` behind the others; `true` when the inbox was empty (ring the engine).
    func put(_ batch: MLLPBatch) -> Bool {
        waiting.withLock { batches in
            batches.append(batch)
            return batches.count == 1
        }
    }

    /// Everything waiting, merged in arrival order (each connection's messages stay in
    /// its order); `nil` when nothing waits (an earlier ring took it).
    func takeAll() -> MLLPBatch? {
        let batches = waiting.withLock { batches in
            defer { batches.removeAll(keepingCapacity: true) }
            return batches
        }
        guard let first = batches.first else { return nil }
        guard batches.count > 1 else { return first }
        return MLLPBatch(
            messages: batches.flatMap(\.messages), events: batches.flatMap(\.events))
    }
}
