import Foundation

/// The dead-letter file: malformed messages and orphan segments, copied byte for byte
/// with a header line naming source, offset and reason, in the state directory, mode 0600.
///
/// Rotated by size: before a record would take `dead-letters.hl7` past
/// ``Rotation/maximumBytes``, the file becomes `dead-letters.hl7.1` (`.1` becomes `.2`,
/// and so on; the oldest beyond ``Rotation/keptFiles`` is removed). A record is never
/// split: one larger than the limit goes alone into a fresh file.
public final class DeadLetters: @unchecked Sendable {
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
    // Guarded by `lock`.
    private let lock = NSLock()
    private var rotation: Rotation

    /// Opens (creating, mode 0600) `dead-letters.hl7` in `directory`.
    ///
    /// - Throws: `CocoaError(.fileWriteNoPermission)` naming the path when it cannot be created.
    public init(directory: String, rotation: Rotation = Rotation()) throws {
        path = directory + "/dead-letters.hl7"
        self.rotation = rotation
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
        lock.lock()
        defer { lock.unlock() }
        self.rotation = rotation
    }

    /// The path of rotated file number `generation` (1 is the newest).
    public func rotatedPath(_ generation: Int) -> String {
        "\(path).\(generation)"
    }

    /// Appends one dead letter (rotating first when it would not fit).
    public func append(source: String, offset: Int, reason: String, bytes: [UInt8]) {
        let header = Array("# extravasd dead letter: \(source) offset \(offset): \(reason)\n".utf8)
        let record = header + bytes + [0x0A]
        lock.lock()
        defer { lock.unlock() }
        var descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_size > 0, Int(info.st_size) + record.count > rotation.maximumBytes {
            close(descriptor)
            rotate()
            descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { return }
        }
        defer { close(descriptor) }
        record.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return }
                written += count
            }
        }
    }

    /// Shifts `.N` to `.N+1` (dropping the oldest) and the current file to `.1`; with no
    /// rotated files kept, the current file is removed.
    private func rotate() {
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
