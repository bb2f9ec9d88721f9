import Glibc
import HL7

/// Reading a followed file: new bytes, truncation, completion by settle time or
/// close-write, orphan segment lines, letting a rotated file go.
extension FollowLoop {
    /// The most bytes of orphan lines reported in one event.
    static let orphanWindow = 1 << 20

    /// Checks `file` for truncation or rewrite, then reads it to its end and hands out the
    /// messages that completed. Returns whether it grew.
    ///
    /// A file that waits behind a predecessor at its path is read only once it has data
    /// of its own (see ``takeOver(from:)``).
    @discardableResult
    func service(_ file: FollowedFile) -> Bool {
        guard !stopped, takeOver(from: file) else { return false }
        let status: FeedFileStatus
        let head: [UInt8]
        do {
            status = try file.handle.status(path: file.path)
            head = try file.handle.bytes(
                in: 0..<min(FileIdentity.fingerprintLength, status.size), path: file.path)
        } catch {
            report(error)
            return false
        }
        if status.size < file.readOffset || !head.starts(with: file.identity.fingerprint)
            || !stillHoldsWhatWasRead(file)
        {
            // Shrunk below what was read, or its first bytes or the bytes before the read
            // offset changed: the rest of the old content (from a copy), then its start.
            rewritten(file, head: head)
        }
        var grew = false
        while !stopped {
            let count: Int
            do {
                count = try file.handle.read(at: file.readOffset, into: &chunk, path: file.path)
            } catch {
                report(error)
                break
            }
            guard count > 0 else { break }
            keepFingerprint(of: file, reading: chunk[0..<count])
            chunk.withUnsafeBytes { file.reader.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            file.remember(chunk[0..<count])
            file.readOffset += count
            file.lastByte = chunk[count - 1]
            grew = true
            drain(file)
            // A slice of work done: a long backlog is progress for the watchdog.
            settings.heartbeat?()
        }
        if grew {
            // Grown under the follower's eyes: quiet from now. Grown unseen (inotify lost
            // its events, or none came since it was found by a scan): quiet since its
            // last write, by its modification time, as a file found with its bytes is (see
            // open(path:after:checkpoint:sequence:expected:)), never since before it last
            // grew: read after lost events, it must not count as written after the files
            // a scan then finds, written after it.
            if file.closeMayBeUnseen, file.readOffset <= status.size {
                file.lastGrowth = max(file.lastGrowth, lastWritten(modified: status.modified))
            } else {
                file.lastGrowth = clock.now
            }
            // Written again after its close: its next close (or settle time) completes it.
            file.closeDeferred = false
        }
        return grew
    }

    /// Makes `file`'s fingerprint the first bytes as read, with `bytes` just read at its
    /// read offset: not the head as looked at before reading, which the writer may have
    /// truncated and rewritten in between (the bytes read are then the new ones, and a
    /// fingerprint of the old head would take the file for rewritten once more, handing
    /// out again what was read of the new content).
    private func keepFingerprint(of file: FollowedFile, reading bytes: ArraySlice<UInt8>) {
        let start = file.readOffset
        guard start < FileIdentity.fingerprintLength, let before = file.recentBytes(in: 0..<start) else {
            return
        }
        file.identity.fingerprint =
            Array(before) + bytes.prefix(FileIdentity.fingerprintLength - start)
    }

    /// Whether the bytes just before the read offset are still those read there (a file
    /// rewritten to at least the same size with the same first bytes fails this).
    private func stillHoldsWhatWasRead(_ file: FollowedFile) -> Bool {
        let count = min(file.recent.count, TailSignature.windowLength)
        guard count > 0 else { return true }
        let range = (file.readOffset - count)..<file.readOffset
        guard let bytes = try? file.handle.bytes(in: range, path: file.path) else { return true }
        guard bytes.count == count else { return false }
        return bytes.withUnsafeBytes { read in
            file.recent.withUnsafeBytes { kept in
                memcmp(read.baseAddress!, kept.baseAddress! + (kept.count - count), count) == 0
            }
        }
    }

    /// `file` was truncated or rewritten. Bytes its writer appended after the last read,
    /// before the truncation, are in a copy when the file was copy-truncated: they are
    /// read from there. The pending message completes as at the end of a file (its bytes
    /// are gone from the file). Then the file is read again from its start.
    private func rewritten(_ file: FollowedFile, head: [UInt8]) {
        let window = TailSignature.window(endingAt: file.readOffset)
        var copy: FollowedFile?
        if let expected = file.recentBytes(in: window), !expected.isEmpty {
            copy = copyOfOldContent(
                path: file.path, fingerprint: file.identity.fingerprint, offset: file.readOffset,
                matches: { $0.elementsEqual(expected) })
        }
        if let copy {
            // The copy carries on where the file was read to: same reader, same offsets.
            copy.reader = file.reader
            copy.readOffset = file.readOffset
            copy.lastByte = file.lastByte
            copy.orphanFrom = file.orphanFrom
            copy.recent = file.recent
            add(.truncated(path: file.path), about: file)
            file.restart(fingerprint: head, limits: settings.limits)
            readToEndAndLetGo(copy)
        } else {
            file.reader.finish()
            file.contentReplaced = true
            drain(file)
            if let from = file.orphanFrom, file.readOffset > from {
                reportOrphans(of: file, in: from..<file.readOffset)
            }
            file.contentReplaced = false
            add(.truncated(path: file.path), about: file)
            file.restart(fingerprint: head, limits: settings.limits)
        }
    }

    /// Hands out every message of `file` that is complete, reporting orphan lines that
    /// stood before the first of them.
    func drain(_ file: FollowedFile) {
        while !stopped, let result = file.reader.next() {
            if let from = file.orphanFrom {
                reportOrphans(of: file, in: from..<file.reader.lastMessageOffset)
                file.orphanFrom = nil
            }
            add(result, of: file)
        }
        if let from = file.orphanFrom, file.reader.framer.hasPendingMessage {
            // A new message has started: what stood between is settled for good.
            reportOrphans(of: file, in: from..<file.reader.framer.consumedOffset)
            file.orphanFrom = nil
        }
    }

    /// Completes what `file` holds when its last byte is a segment terminator: the pending
    /// message, or else the orphan lines that arrived after the last completed message.
    /// For settle time and close-write.
    func complete(_ file: FollowedFile) {
        guard !stopped else { return }
        file.completionAttemptedAt = file.readOffset
        file.closeDeferred = false
        guard file.endsWithTerminator else { return }
        if file.reader.framer.hasPendingMessage {
            guard let result = file.reader.completePending() else { return }
            // The checkpoint moves past the message; lines arriving next are orphans.
            file.orphanFrom = file.reader.lastMessageEndOffset
            add(result, of: file)
        } else if let from = file.orphanFrom, file.readOffset > from {
            reportOrphans(of: file, in: from..<file.readOffset)
            file.orphanFrom = file.readOffset
        }
    }

    /// Completes `file` because its writer closed it, unless that would hand its message
    /// out before a file opened earlier whose writer's close may have gone unseen (events
    /// were lost, or it was found by a scan) and that still awaits completion: then `file`
    /// completes by settle time like it, after it (one-message files stay in the order
    /// they were written).
    /// A file whose own close was deferred so blocks the files after it too: it completes
    /// by settle time or once the files before it completed, whichever comes first.
    func completeOnClose(_ file: FollowedFile) {
        for key in order {
            if key == file.key { break }
            guard let earlier = files[key], !earlier.isDraining, earlier.awaitsCompletion,
                earlier.closeMayBeUnseen || earlier.closeDeferred
            else { continue }
            file.closeDeferred = true
            return
        }
        complete(file)
    }

    /// Completes, in order, the files whose writer's close was deferred behind a file
    /// opened before them, up to the first file still awaiting completion by settle time.
    func completeDeferredCloses() {
        for key in order {
            guard !stopped, let file = files[key], !file.isDraining else { continue }
            if file.closeDeferred {
                if file.awaitsCompletion { complete(file) }
                file.closeDeferred = false
            } else if file.closeMayBeUnseen && file.awaitsCompletion {
                return
            }
        }
    }

    /// Reports the orphan segment lines in `range` of `file`, if any (blank lines,
    /// framing and envelope lines are not orphans). The bytes come from those last read
    /// when they are still held, else from the file (never from a file whose content was
    /// replaced).
    func reportOrphans(of file: FollowedFile, in range: Range<Int>) {
        guard !range.isEmpty else { return }
        if let bytes = file.recentBytes(in: range) {
            reportOrphanLines(Array(bytes), at: range.lowerBound, of: file)
            return
        }
        guard !file.contentReplaced else { return }
        var offset = range.lowerBound
        while offset < range.upperBound && !stopped {
            let end = min(range.upperBound, offset + Self.orphanWindow)
            let bytes: [UInt8]
            do {
                bytes = try file.handle.bytes(in: offset..<end, path: file.path)
            } catch {
                report(error)
                return
            }
            reportOrphanLines(bytes, at: offset, of: file)
            guard bytes.count == end - offset else { return }
            offset = end
        }
    }

    private func reportOrphanLines(_ bytes: [UInt8], at offset: Int, of file: FollowedFile) {
        guard let lines = OrphanLines.range(in: bytes) else { return }
        add(
            .orphanSegments(path: file.path, offset: offset + lines.lowerBound, bytes: Array(bytes[lines])),
            about: file)
    }

    /// Lets a rotated or deleted file go, read to its end: its last message completes as
    /// at the end of a file, whatever its last byte. `announce`: with a
    /// ``FeedEvent/closed(path:)`` (not for the copy of a copy-truncated file, whose path
    /// is still followed).
    func letGoOf(_ file: FollowedFile, announce: Bool = true) {
        file.reader.finish()
        drain(file)
        if let from = file.orphanFrom, file.readOffset > from {
            reportOrphans(of: file, in: from..<file.readOffset)
            file.orphanFrom = file.readOffset
        }
        guard !stopped else { return }
        if announce { add(.closed(path: file.path), about: file) }
        release(checkpoint(of: file))
        files[file.key] = nil
        order.removeAll { $0 == file.key }
    }

    /// Follows `file` (a copy holding the rest of a file's old content) until its end,
    /// then lets it go: while it is read, batches carry its checkpoint, so a restart
    /// in between resumes it.
    func readToEndAndLetGo(_ file: FollowedFile) {
        files[file.key] = file
        order.append(file.key)
        service(file)
        if !stopped { letGoOf(file, announce: false) }
    }

    /// Where a restart would resume `file`, with the signature of the bytes before it.
    func checkpoint(of file: FollowedFile) -> FollowerCheckpoint {
        let offset = file.checkpointOffset
        if let cached = file.signatureCache, cached.offset == offset {
            return FollowerCheckpoint(
                identity: file.identity, path: file.path, offset: offset, tail: cached.signature)
        }
        let window = TailSignature.window(endingAt: offset)
        var signature: [UInt8] = []
        if let bytes = file.recentBytes(in: window) {
            signature = TailSignature.of(bytes)
        } else if !file.contentReplaced, let bytes = try? file.handle.bytes(in: window, path: file.path),
            bytes.count == window.count
        {
            signature = TailSignature.of(bytes)
        }
        file.signatureCache = (offset, signature)
        return FollowerCheckpoint(identity: file.identity, path: file.path, offset: offset, tail: signature)
    }
}
