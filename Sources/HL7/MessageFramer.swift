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
/// chunk, so memory stays bounded by the largest message whatever the input's size.
/// It does no I/O: callers read files or sockets and hand it the bytes.
public struct MessageFramer: Sendable {
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
    /// Bytes skipped between messages that were not blank, framing or envelope bytes.
    public private(set) var skippedByteCount = 0

    /// A framer at the start of an input (where a byte-order mark may stand).
    public init() {
        base = 0
        startChecked = false
    }

    /// A framer resuming an input at `offset`, a message boundary recorded earlier
    /// (a checkpoint): a message may start right there.
    public init(resumingAt offset: Int) {
        base = offset
        startChecked = offset != 0
        if offset != 0 { pendingStartCheck = true }
    }

    private var pendingStartCheck = false

    /// Input offset up to which every byte has been handed out in a message or skipped.
    /// A reader that stops here and later resumes with ``init(resumingAt:)`` loses and
    /// repeats nothing.
    public var consumedOffset: Int { base + (messageStart ?? scan) }

    /// Input offset just past the last byte appended.
    public var appendedOffset: Int { base + buffer.count }

    /// Whether a message has started and is not yet complete.
    public var hasPendingMessage: Bool { messageStart != nil }

    /// Bytes of the pending (incomplete) message held so far.
    public var pendingMessageByteCount: Int {
        guard let messageStart else { return 0 }
        return buffer.count - messageStart
    }

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
        guard let start = messageStart, let last = buffer.last, last == 0x0D || last == 0x0A else { return nil }
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
                return nil
            }
            if byte == 0x1C, let start = messageStart {
                messageStart = nil
                scan = at  // re-visit the frame end: a message may start right after it
                return emit(from: start, to: at, completion: .frameEnd)
            }
            if at + 4 >= buffer.count && !finished {
                scan = at  // too few bytes after it to tell whether a message starts there
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

    /// Finds the next CR, LF, 0x0B or 0x1C from `scan`, noting carriage returns on the way.
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
                case 0x0D:
                    sawCR = true
                    return (index, byte)
                case 0x0A, 0x0B, 0x1C:
                    return (index, byte)
                default:
                    index &+= 1
                }
            }
        }
        sawCarriageReturn = sawCR
        return found
    }

    private mutating func emit(from start: Int, to end: Int, completion: FramedMessage.Completion)
        -> FramedMessage
    {
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
        guard startChecked, !pendingStartCheck, keepFrom >= 65_536, keepFrom * 2 >= buffer.count else { return }
        buffer.removeSubrange(0..<keepFrom)
        base += keepFrom
        scan -= keepFrom
        if let start = messageStart { messageStart = start - keepFrom }
    }
}
