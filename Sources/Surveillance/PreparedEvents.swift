import Catalog
import ClinicalEvents
import HL7
import Signs
import Sites

/// An ADT event as the engine applies it (``SurveillanceEngine/applyAdmission(_:key:)``).
struct PreparedAdmission: Sendable {
    /// Which ADT event.
    var kind: SurveillanceEngine.MessageKind
    /// When it takes effect: EVN-6, else EVN-2, else MSH-7.
    var effective: Instant
    /// PID-7.1, when a valid date.
    var birthDate: String?
    /// PV1-3 and PV1-19.
    var visit: VisitUpdate
    /// Whether an admission makes the patient current again (every one but A04).
    var readmits: Bool
}

/// A merge as the engine applies it (``SurveillanceEngine/applyMerge(_:into:)``).
struct PreparedMerge: Sendable {
    /// MRG-1, the identifier merged away.
    var old: PatientKey
    /// PID-7.1, when a valid date.
    var birthDate: String?
    /// PV1-3 and PV1-19.
    var visit: VisitUpdate
}

/// A pharmacy order message's order groups.
struct PreparedOrders: Sendable {
    /// PV1-3 and PV1-19.
    var visit: VisitUpdate
    /// The order groups, in order.
    var events: [OrderEvent]
}

/// A RAS message's administrations, with what the vocabularies say of them.
struct PreparedAdministrations: Sendable {
    /// PV1-3 and PV1-19.
    var visit: VisitUpdate
    /// The administrations, in order.
    var events: [PreparedAdministration]
    /// MSH-10.1 (read when an administration has notes to assess).
    var controlID = ""
}

/// One administration, with its site and the reading of its notes.
struct PreparedAdministration: Sendable {
    /// The administration as read.
    var event: AdministrationEvent
    /// Whether RXR-2 is sent (not empty).
    var siteSent: Bool
    /// The site RXR-2 names.
    var site: CanonicalSite?
    /// The signs its notes (RXA-9, NTE) document, when it has notes and is not deleted.
    var notes: ObservationReading?
}

extension MessagePreparer {
    // MARK: - ADT

    /// An ADT event (``SurveillanceEngine/applyAdmission(_:key:)``).
    mutating func admission(
        _ message: Message, kind: SurveillanceEngine.MessageKind, pid: Segment, time: Instant
    ) -> PreparedAdmission {
        PreparedAdmission(
            kind: kind,
            effective: Self.effectiveTime(ofADT: message, messageTime: time, times: settings.times),
            birthDate: Self.birthDate(pid), visit: VisitUpdate(message),
            readmits: kind == .admission && message.messageType.event.uppercased() != "A04")
    }

    /// When an ADT event takes effect: EVN-6 (event occurred), else EVN-2 (recorded),
    /// else the message time (MSH-7).
    static func effectiveTime(ofADT message: Message, messageTime: Instant, times: TimeReader) -> Instant {
        guard let evn = message.segment("EVN") else { return messageTime }
        return times.instant(evn[6]) ?? times.instant(evn[2]) ?? messageTime
    }

    /// A merge: MRG-1 must name the prior identifier.
    mutating func merge(_ message: Message) -> Result<PreparedMerge, MessageRejection> {
        guard let mrg = message.segment("MRG") else {
            return .failure(MessageRejection(location: "MRG", reason: "a merge without an MRG segment"))
        }
        guard let old = PatientKey(identifiers: mrg[1]) else {
            return .failure(MessageRejection(location: "MRG-1", reason: "no prior patient identifier"))
        }
        return .success(
            PreparedMerge(
                old: old, birthDate: message.segment("PID").flatMap(Self.birthDate),
                visit: VisitUpdate(message)))
    }

    // MARK: - Orders and administrations

    /// The order groups of a pharmacy order message.
    mutating func orders(_ message: Message, time: Instant) -> PreparedOrders {
        PreparedOrders(
            visit: VisitUpdate(message),
            events: OrderEvent.orders(in: message, messageTime: time, times: settings.times))
    }

    /// The administrations of a RAS, with their sites and notes read.
    mutating func administrations(_ message: Message) -> Result<PreparedAdministrations, MessageRejection> {
        let events: [AdministrationEvent]
        switch AdministrationEvent.administrations(in: message, times: settings.times) {
        case .failure(let problem):
            return .failure(MessageRejection(location: problem.location, reason: problem.reason))
        case .success(let value): events = value
        }
        var prepared = PreparedAdministrations(visit: VisitUpdate(message), events: [])
        prepared.events.reserveCapacity(events.count)
        for event in events {
            var site: CanonicalSite? = nil
            if let coded = event.site {
                site = self.site(code: coded.code, text: coded.text, system: coded.system)
            }
            var notes: ObservationReading? = nil
            if !event.notes.isEmpty && event.actionCode != "D" {
                notes = noteReading(event.notes)
                if prepared.controlID.isEmpty { prepared.controlID = message.controlID }
            }
            prepared.events.append(
                PreparedAdministration(
                    event: event, siteSent: event.site.map { !$0.isEmpty } ?? false, site: site,
                    notes: notes))
        }
        return .success(prepared)
    }

    /// What an administration's notes (RXA-9, NTE) say, read as a nursing note about
    /// the infusion's site (see ``SurveillanceEngine/administrationNoteIdentifier``), memoized.
    mutating func noteReading(_ notes: [String]) -> ObservationReading {
        let signReader = settings.signs
        return noteMemo.value(notes.count == 1 ? notes[0] : notes.joined(separator: "\u{1F}")) {
            signReader.read(
                ObservationInput(
                    valueType: "TX", identifier: SurveillanceEngine.administrationNoteIdentifier,
                    values: notes.map { ObservationValue(text: $0, components: [$0]) }))
        }
    }
}
