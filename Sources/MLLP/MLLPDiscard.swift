/// Bytes an ``MLLPFrameDecoder`` discarded: how many, and why.
public struct MLLPDiscard: Sendable, Hashable, CustomStringConvertible {
    /// Why bytes were discarded. Extensible: new reasons can be added without breaking
    /// callers that switch over the ones they know.
    public struct Reason: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The reason's name, e.g. `outside_frame`.
        public var rawValue: String
        /// Creates a reason from its name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The reason's name.
        public var description: String { rawValue }

        /// Bytes between frames (before the first `0x0B`, between a frame's end and the
        /// next start, stray `0x1C` or `0x0D`), reported as one run when the next frame
        /// starts or the input ends.
        public static let outsideFrame = Reason(rawValue: "outside_frame")
        /// A frame cut short by a new `0x0B` before its end: the new frame is read, the
        /// partial one (its `0x0B` and content) is discarded.
        public static let cutShort = Reason(rawValue: "frame_cut_short")
        /// A frame whose `0x1C` was not followed by `0x0D`: its `0x0B`, content and `0x1C`
        /// are discarded; the byte after the `0x1C` is read again as outside any frame.
        public static let endBlockWithoutCarriageReturn = Reason(rawValue: "end_block_without_cr")
        /// A frame still open when the input ended (the connection closed).
        public static let unfinishedAtEnd = Reason(rawValue: "frame_unfinished_at_end")
    }

    /// How many bytes were discarded, framing bytes included.
    public var byteCount: Int
    /// Why.
    public var reason: Reason

    /// Creates a discard record.
    public init(byteCount: Int, reason: Reason) {
        self.byteCount = byteCount
        self.reason = reason
    }

    /// `outside_frame: 12 bytes`.
    public var description: String { "\(reason): \(byteCount) byte\(byteCount == 1 ? "" : "s")" }
}
