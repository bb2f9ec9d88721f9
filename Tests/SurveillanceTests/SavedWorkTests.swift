@testable import Surveillance
import Testing

/// The engine's saved work keyed by message bytes finds exactly the keys it holds.
@Suite("Saved work by bytes")
struct SavedWorkTests {
    @Test func aByteTableFindsEveryKeyAndNoOtherAtEveryLength() {
        var table = ByteTable<Int>()
        var keys: [[UInt8]] = []
        for length in 0...40 {
            // Keys that differ only in their last byte (read by the tail of the hash and compare).
            for last in [UInt8(0x41), 0x42] {
                var key = (0..<length).map { UInt8(0x30 + $0 % 10) }
                if length > 0 { key[length - 1] = last }
                if keys.contains(key) { continue }
                keys.append(key)
            }
        }
        for (value, key) in keys.enumerated() {
            key.withUnsafeBufferPointer { table.insert(value, for: $0, tag: value % 3) }
        }
        for (value, key) in keys.enumerated() {
            key.withUnsafeBufferPointer { bytes in
                #expect(table.value(for: bytes, tag: value % 3) == value)
                #expect(table.value(for: bytes, tag: value % 3 + 1) == nil, "another tag")
            }
            var other = key + [0x43]
            other.withUnsafeBufferPointer { #expect(table.value(for: $0, tag: value % 3) == nil) }
            other = Array(key.dropLast())
            if !keys.contains(other) {
                other.withUnsafeBufferPointer { #expect(table.value(for: $0, tag: value % 3) == nil) }
            }
        }
    }

    @Test func groupValuesKeepOneValuePerKeyPastTheirListLimit() {
        var values = GroupValues<Int>()
        var reference: [ObservationGroupKey: Int] = [:]
        for round in 0..<3 {
            for index in 0..<(3 * GroupValues<Int>.listLimit) {
                let key = ObservationGroupKey(group: index % 4, subID: "\(index / 4)")
                values[key] = index * 10 + round
                reference[key] = index * 10 + round
                #expect(values[key] == reference[key])
            }
        }
        #expect(values.entries.count == reference.count)
        for (key, value) in reference { #expect(values[key] == value) }
        #expect(values[ObservationGroupKey(group: 9, subID: "x")] == nil)
        values.removeAll()
        #expect(values.isEmpty)
        #expect(values[ObservationGroupKey(group: 0, subID: "0")] == nil)
    }
}
