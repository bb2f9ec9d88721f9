import ClinicalEvents
import Review
import Surveillance

/// One alert of a report: raised by replaying the feeds, found in the journal, or both
/// (joined by its deterministic id), with what review made of it.
public struct ReportAlert: Sendable, Hashable {
    /// Where the report found the alert.
    public enum Origin: String, Sendable, Hashable {
        /// Raised by the replay and written to the journal.
        case replayAndJournal = "replay and journal"
        /// Raised by the replay; no journal entry carries its id (the daemon did not run on
        /// these feeds, or the journal no longer holds it): it could not be acknowledged.
        case replayOnly = "replay only"
        /// In the journal; the replayed feeds did not raise it.
        case journalOnly = "journal only"
    }

    /// The deterministic alert id (`EXTRAVASD_ALERT_ID`).
    public var id: String
    /// The alert's number in the report (`A1`, `A2`, ...), to find it on the timelines.
    public var number: Int
    /// What happened.
    public var kind: AlertKind
    /// How urgent.
    public var severity: Severity
    /// The observation's time, when known.
    public var observedAt: Instant?
    /// The patient as the page names them (see ``PatientTimeline/label``), when known.
    public var patient: String?
    /// The location as the PHI policy lets it out.
    public var location: String?
    /// The exposed canonical site.
    public var site: String?
    /// The sign kinds of the episode so far.
    public var signs: [String]
    /// The drug as sent.
    public var drug: String?
    /// The order number as the PHI policy lets it out.
    public var order: String?
    /// Where the report found it.
    public var origin: Origin
    /// When journald stored its first entry (microseconds since the epoch), when in the journal.
    public var writtenAt: Int64?
    /// The latest trusted acknowledgement, else the latest untrusted one.
    public var acknowledgement: ReviewAcknowledgement?
    /// Whether ``acknowledgement`` counts (root or `review.group`).
    public var acknowledgementTrusted: Bool
    /// Whether an unacknowledged-reminder entry carries its id.
    public var reminded: Bool

    /// Creates an alert row.
    public init(
        id: String, number: Int = 0, kind: AlertKind, severity: Severity, observedAt: Instant?,
        patient: String?, location: String?, site: String?, signs: [String], drug: String?, order: String?,
        origin: Origin, writtenAt: Int64? = nil, acknowledgement: ReviewAcknowledgement? = nil,
        acknowledgementTrusted: Bool = false, reminded: Bool = false
    ) {
        self.id = id
        self.number = number
        self.kind = kind
        self.severity = severity
        self.observedAt = observedAt
        self.patient = patient
        self.location = location
        self.site = site
        self.signs = signs
        self.drug = drug
        self.order = order
        self.origin = origin
        self.writtenAt = writtenAt
        self.acknowledgement = acknowledgement
        self.acknowledgementTrusted = acknowledgementTrusted
        self.reminded = reminded
    }

    /// `A` and the number.
    public var label: String { "A\(number)" }

    /// Whether a trusted acknowledgement exists.
    public var acknowledged: Bool { acknowledgement != nil && acknowledgementTrusted }

    /// Seconds from the alert's journal entry to its trusted acknowledgement's (both
    /// journal times; an acknowledgement stamped before its alert, by another host's
    /// clock, counts as 0); `nil` when either is missing.
    public var secondsToAcknowledge: Double? {
        guard acknowledged, let writtenAt, let acknowledgement else { return nil }
        return Double(max(0, acknowledgement.writtenAt - writtenAt)) / 1_000_000
    }

    /// Why the alert has no acknowledgement that counts (`nil` when it has one).
    public var unacknowledgedReason: String? {
        if acknowledged { return nil }
        if origin == .replayOnly { return "not in the journal" }
        if let acknowledgement {
            return "only an untrusted acknowledgement (by \(acknowledgement.by))"
        }
        return reminded ? "no acknowledgement (reminded)" : "no acknowledgement"
    }
}
