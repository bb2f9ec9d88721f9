import ClinicalEvents

/// What the engine changed in its ``SurveillanceState`` since the changes were last
/// taken (``SurveillanceEngine/takeChanges()``): so that a store can write only the
/// records that changed, without comparing the whole state after every batch.
///
/// Changes made to ``SurveillanceEngine/state`` from outside the engine are not tracked.
public struct StateChanges: Sendable, Hashable {
    /// Patients whose record was written, added or removed (a record written back
    /// unchanged may be listed too).
    public var patients: Set<PatientKey> = []
    /// Message identities recorded as processed.
    public var processed: [MessageIdentity] = []
    /// Whether changes were made that are not listed one by one (pruning at a new message
    /// day): compare the whole state.
    public var untracked = false

    /// No changes.
    public init() {}

    /// Whether nothing changed.
    public var isEmpty: Bool { patients.isEmpty && processed.isEmpty && !untracked }
}
