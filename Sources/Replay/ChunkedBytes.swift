import FeedIO

/// Bytes read front to back in chunks: a feed file (``FileByteSource``) or a feed held in
/// memory (``InMemoryBytes``). What a ``ParsedMessagePipeline`` or a
/// ``ParsedMessageStream`` reads from.
///
/// A reference type: the pipeline hands it to its reading thread, which alone uses it from
/// then on.
public protocol ChunkedBytes: AnyObject {
    /// Hands the next chunk to `body`; returns `false` at the end of the bytes.
    ///
    /// - Throws: an error reading the bytes (for a file, ``FeedIOError``), or what `body` threw.
    func readChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool
}

extension FileByteSource: ChunkedBytes {}

/// A feed held in memory, handed out in chunks of a fixed size (benchmarks and tests:
/// chunk boundaries anywhere, down to one byte).
public final class InMemoryBytes: ChunkedBytes {
    private let bytes: [UInt8]
    private let chunkSize: Int
    private var position = 0

    /// The bytes of `bytes`, `chunkSize` at a time (the last chunk may be shorter).
    public init(_ bytes: [UInt8], chunkSize: Int = FileByteSource.defaultChunkSize) {
        precondition(chunkSize > 0, "chunk size must be positive")
        self.bytes = bytes
        self.chunkSize = chunkSize
    }

    /// Hands the next chunk to `body`; returns `false` once every byte was handed out.
    public func readChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        guard position < bytes.count else { return false }
        let end = min(bytes.count, position + chunkSize)
        defer { position = end }
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[position..<end])) }
        return true
    }
}
