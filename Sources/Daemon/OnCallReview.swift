import AlertOutput
import Journal
import Logging
import Review
import StateStore

/// The daemon's side of on-call review (DESIGN.md section 5): follows acknowledgements
/// and fires the reminders of critical alerts nobody acknowledged.
///
/// - **Acknowledgements.** A ``JournalFollower`` (a thread of its own) matching the
///   acknowledgement MESSAGE_ID starts just after the cursor saved in the store, or at
///   the journal's head the first time, so none is missed across restarts. Each run of
///   entries is judged (``AcknowledgementIntake``: trusted only by `_UID` root or a member
///   of `review.group`, the group read again for each run) and committed in one
///   transaction with the cursor past it: stopped reminders, episode suppressions. An
///   untrusted acknowledgement changes nothing and is logged (alert id and uid only).
/// - **Reminders.** A critical alert's reminder is pending from its commit; it is due
///   `reminders.after_minutes` after the alert was written to the journal (the time
///   ``AlertDelivery`` marked it delivered, or the journal's own time of the entry found
///   at reconciliation), on the wall clock. Before firing, the acknowledgements already
///   readable are taken up. Firing is one transaction: the reminder's own outbox entry
///   (``UnacknowledgedReminder``) and the alert's reminder marked fired; the entry then
///   goes through ``AlertDelivery`` like an alert (sent, read back, reconciled at start on
///   MESSAGE_ID and alert id): exactly once across `kill -9`. A daemon that was down past
///   the due time fires it at start, once.
/// - **Race.** journald makes an entry readable a little after it is written (up to a
///   few hundred milliseconds): an acknowledgement written that close before the due time
///   may come after the reminder. The reminder then says what the acknowledgement already
///   settled; nothing else follows from it.
/// - **The shared record** (a store that is a ``SharedReviewRecord``: PostgreSQL, DESIGN.md
///   section 10). Each turn also takes the acknowledgement rows `extravasd ack` wrote on any
///   host since the last row taken (all of them, from the first, after a start: taking one
///   again changes nothing), judged like the journal's entries (``SharedRecordEntries``:
///   the row's uid as `_UID`) and committed the same way, without moving the journal
///   cursor. An acknowledgement written on this host arrives both ways, to the same effect.
/// - **No journal to follow** (alerts to stderr, or the journal cannot be opened): said
///   once on stderr and in the journal; every critical alert then gets its reminder
///   (unless the shared record holds an acknowledgement of it).
///
/// Store calls run on the store's thread, journal reads on the follower's: this actor
/// only decides.
actor OnCallReview {
    /// The longest wait for acknowledgements before the reminders are looked at again.
    static let turn: Duration = .milliseconds(500)
    /// The most reminders fired in one transaction (the rest follow at the next turn).
    static let remindersPerTurn = 1_000
    /// The fields asked of each acknowledgement entry.
    static let fields = ReviewAcknowledgement.fields

    private let store: any SurveillanceStore
    /// The store as the shared record of acknowledgements, when it is one.
    private let sharedRecord: (any SharedReviewRecord)?
    /// The sequence of the last shared acknowledgement row taken (0: none yet).
    private var sharedSequence: Int64 = 0
    private let access: (any JournalAccess)?
    private let outbox: OutboxQueue
    private let suppressions: EpisodeSuppressions
    private let status: ReviewStatus
    private let delivery: DeliveryStatus
    private let logger: Logger
    private var settings: OnCallReviewSettings
    private var follower: (any JournalFollowing)?
    /// Entries read from the follower whose changes are not committed yet (a store failure).
    private var unsaved: [[String: String]] = []
    /// Whether it was said that acknowledgements are not followed.
    private var saidUnfollowed = false
    /// Whether a run of store failures was reported.
    private var storeFailing = false
    /// Whether a run of failing journal reads was reported.
    private var readFailing = false

    init(
        store: any SurveillanceStore, readBack: (any JournalAccess)?, outbox: OutboxQueue,
        suppressions: EpisodeSuppressions, status: ReviewStatus, delivery: DeliveryStatus,
        settings: OnCallReviewSettings, logger: Logger
    ) {
        self.store = store
        self.sharedRecord = store as? any SharedReviewRecord
        self.access = readBack
        self.outbox = outbox
        self.suppressions = suppressions
        self.status = status
        self.delivery = delivery
        self.settings = settings
        self.logger = logger
    }

    /// Takes the stored suppressions and opens the acknowledgement follower after the
    /// saved cursor (at the head when none is saved).
    ///
    /// - Throws: a store error reading what review left.
    func start() async throws {
        let stored = try await store.storedReview()
        suppressions.add(stored.suppressions)
        guard let access else {
            unfollowed("no journald: acknowledgements exist only in a journal")
            return
        }
        let start = stored.acknowledgementCursor.map { JournalFollowStart.after(cursor: $0) } ?? .head
        do {
            follower = try await access.follower(
                matching: ["MESSAGE_ID": Acknowledgement.messageID], from: start)
        } catch {
            unfollowed("the journal cannot be opened for reading (\(error))")
        }
    }

    /// New values of `reminders.*` and `review.group` (a reload).
    func update(_ settings: OnCallReviewSettings) {
        self.settings = settings
    }

    /// The review loop: waits for acknowledgements (at most until the next reminder is
    /// due, and ``turn``), takes them up, fires the reminders due; until cancelled.
    func run(health: LoopHealth, stall: LoopStall) async {
        var wait = Duration.zero
        while !Task.isCancelled {
            var entries = await nextAcknowledgements(wait: wait)
            entries += await sharedAcknowledgements()
            health.begin()
            await stall.suspendIfStalled(.review)
            if !entries.isEmpty || !unsaved.isEmpty { await take(entries) }
            if delivery.reading.journalUnreadable {
                unfollowed("the daemon cannot read the journal back (journal_unreadable)")
            }
            wait = await remindDue()
            health.end()
        }
        follower?.close()
    }

    // MARK: - Acknowledgements

    /// The acknowledgement entries written since the last call, waiting up to `wait`.
    private func nextAcknowledgements(wait: Duration) async -> [[String: String]] {
        guard let follower else {
            try? await Task.sleep(for: wait)
            return []
        }
        do {
            let entries = try await follower.next(fields: Self.fields, wait: wait)
            if readFailing {
                readFailing = false
                logger.notice("acknowledgements are read again")
            }
            return entries
        } catch JournalReaderError.closed {
            self.follower = nil
            return []
        } catch {
            if !readFailing {
                readFailing = true
                logger.warning(
                    "reading acknowledgements failed; trying again every second",
                    metadata: ["reason": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
            return []
        }
    }

    /// The acknowledgement rows of the shared record stored since the last call, as
    /// entries; none without a shared record, or when it cannot be read (said once, like
    /// any store failure; the same rows are read at the next turn).
    private func sharedAcknowledgements() async -> [[String: String]] {
        guard let sharedRecord else { return [] }
        do {
            let rows = try await sharedRecord.acknowledgements(after: sharedSequence)
            if let last = rows.last { sharedSequence = last.sequence }
            return rows.map(SharedRecordEntries.entry)
        } catch {
            storeFailed(error)
            return []
        }
    }

    /// Takes up every acknowledgement readable now (the journal's and the shared
    /// record's); whether there was any.
    private func drainAcknowledgements() async -> Bool {
        var any = false
        var shared = await sharedAcknowledgements()
        while true {
            let entries = await nextAcknowledgements(wait: .zero) + shared
            shared = []
            guard !entries.isEmpty || !unsaved.isEmpty else { return any }
            any = true
            guard await take(entries) else { return any }
            if entries.isEmpty { return any }
        }
    }

    /// Judges and commits `entries` (after any left unsaved); whether they were committed.
    @discardableResult
    private func take(_ entries: [[String: String]]) async -> Bool {
        let all = unsaved + entries
        unsaved = []
        let now = WallClock.now()
        let store = self.store
        do {
            let intake = try await AcknowledgementIntake.judge(
                all, trust: AcknowledgementTrust(group: settings.group), settings: settings, now: now
            ) { try await store.episode(ofAlert: $0) }
            let renewed = Set(intake.suppressions.map(\.episode))
            let ended = suppressions.ended(at: now).filter { !renewed.contains($0) }
            try await store.commit(
                StoreBatch(
                    stoppedReminders: intake.stoppedReminders, suppressions: intake.suppressions,
                    removedSuppressions: ended, acknowledgementCursor: intake.cursor))
            storeRecovered()
            suppressions.remove(ended)
            suppressions.add(intake.suppressions)
            for untrusted in intake.untrusted {
                logger.warning(
                    "acknowledgement written by an untrusted user (not root, not in review.group): it changes nothing",
                    metadata: [
                        "acknowledged_alert": "\(untrusted.alertID)",
                        "writer_uid": "\(untrusted.uid.map(String.init) ?? "none")",
                    ])
            }
            for suppression in intake.suppressions {
                let until = WallClock.text(suppression.until)
                logger.notice(
                    "not-extravasation: escalations of this episode are suppressed until \(until) (a new episode or a higher severity still alerts)",
                    metadata: [
                        "acknowledged_alert": "\(suppression.acknowledgedAlertID)",
                        "episode": "\(suppression.episode)",
                    ])
            }
            return true
        } catch {
            unsaved = all
            storeFailed(error)
            return false
        }
    }

    // MARK: - Reminders

    /// Fires the reminders due (after taking up the acknowledgements already written);
    /// returns how long to wait before looking again. Only the reminders due are read, at
    /// most ``remindersPerTurn`` (more are fired at the next turn, soon after), and the time
    /// the next one falls due: however many alerts wait unacknowledged (their payloads held
    /// a hundred megabytes with 100,000 of them, read twice a second).
    private func remindDue() async -> Duration {
        let delay = settings.reminderDelayMicroseconds
        func readDue() async -> DueReminders? {
            do {
                return try await store.reminders(
                    writtenAtOrBefore: WallClock.now() - delay, limit: Self.remindersPerTurn)
            } catch {
                storeFailed(error)
                return nil
            }
        }
        guard var reminders = await readDue() else { return .seconds(1) }
        if !reminders.due.isEmpty, await drainAcknowledgements() {
            guard let read = await readDue() else { return .seconds(1) }
            reminders = read
        }
        if !reminders.due.isEmpty { await fire(reminders.due) }
        // A storm of reminders (a restart after a long stop): the rest at the next turn.
        if reminders.due.count == Self.remindersPerTurn { return .milliseconds(5) }
        guard let next = reminders.nextWrittenAt.map({ $0 + delay }) else { return Self.turn }
        return min(Self.turn, max(.milliseconds(5), .microseconds(next - WallClock.now())))
    }

    /// One transaction: each reminder's outbox entry, and the alerts' reminders fired; then
    /// the entries go to the outbox loop.
    private func fire(_ reminders: [PendingReminder]) async {
        var committed: [CommittedAlert] = []
        var fired: [String] = []
        var unreadable: [String] = []
        for reminder in reminders {
            guard let alert = AlertJournalFields.decode(reminder.payload) else {
                unreadable.append(reminder.alertID)
                continue
            }
            let fields = UnacknowledgedReminder.fields(alert: alert, afterMinutes: settings.reminderMinutes)
            guard let entry = try? JournalEntry(validating: fields) else {
                unreadable.append(reminder.alertID)
                continue
            }
            let row = OutboxEntry(
                alertID: UnacknowledgedReminder.outboxKey(reminder.alertID),
                payload: AlertJournalFields.encode(fields))
            committed.append(CommittedAlert(row: row, entry: entry))
            fired.append(reminder.alertID)
        }
        do {
            try await store.commit(
                StoreBatch(outbox: committed.map(\.row), firedReminders: fired, stoppedReminders: unreadable))
            storeRecovered()
        } catch {
            storeFailed(error)
            return
        }
        for id in unreadable {
            logger.error(
                "the stored alert cannot be read back: its reminder cannot be written",
                metadata: ["reminded_alert": "\(id)"])
        }
        guard !committed.isEmpty else { return }
        status.update { $0.reminders += committed.count }
        outbox.submit(committed)
    }

    // MARK: - Problems

    /// Says once (stderr and the journal) that acknowledgements are not followed.
    private func unfollowed(_ reason: String) {
        guard !saidUnfollowed else { return }
        saidUnfollowed = true
        let line =
            sharedRecord == nil
            ? "acknowledgements cannot be followed (\(reason)): every critical alert gets its reminder "
                + "\(UnacknowledgedReminder.minutes(settings.reminderMinutes)) after it was written, "
                + "and no not-extravasation suppression applies"
            : "acknowledgements cannot be followed in the journal (\(reason)): only those recorded in "
                + "the PostgreSQL store stop reminders and suppress escalations"
        StandardError.write("extravasd: " + line)
        // Without journald the logger writes to stderr too: said there once already.
        if access != nil { logger.warning("\(line)") }
    }

    private func storeFailed(_ error: any Error) {
        guard !storeFailing else { return }
        storeFailing = true
        logger.error(
            "on-call review cannot use the state store: reminders and acknowledgements wait",
            metadata: ["reason": "\(error)"])
    }

    private func storeRecovered() {
        guard storeFailing else { return }
        storeFailing = false
        logger.notice("on-call review uses the state store again")
    }
}
