import HL7

/// A coded element (CWE/CE): code, text and coding system, decoded.
public struct CodedValue: Sendable, Hashable, Codable {
    /// Component 1.
    public var code: String
    /// Component 2.
    public var text: String
    /// Component 3.
    public var system: String

    /// Creates a coded value.
    public init(code: String, text: String, system: String) {
        self.code = code
        self.text = text
        self.system = system
    }

    /// Reads components 1-3 of a repetition.
    public init(_ repetition: Repetition) {
        code = repetition.component(1).value ?? ""
        text = repetition.component(2).value ?? ""
        system = repetition.component(3).value ?? ""
    }

    /// Reads the first repetition of a field.
    public init(_ field: Field) { self.init(field.repetition(1)) }

    /// Whether code and text are both empty.
    public var isEmpty: Bool { code.isEmpty && text.isEmpty }

    /// The text as staff read it: component 2, else component 1.
    public var displayText: String { text.isEmpty ? code : text }
}
