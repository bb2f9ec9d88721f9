import ClinicalEvents
import Journal
import Review
import StateStore
import Surveillance
import Testing

@testable import Daemon

/// The rules of on-call review in the daemon, one by one, in memory: which
/// acknowledgement counts and what it changes, which alert a suppression keeps from the
/// journal, what a reminder carries, what tells an outbox entry's journal entry apart.
@Suite("On-call review rules")
struct OnCallReviewRulesTests {
    static let hour: Int64 = 3_600_000_000
    static let now: Int64 = 1_780_000_000_000_000
    let settings = OnCallReviewSettings(
        reminderMinutes: 10, suppression: .seconds(24 * 3600), group: "review")
    /// No such group on the machine: root only.
    let rootOnly = AcknowledgementTrust(group: "review", groupID: nil, members: [])

    static func ack(
        _ id: String, uid: String?, disposition: String? = nil, at time: Int64 = now, cursor: String = "c"
    ) -> [String: String] {
        var entry = [
            "MESSAGE_ID": "b58e71387e6848038cc9bd8d4082be8e", "EXTRAVASD_ALERT_ID": id,
            "EXTRAVASD_ACK_BY": "RN",
            "__REALTIME_TIMESTAMP": String(time), "__CURSOR": cursor,
        ]
        entry["_UID"] = uid
        entry["EXTRAVASD_DISPOSITION"] = disposition
        return entry
    }

    static func episodes(_ id: String) -> AlertEpisode? {
        id == "unknown" ? nil : AlertEpisode(episode: "episode-of-\(id)", highestSeverityRank: 2)
    }

    @Test func onlyRootOrTheReviewGroupCountsAndATrustedOneStopsTheReminder() async throws {
        let entries = [
            Self.ack("a", uid: "0", cursor: "c1"), Self.ack("b", uid: "65534", cursor: "c2"),
            Self.ack("c", uid: nil, cursor: "c3"),
        ]
        let intake = try await AcknowledgementIntake.judge(
            entries, trust: rootOnly, settings: settings, now: Self.now, episode: Self.episodes)
        #expect(intake.stoppedReminders == ["a"])
        #expect(
            intake.untrusted == [.init(alertID: "b", uid: 65534), .init(alertID: "c", uid: nil)],
            "another user, or no _UID at all (not written through journald's socket)")
        #expect(intake.cursor == "c3", "past every entry judged, trusted or not")
        // nobody's primary group is nogroup (65534): a member of that review group counts.
        let group = AcknowledgementTrust(group: "nogroup", groupID: 65534, members: [])
        let member = try await AcknowledgementIntake.judge(
            [Self.ack("b", uid: "65534")], trust: group, settings: settings, now: Self.now,
            episode: Self.episodes)
        #expect(member.stoppedReminders == ["b"])
    }

    @Test func notExtravasationSuppressesTheEpisodeFromTheAcknowledgementsTime() async throws {
        let entries = [
            Self.ack("a", uid: "0", disposition: "not-extravasation", at: Self.now - Self.hour),
            Self.ack("b", uid: "0", disposition: "confirmed"),
            Self.ack("unknown", uid: "0", disposition: "not-extravasation"),
            Self.ack("old", uid: "0", disposition: "not-extravasation", at: Self.now - 25 * Self.hour),
            Self.ack("x", uid: "65534", disposition: "not-extravasation"),
        ]
        let intake = try await AcknowledgementIntake.judge(
            entries, trust: rootOnly, settings: settings, now: Self.now, episode: Self.episodes)
        #expect(
            intake.suppressions == [
                EpisodeSuppression(
                    episode: "episode-of-a", until: Self.now + 23 * Self.hour, severityCeiling: 2,
                    acknowledgedAlertID: "a")
            ], "not for confirmed, an unknown alert, one whose hours are over, or an untrusted one")
        #expect(intake.stoppedReminders == ["a", "b", "unknown", "old"])
    }

    static func alert(_ kind: AlertKind, _ severity: Severity) -> Alert {
        Alert(
            id: "id", kind: kind, severity: severity, observedAt: Instant(seconds: 0), patient: "4455",
            patientKey: PatientKey(identifier: "4455"), visit: nil, location: nil, site: nil,
            observedSite: nil,
            siteMatch: .unsited, signs: [], drug: "Calcium", order: nil, infusionActive: true,
            riskFactors: [],
            controlID: "M1", source: MessageSource(description: "file:x:0"),
            exposureStartedAt: Instant(seconds: 0),
            catalogEntry: "calcium-gluconate")
    }

    @Test func aSuppressionKeepsOnlyEscalationsNoMoreSevereBeforeItEnds() {
        let suppressions = EpisodeSuppressions()
        suppressions.add([
            EpisodeSuppression(
                episode: "e", until: Self.now + Self.hour, severityCeiling: 1, acknowledgedAlertID: "a")
        ])
        func review(_ severity: Severity, episode: String = "e") -> OutboxReviewFacts {
            OutboxReviewFacts(
                episode: episode, severityRank: OutboxReviewFacts.rank(severity),
                remindsIfUnacknowledged: false)
        }
        let high = Self.alert(.extravasationEscalated, .high)
        #expect(suppressions.suppression(of: high, review: review(.high), at: Self.now) != nil)
        #expect(
            suppressions.suppression(
                of: Self.alert(.extravasationEscalated, .moderate), review: review(.moderate), at: Self.now)
                != nil)
        #expect(
            suppressions.suppression(
                of: Self.alert(.extravasationEscalated, .critical), review: review(.critical), at: Self.now)
                == nil, "a higher severity alerts")
        #expect(
            suppressions.suppression(
                of: Self.alert(.extravasationSuspected, .high), review: review(.high), at: Self.now)
                == nil, "a new episode alerts")
        #expect(
            suppressions.suppression(
                of: Self.alert(.calcinosisSuspected, .high), review: review(.high), at: Self.now)
                == nil)
        #expect(
            suppressions.suppression(of: high, review: review(.high, episode: "other"), at: Self.now) == nil)
        #expect(
            suppressions.suppression(of: high, review: review(.high), at: Self.now + Self.hour) == nil,
            "ended")
        #expect(suppressions.ended(at: Self.now + Self.hour) == ["e"])
    }

    @Test func theEpisodeIsNamedByItsFirstAlertsIdAndOnlyACriticalAlertReminds() {
        let alert = Self.alert(.extravasationEscalated, .critical)
        let review = OutboxReviewFacts(alert: alert, identityKey: nil)
        #expect(
            review.episode
                == AlertIdentifier.make(
                    patient: alert.patientKey, site: nil, exposureStart: alert.exposureStartedAt,
                    kind: .extravasationSuspected, sequence: 0, key: nil))
        #expect(review.severityRank == 2 && review.remindsIfUnacknowledged)
        #expect(
            !OutboxReviewFacts(alert: Self.alert(.extravasationSuspected, .high), identityKey: nil)
                .remindsIfUnacknowledged)
        #expect(
            OutboxReviewFacts(alert: alert, identityKey: Array(repeating: 7, count: 32)).episode
                != review.episode,
            "keyed")
    }

    @Test func aReminderCarriesTheAlertsFieldsWithItsOwnMessageIDPriorityAndFlag() {
        let alert = [
            ("MESSAGE", "Suspected extravasation at left-heel"),
            ("MESSAGE_ID", "751bbc47ee744393bc95affcf7ff9db6"),
            ("PRIORITY", "2"), ("SYSLOG_IDENTIFIER", "extravasd"), ("EXTRAVASD_ALERT_ID", "abc"),
            ("EXTRAVASD_SITE", "left-heel"),
        ]
        let fields = UnacknowledgedReminder.fields(alert: alert, afterMinutes: 0.05)
        #expect(fields.map(\.0) == alert.map(\.0) + ["EXTRAVASD_REMINDER"])
        let value = { (name: String) in fields.first { $0.0 == name }?.1 }
        #expect(value("MESSAGE_ID") == "38645c32a78b44dd9deb93a9e58354d3")
        #expect(value("PRIORITY") == "1")
        #expect(value("EXTRAVASD_REMINDER") == "1")
        #expect(value("EXTRAVASD_ALERT_ID") == "abc")
        #expect(value("EXTRAVASD_SITE") == "left-heel")
        #expect(
            value("MESSAGE")
                == "Critical alert abc not acknowledged within 0.05 minutes: Suspected extravasation at left-heel"
        )
        #expect(UnacknowledgedReminder.outboxKey("abc") == "abc:reminder")
        #expect(UnacknowledgedReminder.minutes(10) == "10 minutes")
    }

    @Test func anOutboxEntryIsFoundByItsMessageIDAndAlertID() throws {
        let entry = try JournalEntry(validating: [
            ("MESSAGE", "m"), ("MESSAGE_ID", "38645c32a78b44dd9deb93a9e58354d3"),
            ("EXTRAVASD_ALERT_ID", "abc"),
        ])
        let identity = try #require(OutboxEntryIdentity(entry))
        #expect(
            identity.match == ["MESSAGE_ID": "38645c32a78b44dd9deb93a9e58354d3", "EXTRAVASD_ALERT_ID": "abc"])
        #expect(OutboxEntryIdentity(fields: identity.match) == identity)
        #expect(
            OutboxEntryIdentity(fields: [
                "MESSAGE_ID": "b58e71387e6848038cc9bd8d4082be8e", "EXTRAVASD_ALERT_ID": "abc",
            ])
                != identity, "an acknowledgement of the same alert")
        #expect(OutboxEntryIdentity(fields: ["EXTRAVASD_ALERT_ID": "abc"]) == nil)
    }
}
