import ClinicalEvents
import HL7

extension SurveillanceEngine {
    // MARK: - ADT^A01/A04/A05/A08, A02, A03, A11/A12/A13

    /// An ADT event (DESIGN §3): demographics, location and visit (an empty PV1-3 or
    /// PV1-19 keeps the last known one); A02 a transfer; A03 a discharge, which ends
    /// every exposure of the patient at the event's effective time (their watches start
    /// then); A11 cancels an admission (location and visit back to what they were
    /// before it), A12 a transfer (location back to the previous one, whatever PV1-3
    /// says), A13 a discharge (the patient is current again; ended exposures stay
    /// ended).
    mutating func applyAdmission(
        _ message: Message, kind: MessageKind, key: PatientKey, pid: Segment, time: Instant
    ) -> Result<[Alert], MessageRejection> {
        let effective = Self.effectiveTime(ofADT: message, messageTime: time, times: settings.times)
        let resolved = state.resolve(key)
        let (taken, slot) = takeRecord(resolved)
        var record = taken
        if let birth = pid[7].component(1).value, HL7Timestamp(birth) != nil { record.birthDate = birth }
        switch kind {
        case .admission:
            let before = Placement(
                location: record.location, visit: record.visit, dischargedAt: record.dischargedAt)
            record.keepHistory { $0.beforeAdmission = before }
            updateVisit(&record, from: message)
            if message.messageType.event.uppercased() != "A04" { record.dischargedAt = nil }
        case .transfer:
            let before = Placement(location: record.location, visit: nil, dischargedAt: nil)
            record.keepHistory { $0.beforeTransfer = before }
            updateVisit(&record, from: message)
        case .discharge:
            updateVisit(&record, from: message)
            discharge(&record, at: effective)
        case .cancelAdmission:
            if let before = record.admissionHistory?.beforeAdmission {
                record.location = before.location
                record.visit = before.visit
                record.dischargedAt = before.dischargedAt
                record.keepHistory { $0.beforeAdmission = nil }
            }
        case .cancelTransfer:
            if let before = record.admissionHistory?.beforeTransfer {
                record.location = before.location
                record.keepHistory { $0.beforeTransfer = nil }
            }
            if let visit = message.segment("PV1")?[19].component(1).value { record.visit = visit }
        case .cancelDischarge:
            record.dischargedAt = nil
            updateVisit(&record, from: message)
        default:
            updateVisit(&record, from: message)
        }
        putRecord(record, key: resolved, slot: slot)
        return .success([])
    }

    /// When an ADT event takes effect: EVN-6 (event occurred), else EVN-2 (recorded),
    /// else the message time (MSH-7).
    static func effectiveTime(ofADT message: Message, messageTime: Instant, times: TimeReader) -> Instant {
        guard let evn = message.segment("EVN") else { return messageTime }
        return times.instant(evn[6]) ?? times.instant(evn[2]) ?? messageTime
    }

    /// A discharge at `time`: every exposure of the patient ends then (an order's
    /// exposure that had not started never existed; the order is over), so their
    /// watches start; the record is kept until every watch, the late watch included,
    /// has ended (``prune(at:)``).
    func discharge(_ record: inout PatientRecord, at time: Instant) {
        record.dischargedAt = time
        for index in record.orders.indices where !record.orders[index].ended {
            end(&record.orders[index], at: time)
        }
        for index in record.standaloneAdministrations.indices {
            let exposure = record.standaloneAdministrations[index].exposure
            guard exposure.start <= time, let end = exposure.end, end > time else { continue }
            record.standaloneAdministrations[index].exposure.end = time
        }
    }
}

extension PatientRecord {
    /// Changes the admission history; a history left empty is dropped.
    mutating func keepHistory(_ change: (inout AdmissionHistory) -> Void) {
        var history = admissionHistory ?? AdmissionHistory()
        change(&history)
        admissionHistory = history.isEmpty ? nil : history
    }
}
