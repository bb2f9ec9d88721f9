import HL7

/// What one MLLP frame held: a readable message, or why it is not one.
public enum MLLPReceived: Sendable {
    /// A message that parsed.
    case message(Message)
    /// A frame that is not a usable message: why (no message text in it), its bytes (of
    /// an oversized frame, its first bytes only) and its full length.
    case unreadable(reason: String, bytes: [UInt8], length: Int)
}
