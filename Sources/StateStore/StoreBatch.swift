/// Everything one batch of messages changes, committed in one transaction: either all
/// of it is stored or none of it is. On-call review commits its changes the same way: a
/// fired reminder with its outbox entry, acknowledgements with the cursor past them.
public struct StoreBatch: Sendable {
    /// Checkpoints to store. A checkpoint replaces the stored one for the same device and
    /// inode (its fingerprint, path and offset); within a batch, the last one wins.
    public var checkpoints: [FileCheckpoint]
    /// The engine's serialized state, replacing the stored one; `nil` keeps the stored state.
    public var engineState: [UInt8]?
    /// The version of the format of ``engineState`` (ignored when it is `nil`).
    public var engineStateVersion: Int
    /// Alerts to add to the outbox, in creation order; an alert id already in the outbox
    /// (delivered or not) is left as it is.
    public var outbox: [OutboxEntry]
    /// Files to forget (let go after rotation, deleted): the stored checkpoint with this
    /// device and inode is removed when its fingerprint is this one or a prefix of it (the
    /// file grew since it was stored), never one of other content (a file that reused the
    /// inode). Applied before ``checkpoints``.
    public var removedCheckpoints: [FileIdentity]
    /// Engine state pieces to store, replacing those with the same kind and key.
    public var engineParts: [EnginePart]
    /// Engine state pieces to remove (applied before ``engineParts``).
    public var removedEngineParts: [EnginePartKey]
    /// Alerts whose reminder was fired: its own entry is in ``outbox`` of this batch, and
    /// it is no longer pending (an alert's reminder fires at most once).
    public var firedReminders: [String]
    /// Alerts acknowledged: their reminder, if still pending, will not fire.
    public var stoppedReminders: [String]
    /// Episode suppressions to store, replacing the one of the same episode.
    public var suppressions: [EpisodeSuppression]
    /// Episodes whose suppression is removed (ended; applied before ``suppressions``).
    public var removedSuppressions: [String]
    /// The journal cursor of the last acknowledgement taken up, replacing the stored one;
    /// `nil` keeps it.
    public var acknowledgementCursor: String?

    /// Creates a batch.
    public init(
        checkpoints: [FileCheckpoint] = [],
        engineState: [UInt8]? = nil,
        engineStateVersion: Int = 0,
        outbox: [OutboxEntry] = [],
        removedCheckpoints: [FileIdentity] = [],
        engineParts: [EnginePart] = [],
        removedEngineParts: [EnginePartKey] = [],
        firedReminders: [String] = [],
        stoppedReminders: [String] = [],
        suppressions: [EpisodeSuppression] = [],
        removedSuppressions: [String] = [],
        acknowledgementCursor: String? = nil
    ) {
        self.checkpoints = checkpoints
        self.engineState = engineState
        self.engineStateVersion = engineStateVersion
        self.outbox = outbox
        self.removedCheckpoints = removedCheckpoints
        self.engineParts = engineParts
        self.removedEngineParts = removedEngineParts
        self.firedReminders = firedReminders
        self.stoppedReminders = stoppedReminders
        self.suppressions = suppressions
        self.removedSuppressions = removedSuppressions
        self.acknowledgementCursor = acknowledgementCursor
    }

    /// Whether the batch changes nothing.
    public var isEmpty: Bool {
        checkpoints.isEmpty && engineState == nil && outbox.isEmpty && removedCheckpoints.isEmpty
            && engineParts.isEmpty && removedEngineParts.isEmpty && firedReminders.isEmpty
            && stoppedReminders.isEmpty && suppressions.isEmpty && removedSuppressions.isEmpty
            && acknowledgementCursor == nil
    }
}
