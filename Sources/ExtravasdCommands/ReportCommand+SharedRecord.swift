import ClinicalEvents
import Configuration
import Review
import StateStore
import Surveillance

/// `extravasd report` with the PostgreSQL store (DESIGN.md sections 5 and 10): the alerts
/// and acknowledgements come from the store, the shared record of every host, instead of
/// this host's journal.
extension ReportCommand {
    /// The store's alerts written from `since` on (the patient's only when one is asked
    /// for) with their acknowledgements and reminders, folded as the journal's are.
    ///
    /// - Throws: the store's error.
    static func sharedLedger(
        _ record: any SharedReviewRecord, trust: AcknowledgementTrust, since: Instant?, patient: String?
    ) async throws -> [AlertLedger.Row] {
        let filter = ReviewFilter(since: since.map { $0.seconds * 1_000_000 }, patient: patient)
        var review = AlertReview(filter: filter, trust: trust)
        var sequence: Int64 = 0
        for entry in try await SharedRecordReading.entries(
            record, since: filter.since, until: nil, after: &sequence)
        {
            review.add(entry)
        }
        return review.ledger.all
    }
}
