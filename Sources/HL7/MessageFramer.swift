/// Cuts a byte stream into HL7 v2 messages, incrementally and in bounded memory.
///
/// Feed it chunks of any size with ``append(_:)``; take complete messages with
/// ``next()``; call ``finish()`` at the end of the input. A message starts at `MSH`
/// followed by a field-separator character, at the start of the input or right after
/// CR, LF, 0x0B or 0x1C, and ends where the next one starts, at a 0x1C frame end or at
/// the end of the input. Bytes between messages (leading noise, MLLP framing, blank
/// lines, batch envelope lines before a message) are skipped. A UTF-8 byte-order mark
/// at the very start is skipped; offsets still count it.
///
/// The framer holds only the message being read and the unread part of the last
/// chunk. A message longer than ``maximumMessageBytes`` is skipped while it streams:
/// only its first ``oversizedPrefixBytes`` are kept and its length counted, and when it
/// ends it is handed out truncated (``FramedMessage/isTruncated``), so memory stays
/// bounded by the limit plus one chunk (plus 64 KiB of slack) whatever the input.
/// It does no I/O: callers read files or sockets and hand it the bytes.
public struct MessageFramer: Sendable {
    /// How many first bytes of a message over the limit are kept (for a dead letter).
    public static let oversizedPrefixBytes = 65_536

    /// The longest message held whole, in bytes; a longer one is skipped while it streams
    /// and handed out truncated. At most `Int32.max - 1` (the parser's own ceiling).
    public var maximumMessageBytes: Int {
        didSet { maximumMessageBytes = Self.clamped(maximumMessageBytes) }
    }

    private var buffer: [UInt8] = []
    /// Input offset of `buffer[0]`.
    private var base: Int
    /// Index in `buffer` where scanning resumes.
    private var scan = 0
    /// Index in `buffer` of the current message's `MSH`, while inside a message.
    private var messageStart: Int?
    private var sawCarriageReturn = false
    private var finished = false
    private var startChecked: Bool
    /// The message being skipped for its size, while it streams: its offset and first bytes.
    /// `messageStart` then marks the first of its bytes still in `buffer`.
    private var oversized: (offset: Int, prefix: [UInt8])?
    /// Bytes skipped between messages that were not blank, framing or envelope bytes.
    public private(set) var skippedByteCount = 0

    /// A framer at the start of an input (where a byte-order mark may stand), skipping
    /// messages longer than `maximumMessageBytes`.
    public init(maximumMessageBytes: Int = .max) {
        base = 0
        startChecked = false
        self.maximumMessageBytes = Self.clamped(maximumMessageBytes)
    }

    /// A framer resuming an input at `offset`, a message boundary recorded earlier
    /// (a checkpoint): a message may start right there.
    public init(resumingAt offset: Int, maximumMessageBytes: Int = .max) {
        base = offset
        startChecked = offset != 0
        self.maximumMessageBytes = Self.clamped(maximumMessageBytes)
        if offset != 0 { pendingStartCheck = true }
    }

    private static func clamped(_ limit: Int) -> Int { max(0, min(limit, Int(Int32.max) - 1)) }

    private var pendingStartCheck = false

    /// Input offset up to which every byte has been handed out in a message or skipped.
    /// A reader that stops here and later resumes with ``init(resumingAt:)`` loses and
    /// repeats nothing.
    public var consumedOffset: Int { oversized?.offset ?? base + (messageStart ?? scan) }

    /// Input offset just past the last byte appended.
    public var appendedOffset: Int { base + buffer.count }

    /// Whether a message has started and is not yet complete.
    public var hasPendingMessage: Bool { messageStart != nil }

    /// Bytes of the pending (incomplete) message read so far (also those of a message
    /// being skipped for its size, which are not held).
    public var pendingMessageByteCount: Int {
        guard let messageStart else { return 0 }
        if let oversized { return appendedOffset - oversized.offset }
        return buffer.count - messageStart
    }

    /// Whether the pending message is over the limit and being skipped while it streams.
    public var isSkippingOversizedMessage: Bool { oversized != nil }

    /// Input bytes the framer holds (not counting a skipped message's kept first bytes):
    /// at most ``maximumMessageBytes`` plus the last chunk appended plus 64 KiB, as long as
    /// ``next()`` is called until `nil` after each ``append(_:)``.
    public var bufferedByteCount: Int { buffer.count }

    /// Appends the next bytes of the input.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes.bindMemory(to: UInt8.self))
    }

    /// Appends the next bytes of the input.
    public mutating func append<Bytes: Collection>(contentsOf bytes: Bytes) where Bytes.Element == UInt8 {
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes)
    }

    /// Declares the end of the input: the pending message, if any, completes.
    public mutating func finish() { finished = true }

    /// The next complete message, or `nil` when more input is needed (or, after
    /// ``finish()``, when the input is exhausted).
    public mutating func next() -> FramedMessage? {
        if !startChecked {
            guard checkInputStart() else { return nil }
        }
        if pendingStartCheck {
            // Resuming at a checkpoint: a message may start at the first byte.
            guard buffer.count >= 4 || finished else { return nil }
            pendingStartCheck = false
            if Self.isMessageStart(buffer, at: 0) { beginMessage(at: 0) }
        }
        return scanForBoundary()
    }

    /// Completes the pending message when its last byte so far is a segment terminator
    /// (CR or LF): for a follower whose file went quiet or was closed by its writer.
    /// Returns `nil` when there is no such message.
    public mutating func completePending() -> FramedMessage? {
        guard let start = messageStart, let last = buffer.last, last == 0x0D || last == 0x0A else {
            return nil
        }
        // Bytes up to the end are already in the message; make sure CRs are counted.
        let message = emit(from: start, to: buffer.count, completion: .settled)
        messageStart = nil
        // Re-examine the final terminator: a message may start right after it.
        scan = buffer.count - 1
        return message
    }

    // MARK: - Scanning

    private mutating func checkInputStart() -> Bool {
        guard buffer.count >= 4 || finished else { return false }
        startChecked = true
        var first = 0
        if buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { first = 3 }
        scan = first
        if Self.isMessageStart(buffer, at: first) {
            beginMessage(at: first)
        } else if buffer.count < first + 4 && !finished {
            // A BOM followed by fewer than four bytes: wait for more.
            startChecked = false
            scan = 0
            return false
        }
        return true
    }

    private mutating func beginMessage(at index: Int) {
        messageStart = index
        sawCarriageReturn = false
        scan = index + 4
    }

    /// `isMessageStart` on bytes held in `base` (at least `index + 4` of them).
    @inline(__always)
    private static func isMessageStart(_ base: UnsafePointer<UInt8>, at index: Int) -> Bool {
        base[index] == 0x4D && base[index + 1] == 0x53 && base[index + 2] == 0x48
            && Delimiters.isDelimiterCandidate(base[index + 3])
    }

    @inline(__always)
    private static func isMessageStart(_ buffer: [UInt8], at index: Int) -> Bool {
        guard index + 3 < buffer.count else { return false }
        return buffer[index] == 0x4D && buffer[index + 1] == 0x53 && buffer[index + 2] == 0x48
            && Delimiters.isDelimiterCandidate(buffer[index + 3])
    }

    private mutating func scanForBoundary() -> FramedMessage? {
        while true {
            guard let (at, byte) = findSpecialByte() else {
                scan = buffer.count
                if finished, let start = messageStart {
                    messageStart = nil
                    return emit(from: start, to: buffer.count, completion: .endOfInput)
                }
                skipIfOversized()
                return nil
            }
            if byte == 0x1C, let start = messageStart {
                messageStart = nil
                scan = at  // re-visit the frame end: a message may start right after it
                return emit(from: start, to: at, completion: .frameEnd)
            }
            if at + 4 >= buffer.count && !finished {
                scan = at  // too few bytes after it to tell whether a message starts there
                skipIfOversized()
                return nil
            }
            if Self.isMessageStart(buffer, at: at + 1) {
                if let start = messageStart {
                    // A 0x0B before MSH is MLLP framing, not part of the previous message.
                    let message = emit(from: start, to: byte == 0x0B ? at : at + 1, completion: .nextMessage)
                    beginMessage(at: at + 1)
                    return message
                }
                beginMessage(at: at + 1)
            } else {
                scan = at + 1
            }
        }
    }

    /// Finds the next 0x0B or 0x1C, or CR or LF after which a message starts (or may: too
    /// few bytes held to tell), from `scan`, noting carriage returns on the way.
    @inline(__always)
    private mutating func findSpecialByte() -> (Int, UInt8)? {
        var sawCR = sawCarriageReturn
        let start = scan
        let found: (Int, UInt8)? = buffer.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return nil }
            let count = bytes.count
            var index = start
            while true {
                // Almost every byte is above 0x1C: skip eight at a time.
                index = ByteScan.firstControl(base, from: index, to: count)
                guard index < count else { return nil }
                let byte = base[index]
                switch byte {
                case 0x0D, 0x0A:
                    if byte == 0x0D { sawCR = true }
                    // A segment terminator with no message starting after it (most of
                    // them) is passed over here, as `scanForBoundary` would.
                    if index &+ 4 < count && !Self.isMessageStart(base, at: index &+ 1) {
                        index &+= 1
                        continue
                    }
                    return (index, byte)
                case 0x0B, 0x1C:
                    return (index, byte)
                default:
                    index &+= 1
                }
            }
        }
        sawCarriageReturn = sawCR
        return found
    }

    /// Once the pending message is over the limit, keeps its first bytes and drops the
    /// rest of what is held (all but the byte before the scan position).
    @inline(__always)
    private mutating func skipIfOversized() {
        // Bytes before `scan` are the message's for sure (those after may start the next one).
        guard let start = messageStart, oversized != nil || scan - start > maximumMessageBytes else { return }
        skipOversized(from: start)
    }

    @inline(never)
    private mutating func skipOversized(from start: Int) {
        let keepFrom = max(start, scan - 1)
        if oversized == nil { oversized = (base + start, []) }
        keepPrefix(buffer[start..<keepFrom])
        buffer.removeSubrange(0..<keepFrom)
        base += keepFrom
        scan -= keepFrom
        messageStart = 0
    }

    /// Adds `bytes` (the next of a skipped message) to its kept first bytes, up to the cap.
    private mutating func keepPrefix(_ bytes: ArraySlice<UInt8>) {
        guard let kept = oversized?.prefix.count, kept < Self.oversizedPrefixBytes else { return }
        oversized!.prefix.append(contentsOf: bytes.prefix(Self.oversizedPrefixBytes - kept))
    }

    private mutating func emit(from start: Int, to end: Int, completion: FramedMessage.Completion)
        -> FramedMessage
    {
        if oversized == nil && end - start > maximumMessageBytes {
            // Over the limit but complete in what is held: handed out as if it had streamed.
            oversized = (base + start, [])
        }
        if oversized != nil {
            keepPrefix(buffer[start..<end])
            let (offset, prefix) = oversized!
            oversized = nil
            return FramedMessage(
                offset: offset, bytes: prefix, length: base + end - offset, containsCarriageReturn: false,
                completion: completion)
        }
        var containsCR = sawCarriageReturn
        if completion == .settled || completion == .endOfInput {
            containsCR = buffer[start..<end].contains(0x0D)
        }
        return FramedMessage(
            offset: base + start, bytes: Array(buffer[start..<end]), containsCarriageReturn: containsCR,
            completion: completion)
    }

    private mutating func compactIfWorthwhile() {
        // Keep one byte before the scan position: it decides whether `MSH` there starts a message.
        let keepFrom = max(0, (messageStart ?? scan) - 1)
        // With a message pending (not moved again until it completes), also when most of
        // what is held is that message: the bytes before it never add to a long message's.
        guard startChecked, !pendingStartCheck, keepFrom >= 65_536,
            keepFrom * 2 >= buffer.count || messageStart != nil
        else { return }
        buffer.removeSubrange(0..<keepFrom)
        base += keepFrom
        scan -= keepFrom
        if let start = messageStart { messageStart = start - keepFrom }
    }
}
