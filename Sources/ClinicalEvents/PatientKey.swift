import HL7

/// Who a message is about: the PID-3 repetition whose identifier type (CX-5) is `MR`,
/// else the first; the assigning authority (CX-4) is part of the key when present.
public struct PatientKey: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// CX-1, the identifier as staff read it.
    public var identifier: String
    /// CX-4 (its first subcomponent, the namespace), when sent.
    public var authority: String?

    /// Creates a key.
    public init(identifier: String, authority: String? = nil) {
        self.identifier = identifier
        self.authority = authority
    }

    /// The key from a PID segment, or `nil` when PID-3 names no identifier.
    public init?(pid: Segment) { self.init(identifiers: pid[3]) }

    /// The key from a CX list (PID-3, MRG-1), or `nil` when it names no identifier.
    public init?(identifiers field: Field) {
        // The first repetition with an identifier whose type is MR, else the first with one.
        var first: Repetition? = nil
        var medicalRecord: Repetition? = nil
        // Repetitions one by one (no array): their count is one more than the separators.
        var count = 1
        if !field.isLiteral {
            let separator = field.message.delimiters.repetition
            for byte in field.rawBytes where byte == separator { count += 1 }
        }
        for number in 1...count {
            let repetition = field.repetition(number)
            guard repetition.component(1).hasValue else { continue }
            if first == nil { first = repetition }
            if Self.isMedicalRecordNumber(repetition.component(5)) {
                medicalRecord = repetition
                break
            }
        }
        guard let chosen = medicalRecord ?? first, let identifier = chosen.component(1).value else { return nil }
        self.init(identifier: identifier, authority: chosen.component(4).subcomponent(1).value)
    }

    /// Whether an identifier type (CX-5) is `MR`, case-insensitively.
    private static func isMedicalRecordNumber(_ type: Component) -> Bool {
        guard type.hasValue else { return false }
        return type.withDecodedBytes { bytes in
            guard HL7Text.isASCII(bytes) else { return HL7Text.string(buffer: bytes).uppercased() == "MR" }
            return bytes.count == 2 && bytes[0] | 0x20 == 0x6D && bytes[1] | 0x20 == 0x72
        }
    }

    /// Orders keys by authority then identifier.
    public static func < (lhs: PatientKey, rhs: PatientKey) -> Bool {
        (lhs.authority ?? "", lhs.identifier) < (rhs.authority ?? "", rhs.identifier)
    }

    /// `4455` or `4455^CHILDRENS` (the form hashed into alert ids).
    public var description: String { authority.map { "\(identifier)^\($0)" } ?? identifier }
}

/// Which message this is, for resends: (MSH-3, MSH-4, MSH-10).
public struct MessageIdentity: Sendable, Hashable, Codable {
    /// MSH-3.
    public var sendingApplication: String
    /// MSH-4.
    public var sendingFacility: String
    /// MSH-10.
    public var controlID: String

    /// Creates an identity.
    public init(sendingApplication: String, sendingFacility: String, controlID: String) {
        self.sendingApplication = sendingApplication
        self.sendingFacility = sendingFacility
        self.controlID = controlID
    }

    /// The identity of a message (components joined as written, decoded).
    public init(_ message: Message) {
        sendingApplication = message.header[3].string
        sendingFacility = message.header[4].string
        controlID = message.header[10].string
    }
}
