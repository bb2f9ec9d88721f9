/// A small, fast, deterministic pseudo-random number generator (xoshiro256**, seeded
/// through SplitMix64).
///
/// The same seed yields the same sequence on every platform and every run: nothing
/// here depends on the system's random source, the clock or hashing seeds. It is not
/// cryptographically secure and must never be used for secrets.
public struct SeededRandom: Sendable, RandomNumberGenerator {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&x)
        s1 = splitMix(&x)
        s2 = splitMix(&x)
        s3 = splitMix(&x)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// Returns the next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Returns an integer in `0..<bound` (`0` when `bound` is not positive).
    @inline(__always)
    public mutating func below(_ bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Returns an integer in `low...high` (inclusive); `low` when `high < low`.
    @inline(__always)
    public mutating func between(_ low: Int, _ high: Int) -> Int {
        guard high > low else { return low }
        return low + below(high - low + 1)
    }

    /// Returns a 64-bit integer in `low...high` (inclusive); `low` when `high < low`.
    @inline(__always)
    public mutating func between(_ low: Int64, _ high: Int64) -> Int64 {
        guard high > low else { return low }
        return low + Int64(below(Int(high - low + 1)))
    }

    /// Returns a double in `0 ..< 1` with 53 random bits.
    @inline(__always)
    public mutating func unit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Returns `true` with probability `probability` (clamped to 0...1).
    @inline(__always)
    public mutating func chance(_ probability: Double) -> Bool {
        if probability <= 0 { return false }
        if probability >= 1 { return true }
        return unit() < probability
    }

    /// Picks an index according to integer `weights` (all zero or empty: `0`).
    public mutating func weighted(_ weights: [Int]) -> Int {
        var total = 0
        for w in weights { total += max(w, 0) }
        guard total > 0 else { return 0 }
        var r = below(total)
        for (i, w) in weights.enumerated() where w > 0 {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }
}
