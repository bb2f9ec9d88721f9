/// A coded element (HL7 CWE/CE components 1-3), already unescaped: an observation
/// identifier (OBX-3) or a coded value.
public struct CodedElement: Sendable, Hashable {
    /// Component 1: the identifier or code ("ERYTHEMA", "Y", "373066001").
    public var code: String
    /// Component 2: the text ("Erythema at IV site", "Yes").
    public var text: String
    /// Component 3: the name of the coding system ("L", "HL70136", "SCT", "LN").
    public var codingSystem: String

    /// A coded element from its first three components.
    public init(code: String, text: String, codingSystem: String) {
        self.code = code
        self.text = text
        self.codingSystem = codingSystem
    }
}
