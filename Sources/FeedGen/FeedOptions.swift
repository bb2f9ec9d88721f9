/// How segments end and how messages are framed in a generated feed.
public enum SegmentTerminatorStyle: String, Sendable, CaseIterable {
    /// Segments end with CR (0x0D), the HL7 standard and the default.
    case cr
    /// Segments end with LF (0x0A); such messages contain no CR at all.
    case lf
    /// Segments end with CR LF.
    case crlf
    /// Each message is framed `0x0B message 0x1C 0x0D`, its segments ending with CR
    /// (an MLLP capture written to a file).
    case mllp
    /// Each message picks one of `cr`, `lf`, `crlf` and `mllp` at random.
    case mixed
}

/// Everything that determines a generated feed. The same options always produce the
/// same bytes.
public struct FeedOptions: Sendable, Equatable {
    /// Seed of the pseudo-random generator: the feed is a pure function of the options.
    public var seed: UInt64

    /// Census: how many beds are occupied at any time. A discharged patient's bed is
    /// filled by a new admission a few hours later. The message rate grows with it
    /// (about 30 messages per patient per simulated day).
    public var patients: Int

    /// Simulated clock at the start of the feed, in seconds since 1970-01-01T00:00:00
    /// (HL7 times carry no offset). Default: 2026-01-01T00:00:00.
    public var startTime: Int64

    /// Segment terminators and framing.
    public var terminator: SegmentTerminatorStyle

    /// Writes a UTF-8 byte-order mark before the first message.
    public var byteOrderMark: Bool

    /// Share (0...1) of messages written with encoding characters other than `|^~\&`
    /// (for example `MSH#$*@!%`, a five-character MSH-2 `^~\&#`, or `MSH;:~\&`).
    /// Values that contain the new delimiters are escaped accordingly.
    public var alternateDelimitersShare: Double

    /// Base share (0...1) of IV-site assessments that document an acute sign
    /// (erythema, swelling, pain, blanching, leaking, infiltration, phlebitis, ...).
    /// Lines carrying a calcium infusion show signs twice as often.
    public var signShare: Double

    /// Share (0...1) of admitted patients in renal failure (high creatinine and
    /// phosphate, low calcium; more calcium orders).
    public var renalFailureShare: Double

    /// Share (0...1) of nursing text values that contain a raw LF (a line break inside
    /// OBX-5, as real feeds have) in messages whose segments end with CR.
    public var loneLineFeedShare: Double

    /// Share (0...1) of messages whose MSH-7 steps back by seconds to minutes
    /// (a delayed sender); the rest follow the simulated clock.
    public var lateMessageShare: Double

    /// Share (0...1) of messages that are followed by an exact resend of themselves
    /// (same MSH-10). Zero by default, so that MSH-10 is unique within a feed.
    public var resendShare: Double

    /// Creates options; every parameter has a realistic default.
    public init(
        seed: UInt64 = 1,
        patients: Int = 24,
        startTime: Int64 = HL7Time.defaultStart,
        terminator: SegmentTerminatorStyle = .cr,
        byteOrderMark: Bool = false,
        alternateDelimitersShare: Double = 0,
        signShare: Double = 0.04,
        renalFailureShare: Double = 0.15,
        loneLineFeedShare: Double = 0.01,
        lateMessageShare: Double = 0.005,
        resendShare: Double = 0
    ) {
        self.seed = seed
        self.patients = patients
        self.startTime = startTime
        self.terminator = terminator
        self.byteOrderMark = byteOrderMark
        self.alternateDelimitersShare = alternateDelimitersShare
        self.signShare = signShare
        self.renalFailureShare = renalFailureShare
        self.loneLineFeedShare = loneLineFeedShare
        self.lateMessageShare = lateMessageShare
        self.resendShare = resendShare
    }
}

/// The kinds of message the generator writes, for statistics.
public enum FeedMessageKind: Int, Sendable, CaseIterable {
    /// ADT^A01 admission.
    case admit
    /// ADT^A02 transfer (new PV1-3).
    case transfer
    /// ADT^A03 discharge.
    case discharge
    /// ADT^A08 demographics/visit update.
    case update
    /// ADT^A40 merge (PID + MRG).
    case merge
    /// RDE^O11 pharmacy order (v2.5+).
    case pharmacyOrderRDE
    /// RDE^O01 pharmacy order (v2.3/2.4).
    case pharmacyOrderRDEO01
    /// ORM^O01 order with RXO (v2.3).
    case pharmacyOrderORM
    /// OMP^O09 pharmacy order (v2.5+).
    case pharmacyOrderOMP
    /// RAS^O17 administration (v2.5+).
    case administration
    /// RAS^O01 administration (v2.3/2.4).
    case administrationO01
    /// ORU^R01 nursing IV-site assessment.
    case ivSiteAssessment
    /// ORU^R01 laboratory result.
    case labResult
    /// ORU^R01 vital signs.
    case vitalSigns

    /// The MSH-9 message type and trigger, e.g. `ORU^R01`.
    public var messageType: String {
        switch self {
        case .admit: return "ADT^A01"
        case .transfer: return "ADT^A02"
        case .discharge: return "ADT^A03"
        case .update: return "ADT^A08"
        case .merge: return "ADT^A40"
        case .pharmacyOrderRDE: return "RDE^O11"
        case .pharmacyOrderRDEO01: return "RDE^O01"
        case .pharmacyOrderORM: return "ORM^O01"
        case .pharmacyOrderOMP: return "OMP^O09"
        case .administration: return "RAS^O17"
        case .administrationO01: return "RAS^O01"
        case .ivSiteAssessment, .labResult, .vitalSigns: return "ORU^R01"
        }
    }

    /// A short human description.
    public var summary: String {
        switch self {
        case .admit: return "admission"
        case .transfer: return "transfer"
        case .discharge: return "discharge"
        case .update: return "patient update"
        case .merge: return "patient merge"
        case .pharmacyOrderRDE, .pharmacyOrderRDEO01, .pharmacyOrderORM, .pharmacyOrderOMP:
            return "pharmacy order"
        case .administration, .administrationO01: return "administration"
        case .ivSiteAssessment: return "IV site assessment"
        case .labResult: return "lab result"
        case .vitalSigns: return "vital signs"
        }
    }
}
