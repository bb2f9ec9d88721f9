import NIOCore
import PostgresNIO
import StateStore

/// The PostgreSQL store as the shared record of alerts and acknowledgements (DESIGN.md
/// section 10, schema version 3): `acknowledgement` rows written by `extravasd ack` on any
/// host, and the delivered outbox entries.
extension PostgreSQLStore: SharedReviewRecord {
    /// Whether `alert_outbox` holds an alert with this id (delivered or not); a reminder's
    /// own entry (`<id>:reminder`) does not count.
    ///
    /// - Throws: ``StateStoreError``.
    public func alertExists(_ alertID: String) throws -> Bool {
        guard !alertID.hasSuffix(Self.reminderSuffix) else { return false }
        return try connection.firstRow("SELECT 1 FROM alert_outbox WHERE alert_id = \(alertID)") { _ in true }
            ?? false
    }

    /// Stores `acknowledgement` in one transaction that first takes an advisory lock, so
    /// that rows are numbered in commit order (a reader that saw row N never later finds a
    /// committed row below N). Not fenced: any host records acknowledgements.
    ///
    /// - Throws: ``StateStoreError``.
    public func recordAcknowledgement(_ acknowledgement: SharedAcknowledgement) throws
        -> SharedAcknowledgement
    {
        let uid = acknowledgement.uid.map { Int64($0) }
        let sequence = try connection.transaction {
            try connection.execute(
                "SELECT pg_advisory_xact_lock(hashtext('extravasd acknowledgement ' || current_schema())::bigint)"
            )
            return try connection.firstRow(
                """
                INSERT INTO acknowledgement (alert_id, acknowledged_by, disposition, note, acknowledged_at, host,
                    writer_uid)
                VALUES (\(acknowledgement.alertID), \(acknowledgement.by), \(acknowledgement.disposition),
                    \(acknowledgement.note), \(acknowledgement.acknowledgedAt), \(acknowledgement.host), \(uid))
                RETURNING seq
                """
            ) { try $0.decode(Int64.self) }
        }
        var stored = acknowledgement
        stored.sequence = sequence ?? 0
        return stored
    }

    /// The acknowledgements after `sequence`, in sequence (commit) order.
    ///
    /// - Throws: ``StateStoreError``.
    public func acknowledgements(after sequence: Int64) throws -> [SharedAcknowledgement] {
        try connection.rows(
            """
            SELECT seq, alert_id, acknowledged_by, disposition, note, acknowledged_at, host, writer_uid
            FROM acknowledgement WHERE seq > \(sequence) ORDER BY seq
            """
        ) { row in
            let (sequence, alertID, by, disposition, note, at, host, uid) = try row.decode(
                (Int64, String, String, String?, String?, Int64, String, Int64?).self)
            return SharedAcknowledgement(
                sequence: sequence, alertID: alertID, by: by, disposition: disposition, note: note,
                acknowledgedAt: at, host: host, uid: uid.flatMap { UInt32(exactly: $0) })
        }
    }

    /// The delivered alerts (not reminders' entries) written from `since` through `until`,
    /// by the time written, then creation order; `reminded` when the alert's reminder fired.
    ///
    /// - Throws: ``StateStoreError``.
    public func deliveredAlerts(since: Int64?, until: Int64?) throws -> [SharedAlert] {
        try connection.rows(
            """
            SELECT alert_id, payload, written_at, reminder FROM alert_outbox
            WHERE delivered AND written_at IS NOT NULL AND right(alert_id, 9) <> \(Self.reminderSuffix)
                AND written_at >= \(since ?? Int64.min) AND written_at <= \(until ?? Int64.max)
            ORDER BY written_at, created_seq
            """
        ) { row in
            let (alertID, payload, writtenAt, reminder) = try row.decode(
                (String, ByteBuffer, Int64, Int16).self)
            return SharedAlert(
                alertID: alertID, payload: payload.bytes, writtenAt: writtenAt, reminded: reminder == 2)
        }
    }

    /// The suffix of a reminder's own outbox key (the Daemon's `UnacknowledgedReminder.outboxKey`).
    static let reminderSuffix = ":reminder"
}
