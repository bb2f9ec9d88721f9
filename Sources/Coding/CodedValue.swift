/// A coded element (HL7 CWE/CE components 1-3), already unescaped: an observation
/// identifier (OBX-3), a coded answer, a give code, a site. The one coded-value type of
/// every module (`ClinicalEvents` reads it from HL7 fields).
public struct CodedValue: Sendable, Hashable, Codable {
    /// Component 1: the identifier or code ("ERYTHEMA", "Y", "373066001").
    public var code: String
    /// Component 2: the text ("Erythema at IV site", "Yes").
    public var text: String
    /// Component 3: the name of the coding system ("L", "HL70136", "SCT", "LN").
    public var system: String

    /// Creates a coded value.
    public init(code: String, text: String, system: String) {
        (self.code, self.text, self.system) = (code, text, system)
    }

    /// Whether code and text are both empty.
    public var isEmpty: Bool { code.isEmpty && text.isEmpty }

    /// The text as staff read it: component 2, else component 1.
    public var displayText: String { text.isEmpty ? code : text }
}
