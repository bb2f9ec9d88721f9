/// Cuts an MLLP byte stream into frames, incrementally and in bounded memory.
///
/// Feed it the bytes of a connection as they arrive, in chunks split anywhere (a start
/// block, an end block, or the `0x1C 0x0D` pair may straddle two chunks), with
/// ``append(_:)``; call ``finish()`` when the connection closes. Each call returns the
/// events the bytes completed, in stream order; the same stream gives the same events
/// however it is split.
///
/// - A frame is `0x0B message 0x1C 0x0D`; one message per frame (``MLLPFrameEvent/frame(_:)``).
/// - Bytes outside a frame are discarded and counted (``MLLPDiscard/Reason/outsideFrame``),
///   reported as one run when the next frame starts or the input ends.
/// - A message over ``maximumFrameBytes`` is not held whole: the decoder stops buffering
///   at the limit, keeps only its first bytes (``oversizedHeadBytes``), skips the rest up
///   to the frame's end and reports it once there (``MLLPFrameEvent/oversizedFrame(_:)``).
///   ``bufferedByteCount`` never exceeds the limit.
/// - A `0x0B` inside a frame (a new start before the end) means the sender's previous
///   frame was cut short (a sender that restarted, a lost connection's bytes on a reused
///   one). The partial frame is discarded (``MLLPDiscard/Reason/cutShort``) and the new
///   frame is read: nothing that is well-framed is lost, and nothing that is not is taken
///   as a message. The sender gets no acknowledgement for the partial frame and sends it
///   again, as MLLP senders do when none comes.
/// - A `0x1C` inside a frame not followed by `0x0D` makes the frame malformed: discarded
///   (``MLLPDiscard/Reason/endBlockWithoutCarriageReturn``), and the byte after the `0x1C`
///   is read again as outside any frame (a `0x0B` there starts the next frame).
///
/// It does no I/O and never traps on any input.
public struct MLLPFrameDecoder: Sendable {
    /// How many first bytes of an oversized message are kept (at most the limit).
    public static let oversizedHeadBytes = 4096

    /// The longest message (the bytes between `0x0B` and `0x1C 0x0D`) handed out whole.
    public let maximumFrameBytes: Int

    private var insideFrame = false
    /// Inside a frame: the last byte was a `0x1C` (its `0x0D` may be in the next chunk).
    private var sawEndBlock = false
    /// The current frame's message bytes (only its first bytes once it is over the limit).
    private var frame: [UInt8] = []
    /// The current frame's message length so far, the bytes not kept included.
    private var frameLength = 0
    /// Bytes of the current run outside any frame, not yet reported.
    private var outsideRun = 0

    /// Every byte discarded so far (outside frames and in malformed frames), the current
    /// run outside a frame included even before it is reported.
    public private(set) var discardedByteCount = 0

    /// The message bytes held: never more than ``maximumFrameBytes``.
    public var bufferedByteCount: Int { frame.count }

    /// Whether a frame has started and not yet ended.
    public var isInsideFrame: Bool { insideFrame }

    /// A decoder handing out messages of at most `maximumFrameBytes` bytes (at least 0).
    public init(maximumFrameBytes: Int) {
        self.maximumFrameBytes = max(0, maximumFrameBytes)
    }

    private var headLimit: Int { min(Self.oversizedHeadBytes, maximumFrameBytes) }

    /// Reads the next bytes of the stream; returns the events they complete.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) -> [MLLPFrameEvent] {
        var events: [MLLPFrameEvent] = []
        let count = bytes.count
        var index = 0
        while index < count {
            if !insideFrame {
                var end = index
                while end < count && bytes[end] != MLLPFrameEncoder.startBlock { end += 1 }
                outsideRun += end - index
                discardedByteCount += end - index
                guard end < count else { break }
                reportOutsideRun(into: &events)
                insideFrame = true
                index = end + 1
                continue
            }
            if sawEndBlock {
                sawEndBlock = false
                if bytes[index] == MLLPFrameEncoder.carriageReturn {
                    completeFrame(into: &events)
                    index += 1
                } else {
                    // Read again, outside any frame.
                    abandonFrame(.endBlockWithoutCarriageReturn, framingBytes: 2, into: &events)
                }
                continue
            }
            var end = index
            while end < count && bytes[end] != MLLPFrameEncoder.startBlock
                && bytes[end] != MLLPFrameEncoder.endBlock
            {
                end += 1
            }
            appendContent(UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
            guard end < count else { break }
            if bytes[end] == MLLPFrameEncoder.endBlock {
                sawEndBlock = true
                index = end + 1
            } else {
                // A new start: read again, it begins the next frame.
                abandonFrame(.cutShort, framingBytes: 1, into: &events)
                index = end
            }
        }
        return events
    }

    /// Reads the next bytes of the stream; returns the events they complete.
    public mutating func append(contentsOf bytes: [UInt8]) -> [MLLPFrameEvent] {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Declares the end of the stream (the connection closed): an unfinished frame and a
    /// run of bytes outside any frame are reported. The decoder is then ready for a new stream.
    public mutating func finish() -> [MLLPFrameEvent] {
        var events: [MLLPFrameEvent] = []
        if insideFrame {
            abandonFrame(.unfinishedAtEnd, framingBytes: sawEndBlock ? 2 : 1, into: &events)
            sawEndBlock = false
        }
        reportOutsideRun(into: &events)
        return events
    }

    // MARK: - Steps

    private mutating func appendContent(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        frameLength += bytes.count
        if frameLength <= maximumFrameBytes {
            frame.append(contentsOf: bytes)
            return
        }
        // Over the limit: keep the first bytes only, hold nothing more.
        let keep = headLimit
        if frame.count > keep { frame.removeSubrange(keep...) }
        let room = keep - frame.count
        if room > 0 { frame.append(contentsOf: bytes.prefix(room)) }
    }

    private mutating func completeFrame(into events: inout [MLLPFrameEvent]) {
        if frameLength > maximumFrameBytes {
            events.append(.oversizedFrame(MLLPOversizedFrame(length: frameLength, head: frame)))
        } else {
            events.append(.frame(frame))
        }
        resetFrame()
    }

    /// Discards the current frame: its content and `framingBytes` (its `0x0B`, and a `0x1C`).
    private mutating func abandonFrame(
        _ reason: MLLPDiscard.Reason, framingBytes: Int, into events: inout [MLLPFrameEvent]
    ) {
        let discarded = frameLength + framingBytes
        discardedByteCount += discarded
        events.append(.discarded(MLLPDiscard(byteCount: discarded, reason: reason)))
        resetFrame()
    }

    private mutating func resetFrame() {
        insideFrame = false
        frame = []
        frameLength = 0
    }

    private mutating func reportOutsideRun(into events: inout [MLLPFrameEvent]) {
        guard outsideRun > 0 else { return }
        events.append(.discarded(MLLPDiscard(byteCount: outsideRun, reason: .outsideFrame)))
        outsideRun = 0
    }
}
