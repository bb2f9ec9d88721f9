import ClinicalEvents
import HL7
import Sites

/// A message with everything the engine reads from it without looking at its state:
/// the kind (MSH-9), the message time (MSH-7), the identity (MSH-3, MSH-4, MSH-10), the
/// patient (PID-3) and, per kind, the clinical content (order events, administration
/// events with their sites and notes read, ADT events, observations read for labs,
/// lines and signs; an order's site and catalog entry are looked up when applied, and
/// only when it is new or changes site). Made by a ``MessagePreparer`` (on any thread), applied by
/// ``SurveillanceEngine/process(_:source:)-(PreparedMessage,_)`` (on the engine's).
///
/// What a message says depends on the settings it was read with: a message prepared
/// under other settings than the engine's is prepared again when applied.
public struct PreparedMessage: Sendable {
    /// The message as read.
    public let message: Message
    /// The settings it was prepared with.
    let revision: SettingsRevision
    /// What MSH-9 (or EVN-1) makes it.
    let kind: SurveillanceEngine.MessageKind
    /// Why the engine does not apply it, when its header or patient say so.
    var problem = PreparationProblem.ignored
    /// MSH-7 (when the message is read past it).
    var time = Instant(seconds: 0)
    /// MSH-3, MSH-4 and MSH-10 (when the message is read past MSH-7).
    var identity: MessageIdentity? = nil
    /// PID-3 (when the message names its patient).
    var patient: PatientKey? = nil
    /// What the message documents, per kind.
    var content = PreparedContent.none
}

/// Why a message's header or patient keep the engine from applying it, checked in the
/// engine's order: the kind first (ignored), then MSH-7, then (in the engine) whether
/// it is a resend, only then PID and PID-3.
enum PreparationProblem: Sendable, Equatable {
    /// Nothing: the message is applied.
    case none
    /// A kind the engine does not read.
    case ignored
    /// MSH-7 not sent.
    case noMessageTime
    /// MSH-7 not a valid HL7 date/time.
    case invalidMessageTime
    /// No PID segment.
    case noPID
    /// PID-3 names no patient.
    case noPatientIdentifier

    /// Why the message is rejected (`nil`: it is not).
    var rejection: MessageRejection? {
        switch self {
        case .none, .ignored: return nil
        case .noMessageTime: return MessageRejection(location: "MSH-7", reason: "no message time")
        case .invalidMessageTime:
            return MessageRejection(location: "MSH-7", reason: "not a valid HL7 date/time")
        case .noPID:
            return MessageRejection(location: "PID", reason: "no PID segment: the patient is unknown")
        case .noPatientIdentifier: return MessageRejection(location: "PID-3", reason: "no patient identifier")
        }
    }
}

/// What a message documents, per kind; a rejection is returned after the resend and
/// patient checks, as the engine returns it.
enum PreparedContent: Sendable {
    /// Nothing (ignored, rejected by its header or patient).
    case none
    /// Not read yet (``MessagePreparer/prepareHeader(_:)``): the engine reads it.
    case deferred
    /// ADT^A01/A04/A05/A08, A02, A03, A11/A12/A13 (boxed, as the merges: a message
    /// moves from thread to thread, and most are no ADT).
    indirect case admission(PreparedAdmission)
    /// ADT^A40/A34/A36.
    indirect case merge(Result<PreparedMerge, MessageRejection>)
    /// RDE, OMP, ORM.
    case orders(PreparedOrders)
    /// RAS.
    case administrations(Result<PreparedAdministrations, MessageRejection>)
    /// ORU^R01.
    case observations(Result<PreparedObservations, MessageRejection>)
}

/// Where PV1 places the patient: PV1-3 (see ``SurveillanceEngine/location(_:)``) and
/// PV1-19.1; `nil` where not sent (the last known one stays).
struct VisitUpdate: Sendable {
    /// PV1-3, when sent.
    var location: String? = nil
    /// PV1-19.1, when sent.
    var visit: String? = nil

    /// The PV1 of `message` (nothing without one).
    init(_ message: Message) {
        guard let pv1 = message.segment("PV1") else { return }
        location = SurveillanceEngine.location(pv1)
        visit = pv1[19].component(1).value
    }
}

extension PatientRecord {
    /// Takes the location and visit PV1 sent.
    mutating func update(_ visit: VisitUpdate) {
        if let location = visit.location { self.location = location }
        if let number = visit.visit { self.visit = number }
    }
}
