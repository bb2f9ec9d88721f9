/// Something that accepts journal entries: journald itself (``SystemdJournal``) or a
/// stand-in in tests.
public protocol JournalSink: Sendable {
    /// Sends one entry as one unit.
    ///
    /// - Throws: when the entry could not be handed over (for ``SystemdJournal``, a
    ///   ``SystemdError`` naming the errno).
    func send(_ entry: JournalEntry) throws
}
