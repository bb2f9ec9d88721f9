import ClinicalEvents

/// The engine's whole state: a value with a versioned encoding, so the daemon can
/// persist it and `replay --state` can continue from it.
///
/// Encoding (version 2): a keyed container with `version`, `clock` (the time that
/// drives pruning, see ``FeedClock``), `clockWindow` (the recent message times the
/// clock's median is taken over, seconds since the epoch, oldest first), `patients` (an
/// array of ``PatientRecord`` sorted by key), `merges` (old key -> surviving key pairs)
/// and `processed` (message identities with their message time, sorted), so equal
/// states encode to equal bytes with a sorted-keys encoder. Version 1 (whose `clock` was
/// the latest message time seen, with no window) is read too: its clock seeds the window.
public struct SurveillanceState: Sendable, Hashable, Codable {
    /// The encoding version this code writes.
    public static let currentVersion = 2
    /// The earliest encoding version this code reads.
    public static let earliestReadableVersion = 1

    /// The time that drives pruning and watch expiry (robust to wrong timestamps).
    public var clock: FeedClock
    /// Patients by key.
    public var patients: [PatientKey: PatientRecord]
    /// Merged-away keys and the key that survived.
    public var merges: [PatientKey: PatientKey]
    /// Processed message identities and their message times (for resends).
    public var processed: [MessageIdentity: Instant]
    /// Messages processed since the last pruning.
    var sincePruning: Int

    /// An empty state.
    public init() {
        clock = FeedClock()
        patients = [:]
        merges = [:]
        processed = [:]
        sincePruning = 0
    }

    /// The record of a patient, following merges.
    public func patient(_ key: PatientKey) -> PatientRecord? { patients[resolve(key)] }

    /// The surviving key for `key`.
    public func resolve(_ key: PatientKey) -> PatientKey {
        if merges.isEmpty { return key }
        var current = key
        var steps = 0
        while let next = merges[current], steps < 100 {
            current = next
            steps += 1
        }
        return current
    }

    /// Open episodes (with at least one alert) across all patients.
    public var openEpisodeCount: Int {
        patients.values.reduce(0) { $0 + $1.episodes.count }
    }

    // MARK: Codable

    private enum CodingKeys: String, CodingKey {
        case version, clock, clockWindow, patients, merges, processed
    }

    private struct Merge: Codable {
        var from: PatientKey
        var to: PatientKey
    }

    private struct Processed: Codable {
        var identity: MessageIdentity
        var time: Instant
    }

    /// Reads a state; a version this build does not read is an error naming the versions.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(Int.self, forKey: .version)
        guard (Self.earliestReadableVersion...Self.currentVersion).contains(version) else {
            throw DecodingError.dataCorruptedError(
                forKey: .version, in: container,
                debugDescription: "state version \(version) is not one this build reads "
                    + "(\(Self.earliestReadableVersion) to \(Self.currentVersion))")
        }
        let time = try container.decodeIfPresent(Instant.self, forKey: .clock)
        // Version 1 kept no window: its clock (the latest message time) seeds it.
        let window =
            try container.decodeIfPresent([Int64].self, forKey: .clockWindow)?.map(Instant.init(seconds:))
            ?? time.map { [$0] } ?? []
        clock = FeedClock(time: time, recentTimes: window)
        let records = try container.decode([PatientRecord].self, forKey: .patients)
        patients = Dictionary(records.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        merges = Dictionary(
            try container.decode([Merge].self, forKey: .merges).map { ($0.from, $0.to) },
            uniquingKeysWith: { first, _ in first })
        processed = Dictionary(
            try container.decode([Processed].self, forKey: .processed).map { ($0.identity, $0.time) },
            uniquingKeysWith: { first, _ in first })
        sincePruning = 0
    }

    /// Writes the state in the documented, order-stable form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.currentVersion, forKey: .version)
        try container.encodeIfPresent(clock.time, forKey: .clock)
        try container.encode(clock.recentTimes.map(\.seconds), forKey: .clockWindow)
        try container.encode(patients.values.sorted { $0.key < $1.key }, forKey: .patients)
        try container.encode(
            merges.map { Merge(from: $0.key, to: $0.value) }.sorted { $0.from < $1.from }, forKey: .merges)
        try container.encode(
            processed.map { Processed(identity: $0.key, time: $0.value) }.sorted {
                ($0.time, $0.identity.sendingApplication, $0.identity.sendingFacility, $0.identity.controlID)
                    < (
                        $1.time, $1.identity.sendingApplication, $1.identity.sendingFacility,
                        $1.identity.controlID
                    )
            }, forKey: .processed)
    }
}
