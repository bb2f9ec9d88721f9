/// The statements of on-call review on the daemon's store (``SQLiteStore``, schema
/// version 5): reminder states on `alert_outbox`, `episode_suppression` and
/// `acknowledgement_cursor`.
extension SQLiteConnection {
    /// The `reminder` column's values.
    enum ReminderState: Int {
        /// The alert gets no reminder (not critical, a reminder's own entry, an old row).
        case none = 0
        /// Due once the alert is written and nobody acknowledged it.
        case pending = 1
        /// Its entry was added to the outbox.
        case fired = 2
        /// An acknowledgement came first.
        case stopped = 3
    }

    /// Moves the pending reminders of `alertIDs` to `state` (others are left as they are).
    func settleReminders(_ alertIDs: [String], as state: ReminderState) throws {
        try runEach(
            "UPDATE alert_outbox SET reminder = ?2 WHERE alert_id = ?1 AND reminder = 1", over: alertIDs
        ) { statement, id in
            try statement.bind(id, at: 1)
            try statement.bind(state.rawValue, at: 2)
        }
    }

    /// The alerts whose reminder is pending, in creation order.
    func pendingReminders() throws -> [PendingReminder] {
        try withStatement(
            """
            SELECT alert_id, payload, written_at FROM alert_outbox WHERE reminder = 1 ORDER BY created_seq
            """
        ) { try Self.pendingReminders(of: $0) }
    }

    /// The rows of `statement` (alert id, payload, written time) as pending reminders.
    private static func pendingReminders(of statement: SQLiteStatement) throws -> [PendingReminder] {
        var reminders: [PendingReminder] = []
        while try statement.step() {
            reminders.append(
                PendingReminder(
                    alertID: statement.text(at: 0), payload: statement.blob(at: 1),
                    writtenAt: statement.isNull(at: 2) ? nil : statement.int64(at: 2)))
        }
        return reminders
    }

    /// The first `limit` pending reminders of alerts written at or before `cutoff`, the
    /// earliest written first, and the earliest write time after it (both read along the
    /// index by write time: no row past the limit is read, nor sorted).
    func reminders(writtenAtOrBefore cutoff: Int64, limit: Int) throws -> DueReminders {
        let due = try withStatement(
            """
            SELECT alert_id, payload, written_at FROM alert_outbox
            WHERE reminder = 1 AND written_at <= ?1 ORDER BY written_at, created_seq LIMIT ?2
            """
        ) { statement in
            try statement.bind(cutoff, at: 1)
            try statement.bind(limit, at: 2)
            return try Self.pendingReminders(of: statement)
        }
        let next = try withStatement(
            "SELECT min(written_at) FROM alert_outbox WHERE reminder = 1 AND written_at > ?1"
        ) { statement in
            try statement.bind(cutoff, at: 1)
            return try statement.step() && !statement.isNull(at: 0) ? statement.int64(at: 0) : nil
        }
        return DueReminders(due: due, nextWrittenAt: next)
    }

    /// The episode of `alertID` and the highest severity rank among the episode's alerts.
    func episode(ofAlert alertID: String) throws -> AlertEpisode? {
        try withStatement(
            """
            SELECT a.episode, (SELECT max(b.severity_rank) FROM alert_outbox b WHERE b.episode = a.episode)
            FROM alert_outbox a WHERE a.alert_id = ?1 AND a.episode IS NOT NULL
            """
        ) { statement in
            try statement.bind(alertID, at: 1)
            guard try statement.step() else { return nil }
            return AlertEpisode(
                episode: statement.text(at: 0),
                highestSeverityRank: statement.isNull(at: 1) ? 0 : statement.int(at: 1))
        }
    }

    /// Stores the suppressions, replacing those of the same episode.
    func upsertSuppressions(_ suppressions: [EpisodeSuppression]) throws {
        try runEach(
            """
            INSERT INTO episode_suppression (episode, until, severity_ceiling, acknowledged_alert_id)
            VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (episode) DO UPDATE SET until = excluded.until,
                severity_ceiling = excluded.severity_ceiling, acknowledged_alert_id = excluded.acknowledged_alert_id
            """, over: suppressions
        ) { statement, suppression in
            try statement.bind(suppression.episode, at: 1)
            try statement.bind(suppression.until, at: 2)
            try statement.bind(suppression.severityCeiling, at: 3)
            try statement.bind(suppression.acknowledgedAlertID, at: 4)
        }
    }

    /// Removes the suppressions of these episodes.
    func removeSuppressions(_ episodes: [String]) throws {
        try runEach("DELETE FROM episode_suppression WHERE episode = ?1", over: episodes) {
            statement, episode in
            try statement.bind(episode, at: 1)
        }
    }

    /// Replaces the acknowledgement cursor.
    func writeAcknowledgementCursor(_ cursor: String) throws {
        try withStatement(
            """
            INSERT INTO acknowledgement_cursor (id, cursor) VALUES (1, ?1)
            ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor
            """
        ) { statement in
            try statement.bind(cursor, at: 1)
            try statement.run()
        }
    }

    /// The acknowledgement cursor and every suppression, by episode.
    func storedReview() throws -> StoredReview {
        let cursor = try text("SELECT cursor FROM acknowledgement_cursor WHERE id = 1")
        let suppressions = try withStatement(
            """
            SELECT episode, until, severity_ceiling, acknowledged_alert_id FROM episode_suppression
            ORDER BY episode
            """
        ) { statement in
            var suppressions: [EpisodeSuppression] = []
            while try statement.step() {
                suppressions.append(
                    EpisodeSuppression(
                        episode: statement.text(at: 0), until: statement.int64(at: 1),
                        severityCeiling: statement.int(at: 2), acknowledgedAlertID: statement.text(at: 3)))
            }
            return suppressions
        }
        return StoredReview(acknowledgementCursor: cursor, suppressions: suppressions)
    }
}
