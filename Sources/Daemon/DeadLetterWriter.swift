import StateStore

/// Writes a batch's dead letters on the state store's thread: a write waits for `fsync`,
/// and on that thread it never holds one of the few threads of Swift's cooperative pool.
/// It runs right before the batch's commit, which runs on the same thread.
actor DeadLetterWriter {
    private let letters: DeadLetters
    private let executor: UnownedSerialExecutor

    /// A writer of `letters` sharing `store`'s executor (its one dedicated thread).
    init(_ letters: DeadLetters, sharingThreadOf store: any SurveillanceStore) {
        self.letters = letters
        executor = store.unownedExecutor
    }

    /// The store's executor.
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor }

    /// Appends `batch` durably (see ``DeadLetters/write(_:)``).
    func write(_ batch: [DeadLetter]) throws(DeadLetterError) -> DeadLetterReceipt {
        try letters.write(batch)
    }

    /// Removes what `receipt` names again (the batch's commit failed).
    func withdraw(_ receipt: DeadLetterReceipt) {
        letters.withdraw(receipt)
    }
}
