/// How keys that keep the hash of their parts (``PatientKey``, ``MessageIdentity``) give
/// a table its hash value.
///
/// A `Dictionary` or `Set` asks each key for `_rawHashValue(seed:)`; by default that
/// seeds a `Hasher` (SipHash), feeds it `hash(into:)` and finalizes it, which costs more
/// than the lookup itself when the key already holds a well-mixed hash of its parts
/// (made by a `Hasher`, so randomly seeded per process). The parts' hash is mixed with
/// the table's seed instead, with a multiply-xorshift finalizer: every bit of both
/// reaches every bit of the result, so tables seeded differently still order keys
/// differently. `hash(into:)` is unchanged (it still feeds the parts' hash).
@usableFromInline
enum PartsHash {
    /// The parts' hash mixed with a table's seed.
    @inlinable @inline(__always)
    static func mix(_ partsHash: Int, seed: Int) -> Int {
        var value =
            UInt64(truncatingIfNeeded: partsHash)
            ^ (UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15)
        value = (value ^ (value >> 32)) &* 0xD6E8_FEB8_6659_FD93
        value = (value ^ (value >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return Int(truncatingIfNeeded: value ^ (value >> 32))
    }
}
