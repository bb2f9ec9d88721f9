extension ExtravasdConfiguration {
    /// `labs`: the lab results that make risk factors.
    public struct Labs: Sendable, Hashable {
        /// `labs.lookback_days`: an assessment at time T uses the latest result of each
        /// test taken in [T - lookback, T] (default 7).
        public var lookbackDays: Int
        /// `labs.ca_x_p_window_hours`: calcium and phosphate results are multiplied only
        /// when taken within this many hours of each other (default 72).
        public var calciumPhosphateWindowHours: Int
        /// `labs.codes`: the codes of each test, with the unit of their values.
        public var codes: [LabTest: [LabCode]]

        /// Creates lab settings; every value has the documented default.
        public init(
            lookbackDays: Int = 7, calciumPhosphateWindowHours: Int = 72,
            codes: [LabTest: [LabCode]] = Labs.standardCodes
        ) {
            self.lookbackDays = lookbackDays
            self.calciumPhosphateWindowHours = calciumPhosphateWindowHours
            self.codes = codes
        }

        /// LOINC: creatinine 2160-0 (mg/dL) and 14682-9 (umol/L); phosphate 2777-1
        /// (mg/dL) and 14879-1 (mmol/L); calcium 17861-6 (mg/dL) and 2000-8 (mmol/L);
        /// ionized calcium 1994-3 (mmol/L) and 12180-8 (mg/dL).
        public static let standardCodes: [LabTest: [LabCode]] = [
            .creatinine: [
                LabCode(code: "2160-0", unit: .milligramsPerDeciliter),
                LabCode(code: "14682-9", unit: .micromolesPerLiter),
            ],
            .phosphate: [
                LabCode(code: "2777-1", unit: .milligramsPerDeciliter),
                LabCode(code: "14879-1", unit: .millimolesPerLiter),
            ],
            .calcium: [
                LabCode(code: "17861-6", unit: .milligramsPerDeciliter),
                LabCode(code: "2000-8", unit: .millimolesPerLiter),
            ],
            .ionizedCalcium: [
                LabCode(code: "1994-3", unit: .millimolesPerLiter),
                LabCode(code: "12180-8", unit: .milligramsPerDeciliter),
            ],
        ]
    }

    /// A lab test extravasd reads for risk factors (the keys of `labs.codes`).
    public enum LabTest: String, Sendable, Hashable, CaseIterable, Codable {
        /// Serum creatinine (`renal_failure`).
        case creatinine
        /// Serum phosphate (`hyperphosphatemia`, `ca_x_p_high`).
        case phosphate
        /// Serum calcium (`ca_x_p_high`, `hypocalcemia`).
        case calcium
        /// Ionized calcium (`hypocalcemia` by its own range; never `ca_x_p_high`).
        case ionizedCalcium = "ionized_calcium"

        /// The units a value of this test may be given in.
        public var allowedUnits: [LabUnit] {
            switch self {
            case .creatinine: return [.milligramsPerDeciliter, .micromolesPerLiter]
            case .phosphate, .calcium, .ionizedCalcium: return [.milligramsPerDeciliter, .millimolesPerLiter]
            }
        }
    }

    /// One code of a lab test and the unit of its values (`{code, unit}` in `labs.codes`).
    public struct LabCode: Sendable, Hashable, Codable {
        /// The observation code (OBX-3.1), LOINC by default.
        public var code: String
        /// The unit the values of this code are in.
        public var unit: LabUnit

        /// Creates a lab code.
        public init(code: String, unit: LabUnit) {
            self.code = code
            self.unit = unit
        }
    }

    /// A unit of lab values.
    public enum LabUnit: String, Sendable, Hashable, CaseIterable, Codable {
        /// Milligrams per decilitre.
        case milligramsPerDeciliter = "mg/dL"
        /// Millimoles per litre.
        case millimolesPerLiter = "mmol/L"
        /// Micromoles per litre (`umol/L`; `µmol/L` is read too).
        case micromolesPerLiter = "umol/L"

        /// Reads a unit as a person writes it (any case, `µ` or `u`, spaces ignored).
        public init?(text: String) {
            var folded = ""
            for character in text.lowercased() where character != " " {
                folded.append(character == "µ" || character == "μ" ? "u" : character)
            }
            switch folded {
            case "mg/dl": self = .milligramsPerDeciliter
            case "mmol/l": self = .millimolesPerLiter
            case "umol/l": self = .micromolesPerLiter
            default: return nil
            }
        }
    }
}
