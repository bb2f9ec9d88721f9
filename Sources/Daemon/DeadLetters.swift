import Foundation

/// The dead-letter file: malformed messages and orphan segments, copied byte for byte
/// with a header line naming source, offset and reason, in the state directory, mode 0600.
public final class DeadLetters: @unchecked Sendable {
    /// The file's path.
    public let path: String
    private let lock = NSLock()

    /// Opens (creating, mode 0600) `dead-letters.hl7` in `directory`.
    public init(directory: String) throws {
        path = directory + "/dead-letters.hl7"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        fchmod(descriptor, 0o600)
        close(descriptor)
    }

    /// Appends one dead letter.
    public func append(source: String, offset: Int, reason: String, bytes: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let header = Array("# extravasd dead letter: \(source) offset \(offset): \(reason)\n".utf8)
        let record = header + bytes + [0x0A]
        record.withUnsafeBytes { _ = write(descriptor, $0.baseAddress, $0.count) }
    }
}
