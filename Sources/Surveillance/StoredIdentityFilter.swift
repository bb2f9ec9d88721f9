import ClinicalEvents

/// A Bloom filter of the processed message identities the store may hold and the engine
/// does not: a new message's identity (almost always new) is then told apart from a
/// resend without reading the store; only a possible match (a resend, or about one in a
/// thousand new ones) is looked up. It never says "not stored" of a stored identity, so
/// duplicates are caught exactly.
///
/// It holds about 16 bits per identity, sized when built from the identities stored then
/// (``PagedStateSource/forEachStoredIdentity(_:)``) with room for as many more; identities
/// the engine lets go of are added. Identities pruned from the store stay in it (a
/// possible match that the store then denies) until it is rebuilt, which happens when
/// it holds more than it was sized for. Hashes are the process's own (`Hasher`): the
/// filter is never stored.
struct StoredIdentityFilter: Sendable {
    private var bits: [UInt64]
    /// How many identities were added.
    private(set) var count = 0
    /// How many it was sized for (past it, false matches grow: rebuild).
    let capacity: Int
    private static let hashes = 5

    /// An empty filter sized for `capacity` identities (at least 1,024).
    init(capacity: Int) {
        self.capacity = max(1_024, capacity)
        bits = Array(repeating: 0, count: (self.capacity * 16 + 63) / 64)
    }

    /// Whether it is past the size it was built for.
    var isFull: Bool { count > capacity }

    /// Adds `identity`.
    mutating func insert(_ identity: MessageIdentity) {
        count += 1
        let bitCount = UInt64(bits.count * 64)
        var (first, second) = Self.hashPair(identity)
        for _ in 0..<Self.hashes {
            let bit = first % bitCount
            bits[Int(bit / 64)] |= 1 << (bit % 64)
            first &+= second
        }
    }

    /// Whether `identity` may have been added (`false`: it was not).
    func mayContain(_ identity: MessageIdentity) -> Bool {
        let bitCount = UInt64(bits.count * 64)
        var (first, second) = Self.hashPair(identity)
        for _ in 0..<Self.hashes {
            let bit = first % bitCount
            if bits[Int(bit / 64)] & (1 << (bit % 64)) == 0 { return false }
            first &+= second
        }
        return true
    }

    /// Two hashes of `identity` for double hashing (the second odd).
    private static func hashPair(_ identity: MessageIdentity) -> (UInt64, UInt64) {
        let hash = UInt64(bitPattern: Int64(identity.hashValue))
        var mixed = hash &* 0x9E37_79B9_7F4A_7C15
        mixed ^= mixed >> 29
        mixed &*= 0xBF58_476D_1CE4_E5B9
        return (hash, (mixed ^ (mixed >> 32)) | 1)
    }
}
