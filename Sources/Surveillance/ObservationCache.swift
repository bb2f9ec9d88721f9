import ClinicalEvents
import HL7
import Signs
import Sites

/// A table from byte strings to values, for caches keyed by raw message bytes: a key
/// is looked up from a buffer in place (hashed a word at a time, compared against a
/// copy kept in one byte arena), so a lookup builds no Array or String and makes no
/// allocation. Open addressing with linear probing, at most half full. The hash is
/// seeded per table, so crafted input cannot aim at collisions. A key may carry a tag
/// besides its bytes (e.g. the index of another table's entry), so a key made of two
/// parts is looked up without copying them together.
struct ByteTable<Value: Sendable>: Sendable {
    /// Where a key lies in the arena, with its hash and tag: what a probe compares,
    /// kept apart from the values so that a probe reads no value.
    private struct Key: Sendable {
        var hash: UInt64
        var start: Int
        var count: Int
        var tag: Int
    }

    /// Entry index per slot, -1 when the slot is free; the count is a power of two.
    private var slots: [Int32] = Array(repeating: -1, count: 64)
    /// The entries' keys, by entry index.
    private var keys: [Key] = []
    /// The entries' values, by entry index.
    private var values: [Value] = []
    /// The keys' bytes, one after another.
    private var arena: [UInt8] = []
    private let seed = UInt64.random(in: .min ... .max)

    /// How many keys the table holds.
    var count: Int { keys.count }

    /// What one key costs besides its bytes: its entry and its share of the slots.
    static var entryCost: Int {
        MemoryLayout<Key>.stride + MemoryLayout<Value>.stride + 2 * MemoryLayout<Int32>.stride
    }

    /// The bytes the table's keys take (their bytes, entries and slots).
    var byteCount: Int { arena.count + keys.count * Self.entryCost }

    /// The value of the key `key` (with `tag`), if present.
    func value(for key: UnsafeBufferPointer<UInt8>, tag: Int = 0) -> Value? {
        guard let index = index(for: key, tag: tag) else { return nil }
        return values[index]
    }

    /// The entry of the key `key` (with `tag`), if present: its position (stable until
    /// ``removeAll()``) and value.
    func entry(for key: UnsafeBufferPointer<UInt8>, tag: Int = 0) -> (index: Int, value: Value)? {
        guard let index = index(for: key, tag: tag) else { return nil }
        return (index, values[index])
    }

    /// The value at position `index` (from ``index(for:tag:)``), read in place.
    subscript(index: Int) -> Value {
        _read { yield values[index] }
    }

    /// The position of the key `key` (with `tag`), if present (stable until ``removeAll()``).
    func index(for key: UnsafeBufferPointer<UInt8>, tag: Int = 0) -> Int? {
        let hash = Self.hash(key, seed: seed ^ UInt64(truncatingIfNeeded: tag))
        return slots.withUnsafeBufferPointer { slots in
            keys.withUnsafeBufferPointer { keys in
                arena.withUnsafeBufferPointer { arena in
                    let mask = slots.count - 1
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let index = Int(slots[slot])
                        if index < 0 { return nil }
                        let stored = keys[index]
                        if stored.hash == hash && stored.count == key.count && stored.tag == tag
                            && Self.equal(
                                UnsafeBufferPointer(
                                    rebasing: arena[stored.start..<stored.start + stored.count]),
                                key)
                        {
                            return index
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// Adds `value` under `key` with `tag` (which must not be present yet).
    mutating func insert(_ value: Value, for key: UnsafeBufferPointer<UInt8>, tag: Int = 0) {
        if (keys.count + 1) * 2 > slots.count { grow() }
        let hash = Self.hash(key, seed: seed ^ UInt64(truncatingIfNeeded: tag))
        keys.append(Key(hash: hash, start: arena.count, count: key.count, tag: tag))
        values.append(value)
        arena.append(contentsOf: key)
        place(keys.count - 1, hash: hash)
    }

    /// Removes every key, keeping the storage.
    mutating func removeAll() {
        for index in slots.indices { slots[index] = -1 }
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
    }

    private mutating func place(_ index: Int, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(index)
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        for index in keys.indices { place(index, hash: keys[index].hash) }
    }

    /// Whether `first` and `second` (of the same count) hold the same bytes, compared
    /// eight bytes at a time.
    static func equal(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = second.count
        guard count > 0 else { return true }
        let left = UnsafeRawPointer(first.baseAddress!)
        let right = UnsafeRawPointer(second.baseAddress!)
        var offset = 0
        while offset + 8 <= count {
            if left.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                != right.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            {
                return false
            }
            offset += 8
        }
        return tail(left + offset, count - offset) == tail(right + offset, count - offset)
    }

    /// The last `count` (0 to 7) bytes at `bytes` as one word (loaded 4, 2 and 1 at a time).
    @inline(__always)
    private static func tail(_ bytes: UnsafeRawPointer, _ count: Int) -> UInt64 {
        var word: UInt64 = 0
        var offset = 0
        if count & 4 != 0 {
            word = UInt64(bytes.loadUnaligned(as: UInt32.self))
            offset = 4
        }
        if count & 2 != 0 {
            word = word << 16 | UInt64(bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            offset += 2
        }
        if count & 1 != 0 { word = word << 8 | UInt64(bytes.load(fromByteOffset: offset, as: UInt8.self)) }
        return word
    }

    /// A 64-bit hash of `bytes`, eight bytes at a time (multiply-xorshift mixing).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        let count = bytes.count
        var hash = seed ^ (UInt64(count) &* 0x9E37_79B9_7F4A_7C15)
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            var offset = 0
            while offset + 8 <= count {
                hash =
                    (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                    &* 0xBF58_476D_1CE4_E5B9
                hash ^= hash >> 31
                offset += 8
            }
            hash ^= tail(raw + offset, count - offset)
        }
        hash = hash &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 29
        hash = hash &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 32
        return hash
    }
}

/// What the engine reads from an observation's identifier (OBX-3) and value type
/// (OBX-2) alone, whatever its value.
struct IdentifierFacts: Sendable {
    /// The analyte and configured unit when OBX-3 names one that makes risk factors
    /// (by configured code, else by name); `nil` when the observation is no lab result.
    var analyte: (analyte: Analyte, unit: LabUnit?)?
    /// Whether OBX-3 names an imaging study.
    var namesImaging: Bool
    /// Whether OBX-3 makes the observation a lab result, never read for signs: a
    /// configured lab code (`labs.codes`), or a LOINC code whose text names a specimen
    /// ("... in Serum", "Color of Urine").
    var isLabResult = false
    /// Whether OBX-3 names an IV, catheter, line or infusion-site assessment
    /// (``SignRecognizer/namesVascularAccess(_:)``).
    var namesVascularAccess = false
    /// The row's reading when it does not depend on the values (see
    /// `SignRecognizer.readsValues`); `nil` when the values must be read.
    var fixedRow: ObservationRow?
}

/// What the engine reads from one observation row (OBX-2, OBX-3, OBX-5): the facts of
/// its identifier, its sign reading and, for a site-location observation, the site its
/// value names. Immutable and shared by reference, so a cache hit copies nothing.
final class ObservationRow: Sendable {
    /// See ``IdentifierFacts/analyte``.
    let analyte: (analyte: Analyte, unit: LabUnit?)?
    /// See ``IdentifierFacts/namesImaging``.
    let namesImaging: Bool
    /// See ``IdentifierFacts/isLabResult``.
    let isLabResult: Bool
    /// See ``IdentifierFacts/namesVascularAccess``.
    let namesVascularAccess: Bool
    /// The sign reading.
    let reading: ObservationReading
    /// The site named by a site-location observation's value (OBX-5).
    let namedSite: CanonicalSite?
    /// The side named by an orientation observation's value ("Left").
    let namedSide: Laterality?
    /// Whether the reading asserts nothing the engine acts on (no sign, calcinosis
    /// finding, line removal or site location): most observations.
    let saysNothing: Bool

    init(
        facts: IdentifierFacts, reading: ObservationReading, namedSite: CanonicalSite?,
        namedSide: Laterality? = nil
    ) {
        analyte = facts.analyte
        namesImaging = facts.namesImaging
        isLabResult = facts.isLabResult
        namesVascularAccess = facts.namesVascularAccess
        self.reading = reading
        self.namedSite = namedSite
        self.namedSide = namedSide
        saysNothing =
            reading.signs.isEmpty && !reading.calcinosisFinding && !reading.isLineRemoval
            && !reading.isSiteLocation
    }
}

/// Saved work on observations: the engine's readings are pure functions of a few
/// OBX fields, and a feed repeats the same identifiers (and mostly the same values)
/// all day. Keyed by the fields' raw bytes (the identifier's looked up where they lie
/// in the message; no String is made); the delimiters decide how those bytes decode,
/// so the cache holds keys of one set of delimiters at a time and starts over when a
/// message uses another. Not state: bounded by bytes (a key holds OBX-5, which may be
/// as long as a field may be), cleared when full, and rebuilt when the settings change.
struct ObservationCache: Sendable {
    /// The most bytes each table's keys take by default (see ``ByteTable/byteCount``).
    static let defaultByteLimit = 1 << 20

    /// Facts by OBX-2 and OBX-3 (the bytes from OBX-2 to the end of OBX-3).
    private var facts = ByteTable<IdentifierFacts>()
    /// Rows by OBX-2, OBX-3 and OBX-5 (OBX-5's bytes, tagged with the position of the
    /// facts of OBX-2 and OBX-3 in `facts`: no key is copied together), of rows whose
    /// reading depends on OBX-5. Emptied whenever `facts` is, so no tag outlives its facts.
    private var rows = ByteTable<ObservationRow>()
    /// Observation keys (``MessagePreparer/observationKey(_:)``) by the bytes of OBX-3
    /// and OBX-4.
    private var observationKeys = ByteTable<String>()
    /// Sites an OBX names in one field, by the field's bytes tagged with the field (see
    /// ``SiteField``).
    private var sites = ByteTable<CanonicalSite?>()

    /// A field of an OBX that may name a site, read as ``MessagePreparer/observedSite(_:namedSites:bytes:)`` reads it.
    enum SiteField: Int {
        /// OBX-20 as a coded value.
        case bodySite = 20
        /// The text of OBX-3.
        case identifier = 3
        /// The first OBX-5 repetition whose text names a site.
        case values = 5
    }
    /// The delimiters of the messages whose keys the tables hold.
    private var delimiters: Delimiters? = nil
    /// The most bytes each table's keys take: a key that would take a table past it
    /// empties that table first.
    let byteLimit: Int

    init(byteLimit: Int = ObservationCache.defaultByteLimit) { self.byteLimit = byteLimit }

    /// The bytes the tables' keys take.
    var byteCount: Int { facts.byteCount + rows.byteCount + observationKeys.byteCount + sites.byteCount }

    /// Empties the cache.
    mutating func removeAll() {
        facts.removeAll()
        rows.removeAll()
        observationKeys.removeAll()
        sites.removeAll()
    }

    /// The site `field` of an OBX names, when the same bytes were read before (the
    /// outer optional: whether they were). `bytes` are its message's, whose delimiters
    /// were given to ``prepare(for:)``.
    func site(_ field: SiteField, of obx: Segment, bytes: [UInt8]) -> CanonicalSite?? {
        let range = obx.fieldRange(field.rawValue)
        return bytes.withUnsafeBufferPointer { bytes in
            let key = UnsafeBufferPointer(rebasing: bytes[range])
            guard let index = sites.index(for: key, tag: field.rawValue) else { return nil }
            return .some(sites[index])
        }
    }

    /// Saves the site `field` of an OBX names (see ``site(_:of:bytes:)``).
    mutating func store(_ site: CanonicalSite?, _ field: SiteField, of obx: Segment, bytes: [UInt8]) {
        let range = obx.fieldRange(field.rawValue)
        bytes.withUnsafeBufferPointer { bytes in
            let key = UnsafeBufferPointer(rebasing: bytes[range])
            if sites.byteCount + key.count + ByteTable<CanonicalSite?>.entryCost > byteLimit {
                sites.removeAll()
            }
            sites.insert(site, for: key, tag: field.rawValue)
        }
    }

    /// The observation key of an OBX (OBX-3 and OBX-4, see
    /// ``MessagePreparer/observationKey(_:)``), from the cache when the same bytes
    /// were read before, else `make()`. `bytes` are its message's, whose delimiters were
    /// given to ``prepare(for:)``.
    mutating func observationKey(_ obx: Segment, bytes: [UInt8], make: () -> String) -> String {
        let identifier = obx.fieldRange(3)
        let range = identifier.lowerBound..<max(obx.fieldRange(4).upperBound, identifier.upperBound)
        return bytes.withUnsafeBufferPointer { bytes in
            let key = UnsafeBufferPointer(rebasing: bytes[range])
            if let known = observationKeys.value(for: key) { return known }
            let made = make()
            if observationKeys.byteCount + key.count + ByteTable<String>.entryCost > byteLimit {
                observationKeys.removeAll()
            }
            observationKeys.insert(made, for: key)
            return made
        }
    }

    /// The bytes of OBX-2 and OBX-3 as they lie in the message (the field separator
    /// between them; OBX-2 alone when OBX-3 is not sent). Fields never hold the field
    /// separator, so the bytes tell the fields apart.
    private static func identifierKey(_ obx: Segment) -> Range<Int> {
        let type = obx.fieldRange(2)
        return type.lowerBound..<max(obx.fieldRange(3).upperBound, type.upperBound)
    }

    /// The row saved for OBX-5's bytes under the facts at `factsIndex` (OBX-4, between
    /// OBX-3 and OBX-5, does not change the reading: left out).
    private func row(_ obx: Segment, factsIndex: Int, bytes: UnsafeBufferPointer<UInt8>) -> ObservationRow? {
        rows.value(for: UnsafeBufferPointer(rebasing: bytes[obx.fieldRange(5)]), tag: factsIndex)
    }

    /// Calls `body` with the OBX's message bytes, after emptying the tables when the
    /// message's delimiters are not those of the keys they hold.
    private mutating func withBytes<Result>(
        of obx: Segment, _ body: (inout Self, UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        let text = obx.message
        let messageDelimiters = text.delimiters
        if delimiters != messageDelimiters {
            removeAll()
            delimiters = messageDelimiters
        }
        return text.bytes.withUnsafeBufferPointer { body(&self, $0) }
    }

    /// What the cache knows of an OBX: its row, else the facts of its identifier, else nothing.
    enum Lookup {
        /// The row (a fixed row of the identifier's facts, or a row saved for these values).
        case row(ObservationRow)
        /// The identifier's facts, whose reading depends on the values (not saved for these).
        case facts(IdentifierFacts)
        /// Nothing saved for this identifier.
        case unknown
    }

    /// Makes the cache ready for the OBX of a message with `delimiters`: empties the
    /// tables when they hold keys of other delimiters. Call it before
    /// ``lookup(_:bytes:)`` for each message.
    mutating func prepare(for messageDelimiters: Delimiters) {
        if delimiters != messageDelimiters {
            removeAll()
            delimiters = messageDelimiters
        }
    }

    /// Looks the OBX up: the facts of its identifier first, since most rows' readings
    /// do not depend on their values (their fixed row is the answer); only then the
    /// row saved for its values. `bytes` are its message's, whose delimiters were given
    /// to ``prepare(for:)``.
    func lookup(_ obx: Segment, bytes: [UInt8]) -> Lookup {
        let identifierKey = Self.identifierKey(obx)
        return bytes.withUnsafeBufferPointer { bytes in
            let identifier = UnsafeBufferPointer(rebasing: bytes[identifierKey])
            guard let index = facts.index(for: identifier) else { return .unknown }
            if let fixed = facts[index].fixedRow { return .row(fixed) }
            if let row = rows.value(for: UnsafeBufferPointer(rebasing: bytes[obx.fieldRange(5)]), tag: index)
            {
                return .row(row)
            }
            return .facts(facts[index])
        }
    }

    /// The facts saved for this OBX's OBX-2 and OBX-3, if any.
    mutating func facts(_ obx: Segment) -> IdentifierFacts? {
        let key = Self.identifierKey(obx)
        return withBytes(of: obx) { cache, bytes in
            cache.facts.value(for: UnsafeBufferPointer(rebasing: bytes[key]))
        }
    }

    /// The row saved for this OBX's OBX-2, OBX-3 and OBX-5, if any.
    mutating func row(_ obx: Segment) -> ObservationRow? {
        let key = Self.identifierKey(obx)
        return withBytes(of: obx) { cache, bytes in
            let identifier = UnsafeBufferPointer(rebasing: bytes[key])
            guard let known = cache.facts.entry(for: identifier) else { return nil }
            return cache.row(obx, factsIndex: known.index, bytes: bytes)
        }
    }

    /// Saves the facts of this OBX's OBX-2 and OBX-3.
    mutating func store(_ made: IdentifierFacts, for obx: Segment) {
        let key = Self.identifierKey(obx)
        if facts.byteCount + key.count + ByteTable<IdentifierFacts>.entryCost > byteLimit {
            facts.removeAll()
            rows.removeAll()  // their tags name positions in `facts`
        }
        withBytes(of: obx) { cache, bytes in
            cache.facts.insert(made, for: UnsafeBufferPointer(rebasing: bytes[key]))
        }
    }

    /// Saves the row of this OBX's OBX-2, OBX-3 and OBX-5 (when the facts of its OBX-2
    /// and OBX-3 are saved: the row is filed under them).
    mutating func store(_ made: ObservationRow, for obx: Segment) {
        let key = Self.identifierKey(obx)
        withBytes(of: obx) { cache, bytes in
            let identifier = UnsafeBufferPointer(rebasing: bytes[key])
            guard let known = cache.facts.entry(for: identifier) else { return }
            let value = UnsafeBufferPointer(rebasing: bytes[obx.fieldRange(5)])
            let cost = value.count + ByteTable<ObservationRow>.entryCost
            if cache.rows.byteCount + cost > cache.byteLimit { cache.rows.removeAll() }
            cache.rows.insert(made, for: value, tag: known.index)
        }
    }
}

/// A memo key that tells how many bytes of text it holds.
protocol MemoKey: Hashable, Sendable {
    /// The bytes of text the key holds.
    var textByteCount: Int { get }
}

extension String: MemoKey {
    var textByteCount: Int { utf8.count }
}

/// A bounded memo of a pure function's results: bounded by the bytes its keys hold
/// (keys are feed texts, as long as a field may be), cleared when full.
struct Memo<Key: MemoKey, Value: Sendable>: Sendable {
    /// The most bytes the keys take by default.
    static var defaultByteLimit: Int { 1 << 20 }
    /// What one key costs besides its text: its dictionary entry.
    static var entryCost: Int { MemoryLayout<Key>.stride + MemoryLayout<Value>.stride + 16 }

    private var values: [Key: Value] = [:]
    /// The most bytes the keys take.
    let byteLimit: Int
    /// The bytes the keys take now (their text and entries).
    private(set) var byteCount = 0

    init(byteLimit: Int = Self.defaultByteLimit) { self.byteLimit = byteLimit }

    /// The value for `key`, made by `make` the first time.
    mutating func value(_ key: Key, make: () -> Value) -> Value {
        if let known = values[key] { return known }
        let made = make()
        let cost = key.textByteCount + Self.entryCost
        if byteCount + cost > byteLimit {
            values.removeAll(keepingCapacity: true)
            byteCount = 0
        }
        values[key] = made
        byteCount += cost
        return made
    }

    /// Empties the memo.
    mutating func removeAll() {
        values.removeAll()
        byteCount = 0
    }
}

/// A coded value as the site normalizer and the catalog read it.
extension CodedValue: MemoKey {
    var textByteCount: Int { code.utf8.count + text.utf8.count + system.utf8.count }
}

/// A catalog question: a give code and the order's components.
struct CatalogQuery: MemoKey {
    var giveCode: CodedValue
    var components: [CodedValue]

    var textByteCount: Int {
        components.reduce(giveCode.textByteCount) { $0 + $1.textByteCount + MemoryLayout<CodedValue>.stride }
    }
}
