import HL7

/// Reading a followed file: new bytes, truncation, completion by settle time or
/// close-write, orphan segment lines, letting a rotated file go.
extension FollowLoop {
    /// The most bytes of orphan lines reported in one event.
    static let orphanWindow = 1 << 20

    /// Checks `file` for truncation or rewrite, then reads it to its end and hands out the
    /// messages that completed. Returns whether it grew.
    @discardableResult
    func service(_ file: FollowedFile) -> Bool {
        guard !stopped else { return false }
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
        if status.size < file.readOffset || !head.starts(with: file.identity.fingerprint) {
            // Shrunk below what was read, or its first bytes changed: read it again from its start.
            add(.truncated(path: file.path), about: file)
            file.restart(fingerprint: head, limits: settings.limits)
        } else {
            file.identity.fingerprint = head
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
            chunk.withUnsafeBytes { file.reader.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            file.readOffset += count
            file.lastByte = chunk[count - 1]
            grew = true
            drain(file)
        }
        if grew { file.lastGrowth = clock.now }
        return grew
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

    /// Reports the orphan segment lines in `range` of `file`, if any (blank lines,
    /// framing and envelope lines are not orphans).
    func reportOrphans(of file: FollowedFile, in range: Range<Int>) {
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
            if let lines = OrphanLines.range(in: bytes) {
                add(
                    .orphanSegments(
                        path: file.path, offset: offset + lines.lowerBound, bytes: Array(bytes[lines])),
                    about: file)
            }
            guard bytes.count == end - offset else { return }
            offset = end
        }
    }

    /// Lets a rotated or deleted file go, read to its end: its last message completes as
    /// at the end of a file, whatever its last byte.
    func letGoOf(_ file: FollowedFile) {
        file.reader.finish()
        drain(file)
        if let from = file.orphanFrom, file.readOffset > from {
            reportOrphans(of: file, in: from..<file.readOffset)
            file.orphanFrom = file.readOffset
        }
        guard !stopped else { return }
        add(.closed(path: file.path), about: file)
        batch.released.append(file.checkpoint)
        files[file.key] = nil
        order.removeAll { $0 == file.key }
    }
}
