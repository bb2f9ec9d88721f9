import HL7

/// Who a message is about: the PID-3 repetition whose identifier type (CX-5) is `MR`,
/// else the first; the assigning authority (CX-4) is part of the key when present.
///
/// Keys are hashed several times per message (merges, the table of patients), so each
/// keeps the hash of its parts, computed once when a part is set.
public struct PatientKey: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// CX-1, the identifier as staff read it.
    public var identifier: String { didSet { partsHash = Self.hash(identifier, authority) } }
    /// CX-4 (its first subcomponent, the namespace), when sent.
    public var authority: String? { didSet { partsHash = Self.hash(identifier, authority) } }
    /// The hash of the parts (kept in step by the parts' `didSet`); inlinable, so that a
    /// table comparing keys reads it in place.
    @usableFromInline private(set) var partsHash = 0

    /// Creates a key.
    public init(identifier: String, authority: String? = nil) {
        self.identifier = identifier
        self.authority = authority
        partsHash = Self.hash(identifier, authority)
    }

    private static func hash(_ identifier: String, _ authority: String?) -> Int {
        var hasher = Hasher()
        hasher.combine(identifier)
        hasher.combine(authority)
        return hasher.finalize()
    }

    /// Same identifier and authority.
    @inlinable
    public static func == (lhs: PatientKey, rhs: PatientKey) -> Bool {
        lhs.partsHash == rhs.partsHash && lhs.identifier == rhs.identifier && lhs.authority == rhs.authority
    }

    /// Hashes the hash of the parts, computed once.
    @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(partsHash) }

    /// The hash a table uses: the parts' hash mixed with the table's seed, without a
    /// `Hasher` (see ``PartsHash``).
    @inlinable public func _rawHashValue(seed: Int) -> Int { PartsHash.mix(partsHash, seed: seed) }

    // The encoding is the parts (the hash is not stored: it is per process).
    private enum CodingKeys: String, CodingKey { case identifier, authority }

    /// Decodes the parts (the hash is computed again).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            identifier: try container.decode(String.self, forKey: .identifier),
            authority: try container.decodeIfPresent(String.self, forKey: .authority))
    }

    /// Encodes the parts.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(identifier, forKey: .identifier)
        try container.encodeIfPresent(authority, forKey: .authority)
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
        guard let chosen = medicalRecord ?? first, let identifier = chosen.component(1).value else {
            return nil
        }
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
///
/// Identities are looked up, added and expired by the thousands (the engine's table of
/// processed messages), so each keeps the hash of its three strings, computed once
/// when a part is set: hashing an identity then costs one word, not three strings.
public struct MessageIdentity: Sendable, Hashable, Codable {
    /// MSH-3.
    public var sendingApplication: String { didSet { partsHash = Self.hash(self) } }
    /// MSH-4.
    public var sendingFacility: String { didSet { partsHash = Self.hash(self) } }
    /// MSH-10.
    public var controlID: String { didSet { partsHash = Self.hash(self) } }
    /// The hash of the three parts (kept in step by the parts' `didSet`); inlinable, so
    /// that a table comparing identities reads it in place.
    @usableFromInline private(set) var partsHash = 0

    /// Creates an identity.
    public init(sendingApplication: String, sendingFacility: String, controlID: String) {
        self.sendingApplication = sendingApplication
        self.sendingFacility = sendingFacility
        self.controlID = controlID
        partsHash = Self.hash(self)
    }

    /// The identity of a message (components joined as written, decoded).
    public init(_ message: Message) {
        let header = message.header
        self.init(
            sendingApplication: header[3].string, sendingFacility: header[4].string,
            controlID: header[10].string)
    }

    private static func hash(_ identity: MessageIdentity) -> Int {
        var hasher = Hasher()
        hasher.combine(identity.sendingApplication)
        hasher.combine(identity.sendingFacility)
        hasher.combine(identity.controlID)
        return hasher.finalize()
    }

    /// Same sending application, facility and control id.
    @inlinable
    public static func == (lhs: MessageIdentity, rhs: MessageIdentity) -> Bool {
        lhs.partsHash == rhs.partsHash && lhs.controlID == rhs.controlID
            && lhs.sendingApplication == rhs.sendingApplication && lhs.sendingFacility == rhs.sendingFacility
    }

    /// Hashes the hash of the parts, computed once.
    @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(partsHash) }

    /// The hash a table uses: the parts' hash mixed with the table's seed, without a
    /// `Hasher` (see ``PartsHash``).
    @inlinable public func _rawHashValue(seed: Int) -> Int { PartsHash.mix(partsHash, seed: seed) }

    // The encoding is the three parts (the hash is not stored: it is per process).
    private enum CodingKeys: String, CodingKey { case sendingApplication, sendingFacility, controlID }

    /// Decodes the parts (the hash is computed again).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            sendingApplication: try container.decode(String.self, forKey: .sendingApplication),
            sendingFacility: try container.decode(String.self, forKey: .sendingFacility),
            controlID: try container.decode(String.self, forKey: .controlID))
    }

    /// Encodes the parts.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sendingApplication, forKey: .sendingApplication)
        try container.encode(sendingFacility, forKey: .sendingFacility)
        try container.encode(controlID, forKey: .controlID)
    }
}
