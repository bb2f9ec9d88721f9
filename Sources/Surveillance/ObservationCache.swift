import ClinicalEvents
import HL7
import Signs
import Sites

/// A table from byte strings to values, for caches keyed by raw message bytes: a key
/// is looked up from a buffer in place (hashed a word at a time, compared against a
/// copy kept in one byte arena), so a lookup builds no Array or String and makes no
/// allocation. Open addressing with linear probing, at most half full. The hash is
/// seeded per table, so crafted input cannot aim at collisions.
struct ByteTable<Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        var hash: UInt64
        var start: Int
        var count: Int
        var value: Value
    }

    /// Entry index per slot, -1 when the slot is free; the count is a power of two.
    private var slots: [Int32] = Array(repeating: -1, count: 64)
    private var entries: [Entry] = []
    /// The keys' bytes, one after another.
    private var arena: [UInt8] = []
    private let seed = UInt64.random(in: .min ... .max)

    /// How many keys the table holds.
    var count: Int { entries.count }

    /// The value of the key `key`, if present.
    func value(for key: UnsafeBufferPointer<UInt8>) -> Value? {
        let hash = Self.hash(key, seed: seed)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return arena.withUnsafeBufferPointer { arena in
            while true {
                let index = Int(slots[slot])
                if index < 0 { return nil }
                if entries[index].hash == hash && entries[index].count == key.count
                    && Self.equal(UnsafeBufferPointer(rebasing: arena[entries[index].start...]), key)
                {
                    return entries[index].value
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Adds `value` under `key` (which must not be present yet).
    mutating func insert(_ value: Value, for key: UnsafeBufferPointer<UInt8>) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        let hash = Self.hash(key, seed: seed)
        entries.append(Entry(hash: hash, start: arena.count, count: key.count, value: value))
        arena.append(contentsOf: key)
        place(entries.count - 1, hash: hash)
    }

    /// Removes every key, keeping the storage.
    mutating func removeAll() {
        for index in slots.indices { slots[index] = -1 }
        entries.removeAll(keepingCapacity: true)
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
        for index in entries.indices { place(index, hash: entries[index].hash) }
    }

    /// Whether `stored` starts with the bytes of `key` (its count already checked).
    private static func equal(_ stored: UnsafeBufferPointer<UInt8>, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let left = UnsafeRawBufferPointer(stored)
        let right = UnsafeRawBufferPointer(key)
        let count = key.count
        var offset = 0
        while offset + 8 <= count {
            if left.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                != right.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            {
                return false
            }
            offset += 8
        }
        while offset < count {
            if left[offset] != right[offset] { return false }
            offset += 1
        }
        return true
    }

    /// A 64-bit hash of `bytes`, eight bytes at a time (multiply-xorshift mixing).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        let raw = UnsafeRawBufferPointer(bytes)
        let count = raw.count
        var hash = seed ^ (UInt64(count) &* 0x9E37_79B9_7F4A_7C15)
        var offset = 0
        while offset + 8 <= count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            tail |= UInt64(raw[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
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
    /// The sign reading.
    let reading: ObservationReading
    /// The site named by a site-location observation's value (OBX-5).
    let namedSite: CanonicalSite?
    /// Whether the reading asserts nothing the engine acts on (no sign, calcinosis
    /// finding, line removal or site location): most observations.
    let saysNothing: Bool

    init(facts: IdentifierFacts, reading: ObservationReading, namedSite: CanonicalSite?) {
        analyte = facts.analyte
        namesImaging = facts.namesImaging
        self.reading = reading
        self.namedSite = namedSite
        saysNothing =
            reading.signs.isEmpty && !reading.calcinosisFinding && !reading.isLineRemoval && !reading.isSiteLocation
    }
}

/// Saved work on observations: the engine's readings are pure functions of a few
/// OBX fields, and a feed repeats the same identifiers (and mostly the same values)
/// all day. Keyed by the fields' raw bytes and the message's delimiters (which
/// decide how those bytes decode), so a repeat costs a hash lookup and no String.
/// Not state: bounded, cleared when full, and rebuilt when the settings change.
struct ObservationCache: Sendable {
    /// Facts by (delimiters, OBX-2, OBX-3).
    private var facts = ByteTable<IdentifierFacts>()
    /// Rows by (delimiters, OBX-2, OBX-3, OBX-5), of rows whose reading depends on OBX-5.
    private var rows = ByteTable<ObservationRow>()
    /// The key being built (reused: its storage is allocated once).
    private var scratch: [UInt8] = []
    /// The most entries each table keeps.
    let limit = 8_192

    /// Empties the cache.
    mutating func removeAll() {
        facts.removeAll()
        rows.removeAll()
    }

    /// Puts in `scratch` the delimiters and the raw bytes of OBX-2, OBX-3 and (with
    /// `value`) OBX-5: what the row's decoded text depends on. Fields never hold the
    /// field separator, so the separators keep the parts apart.
    private mutating func buildKey(_ segment: Segment, value: Bool) {
        let type = segment[2]
        let identifier = segment[3]
        let valueRange = value ? segment[5].byteRange : nil
        let text = type.message
        let delimiters = text.delimiters
        scratch.removeAll(keepingCapacity: true)
        let header = (
            delimiters.field, delimiters.component, delimiters.repetition, delimiters.escape ?? 0,
            delimiters.subcomponent ?? 0, delimiters.field
        )
        withUnsafeBytes(of: header) { scratch.append(contentsOf: $0) }
        text.bytes.withUnsafeBufferPointer { bytes in
            // OBX-2 and OBX-3 lie side by side, the field separator between them (when
            // OBX-3 is not sent at all, OBX-2 alone).
            let end = max(identifier.byteRange.upperBound, type.byteRange.upperBound)
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[type.byteRange.lowerBound..<end]))
            if let valueRange {
                scratch.append(delimiters.field)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[valueRange]))
            }
        }
    }

    /// The facts saved for this OBX's OBX-2 and OBX-3, if any.
    mutating func facts(_ obx: Segment) -> IdentifierFacts? {
        buildKey(obx, value: false)
        return scratch.withUnsafeBufferPointer { facts.value(for: $0) }
    }

    /// The row saved for this OBX's OBX-2, OBX-3 and OBX-5, if any.
    mutating func row(_ obx: Segment) -> ObservationRow? {
        buildKey(obx, value: true)
        return scratch.withUnsafeBufferPointer { rows.value(for: $0) }
    }

    /// Saves the facts of this OBX's OBX-2 and OBX-3.
    mutating func store(_ made: IdentifierFacts, for obx: Segment) {
        if facts.count >= limit { facts.removeAll() }
        buildKey(obx, value: false)
        scratch.withUnsafeBufferPointer { facts.insert(made, for: $0) }
    }

    /// Saves the row of this OBX's OBX-2, OBX-3 and OBX-5.
    mutating func store(_ made: ObservationRow, for obx: Segment) {
        if rows.count >= limit { rows.removeAll() }
        buildKey(obx, value: true)
        scratch.withUnsafeBufferPointer { rows.insert(made, for: $0) }
    }
}

/// A bounded memo of a pure function's results (cleared when full).
struct Memo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private var values: [Key: Value] = [:]
    /// The most entries kept.
    let limit: Int

    init(limit: Int = 8_192) { self.limit = limit }

    /// The value for `key`, made by `make` the first time.
    mutating func value(_ key: Key, make: () -> Value) -> Value {
        if let known = values[key] { return known }
        let made = make()
        if values.count >= limit { values.removeAll(keepingCapacity: true) }
        values[key] = made
        return made
    }

    /// Empties the memo.
    mutating func removeAll() { values.removeAll() }
}

/// A coded value as the site normalizer and the catalog read it.
struct CodedQuery: Hashable, Sendable {
    var code: String
    var text: String
    var system: String

    init(code: String, text: String, system: String) {
        self.code = code
        self.text = text
        self.system = system
    }

    init(_ coded: CodedValue) {
        code = coded.code
        text = coded.text
        system = coded.system
    }
}

/// A catalog question: a give code and the order's components.
struct CatalogQuery: Hashable, Sendable {
    var giveCode: CodedQuery
    var components: [CodedQuery]
}
