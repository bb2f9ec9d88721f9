import ClinicalEvents

/// Where the engine reads the part of its state it does not hold: patient records and
/// processed message identities that were stored and let go (``SurveillanceEngine/evict(keepingBytes:)``),
/// or stored by an earlier run and not read at start. The daemon's store implements it;
/// the engine calls it on its own thread, only for what it does not hold, and never for
/// anything it changed since the last commit (it holds that).
///
/// So the engine's memory is bounded by its cache, not by the number of patients; the
/// engine itself still does no I/O (as a `Logger` does, this protocol's implementation does).
/// A failure is kept by the engine (``SurveillanceEngine/pagingFailure``): the caller
/// must not commit the batch (its outcome may be wrong) and stops.
public protocol PagedStateSource: Sendable {
    /// The stored record of `key`, or `nil` when none is stored.
    func record(_ key: PatientKey) throws -> PatientRecord?
    /// The keys of stored records whose pruning may be due at or before `time` (their
    /// ``SurveillanceEngine/pruneDue(of:)`` when they were stored).
    func recordsDue(through time: Instant) throws -> [PatientKey]
    /// The stored time of the processed message `identity`, or `nil`.
    func processedTime(_ identity: MessageIdentity) throws -> Instant?
    /// The stored identities recorded with a time at or before `time`.
    func processedDue(through time: Instant) throws -> [MessageIdentity]
    /// How many processed identities are stored.
    func storedIdentityCount() throws -> Int
    /// Calls `body` with each stored processed identity (streamed: not all held at once),
    /// to build the engine's filter of stored identities.
    func forEachStoredIdentity(_ body: (MessageIdentity) -> Void) throws
    /// The stored records of those of `keys` that have one, by key (the default: each
    /// read with ``record(_:)``).
    func records(_ keys: [PatientKey]) throws -> [PatientKey: PatientRecord]
    /// Whether reading many records in one call (``records(_:)``) costs much less than
    /// reading them one at a time: a server's round trip per read. The engine then reads
    /// the records a batch of messages needs before applying them
    /// (``SurveillanceEngine/readRecords(for:)``). `false` by default.
    var readsManyAtOnce: Bool { get }
}

extension PagedStateSource {
    /// Reads each record with ``record(_:)``.
    public func records(_ keys: [PatientKey]) throws -> [PatientKey: PatientRecord] {
        var found: [PatientKey: PatientRecord] = [:]
        for key in keys {
            if let record = try record(key) { found[key] = record }
        }
        return found
    }

    /// `false`: records are read one at a time, when a message needs them.
    public var readsManyAtOnce: Bool { false }
}
