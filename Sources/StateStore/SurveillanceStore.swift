/// The durable state of the daemon: file checkpoints, the engine state, the alert
/// outbox and on-call review (reminders, episode suppressions, the acknowledgement
/// cursor), changed one atomic batch at a time.
///
/// SQLite (``SQLiteStore``) is the embedded default; a PostgreSQL implementation can
/// follow for high availability (DESIGN.md section 10) behind the same protocol. The
/// daemon and its tests use only this protocol; the one place that opens a store chooses
/// the implementation.
///
/// A store is an actor: the daemon's dead-letter writer runs on its executor, so that a
/// dead letter's `fsync` and the commit after it share one thread and never hold one of
/// the cooperative pool's.
public protocol SurveillanceStore: Actor {
    /// Stores `batch` in one transaction: all of it or, when this throws, none of it.
    func commit(_ batch: StoreBatch) async throws
    /// Every stored checkpoint.
    func checkpoints() async throws -> [FileCheckpoint]
    /// The last committed engine state and its format version, or `nil` when none was.
    func engineState() async throws -> (version: Int, bytes: [UInt8])?
    /// Every stored engine state piece (patient records, processed identities), by kind,
    /// then key.
    func engineParts() async throws -> [EnginePart]
    /// The stored pieces of the kinds in `kinds` and, of `unknownDueKinds`, those stored
    /// with no due time (by an earlier schema), by kind, then key: what start-up reads,
    /// instead of every piece.
    func engineParts(kinds: [Int], unknownDueKinds: [Int]) async throws -> [EnginePart]
    /// A reader of stored pieces that the engine calls on its own thread, seeing what
    /// was committed (records are paged: read when needed, not all at start).
    nonisolated func partReader() throws -> any EnginePartReader
    /// The outbox entries not yet marked delivered, in creation order.
    func undeliveredAlerts() async throws -> [OutboxEntry]
    /// Marks the outbox entries with these keys delivered (unknown keys are ignored), and
    /// records `writtenAt` (microseconds since the epoch: when the journal got them) as the
    /// time an alert's reminder counts from.
    func markDelivered(_ alertIDs: [String], writtenAt: Int64) async throws
    /// When the latest alert marked delivered was written (microseconds since the epoch,
    /// as given to ``markDelivered(_:writtenAt:)``); `nil` when none is.
    func latestDeliveryTime() async throws -> Int64?
    /// The alerts whose reminder has neither fired nor been stopped, in creation order.
    func pendingReminders() async throws -> [PendingReminder]
    /// Of those, the first `limit` written at or before `cutoff` (microseconds since the
    /// epoch), the earliest written first (then in creation order), and the earliest write
    /// time after it: only reminders due are read with their payloads (along an index by
    /// write time), a bounded number at a time.
    func reminders(writtenAtOrBefore cutoff: Int64, limit: Int) async throws -> DueReminders
    /// The episode of alert `alertID` and the highest severity among its alerts, or `nil`
    /// when the outbox does not know the alert (or it has no ``OutboxReviewFacts``).
    func episode(ofAlert alertID: String) async throws -> AlertEpisode?
    /// The acknowledgement cursor and the episode suppressions (read at start).
    func storedReview() async throws -> StoredReview
    /// Removes delivered outbox entries except the newest `count` of them (which keep
    /// recommitted alert ids from being delivered again), never one whose reminder is
    /// still pending; returns how many were removed.
    @discardableResult
    func pruneDelivered(keepingLast count: Int) async throws -> Int
    /// The writing connection's `PRAGMA synchronous` (2 = FULL), or the equivalent
    /// durability level of another store.
    func synchronousMode() async throws -> Int
    /// Takes the write lock and releases it: a liveness check for the watchdog, answered
    /// only when the store can write.
    func ping() async throws
    /// Fences every later write (commit, delivery marks, pruning) with `lease`: each
    /// checks in its own transaction that the lease still holds its token, and throws
    /// ``StateStoreError/Code/fenced`` (storing nothing) once another instance took over
    /// (DESIGN.md section 10). `nil` writes unfenced. A store that only one instance
    /// uses (SQLite) has nothing to fence and ignores it.
    func fence(with lease: Lease?) async
    /// Closes the store; later calls throw. Safe to call more than once.
    func close() async
}
