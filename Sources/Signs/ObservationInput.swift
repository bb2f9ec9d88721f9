import Coding

/// One observation (OBX) as the engine hands it over: its value type, its identifier
/// and its value repetitions, already unescaped and decoded.
public struct ObservationInput: Sendable {
    /// OBX-2, the value type ("CWE", "CE", "NM", "SN", "TX", "ST", "FT", "TS",
    /// "DTM", ...); may be empty.
    public var valueType: String
    /// OBX-3, the observation identifier ("ERYTHEMA^Erythema at IV site^L").
    public var identifier: CodedValue
    /// OBX-5, the value repetitions.
    public var values: [ObservationValue]

    /// An observation from its value type, identifier and values.
    public init(valueType: String, identifier: CodedValue, values: [ObservationValue]) {
        self.valueType = valueType
        self.identifier = identifier
        self.values = values
    }
}
