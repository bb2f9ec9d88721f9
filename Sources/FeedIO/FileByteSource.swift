import Glibc

/// Reads a file front to back in chunks of a fixed size, through `read(2)`.
///
/// It owns its file descriptor and closes it when it goes away.
public final class FileByteSource {
    /// The path as given.
    public let path: String
    /// Bytes per `read(2)` call.
    public let chunkSize: Int
    private let descriptor: Int32
    private var chunk: [UInt8]
    /// Offset of the next byte to read.
    public private(set) var offset = 0

    /// The default chunk size: 256 KiB.
    public static let defaultChunkSize = 256 * 1024

    /// Opens `path` for reading, from byte `start` (0: the beginning).
    ///
    /// - Throws: ``FeedIOError`` naming the path when it cannot be opened or is a directory.
    public init(path: String, chunkSize: Int = FileByteSource.defaultChunkSize, startingAt start: Int = 0)
        throws(FeedIOError)
    {
        precondition(chunkSize > 0, "chunk size must be positive")
        self.path = path
        self.chunkSize = chunkSize
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FeedIOError(path: path, operation: "open", code: errno) }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw FeedIOError(path: path, operation: "read", code: EISDIR)
        }
        if start > 0 && lseek(fd, off_t(start), SEEK_SET) < 0 {
            let code = errno
            close(fd)
            throw FeedIOError(path: path, operation: "seek in", code: code)
        }
        descriptor = fd
        offset = start
        chunk = [UInt8](repeating: 0, count: chunkSize)
    }

    deinit { close(descriptor) }

    /// Reads the next chunk and hands it to `body`; returns `false` at end of file.
    ///
    /// - Throws: ``FeedIOError`` when the read fails.
    public func readChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        let count = chunk.withUnsafeMutableBytes { buffer -> Int in
            while true {
                let result = read(descriptor, buffer.baseAddress, buffer.count)
                if result < 0 && errno == EINTR { continue }
                return result
            }
        }
        guard count >= 0 else { throw FeedIOError(path: path, operation: "read", code: errno) }
        guard count > 0 else { return false }
        offset += count
        try chunk.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        return true
    }
}
