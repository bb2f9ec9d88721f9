/// What `extravasd alerts` makes of the journal (DESIGN.md section 5, "On-call review"):
/// the entries folded into an ``AlertLedger`` under a ``ReviewFilter``, the rows listed
/// once read, then, while following, what to print for each new entry.
///
/// Alerts the filter does not admit are not folded (a replayed entry of a live alert's
/// id never stands for it). Each alert is printed once: a resend is never printed again,
/// and an acknowledgement or reminder of an alert already printed is an update. An
/// acknowledgement or reminder entry read twice (by the first read and by the follower
/// started before it) counts once, by its cursor.
public struct AlertReview: Sendable {
    /// What to print for an entry followed.
    public enum Event: Sendable, Hashable {
        /// A new alert the filter shows.
        case alert(AlertLedger.Row)
        /// A new acknowledgement or reminder of an alert already printed.
        case updated(AlertLedger.Row)
    }

    /// The filter.
    public let filter: ReviewFilter
    /// The alerts folded so far.
    public private(set) var ledger: AlertLedger
    private var shown: Set<String> = []
    private var hidden: Set<String> = []
    private var followUpCursors: Set<String> = []

    /// An empty review under `filter`, judging acknowledgements with `trust`.
    public init(filter: ReviewFilter, trust: AcknowledgementTrust) {
        self.filter = filter
        ledger = AlertLedger(trust: trust)
    }

    /// Folds one journal entry (field name to value): an alert the filter admits, an
    /// acknowledgement, a reminder; anything else changes nothing.
    @discardableResult
    public mutating func add(_ fields: [String: String]) -> AlertLedger.Change {
        if let alert = ReviewedAlert(journalEntry: fields) {
            guard !hidden.contains(alert.id), filter.admits(alert) else { return .none }
        } else if let cursor = fields["__CURSOR"] {
            guard followUpCursors.insert(cursor).inserted else { return .none }
        }
        return ledger.add(fields)
    }

    /// The id of `fields` when it is the first entry of an alert the filter admits (one
    /// not folded yet): with ``ReviewFilter/since``, the caller looks up when that alert
    /// was first written (``ReviewJournal/alertsWritten(before:among:reader:includeReplay:)``)
    /// and hides it when that was earlier.
    public func newAlertID(_ fields: [String: String]) -> String? {
        guard let alert = ReviewedAlert(journalEntry: fields), ledger[alert.id] == nil,
            !hidden.contains(alert.id), filter.admits(alert)
        else { return nil }
        return alert.id
    }

    /// Leaves alert `id` out from now on: its first entry was written before the range
    /// read (a resend inside it is not a new alert).
    public mutating func hide(_ id: String) {
        hidden.insert(id)
    }

    /// The rows the filter shows, newest last; they count as printed.
    public mutating func listing() -> [AlertLedger.Row] {
        let rows = ledger.all.filter { !hidden.contains($0.alert.id) && filter.shows($0) }
        for row in rows { shown.insert(row.alert.id) }
        return rows
    }

    /// Folds an entry that arrived while following and says what to print: a new alert
    /// the filter shows, or an update of one already printed; `nil` for anything else.
    public mutating func follow(_ fields: [String: String]) -> Event? {
        switch add(fields) {
        case .alert(let id):
            guard let row = ledger[id], filter.shows(row), shown.insert(id).inserted else { return nil }
            return .alert(row)
        case .updated(let id):
            guard shown.contains(id), let row = ledger[id] else { return nil }
            return .updated(row)
        case .none:
            return nil
        }
    }
}
