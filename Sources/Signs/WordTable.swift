/// A hash table from lower-cased words (byte strings) to small plain values, looked up
/// by bytes without allocating or reference counting: FNV-1a hashing, open
/// addressing, keys stored in one byte array.
struct WordTable<Value: BitwiseCopyable & Sendable>: Sendable {
    /// Per slot: the key's hash.
    private var hashes: [UInt64]
    /// Per slot: the key's offset in `keyBytes`.
    private var offsets: [Int32]
    /// Per slot: the key's length; 0 for an empty slot (keys are never empty).
    private var lengths: [Int32]
    /// Per slot: the value.
    private var values: [Value]
    /// The keys' bytes.
    private var keyBytes: [UInt8] = []
    /// The number of keys.
    private(set) var count = 0
    private let filler: Value

    /// An empty table; `filler` fills empty slots.
    init(filler: Value) {
        self.filler = filler
        hashes = Array(repeating: 0, count: 16)
        offsets = Array(repeating: 0, count: 16)
        lengths = Array(repeating: 0, count: 16)
        values = Array(repeating: filler, count: 16)
    }

    /// The FNV-1a offset basis: the hash of no bytes.
    @inline(__always)
    static var emptyHash: UInt64 { 0xcbf2_9ce4_8422_2325 }

    /// `hash` extended by one byte.
    @inline(__always)
    static func extend(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    /// The hash of `bytes`.
    @inline(__always)
    static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hash = emptyHash
        for byte in bytes { hash = extend(hash, byte) }
        return hash
    }

    @inline(__always)
    private static func slot(_ hash: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
    }

    /// The value stored for the word `bytes[start..<start + length]`, whose hash is
    /// `hash`.
    @inline(__always)
    func value(hash: UInt64, bytes: UnsafeBufferPointer<UInt8>, start: Int, length: Int) -> Value? {
        let mask = hashes.count - 1
        var index = WordTable.slot(hash, mask)
        while true {
            let keyLength = Int(lengths[index])
            if keyLength == 0 { return nil }
            if hashes[index] == hash && keyLength == length {
                let offset = Int(offsets[index])
                var same = true
                for position in 0..<length where keyBytes[offset + position] != bytes[start + position] {
                    same = false
                    break
                }
                if same { return values[index] }
            }
            index = (index + 1) & mask
        }
    }

    /// The value stored for `word`.
    func value(_ word: [UInt8]) -> Value? {
        word.withUnsafeBufferPointer {
            value(hash: WordTable.hash($0), bytes: $0, start: 0, length: $0.count)
        }
    }

    /// The value stored for `word`.
    func value(_ word: ArraySlice<UInt8>) -> Value? {
        value(Array(word))
    }

    /// Stores `value` for `word` (not empty), replacing any value there.
    mutating func set(_ word: [UInt8], _ value: Value) {
        guard !word.isEmpty else { return }
        if (count + 1) * 2 > hashes.count { grow() }
        let hash = WordTable.hash(word)
        let mask = hashes.count - 1
        var index = WordTable.slot(hash, mask)
        while lengths[index] != 0 {
            let offset = Int(offsets[index])
            if hashes[index] == hash && Int(lengths[index]) == word.count
                && keyBytes[offset..<offset + word.count].elementsEqual(word)
            {
                values[index] = value
                return
            }
            index = (index + 1) & mask
        }
        hashes[index] = hash
        offsets[index] = Int32(keyBytes.count)
        lengths[index] = Int32(word.count)
        values[index] = value
        keyBytes.append(contentsOf: word)
        count += 1
    }

    /// Every key and value.
    var pairs: [([UInt8], Value)] {
        hashes.indices.compactMap { index in
            let length = Int(lengths[index])
            guard length > 0 else { return nil }
            let offset = Int(offsets[index])
            return (Array(keyBytes[offset..<offset + length]), values[index])
        }
    }

    private mutating func grow() {
        let old = pairs
        let size = hashes.count * 2
        hashes = Array(repeating: 0, count: size)
        offsets = Array(repeating: 0, count: size)
        lengths = Array(repeating: 0, count: size)
        values = Array(repeating: filler, count: size)
        keyBytes = []
        count = 0
        for (key, value) in old { set(key, value) }
    }
}
