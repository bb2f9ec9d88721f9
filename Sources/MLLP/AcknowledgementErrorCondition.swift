/// ERR-3, the HL7 error condition (HL7 table 0357: message error condition codes).
/// Extensible: any code of the table can be made with ``init(code:text:)``.
public struct AcknowledgementErrorCondition: Sendable, Hashable {
    /// The code, e.g. `207`.
    public var code: String
    /// The code's text, e.g. `Application internal error`.
    public var text: String

    /// Creates a condition.
    public init(code: String, text: String) {
        self.code = code
        self.text = text
    }

    /// `100`: segment sequence error (e.g. the message does not start with MSH).
    public static let segmentSequenceError = Self(code: "100", text: "Segment sequence error")
    /// `101`: required field missing.
    public static let requiredFieldMissing = Self(code: "101", text: "Required field missing")
    /// `102`: data type error (a field that does not read as its type).
    public static let dataTypeError = Self(code: "102", text: "Data type error")
    /// `200`: unsupported message type.
    public static let unsupportedMessageType = Self(code: "200", text: "Unsupported message type")
    /// `203`: unsupported version id.
    public static let unsupportedVersionID = Self(code: "203", text: "Unsupported version id")
    /// `207`: application internal error (the message is too large, cannot be stored).
    public static let applicationInternalError = Self(code: "207", text: "Application internal error")

    /// The name of HL7 table 0357, ERR-3's coding system.
    public static let codingSystem = "HL70357"
}
