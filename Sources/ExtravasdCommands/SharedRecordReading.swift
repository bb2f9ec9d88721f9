import Daemon
import StateStore

/// Reads the shared record (the PostgreSQL store, DESIGN.md section 10) as the entries
/// `alerts` and `report` fold, as they fold the journal's.
enum SharedRecordReading {
    /// The alerts written from `since` through `until` (microseconds since the epoch,
    /// inclusive; `nil`: unbounded) with their reminders, then the acknowledgements
    /// stored after `sequence` (which moves past them), as entries.
    ///
    /// - Throws: the store's error.
    static func entries(
        _ record: any SharedReviewRecord, since: Int64?, until: Int64?, after sequence: inout Int64
    ) async throws -> [[String: String]] {
        let alerts = try await record.deliveredAlerts(since: since, until: until)
        let acknowledgements = try await record.acknowledgements(after: sequence)
        if let last = acknowledgements.last { sequence = last.sequence }
        return alerts.flatMap(SharedRecordEntries.entries) + acknowledgements.map(SharedRecordEntries.entry)
    }
}
