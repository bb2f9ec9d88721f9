import ClinicalEvents

extension SurveillanceEngine {
    // MARK: - ADT^A01/A04/A05/A08, A02, A03, A11/A12/A13

    /// An ADT event (DESIGN §3): demographics, location and visit (an empty PV1-3 or
    /// PV1-19 keeps the last known one); A02 a transfer; A03 a discharge, which ends
    /// every exposure of the patient at the event's effective time (their watches start
    /// then); A11 cancels an admission (location and visit back to what they were
    /// before it), A12 a transfer (location back to the previous one, whatever PV1-3
    /// says), A13 a discharge (the patient is current again; ended exposures stay
    /// ended).
    mutating func applyAdmission(_ admission: PreparedAdmission, key: PatientKey)
        -> Result<[Alert], MessageRejection>
    {
        let resolved = state.resolve(key)
        let (taken, slot) = takeRecord(resolved)
        var record = taken
        if let birth = admission.birthDate { record.birthDate = birth }
        switch admission.kind {
        case .admission:
            let before = Placement(
                location: record.location, visit: record.visit, dischargedAt: record.dischargedAt)
            record.keepHistory { $0.beforeAdmission = before }
            record.update(admission.visit)
            if admission.readmits { record.dischargedAt = nil }
        case .transfer:
            let before = Placement(location: record.location, visit: nil, dischargedAt: nil)
            record.keepHistory { $0.beforeTransfer = before }
            record.update(admission.visit)
        case .discharge:
            record.update(admission.visit)
            discharge(&record, at: admission.effective)
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
            if let visit = admission.visit.visit { record.visit = visit }
        case .cancelDischarge:
            record.dischargedAt = nil
            record.update(admission.visit)
        default:
            record.update(admission.visit)
        }
        putRecord(record, key: resolved, slot: slot)
        return .success([])
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
