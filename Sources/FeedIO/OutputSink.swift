import Glibc

/// A buffered writer to a file descriptor (standard output by default), for outputs
/// of many lines: bytes are collected and written in large `write(2)` calls.
public final class OutputSink {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let threshold: Int

    /// Creates a writer on `descriptor` that flushes once `threshold` bytes are held.
    public init(descriptor: Int32 = 1, threshold: Int = 64 * 1024) {
        self.descriptor = descriptor
        self.threshold = threshold
        buffer.reserveCapacity(threshold + 4096)
    }

    deinit { flush() }

    /// Appends bytes, flushing when the buffer is full.
    public func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= threshold { flush() }
    }

    /// Appends text, flushing when the buffer is full.
    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= threshold { flush() }
    }

    /// Writes out everything held. A closed pipe (EPIPE) ends quietly.
    public func flush() {
        var start = 0
        buffer.withUnsafeBytes { bytes in
            while start < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + start, bytes.count - start)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                start += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
