/// Size limits a reader enforces on each message. A message over a limit is not
/// read: it yields an ``HL7ReadError`` and the next message is read as usual.
public struct ParseLimits: Sendable, Hashable {
    /// The largest message, in bytes.
    public var maximumMessageBytes: Int
    /// The most segments in one message.
    public var maximumSegments: Int
    /// The largest single field, in bytes.
    public var maximumFieldBytes: Int

    /// Creates limits.
    public init(maximumMessageBytes: Int, maximumSegments: Int, maximumFieldBytes: Int) {
        self.maximumMessageBytes = maximumMessageBytes
        self.maximumSegments = maximumSegments
        self.maximumFieldBytes = maximumFieldBytes
    }

    /// No limits (what `extravasd inspect` uses).
    public static let unlimited = ParseLimits(
        maximumMessageBytes: .max, maximumSegments: .max, maximumFieldBytes: .max)

    /// Safe defaults for a service: 1 MiB messages, 2,000 segments, 256 KiB fields.
    public static let service = ParseLimits(
        maximumMessageBytes: 1 << 20, maximumSegments: 2_000, maximumFieldBytes: 256 << 10)
}
