import HL7

/// A followed file's device and inode: unique among open files (the follower holds them
/// open). A closed (dormant) file's inode may be reused once it is deleted: its identity is
/// checked again when it is opened again (see ``DormantFile``).
struct FileKey: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64

    init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    init(_ status: FeedFileStatus) {
        self.init(device: status.device, inode: status.inode)
    }
}

/// The reading state of one followed file (confined to the follower's thread).
final class FollowedFile {
    let key: FileKey
    /// The path it is followed as (for a rotated file: its path before rotation).
    var path: String
    let handle: FeedFileDescriptor
    var identity: FileIdentity
    var reader: MessageReader
    /// Offset just past the last byte handed to `reader`.
    var readOffset: Int
    /// The last byte handed to `reader` (`nil` before any).
    var lastByte: UInt8?
    /// When the file last grew (or was opened).
    var lastGrowth: ContinuousClock.Instant
    /// Set after a message was completed by settle time or close-write (or at a resumed
    /// checkpoint): bytes from here up to the next `MSH` are orphan segment lines. The
    /// checkpoint stays here until they are reported.
    var orphanFrom: Int?
    /// `readOffset` when completion was last attempted: not retried until the file grows.
    var completionAttemptedAt: Int?
    /// Set once the file was renamed away or deleted: it is read to its end, then let go.
    var drainingSince: ContinuousClock.Instant?
    /// The file that had this one's path before (renamed away or deleted, still held): this
    /// one is not read until that one is let go, so that a path's messages stay in order.
    var predecessor: FileKey?
    /// The last bytes read (up to ``recentLength``, ending at `readOffset`): what the file
    /// must still hold there for it to be the same file (see ``TailSignature``).
    var recent: [UInt8] = []
    /// Set while the file's content was replaced (truncated or rewritten) but what was read
    /// of the old content is still being handed out: its bytes are not read from the file.
    var contentReplaced = false
    /// The checkpoint offset and its ``TailSignature``, last computed.
    var signatureCache: (offset: Int, signature: [UInt8])?
    /// The checkpoint last handed out in a batch (batches carry the ones that moved).
    var sentCheckpoint: FollowerCheckpoint?
    /// The batch that carried ``sentCheckpoint`` (0: it was already stored).
    var checkpointSequence = 0
    /// Acting on it after reading failed (retried at the next rescan).
    var afterReadFailed = false
    /// Set while its writer may have closed it without the close-write being seen: found
    /// by a scan (at start, a rescan, after lost events) or followed when inotify lost
    /// events; cleared by its next event. Such a file completes by settle time, and files
    /// opened after it do not complete before it on their own close-write.
    var closeMayBeUnseen = false
    /// Set when its writer's close was seen while a file opened before it still awaited
    /// completion: it completes once none before it awaits (see
    /// ``FollowLoop/completeDeferredCloses()``), never before them.
    var closeDeferred = false

    /// How many of the last bytes read are kept: two signature windows, so that a
    /// checkpoint's window is usually covered when a message is pending after it.
    static let recentLength = 2 * TailSignature.windowLength

    init(
        key: FileKey, path: String, handle: FeedFileDescriptor, identity: FileIdentity,
        startingAt offset: Int,
        limits: ParseLimits, now: ContinuousClock.Instant
    ) {
        self.key = key
        self.path = path
        self.handle = handle
        self.identity = identity
        reader =
            offset == 0 ? MessageReader(limits: limits) : MessageReader(resumingAt: offset, limits: limits)
        readOffset = offset
        lastGrowth = now
        // After a restart, segment lines at the checkpoint (a message completed by settle
        // time, then more lines) are orphans too; at a message start the range is empty.
        orphanFrom = offset == 0 ? nil : offset
    }

    var isDraining: Bool { drainingSince != nil }

    /// Whether the last byte read is a segment terminator (CR or LF).
    var endsWithTerminator: Bool { lastByte == 0x0D || lastByte == 0x0A }

    /// Whether settle time or close-write would complete something: a pending message, or
    /// orphan lines, whose last byte is a segment terminator.
    var awaitsCompletion: Bool {
        guard endsWithTerminator, completionAttemptedAt != readOffset else { return false }
        if reader.framer.hasPendingMessage { return true }
        if let orphanFrom { return readOffset > orphanFrom }
        return false
    }

    /// Whether everything read was handed out: nothing pending, nothing to complete, not
    /// draining and not waiting for a predecessor. Such a file may be closed (dormant).
    var isAtRest: Bool {
        !isDraining && predecessor == nil && !contentReplaced && !reader.framer.hasPendingMessage
            && checkpointOffset == readOffset && !awaitsCompletion
    }

    /// Where a restart resumes: a message boundary, never past an unreported orphan line.
    var checkpointOffset: Int { orphanFrom ?? reader.framer.consumedOffset }

    /// Keeps `bytes`, just read, as the last of ``recent``.
    func remember(_ bytes: ArraySlice<UInt8>) {
        if bytes.count >= Self.recentLength {
            recent = Array(bytes.suffix(Self.recentLength))
        } else {
            let excess = recent.count + bytes.count - Self.recentLength
            if excess > 0 { recent.removeFirst(excess) }
            recent.append(contentsOf: bytes)
        }
    }

    /// The bytes of `range` (ending at or before `readOffset`) from ``recent``, when it holds them all.
    func recentBytes(in range: Range<Int>) -> ArraySlice<UInt8>? {
        let start = readOffset - recent.count
        guard range.lowerBound >= start, range.upperBound <= readOffset else { return nil }
        return recent[(range.lowerBound - start)..<(range.upperBound - start)]
    }

    /// Starts over at the file's first byte (after truncation or rewrite).
    func restart(fingerprint: [UInt8], limits: ParseLimits) {
        reader = MessageReader(limits: limits)
        readOffset = 0
        lastByte = nil
        orphanFrom = nil
        completionAttemptedAt = nil
        identity.fingerprint = fingerprint
        recent = []
        signatureCache = nil
    }
}
