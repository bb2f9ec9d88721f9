@_exported import Coding
import HL7

extension CodedValue {
    /// Reads components 1-3 of a repetition.
    public init(_ repetition: Repetition) {
        self.init(
            code: repetition.component(1).value ?? "", text: repetition.component(2).value ?? "",
            system: repetition.component(3).value ?? "")
    }

    /// Reads the first repetition of a field.
    public init(_ field: Field) { self.init(field.repetition(1)) }
}
