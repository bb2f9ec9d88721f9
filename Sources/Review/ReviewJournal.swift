import AlertOutput
import Journal
import Surveillance

/// Reads what on-call review needs from a journal (DESIGN.md section 5): every alert
/// entry (each alert MESSAGE_ID), acknowledgement and unacknowledged reminder, oldest
/// first, through libsystemd's reading API on the reader's own thread.
public enum ReviewJournal {
    /// The MESSAGE_IDs review reads: the alert kinds', the acknowledgement's and the
    /// reminder's.
    public static let messageIDs: [String] =
        AlertKind.allCases.map(AlertJournalFields.messageID) + [
            Acknowledgement.messageID, reminderMessageID,
        ]

    /// The unacknowledged-reminder MESSAGE_ID.
    public static let reminderMessageID = "38645c32a78b44dd9deb93a9e58354d3"

    /// Every review entry of `source`, oldest first. `progress` is called with the number
    /// of entries read so far after each query (a long read of a month of journal).
    ///
    /// - Throws: ``Journal/SystemdError`` when the journal cannot be opened or read.
    public static func entries(
        from source: JournalReader.Source, progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> [[String: String]] {
        let reader = try await JournalReader(source)
        defer { reader.close() }
        var all: [[String: String]] = []
        for messageID in messageIDs {
            all += try await reader.entries(matching: ["MESSAGE_ID": messageID])
            progress?(all.count)
        }
        // Oldest first across the queries (each is already in journal order).
        return all.enumerated().sorted { lhs, rhs in
            let left = Int64(lhs.element["__REALTIME_TIMESTAMP"] ?? "") ?? 0
            let right = Int64(rhs.element["__REALTIME_TIMESTAMP"] ?? "") ?? 0
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
    }
}
