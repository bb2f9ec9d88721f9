import Foundation
import Synchronization
import Glibc

/// The dead-letter file: malformed messages and orphan segments, copied byte for byte
/// with a header line naming source, offset and reason, in the state directory, mode 0600.
///
/// Durable: ``write(_:)`` returns only once the records are on disk (the file fsynced,
/// and the directory too when the file was created or rotated), so the daemon commits
/// the checkpoint past them only then; a write that fails removes what it wrote of its
/// records and throws, and ``withdraw(_:)`` removes them again when the commit fails, so
/// a dead letter is neither lost nor repeated when the batch is read again.
///
/// Rotated by size: before a record would take `dead-letters.hl7` past
/// ``Rotation/maximumBytes``, the file becomes `dead-letters.hl7.1` (`.1` becomes `.2`,
/// and so on; the oldest beyond ``Rotation/keptFiles`` is removed). A record is never
/// split: one larger than the limit goes alone into a fresh file.
public final class DeadLetters: Sendable {
    /// When the file is rotated and how many rotated files are kept.
    public struct Rotation: Sendable, Hashable {
        /// The most bytes `dead-letters.hl7` grows to (`limits.dead_letter_max_bytes`).
        public var maximumBytes: Int
        /// Rotated files kept besides the current one (`limits.dead_letter_files`).
        public var keptFiles: Int

        /// Creates a rotation rule.
        public init(maximumBytes: Int = 16_777_216, keptFiles: Int = 4) {
            self.maximumBytes = max(1, maximumBytes)
            self.keptFiles = max(0, keptFiles)
        }
    }

    /// The current file's path.
    public let path: String
    /// What writes share: the rotation rule and whether the directory changed (the file
    /// created, rotated: fsynced at the next write). Writes run one at a time under it.
    private struct Guarded {
        var rotation: Rotation
        var directoryChanged = true
    }

    private let guarded: Mutex<Guarded>

    /// Opens (creating, mode 0600) `dead-letters.hl7` in `directory`.
    ///
    /// - Throws: `CocoaError(.fileWriteNoPermission)` naming the path when it cannot be created.
    public init(directory: String, rotation: Rotation = Rotation()) throws {
        path = directory + "/dead-letters.hl7"
        guarded = Mutex(Guarded(rotation: rotation))
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        // Created 0600 (the process umask cannot widen it); a file left by an older
        // version or an administrator may be wider: made private.
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_mode & 0o077 != 0 { fchmod(descriptor, 0o600) }
        close(descriptor)
    }

    /// Changes the rotation rule (a configuration reload); applies from the next record.
    public func setRotation(_ rotation: Rotation) {
        guarded.withLock { $0.rotation = rotation }
    }

    /// The path of rotated file number `generation` (1 is the newest).
    public func rotatedPath(_ generation: Int) -> String {
        "\(path).\(generation)"
    }

    /// Appends one dead letter durably (rotating first when it would not fit).
    ///
    /// - Throws: ``DeadLetterError`` when it cannot be written (nothing of it is left).
    public func append(source: String, offset: Int, reason: String, bytes: [UInt8]) throws(DeadLetterError) {
        _ = try write([DeadLetter(source: source, offset: offset, reason: reason, bytes: bytes)])
    }

    /// Appends `letters` in order (rotating before one that would not fit) and makes them
    /// durable: the file is fsynced, and the directory when a file was created or rotated.
    /// Returns what was written, for ``withdraw(_:)``.
    ///
    /// - Throws: ``DeadLetterError`` (`ENOSPC`, `EIO`...): what was written of `letters`
    ///   is truncated away again, so that the same letters can be written once more later.
    public func write(_ letters: [DeadLetter]) throws(DeadLetterError) -> DeadLetterReceipt {
        guard !letters.isEmpty else { return DeadLetterReceipt(files: []) }
        return try guarded.withLock { (shared) throws(DeadLetterError) in try write(letters, &shared) }
    }

    private func write(_ letters: [DeadLetter], _ shared: inout Guarded) throws(DeadLetterError)
        -> DeadLetterReceipt
    {
        // Every file written to, open until the end: its size before, to undo a failure.
        var files: [(descriptor: Int32, file: DeadLetterReceipt.File)] = []
        defer { for entry in files { close(entry.descriptor) } }
        func undo() {
            for entry in files {
                _ = ftruncate(entry.descriptor, off_t(entry.file.sizeBefore))
                _ = fsync(entry.descriptor)
            }
        }
        do throws(DeadLetterError) {
            var current = try openCurrent(&shared)
            files.append(current)
            var size = current.file.sizeBefore
            for letter in letters {
                let record = letter.record
                if size > 0 && size + record.count > shared.rotation.maximumBytes {
                    try sync(current.descriptor, path)
                    rotate(shared.rotation)
                    shared.directoryChanged = true
                    current = try openCurrent(&shared)
                    files.append(current)
                    size = current.file.sizeBefore
                }
                try writeAll(record, to: current.descriptor)
                size += record.count
            }
            try sync(current.descriptor, path)
            if shared.directoryChanged {
                let directory = open(
                    (path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                guard directory >= 0 else {
                    throw DeadLetterError(path: path, operation: "open the folder of", code: errno)
                }
                defer { close(directory) }
                try sync(directory, (path as NSString).deletingLastPathComponent)
                shared.directoryChanged = false
            }
        } catch {
            undo()
            throw error
        }
        return DeadLetterReceipt(files: files.map(\.file))
    }

    /// Removes the records `receipt` names (a batch whose commit failed, to be read again),
    /// from whichever of the current and rotated files now holds them. Best effort.
    public func withdraw(_ receipt: DeadLetterReceipt) {
        guard !receipt.files.isEmpty else { return }
        guarded.withLock { shared in withdraw(receipt, keptFiles: shared.rotation.keptFiles) }
    }

    private func withdraw(_ receipt: DeadLetterReceipt, keptFiles: Int) {
        let paths = [path] + (0..<(keptFiles + 1)).map { rotatedPath($0 + 1) }
        for candidate in paths {
            let descriptor = open(candidate, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            var info = stat()
            guard fstat(descriptor, &info) == 0,
                let file = receipt.files.first(where: {
                    $0.device == UInt64(info.st_dev) && $0.inode == UInt64(info.st_ino)
                }),
                Int(info.st_size) > file.sizeBefore
            else { continue }
            _ = ftruncate(descriptor, off_t(file.sizeBefore))
            _ = fsync(descriptor)
        }
    }

    /// Opens the current file for appending, creating it (mode 0600) when missing.
    private func openCurrent(_ shared: inout Guarded) throws(DeadLetterError) -> (
        descriptor: Int32, file: DeadLetterReceipt.File
    ) {
        var descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        if descriptor < 0 && errno == ENOENT {
            descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            shared.directoryChanged = true
        }
        guard descriptor >= 0 else { throw DeadLetterError(path: path, operation: "open", code: errno) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw DeadLetterError(path: path, operation: "stat", code: code)
        }
        return (
            descriptor,
            DeadLetterReceipt.File(
                device: UInt64(info.st_dev), inode: UInt64(info.st_ino), sizeBefore: Int(info.st_size))
        )
    }

    private func writeAll(_ record: [UInt8], to descriptor: Int32) throws(DeadLetterError) {
        var failure: Int32 = 0
        record.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    failure = count < 0 ? errno : EIO
                    return
                }
                written += count
            }
        }
        if failure != 0 { throw DeadLetterError(path: path, operation: "write", code: failure) }
    }

    private func sync(_ descriptor: Int32, _ name: String) throws(DeadLetterError) {
        while fsync(descriptor) != 0 {
            guard errno == EINTR else { throw DeadLetterError(path: name, operation: "fsync", code: errno) }
        }
    }

    /// Shifts `.N` to `.N+1` (dropping the oldest) and the current file to `.1`; with no
    /// rotated files kept, the current file is removed.
    private func rotate(_ rotation: Rotation) {
        guard rotation.keptFiles > 0 else {
            unlink(path)
            return
        }
        unlink(rotatedPath(rotation.keptFiles))
        for generation in stride(from: rotation.keptFiles - 1, through: 1, by: -1) {
            rename(rotatedPath(generation), rotatedPath(generation + 1))
        }
        rename(path, rotatedPath(1))
    }
}

/// One message (or run of orphan segment lines) set aside: where it was read, why, and
/// its bytes (of a message over the size limit, only its first 64 KiB).
public struct DeadLetter: Sendable, Hashable {
    /// The source, e.g. `file:/spool/feed.hl7:1234`.
    public var source: String
    /// Byte offset in the source.
    public var offset: Int
    /// Why it was set aside (never the message text).
    public var reason: String
    /// The bytes, as they were read.
    public var bytes: [UInt8]

    /// Creates a dead letter.
    public init(source: String, offset: Int, reason: String, bytes: [UInt8]) {
        self.source = source
        self.offset = offset
        self.reason = reason
        self.bytes = bytes
    }

    /// The record: a header line, the bytes, a line feed.
    var record: [UInt8] {
        Array("# extravasd dead letter: \(source) offset \(offset): \(reason)\n".utf8) + bytes + [0x0A]
    }
}

/// What one ``DeadLetters/write(_:)`` appended: per file written to, its size before.
public struct DeadLetterReceipt: Sendable, Hashable {
    /// A file written to, by device and inode (rotation renames it), and its size before.
    public struct File: Sendable, Hashable {
        /// The file's device.
        public var device: UInt64
        /// The file's inode.
        public var inode: UInt64
        /// Its size before the write (a withdrawn write truncates it back to this).
        public var sizeBefore: Int
    }

    /// The files written to, in order.
    public var files: [File]
}

/// A dead letter that could not be written: the path, what was done, and the `errno`.
public struct DeadLetterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or folder) involved.
    public var path: String
    /// What failed: `open`, `write`, `fsync`...
    public var operation: String
    /// The `errno` value (`ENOSPC`, `EIO`...).
    public var code: Int32

    /// Creates an error.
    public init(path: String, operation: String, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    /// `dead letters: cannot write /var/lib/extravasd/dead-letters.hl7: No space left on device (errno 28)`.
    public var description: String {
        "dead letters: cannot \(operation) \(path): \(String(cString: strerror(code))) (errno \(code))"
    }
}
