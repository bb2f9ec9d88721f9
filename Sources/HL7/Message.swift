/// One parsed HL7 v2 message: its bytes and the located boundaries of every segment
/// and field. Repetitions, components and subcomponents are split, and values
/// unescaped and decoded, only when asked for.
public struct Message: Sendable {
    @usableFromInline let storage: MessageStorage
    /// Byte offset of the message's `MSH` in its input.
    public let offset: Int
    /// Lines inside the message that were skipped (not segments), with their offsets.
    public let warnings: [ReadWarning]

    /// Parses a framed message.
    ///
    /// - Throws: ``HL7ReadError`` (with an offset counted from the input's start) when
    ///   the message cannot be read, e.g. MSH too short to name its encoding characters.
    public init(_ framed: FramedMessage, limits: ParseLimits = .unlimited) throws(HL7ReadError) {
        let ceiling = min(limits.maximumMessageBytes, Int(Int32.max) - 1)
        if framed.isTruncated || framed.length > ceiling {
            throw HL7ReadError(
                code: .messageTooLarge, offset: framed.offset,
                reason: "message of \(framed.length) bytes exceeds the limit of \(ceiling)",
                messageLength: framed.length,
                retainedPrefix: Array(framed.bytes.prefix(MessageFramer.oversizedPrefixBytes)))
        }
        do {
            let parsed = try Self.parse(
                framed.bytes, containsCarriageReturn: framed.containsCarriageReturn, offset: framed.offset,
                limits: limits)
            storage = parsed.storage
            warnings = parsed.warnings
            offset = framed.offset
        } catch {
            throw error.absolute(messageOffset: framed.offset)
        }
    }

    /// Parses bytes that hold exactly one message (starting with `MSH`).
    public init(bytes: [UInt8], offset: Int = 0, limits: ParseLimits = .unlimited) throws(HL7ReadError) {
        try self.init(FramedMessage(offset: offset, bytes: bytes), limits: limits)
    }

    /// The message's bytes, from `MSH` to its end.
    public var bytes: [UInt8] { storage.bytes }
    /// The message's encoding characters.
    public var delimiters: Delimiters { storage.delimiters }
    /// The segments, in order (batch envelope segments and non-segment lines excluded).
    @inlinable public var segments: Segments { Segments(storage: storage) }

    /// The first segment with this ID.
    @inlinable public func segment(_ id: SegmentID) -> Segment? {
        for index in 0..<storage.segmentCount where storage.segment(index).id == id {
            return Segment(storage: storage, index: index)
        }
        return nil
    }

    /// Every segment with this ID, in order.
    public func segments(_ id: SegmentID) -> [Segment] {
        (0..<storage.segmentCount).compactMap {
            storage.segment($0).id == id ? Segment(storage: storage, index: $0) : nil
        }
    }

    /// The `MSH` segment (every message has one, first).
    @inlinable public var header: Segment { Segment(storage: storage, index: 0) }

    /// MSH-9.1 and MSH-9.2, e.g. `ORU` and `R01` (empty strings when not sent).
    public var messageType: (code: String, event: String) {
        let field = header[9]
        return (field.component(1).string, field.component(2).string)
    }

    /// MSH-10, the message control ID, decoded.
    public var controlID: String { header[10].component(1).string }

    /// MSH-12.1, the version (e.g. `2.5.1`).
    public var version: String { header[12].component(1).string }

    // MARK: - Parsing

    private static func parse(
        _ bytes: [UInt8], containsCarriageReturn: Bool, offset: Int, limits: ParseLimits
    ) throws(HL7ReadError) -> (storage: MessageStorage, warnings: [ReadWarning]) {
        // A message is an MSH segment and what follows it: bytes of another start (an MLLP
        // frame holds anything) would leave no header to read. (Checked before the mark
        // buffer is allocated: it is freed by hand.)
        guard bytes.count >= 3, bytes[0] == 0x4D, bytes[1] == 0x53, bytes[2] == 0x48 else {
            throw HL7ReadError(
                code: .missingHeader, offset: 0, segment: "MSH",
                reason: "the message does not start with an MSH segment")
        }
        var segments: [SegmentEntry] = []
        segments.reserveCapacity(16)
        // Room for a field every five bytes: with the many empty fields of real segments,
        // two thirds of the messages of a typical feed outgrew a field every eight.
        var marks = MarkBuffer(capacity: bytes.count / 5 + 16)
        var warnings: [ReadWarning] = []
        let outcome: Result<Delimiters, HL7ReadError> = bytes.withUnsafeBufferPointer { pointer in
            let delimiters: Delimiters
            switch Delimiters.read(from: pointer) {
            case .failure(let error): return .failure(error)
            case .success(let value): delimiters = value
            }
            if let error = index(
                pointer, delimiters: delimiters, terminator: containsCarriageReturn ? 0x0D : 0x0A,
                messageOffset: offset, limits: limits, segments: &segments, marks: &marks, warnings: &warnings
            ) {
                return .failure(error)
            }
            return .success(delimiters)
        }
        switch outcome {
        case .success(let delimiters):
            guard segments.first?.id == .msh else {
                marks.deallocate()
                throw HL7ReadError(
                    code: .missingHeader, offset: 0, segment: "MSH",
                    reason: "the message's first line is not an MSH segment")
            }
            return (
                MessageStorage(bytes: bytes, delimiters: delimiters, segments: segments, marks: marks),
                warnings
            )
        case .failure(let error):
            marks.deallocate()
            throw error
        }
    }

    /// Locates every segment and field boundary in one pass; `nil` when all went well.
    ///
    /// The message is read a word (eight bytes) at a time: one word gives a bit mask of
    /// the bytes that are field separators or segment terminators, and only those
    /// bytes are visited. A run of words without a terminator (most words) only appends
    /// its separators' positions (``MarkBuffer/appendSeparators(_:from:count:separatorMask:terminatorMask:)``,
    /// a loop that keeps its state in registers); a word with a terminator, or every word
    /// when a field may exceed the size limit, goes through ``LineIndexer``.
    private static func index(
        _ buffer: UnsafeBufferPointer<UInt8>, delimiters: Delimiters, terminator: UInt8, messageOffset: Int,
        limits: ParseLimits, segments: inout [SegmentEntry], marks: inout MarkBuffer,
        warnings: inout [ReadWarning]
    ) -> HL7ReadError? {
        guard let bytes = buffer.baseAddress else { return nil }
        let separator = delimiters.field
        let separatorMask = ByteScan.broadcast(separator)
        let terminatorMask = ByteScan.broadcast(terminator)
        let count = buffer.count
        var lines = LineIndexer(
            buffer: buffer, separator: separator, terminator: terminator, messageOffset: messageOffset,
            limits: limits)
        let checkFields = lines.checkFields

        // A CRLF's LF is neither a separator nor a terminator, so it is not visited
        // (`endLine` steps over it).
        var index = 0
        while index &+ 8 <= count {
            if !checkFields {
                index = marks.appendSeparators(
                    bytes, from: index, count: count, separatorMask: separatorMask,
                    terminatorMask: terminatorMask)
                guard index &+ 8 <= count else { break }
            }
            let word = UInt64(littleEndian: UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self))
            let separators = ByteScan.exactZeroBytes(word ^ separatorMask)
            let terminators = ByteScan.exactZeroBytes(word ^ terminatorMask)
            var hits = separators | terminators
            while hits != 0 {
                let position = index &+ hits.trailingZeroBitCount &>> 3
                if let error = lines.boundary(
                    at: position, segments: &segments, marks: &marks, warnings: &warnings)
                {
                    return error
                }
                hits &= hits &- 1
            }
            index &+= 8
        }
        while index < count {
            if bytes[index] == separator || bytes[index] == terminator,
                let error = lines.boundary(at: index, segments: &segments, marks: &marks, warnings: &warnings)
            {
                return error
            }
            index &+= 1
        }
        if lines.lineStart < count,
            let error = lines.endLine(at: count, segments: &segments, marks: &marks, warnings: &warnings)
        {
            return error
        }
        return nil
    }

    /// The line being indexed: where it starts, its first mark and the last separator
    /// seen (for the field size limit), and what ends a line.
    private struct LineIndexer {
        let buffer: UnsafeBufferPointer<UInt8>
        let separator: UInt8
        let terminator: UInt8
        let messageOffset: Int
        let limits: ParseLimits
        /// Whether a field may exceed the size limit (the message is longer than it).
        let checkFields: Bool
        var lineStart = 0
        var firstMark = 0
        var lastMark = -1

        init(
            buffer: UnsafeBufferPointer<UInt8>, separator: UInt8, terminator: UInt8, messageOffset: Int,
            limits: ParseLimits
        ) {
            self.buffer = buffer
            self.separator = separator
            self.terminator = terminator
            self.messageOffset = messageOffset
            self.limits = limits
            checkFields = limits.maximumFieldBytes < buffer.count
        }

        /// A field separator or segment terminator at `position`; `nil` when all went well.
        @inline(__always)
        mutating func boundary(
            at position: Int, segments: inout [SegmentEntry], marks: inout MarkBuffer,
            warnings: inout [ReadWarning]
        ) -> HL7ReadError? {
            if buffer[position] == separator {
                if checkFields && position - lastMark - 1 > limits.maximumFieldBytes {
                    return fieldTooLarge(at: lastMark + 1, limits: limits)
                }
                marks.append(position)
                lastMark = position
                return nil
            }
            return endLine(at: position, segments: &segments, marks: &marks, warnings: &warnings)
        }

        /// Ends the line at `lineEnd`: a segment, an envelope line, a blank or a dropped line.
        mutating func endLine(
            at lineEnd: Int, segments: inout [SegmentEntry], marks: inout MarkBuffer,
            warnings: inout [ReadWarning]
        ) -> HL7ReadError? {
            if checkFields && lineEnd - lastMark - 1 > limits.maximumFieldBytes {
                return fieldTooLarge(at: max(lastMark + 1, lineStart), limits: limits)
            }
            let length = lineEnd - lineStart
            if length >= 4 && buffer[lineStart + 3] == separator && SegmentID.isIDByte(buffer[lineStart])
                && SegmentID.isIDByte(buffer[lineStart + 1]) && SegmentID.isIDByte(buffer[lineStart + 2])
            {
                let id = SegmentID(buffer[lineStart], buffer[lineStart + 1], buffer[lineStart + 2])
                if id.isEnvelope {
                    marks.truncate(to: firstMark)
                } else {
                    marks.append(lineEnd)
                    segments.append(
                        SegmentEntry(
                            id: id, start: Int32(truncatingIfNeeded: lineStart),
                            end: Int32(truncatingIfNeeded: lineEnd),
                            firstMark: Int32(truncatingIfNeeded: firstMark),
                            splitFieldCount: Int32(truncatingIfNeeded: marks.count - firstMark - 1)))
                    if segments.count > limits.maximumSegments {
                        return HL7ReadError(
                            code: .tooManySegments, offset: lineStart,
                            reason: "more than \(limits.maximumSegments) segments")
                    }
                }
            } else {
                marks.truncate(to: firstMark)
                if !isBlank(buffer, lineStart..<lineEnd) {
                    warnings.append(
                        ReadWarning(
                            offset: messageOffset + lineStart, length: length,
                            reason:
                                "dropped a line that is not a segment (no 3-character ID and field separator)"
                        ))
                }
            }
            lineStart = lineEnd + 1
            // CRLF: the LF belongs to the terminator.
            if terminator == 0x0D && lineStart < buffer.count && buffer[lineStart] == 0x0A { lineStart += 1 }
            firstMark = marks.count
            lastMark = lineStart - 1
            return nil
        }
    }

    private static func fieldTooLarge(at start: Int, limits: ParseLimits) -> HL7ReadError {
        HL7ReadError(
            code: .fieldTooLarge, offset: start,
            reason: "a field exceeds the limit of \(limits.maximumFieldBytes) bytes")
    }

    /// Blank lines (spaces, tabs, stray LFs or framing bytes) are skipped without a warning.
    private static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        for index in range {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0B, 0x1C, 0x00: continue
            default: return false
            }
        }
        return true
    }
}

/// The segments of a message, in order.
public struct Segments: RandomAccessCollection, Sendable {
    @usableFromInline let storage: MessageStorage
    @usableFromInline init(storage: MessageStorage) { self.storage = storage }
    /// The first position.
    @inlinable public var startIndex: Int { 0 }
    /// One past the last position.
    @inlinable public var endIndex: Int { storage.segmentCount }
    /// The segment at `position` (0-based: position 0 is MSH).
    @inlinable public subscript(position: Int) -> Segment { Segment(storage: storage, index: position) }
}
