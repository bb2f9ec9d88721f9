import Glibc

/// `feeds.after_read`: a file fully read, quiet past the settle time, whose last
/// checkpoint the consumer acknowledged as committed, is deleted or moved away, and its
/// checkpoint released. A failure is reported once and retried at the next rescan; the
/// file is never read again for it.
extension FollowLoop {
    func actAfterRead() {
        guard settings.afterRead != .keep, !stopped else { return }
        let committed = ledger.committed
        let now = clock.now
        for key in order {
            guard !stopped, let file = files[key], file.isAtRest, !file.afterReadFailed, file.readOffset > 0,
                file.checkpointSequence <= committed, file.sentCheckpoint == checkpoint(of: file),
                now >= file.lastGrowth.advanced(by: settings.settle),
                let status = try? file.handle.status(path: file.path), status.size == file.readOffset,
                status.links > 0
            else { continue }
            switch finish(path: file.path, key: key, size: status.size, modified: nil) {
            case .done:
                addEvent(.closed(path: file.path))
                release(checkpoint(of: file))
                files[key] = nil
                order.removeAll { $0 == key }
                if activeByPath[file.path] == key { activeByPath[file.path] = nil }
            case .failed:
                file.afterReadFailed = true
            case .notNow:
                break
            }
        }
        for (key, asleep) in dormant where !asleep.afterReadFailed && asleep.sequence <= committed {
            guard !stopped, asleep.checkpoint.offset > 0,
                Self.age(ofModification: asleep.modified) >= settings.settle
            else { continue }
            switch finish(path: asleep.path, key: key, size: asleep.size, modified: asleep.modified) {
            case .done:
                addEvent(.closed(path: asleep.path))
                dormant[key] = nil
                if dormantByPath[asleep.path] == key { dormantByPath[asleep.path] = nil }
                release(asleep.checkpoint)
            case .failed:
                dormant[key]?.afterReadFailed = true
            case .notNow:
                break
            }
        }
    }

    /// Failed moves and deletions are tried again (at a rescan).
    func retryAfterReadFailures() {
        for key in order { files[key]?.afterReadFailed = false }
        for key in dormant.keys where dormant[key]?.afterReadFailed == true {
            dormant[key]?.afterReadFailed = false
        }
    }

    enum AfterReadOutcome { case done, failed, notNow }

    /// Deletes or moves the file at `path` when it is still the file read (`key`, `size`,
    /// and `modified` when given).
    private func finish(path: String, key: FileKey, size: Int, modified: Int?) -> AfterReadOutcome {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .notNow }
        let status = FeedFileStatus(info)
        guard FileKey(status) == key, status.size == size, modified.map({ $0 == status.modified }) ?? true
        else {
            if FileKey(status) == key, let asleep = dormant[key], !toWake.contains(key) {
                _ = asleep
                toWake.append(key)
            }
            return .notNow
        }
        switch settings.afterRead {
        case .keep:
            return .notNow
        case .delete:
            guard unlink(path) == 0 else {
                report(FollowerError(code: .delete, path: path, errorNumber: errno))
                return .failed
            }
            forgetErrors(about: path)
            return .done
        case .move(let folder):
            return move(path, into: folder)
        }
    }

    /// Renames `path` into `folder` without replacing anything there: a name taken gets
    /// `-1`, `-2`, ... before its extension.
    private func move(_ path: String, into folder: String) -> AfterReadOutcome {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let stem: Substring
        let suffix: Substring
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            stem = name[..<dot]
            suffix = name[dot...]
        } else {
            stem = name[...]
            suffix = ""
        }
        for attempt in 0..<10_000 {
            let candidate = attempt == 0 ? name : "\(stem)-\(attempt)\(suffix)"
            let target = FeedPatterns.path(candidate, in: folder)
            guard !patterns.matches(target) else {
                report(FollowerError(code: .move, path: path + " to " + folder, errorNumber: EINVAL))
                return .failed
            }
            // The folder is the service's own: a name free now stays free for the rename.
            // (renameat2's RENAME_NOREPLACE is not reachable from Swift's Glibc module, and
            // link(2) is refused for feed files the service may not write.)
            var existing = stat()
            if lstat(target, &existing) == 0 { continue }
            if errno != ENOENT {
                report(FollowerError(code: .move, path: path + " to " + folder, errorNumber: errno))
                return .failed
            }
            if rename(path, target) == 0 {
                forgetErrors(about: path + " to " + folder)
                return .done
            }
            let number = errno
            report(FollowerError(code: .move, path: path + " to " + folder, errorNumber: number))
            return .failed
        }
        report(FollowerError(code: .move, path: path + " to " + folder, errorNumber: EEXIST))
        return .failed
    }
}
