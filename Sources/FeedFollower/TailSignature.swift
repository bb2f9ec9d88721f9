/// A signature of the bytes just before an offset of a file: the last up to
/// ``windowLength`` bytes before it, digested.
///
/// The fingerprint of a file's first bytes cannot tell a file from another that has its
/// inode and begins alike (an inode reused while the service was down by a file with the
/// same header; a file rewritten with a same-sized content that starts the same): the
/// bytes before the offset reached can. A window of 4 KiB holds at least the end of the
/// last message read, with its own `MSH` (control id, time) in most feeds, so two
/// different files agree on it only when they hold the same messages there.
///
/// The signature is 12 bytes: the window's length (UInt32, little-endian), then the
/// 64-bit FNV-1a digest of the window (little-endian). An empty signature means
/// "unknown" (a checkpoint from before signatures were kept, or at offset 0) and matches
/// any content.
public enum TailSignature {
    /// How many bytes before the offset are digested at most: 4096.
    public static let windowLength = 4096

    /// The range of bytes a signature at `offset` covers.
    public static func window(endingAt offset: Int) -> Range<Int> {
        max(0, offset - windowLength)..<max(0, offset)
    }

    /// The signature of `window` (the bytes of ``window(endingAt:)``); empty for no bytes.
    public static func of<Bytes: Collection>(_ window: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        guard !window.isEmpty else { return [] }
        var digest: UInt64 = 0xcbf2_9ce4_8422_2325
        let contiguous = window.withContiguousStorageIfAvailable { bytes in
            var digest = digest
            for index in 0..<bytes.count {
                digest ^= UInt64(bytes[index])
                digest &*= 0x0000_0100_0000_01b3
            }
            return digest
        }
        if let contiguous {
            digest = contiguous
        } else {
            for byte in window {
                digest ^= UInt64(byte)
                digest &*= 0x0000_0100_0000_01b3
            }
        }
        var signature: [UInt8] = []
        signature.reserveCapacity(12)
        let length = UInt32(window.count)
        for shift in stride(from: 0, to: 32, by: 8) {
            signature.append(UInt8(truncatingIfNeeded: length >> UInt32(shift)))
        }
        for shift in stride(from: 0, to: 64, by: 8) {
            signature.append(UInt8(truncatingIfNeeded: digest >> UInt64(shift)))
        }
        return signature
    }

    /// Whether `signature` (possibly empty: unknown) matches the bytes `window`.
    public static func matches<Bytes: Collection>(_ signature: [UInt8], _ window: Bytes) -> Bool
    where Bytes.Element == UInt8 {
        signature.isEmpty || signature == of(window)
    }
}
