import HL7
import Threads

/// Follows the HL7 v2 feed files an interface engine writes: the live input of the daemon.
///
/// It watches the folders of its glob patterns with inotify and rescans the patterns
/// periodically (and after an inotify queue overflow) as a safety net. A message is
/// handed out once complete: when the next `MSH` starts, at a 0x1C frame end, or — the
/// file being tailed — once its last byte is a segment terminator and the writer closed
/// the file (`IN_CLOSE_WRITE`) or the file stayed quiet for the settle time. Segment
/// lines that arrive after a message was completed that way, before any new `MSH`, come
/// out as ``FeedEvent/orphanSegments(path:offset:bytes:)``. A partial last message waits.
///
/// Rotation: a file renamed away (or deleted) is read to its end and kept, still read,
/// until it has been quiet for the rotation grace (``FollowerSettings/rotationGrace``,
/// 5 s by default): a writer that holds it open goes on appending after the rename until
/// it reopens the path. Its last message completes by settle time or close-write as in
/// any file; ``FeedEvent/closed(path:)`` says when it is let go.
///
/// A new file at the path is opened at once but not read while the file it replaced is
/// kept. As soon as it has data — its writer has moved on (one writer per path) — the old
/// file is read to its end and let go, and the new one is read from its start. So a
/// path's messages stay in order, and a new file waits only as long as the old one takes
/// to be read to its end, whatever the grace. (Waiting for the grace instead would hold
/// every new file back by seconds after each rotation; reading both at once would let
/// the old file's last appends come after the new file's first messages.)
///
/// Truncation: a file that shrank below what was read, or whose first bytes or bytes
/// just before the read offset changed, was truncated or rewritten. Bytes its writer
/// appended after the last read but before the truncation are read from a copy when one
/// is found (copytruncate: the newest entry of the file's folder that no pattern matches,
/// starting with the file's old first bytes and holding the bytes read before the
/// offset); the pending message completes as at the end of a file; then the file is
/// read again from its start with ``FeedEvent/truncated(path:)``. A copy that a pattern
/// matches is followed as a file of its own (read from its start: its messages come
/// again, as resends).
///
/// Checkpoints carry a ``TailSignature`` of the bytes before their offset: a file resumes
/// at a checkpoint only when they still match, so a file that got the inode of a
/// checkpointed one and begins with the same bytes is read from its start (and a file
/// copy-truncated while the service was down is finished from its copy).
///
/// An inotify queue overflow (events lost) is reported once as a ``FollowerError`` with
/// code ``FollowerError/Code/eventQueue`` and made up for by a scan of every pattern and
/// file.
///
/// All the work runs on a dedicated thread that blocks in `poll(2)`; batches reach the
/// consumer through a bounded hand-off, so a slow consumer slows reading rather than
/// growing memory. Each batch handed over, and every read of a chunk, beats
/// ``FollowerSettings/heartbeat``: a long backlog is progress, not a hang.
///
/// Many files: only files being read are held open. A file fully read and idle for
/// ``FollowerSettings/closeIdle`` (or, when ``FollowerSettings/maximumOpenFiles`` are
/// open, the least recently used such file) is closed and opened again when it changes,
/// its identity checked again. `EMFILE`/`ENFILE` are a resource shortage, reported once
/// per episode and retried: a file missing from a scan that could not read its folder is
/// never taken for rotated or deleted. At most ``FollowerSettings/maximumFiles`` are
/// tracked; new files of one scan are taken in name order. A file gone for good is let go
/// (``FollowerBatch/released``) so its checkpoint is forgotten.
public final class FeedFollower: Sendable {
    /// What is followed and how.
    public let settings: FollowerSettings
    /// Where each file stood before: a file whose identity matches one resumes at its offset.
    public let checkpoints: [FollowerCheckpoint]
    private let ledger = CommitLedger()

    /// Creates a follower.
    ///
    /// A file whose device, inode and fingerprint match a checkpoint's (the checkpoint's
    /// fingerprint a prefix of the file's first bytes), at least as long as the
    /// checkpoint's offset, with the bytes before that offset matching the checkpoint's
    /// ``FollowerCheckpoint/tail``, resumes at the checkpoint's offset. Any other file is
    /// read from its start; one with a checkpoint's device and inode but other content
    /// also gets a ``FeedEvent/truncated(path:)`` (after the rest of the old content, when
    /// a copy of it is found).
    public init(settings: FollowerSettings, checkpoints: [FollowerCheckpoint] = []) {
        self.settings = settings
        self.checkpoints = checkpoints
    }

    /// Batches of complete messages and feed events, in file order per file, as they
    /// become complete. The sequence ends when the consuming task is cancelled (or the
    /// sequence is dropped).
    ///
    /// Each call starts an independent follow from ``checkpoints``, on a thread of its
    /// own; consume one sequence from one task. The first batch comes once the pattern
    /// folders are watched (so nothing written after it is missed; it is empty when no
    /// file was found) and holds an ``FeedEvent/opened(path:)`` for every file found at start.
    public func batches() -> AsyncStream<FollowerBatch> {
        let channel = BatchChannel()
        let lifetime = ChannelLifetime(channel)
        let settings = self.settings
        let checkpoints = self.checkpoints
        let ledger = self.ledger
        let failure = startDetachedThread {
            FollowLoop(settings: settings, checkpoints: checkpoints, channel: channel, ledger: ledger).run()
            channel.close()
        }
        if let failure {
            _ = channel.send(
                FollowerBatch(errors: [
                    FollowerError(code: .thread, path: "feed-follower", errorNumber: failure)
                ]))
            channel.close()
        }
        return AsyncStream(
            unfolding: { await lifetime.channel.receive() },
            onCancel: { lifetime.channel.close() })
    }

    /// Says that `batch` (and every batch before it in the stream being consumed) is
    /// committed: its effects are durable. Only then does ``FollowerSettings/afterRead``
    /// act on a file whose last checkpoint it carried. Without acknowledgements, files are
    /// kept. Acknowledge batches of one stream at a time (the latest ``batches()``).
    public func acknowledge(_ batch: FollowerBatch) {
        ledger.acknowledge(batch.sequence)
    }
}
