import BinaryRecords
import ClinicalEvents

/// The binary format of a processed message identity in the state store: the key is
/// the identity (MSH-3, MSH-4, MSH-10 as length-prefixed UTF-8, in that order), the value
/// the message time kept for it (seconds since the epoch, a zigzag varint). The same
/// identity always has the same key bytes, on every toolchain.
public enum ProcessedMessageFormat {
    /// The key `identity` is stored under.
    public static func key(_ identity: MessageIdentity) -> [UInt8] {
        var writer = BinaryWriter(capacity: 48)
        writer.string(identity.sendingApplication)
        writer.string(identity.sendingFacility)
        writer.string(identity.controlID)
        return writer.bytes
    }

    /// The identity stored under `key`.
    public static func identity(fromKey key: [UInt8]) throws(BinaryDecodingError) -> MessageIdentity {
        var reader = BinaryReader(key)
        let identity = try reader.reading("identity") { reader throws(BinaryDecodingError) in
            MessageIdentity(
                sendingApplication: try reader.string(), sendingFacility: try reader.string(),
                controlID: try reader.string())
        }
        try reader.expectEnd()
        return identity
    }

    /// The stored value for a message time.
    public static func value(_ time: Instant) -> [UInt8] {
        var writer = BinaryWriter(capacity: 10)
        writer.signed(time.seconds)
        return writer.bytes
    }

    /// The message time stored as `value`.
    public static func time(fromValue value: [UInt8]) throws(BinaryDecodingError) -> Instant {
        var reader = BinaryReader(value)
        let seconds = try reader.reading("time") { reader throws(BinaryDecodingError) in try reader.signed() }
        try reader.expectEnd()
        return Instant(seconds: seconds)
    }
}
