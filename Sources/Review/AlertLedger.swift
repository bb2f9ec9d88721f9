/// Alerts and their acknowledgements, folded from journal entries in the order read
/// (DESIGN.md section 5, "On-call review"): each alert id once (a resend after a
/// failover or a reconciliation is the same alert; the first entry stands), newest last,
/// with its latest acknowledgement and whether a reminder was written for it.
public struct AlertLedger: Sendable {
    /// One alert and what review made of it.
    public struct Row: Sendable, Hashable {
        /// The alert (its first entry).
        public var alert: ReviewedAlert
        /// The latest trusted acknowledgement, else the latest untrusted one.
        public var acknowledgement: ReviewAcknowledgement?
        /// Whether ``acknowledgement`` counts (root or `review.group`).
        public var acknowledgementTrusted: Bool
        /// Whether an unacknowledged-reminder entry carries this alert's id.
        public var reminded: Bool

        /// Whether a trusted acknowledgement exists.
        public var acknowledged: Bool { acknowledgement != nil && acknowledgementTrusted }
    }

    private let trust: AcknowledgementTrust
    private var rows: [String: Row] = [:]
    private var order: [String] = []
    /// Acknowledgements and reminders read before their alert (another journal file).
    private var earlyAcknowledgements: [String: [ReviewAcknowledgement]] = [:]
    private var earlyReminders: Set<String> = []

    /// An empty ledger judging acknowledgements with `trust`.
    public init(trust: AcknowledgementTrust) {
        self.trust = trust
    }

    /// What ``add(_:)`` changed.
    public enum Change: Sendable, Hashable {
        /// A new alert id.
        case alert(String)
        /// An alert's acknowledgement (or reminder flag) changed.
        case updated(String)
        /// Nothing (a resend, an entry of no concern).
        case none
    }

    /// Adds one journal entry (field name to value): an alert, an acknowledgement, a
    /// reminder, or anything else (ignored).
    @discardableResult
    public mutating func add(_ fields: [String: String]) -> Change {
        if fields["EXTRAVASD_REMINDER"] == "1", let id = fields["EXTRAVASD_ALERT_ID"] {
            guard rows[id] != nil else {
                earlyReminders.insert(id)
                return .none
            }
            if rows[id]!.reminded { return .none }
            rows[id]!.reminded = true
            return .updated(id)
        }
        if let alert = ReviewedAlert(journalEntry: fields) {
            guard rows[alert.id] == nil else { return .none }
            var row = Row(alert: alert, acknowledgement: nil, acknowledgementTrusted: false, reminded: false)
            row.reminded = earlyReminders.remove(alert.id) != nil
            rows[alert.id] = row
            order.append(alert.id)
            for acknowledgement in earlyAcknowledgements.removeValue(forKey: alert.id) ?? [] {
                apply(acknowledgement)
            }
            return .alert(alert.id)
        }
        if let acknowledgement = ReviewAcknowledgement(journalEntry: fields) {
            guard rows[acknowledgement.alertID] != nil else {
                earlyAcknowledgements[acknowledgement.alertID, default: []].append(acknowledgement)
                return .none
            }
            return apply(acknowledgement) ? .updated(acknowledgement.alertID) : .none
        }
        return .none
    }

    /// Takes `acknowledgement` when it is the row's latest (a trusted one is never
    /// replaced by an untrusted one).
    private mutating func apply(_ acknowledgement: ReviewAcknowledgement) -> Bool {
        guard var row = rows[acknowledgement.alertID] else { return false }
        let trusted = trust.trusts(uid: acknowledgement.uid)
        if row.acknowledgementTrusted && !trusted { return false }
        if let current = row.acknowledgement, row.acknowledgementTrusted == trusted,
            current.writtenAt > acknowledgement.writtenAt
        {
            return false
        }
        row.acknowledgement = acknowledgement
        row.acknowledgementTrusted = trusted
        rows[acknowledgement.alertID] = row
        return true
    }

    /// The row of alert `id`.
    public subscript(id: String) -> Row? { rows[id] }

    /// Every alert, oldest first (by the time its first entry was written; ties in the
    /// order read).
    public var all: [Row] {
        let sorted = order.enumerated().sorted { lhs, rhs in
            let left = rows[lhs.element]!.alert.writtenAt
            let right = rows[rhs.element]!.alert.writtenAt
            return left != right ? left < right : lhs.offset < rhs.offset
        }
        return sorted.map { rows[$0.element]! }
    }

    /// How many alerts.
    public var count: Int { order.count }
}
