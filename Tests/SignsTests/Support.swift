import Coding
import Signs

/// Builds observations the way the engine hands them over.
enum OBX {
    static let recognizer = SignRecognizer()

    /// "CODE^Text^System" as a coded element.
    static func element(_ hl7: String) -> CodedValue {
        let parts = hl7.split(separator: "^", omittingEmptySubsequences: false).map(String.init)
        return CodedValue(
            code: parts.count > 0 ? parts[0] : "",
            text: parts.count > 1 ? parts[1] : "",
            system: parts.count > 2 ? parts[2] : "")
    }

    /// A value repetition: prose types keep their text whole, others split on "^".
    static func value(_ text: String, type: String) -> ObservationValue {
        if ["TX", "ST", "FT"].contains(type) {
            return ObservationValue(text: text, components: [text])
        }
        return ObservationValue(
            text: text,
            components: text.split(separator: "^", omittingEmptySubsequences: false).map(String.init))
    }

    /// An observation: OBX-2, OBX-3 ("CODE^Text^System"), OBX-5 repetitions.
    static func make(_ type: String, _ identifier: String, _ values: String...) -> ObservationInput {
        ObservationInput(
            valueType: type, identifier: element(identifier), values: values.map { value($0, type: type) })
    }

    /// The reading of an observation.
    static func read(_ type: String, _ identifier: String, _ values: String...) -> ObservationReading {
        recognizer.read(
            ObservationInput(
                valueType: type, identifier: element(identifier), values: values.map { value($0, type: type) }
            ))
    }

    /// The signs of a free-text appearance observation.
    static func appearance(_ text: String) -> Set<SignKind> {
        read("TX", "IVSITE^IV site appearance^L", text).signs
    }
}
