import HL7

/// Frames, parses and prepares the messages of a byte source one at a time, on the
/// calling thread: the reading a ``ParsedMessagePipeline`` runs on its own thread, and a
/// replay of many files runs inline.
public struct ParsedMessageStream<Prepared> {
    private let source: any ChunkedBytes
    private var reader: MessageReader
    private let prepare: (Message) -> Prepared
    private let keepReading: () -> Bool
    private var exhausted = false

    /// Reads `source` (whose first byte is at `offset` of the input: a recorded message
    /// boundary, or 0) with `limits`, each message handed to `prepare` as it is parsed.
    /// `keepReading` is asked before each chunk is read: `false` ends the stream there.
    public init(
        source: any ChunkedBytes, limits: ParseLimits, resumingAt offset: Int = 0,
        keepReading: @escaping () -> Bool = { true }, prepare: @escaping (Message) -> Prepared
    ) {
        self.source = source
        reader =
            offset > 0 ? MessageReader(resumingAt: offset, limits: limits) : MessageReader(limits: limits)
        self.prepare = prepare
        self.keepReading = keepReading
    }

    /// The next message (prepared) or unreadable message, with its offsets; `nil` at the end
    /// of the input (or when `keepReading` said stop).
    ///
    /// - Throws: the source's error reading the next chunk; the messages read before it were
    ///   all returned first.
    public mutating func next() throws -> ParsedMessage<Prepared>? {
        while true {
            if let result = reader.next() {
                return ParsedMessage(
                    result: result.map(prepare), offset: reader.lastMessageOffset,
                    endOffset: reader.lastMessageEndOffset)
            }
            if exhausted || !keepReading() { return nil }
            if try !source.readChunk({ reader.append($0) }) {
                reader.finish()
                exhausted = true
            }
        }
    }
}
