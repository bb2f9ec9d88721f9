import ClinicalEvents
import Signs
import Sites

/// An episode: one patient, one exposed site, the exposure it belongs to. The first
/// acute sign raises `extravasation_suspected`; later assessments escalate only with a
/// new sign kind or a higher severity; a calcinosis finding alerts at most once.
public struct Episode: Sendable, Hashable, Codable {
    /// The exposure this episode belongs to.
    public var exposure: ExposureIdentity
    /// Every acute sign kind alerted so far.
    public var alertedSigns: Set<SignKind>
    /// The severity of the last acute alert.
    public var lastSeverity: Severity?
    /// How many alerts of each kind were raised (the next one's sequence number).
    public var sequences: [String: Int]
    /// Whether this episode's calcinosis alert was raised (at most once).
    public var calcinosisAlerted: Bool
    /// Signs each observation (OBX-3 and sub-ID) last documented, so a correction
    /// (OBX-11 `C`) knows what it replaces.
    public var documentedSigns: [String: Set<SignKind>]
    /// Signs removed by corrections: the alert already raised stands, but they no
    /// longer count for severity or escalation.
    public var withdrawnSigns: Set<SignKind>

    /// The sign kinds that count now: alerted, less those corrected away.
    public var currentSigns: Set<SignKind> { alertedSigns.subtracting(withdrawnSigns) }

    /// A new episode.
    public init(exposure: ExposureIdentity) {
        self.exposure = exposure
        alertedSigns = []
        lastSeverity = nil
        sequences = [:]
        calcinosisAlerted = false
        documentedSigns = [:]
        withdrawnSigns = []
    }

    /// Applies a correction of one observation: signs it documented before and no
    /// longer does are withdrawn; signs it now documents are current again.
    mutating func correct(observation key: String, signs: Set<SignKind>) {
        let before = documentedSigns[key] ?? []
        withdrawnSigns.formUnion(before.subtracting(signs))
        withdrawnSigns.subtract(signs)
        documentedSigns[key] = signs
    }

    // MARK: Codable

    private enum CodingKeys: String, CodingKey {
        case exposure, alertedSigns, lastSeverity, sequences, calcinosisAlerted, documentedSigns,
            withdrawnSigns
    }

    /// Writes the sign sets as sorted arrays, so equal episodes encode to equal bytes
    /// (a `Set` would be written in hash order, which changes from process to process).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(exposure, forKey: .exposure)
        try container.encode(alertedSigns.sorted(), forKey: .alertedSigns)
        try container.encodeIfPresent(lastSeverity, forKey: .lastSeverity)
        try container.encode(sequences, forKey: .sequences)
        try container.encode(calcinosisAlerted, forKey: .calcinosisAlerted)
        try container.encode(documentedSigns.mapValues { $0.sorted() }, forKey: .documentedSigns)
        try container.encode(withdrawnSigns.sorted(), forKey: .withdrawnSigns)
    }

    /// Takes the next sequence number for an alert kind.
    mutating func nextSequence(for kind: AlertKind) -> Int {
        let next = sequences[kind.rawValue, default: 0]
        sequences[kind.rawValue] = next + 1
        return next
    }
}
