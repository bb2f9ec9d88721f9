import ClinicalEvents

/// The analytes whose results make risk factors.
public enum Analyte: String, Sendable, Hashable, Codable, CaseIterable {
    case creatinine, phosphate, calcium
    /// Ionized calcium: counts for `hypocalcemia` by its own range, never for `ca_x_p_high`.
    case ionizedCalcium
}

/// One lab result, reduced to what the risk factors need.
public struct LabResult: Sendable, Hashable, Codable {
    /// What was measured.
    public var analyte: Analyte
    /// The value as sent.
    public var value: Double
    /// The unit (from OBX-6, else the code's configured unit).
    public var unit: LabUnit?
    /// Above its reference range (OBX-7) or flagged `H`/`HH` (OBX-8).
    public var high: Bool
    /// Below its reference range or flagged `L`/`LL`.
    public var low: Bool
    /// The result's time (OBX-14, else OBR-7, else MSH-7).
    public var time: Instant

    /// The value in mg/dL (calcium mmol/L x 4.008, phosphate mmol/L x 3.097), when the unit allows.
    public var milligramsPerDeciliter: Double? {
        switch (analyte, unit ?? .milligramsPerDeciliter) {
        case (_, .milligramsPerDeciliter): return value
        case (.calcium, .millimolesPerLiter), (.ionizedCalcium, .millimolesPerLiter): return value * 4.008
        case (.phosphate, .millimolesPerLiter): return value * 3.097
        default: return nil
        }
    }
}

/// A reference range as OBX-7 sends it: `0.50-1.20`, `3.8 - 6.5`, `<1.2`, `>8.5`.
struct ReferenceRange: Sendable, Hashable {
    var lower: Double?
    var upper: Double?

    init?(_ text: String) {
        let trimmed = text.filter { $0 != " " }
        guard !trimmed.isEmpty else { return nil }
        if trimmed.hasPrefix("<") || trimmed.hasPrefix("<=") {
            upper = Double(trimmed.drop { $0 == "<" || $0 == "=" })
            lower = nil
            if upper == nil { return nil }
            return
        }
        if trimmed.hasPrefix(">") {
            lower = Double(trimmed.drop { $0 == ">" || $0 == "=" })
            upper = nil
            if lower == nil { return nil }
            return
        }
        // "a-b", where a may itself be negative: split at the last '-' that follows a digit.
        let characters = Array(trimmed)
        guard
            let dash = characters.indices.dropFirst().last(where: {
                characters[$0] == "-" && (characters[$0 - 1].isNumber || characters[$0 - 1] == ".")
            })
        else { return nil }
        lower = Double(String(characters[..<dash]))
        upper = Double(String(characters[(dash + 1)...]))
        if lower == nil || upper == nil { return nil }
    }
}
