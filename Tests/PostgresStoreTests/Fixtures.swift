import StateStore

/// Values used across the store tests.
enum Fixtures {
    static func identity(_ inode: UInt64, device: UInt64 = 2049, fingerprint: String = "MSH|^~\\&|LAB")
        -> FileIdentity
    {
        FileIdentity(device: device, inode: inode, fingerprint: Array(fingerprint.utf8))
    }

    static func checkpoint(_ inode: UInt64, path: String, offset: Int, fingerprint: String = "MSH|^~\\&|LAB")
        -> FileCheckpoint
    {
        FileCheckpoint(identity: identity(inode, fingerprint: fingerprint), path: path, offset: offset)
    }

    /// When delivered alerts were written (microseconds since the epoch).
    static let writtenAt: Int64 = 1_780_000_000_000_000

    static func alert(_ id: String) -> OutboxEntry {
        OutboxEntry(alertID: id, payload: Array("MESSAGE=alert \(id)\nEXTRAVASD_ALERT_ID=\(id)\n".utf8))
    }

    static func bytes(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }
}
