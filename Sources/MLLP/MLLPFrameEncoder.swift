/// Wraps a message in an MLLP frame: `0x0B message 0x1C 0x0D`.
public enum MLLPFrameEncoder {
    /// The start block, `0x0B` (vertical tab).
    public static let startBlock: UInt8 = 0x0B
    /// The end block, `0x1C` (file separator), followed by ``carriageReturn``.
    public static let endBlock: UInt8 = 0x1C
    /// The carriage return that ends a frame after ``endBlock``.
    public static let carriageReturn: UInt8 = 0x0D

    /// The framed message, or `nil` when the message itself holds a `0x0B` or `0x1C`
    /// (it could not be read back as one frame). ``HL7Acknowledgement`` never writes
    /// either byte.
    public static func frame(_ message: [UInt8]) -> [UInt8]? {
        guard !message.contains(startBlock), !message.contains(endBlock) else { return nil }
        var framed: [UInt8] = []
        framed.reserveCapacity(message.count + 3)
        framed.append(startBlock)
        framed.append(contentsOf: message)
        framed.append(endBlock)
        framed.append(carriageReturn)
        return framed
    }
}
