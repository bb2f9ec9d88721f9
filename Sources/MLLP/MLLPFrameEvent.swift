/// What an ``MLLPFrameDecoder`` found in the bytes it was fed, in stream order.
public enum MLLPFrameEvent: Sendable, Hashable {
    /// A complete frame: the message bytes between `0x0B` and `0x1C 0x0D` (framing excluded).
    case frame([UInt8])
    /// Bytes that are not part of any well-formed frame, counted, with why.
    case discarded(MLLPDiscard)
    /// A well-framed message over the limit: its length and first bytes (enough to read
    /// its MSH for a rejection), reported once, when its frame ends.
    case oversizedFrame(MLLPOversizedFrame)
}
