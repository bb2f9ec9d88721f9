import Glibc

/// A buffered writer to a file descriptor (standard output by default), for outputs
/// of many lines: bytes are collected and written in large `write(2)` calls
/// (``StandardStreams/write(_:to:)``). Once its reader has gone (`EPIPE`), nothing more is
/// collected or written, and the command goes on to a clean end.
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
        if readerHasGone { return }
        buffer.append(contentsOf: bytes)
        if buffer.count >= threshold { flush() }
    }

    /// Appends text, flushing when the buffer is full.
    public func write(_ text: String) {
        if readerHasGone { return }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= threshold { flush() }
    }

    /// Whether the descriptor's reader has gone (a closed pipe): writes are dropped.
    public private(set) var readerHasGone = false

    /// Writes out everything held. A closed pipe (EPIPE) ends quietly: remembered, and
    /// everything written later is dropped.
    public func flush() {
        let written = buffer.withUnsafeBytes { StandardStreams.write($0, to: descriptor) }
        if !written && (errno == EPIPE || StandardStreams.readerHasGone(descriptor)) { readerHasGone = true }
        buffer.removeAll(keepingCapacity: !readerHasGone)
    }
}
