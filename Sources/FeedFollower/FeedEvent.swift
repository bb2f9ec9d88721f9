/// Something that happened to a followed file, besides its messages.
public enum FeedEvent: Sendable, Hashable {
    /// The file started being followed (at start-up, or when it appeared).
    case opened(path: String)
    /// The file that was followed at `path` was renamed away (or `path` now names another
    /// file). It is still read to its end; ``closed(path:)`` follows when it is let go.
    case rotated(path: String)
    /// The file shrank below what had been read, or its first bytes or the bytes just
    /// before what had been read changed (truncated, copy-truncated, or rewritten), or a
    /// checkpoint with its inode did not match its content: it is read again from its start.
    case truncated(path: String)
    /// The file was read to its end and let go (it was rotated away or deleted).
    case closed(path: String)
    /// Segment lines that arrived after a message had been completed by settle time or
    /// close-write, before any new `MSH`: they belong to no message and must be
    /// dead-lettered, never dropped. `offset` is where the first of them starts.
    case orphanSegments(path: String, offset: Int, bytes: [UInt8])

    /// The path of the file the event is about.
    public var path: String {
        switch self {
        case .opened(let path), .rotated(let path), .truncated(let path), .closed(let path):
            return path
        case .orphanSegments(let path, _, _):
            return path
        }
    }
}
