/// One repetition of an observation value (OBX-5), already unescaped and decoded.
public struct ObservationValue: Sendable, Hashable {
    /// The whole repetition as text (for TX, ST and FT values, the value itself).
    public var text: String
    /// The decoded components of the repetition (for CWE: code, text, coding system;
    /// for SN: comparator, number, separator, number).
    public var components: [String]

    /// A value repetition from its text and components.
    public init(text: String, components: [String]) {
        self.text = text
        self.components = components
    }
}
