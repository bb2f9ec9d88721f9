import Glibc
import Synchronization

/// Every write of extravasd to standard output (fd 1) and standard error (fd 2): `write(2)`
/// in a loop, again on `EINTR`. A reader that has gone (`EPIPE`: `extravasd replay big.hl7
/// | head -1`, a daemon whose stderr pipe was closed) ends the writing to that descriptor
/// silently: remembered, later writes to it are dropped, and the command goes on and
/// ends cleanly. SIGPIPE is ignored process-wide (the entry point, as SwiftNIO does), so a
/// closed reader shows here as `EPIPE`, never as a signal or a trap (corelibs Foundation's
/// `FileHandle.write(_:)` traps on it: never used for these descriptors).
public enum StandardStreams {
    /// Bit `1 << descriptor` set once the reader of fd 1 or 2 has gone.
    private static let gone = Atomic<UInt8>(0)

    /// Writes `text` on standard error as is (add the newline).
    public static func writeError(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0), to: 2) }
    }

    /// Writes `text` and a newline on standard output (what `print` did).
    public static func printLine(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { write(UnsafeRawBufferPointer($0), to: 1) }
    }

    /// Whether the reader of `descriptor` (1 or 2) has gone: writes to it are dropped.
    public static func readerHasGone(_ descriptor: Int32) -> Bool {
        guard let bit = bit(descriptor) else { return false }
        return gone.load(ordering: .relaxed) & bit != 0
    }

    /// Writes all of `bytes` to `descriptor`, again on `EINTR`. Returns `false`, writing
    /// nothing more, once the reader has gone (`EPIPE`, remembered for fds 1 and 2) or on
    /// another error.
    @discardableResult
    public static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
        if readerHasGone(descriptor) { return false }
        guard let base = bytes.baseAddress else { return true }
        var start = 0
        while start < bytes.count {
            let written = Glibc.write(descriptor, base + start, bytes.count - start)
            if written < 0 {
                let error = errno
                if error == EINTR { continue }
                if error == EPIPE, let bit = bit(descriptor) { gone.bitwiseOr(bit, ordering: .relaxed) }
                return false
            }
            start += written
        }
        return true
    }

    private static func bit(_ descriptor: Int32) -> UInt8? {
        descriptor == 1 || descriptor == 2 ? 1 << UInt8(descriptor) : nil
    }
}
