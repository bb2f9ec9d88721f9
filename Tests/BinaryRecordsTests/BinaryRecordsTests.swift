import BinaryRecords
import Testing

/// The primitives of the binary record format: what each writes, and that the reader
/// takes it back or refuses damage with an error, never a trap.
@Suite("Binary records")
struct BinaryRecordsTests {
    @Test(arguments: [UInt64(0), 1, 127, 128, 16_383, 16_384, UInt64(UInt32.max), UInt64.max])
    func unsignedIntegersAreVarintsThatReadBack(value: UInt64) throws {
        var writer = BinaryWriter()
        writer.unsigned(value)
        let expectedLength = value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
        #expect(writer.bytes.count == expectedLength)
        var reader = BinaryReader(writer.bytes)
        #expect(try reader.unsigned() == value)
        #expect(reader.isAtEnd)
    }

    @Test(arguments: [Int64(0), -1, 1, -64, 63, -65, Int64.min, Int64.max])
    func signedIntegersAreZigzagSoSmallMagnitudesStayShort(value: Int64) throws {
        var writer = BinaryWriter()
        writer.signed(value)
        if (-64...63).contains(value) { #expect(writer.bytes.count == 1) }
        var reader = BinaryReader(writer.bytes)
        #expect(try reader.signed() == value)
    }

    @Test func doublesReadBackBitForBit() throws {
        let values: [Double] = [0, -0.0, 1.5, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .pi]
        var writer = BinaryWriter()
        for value in values { writer.double(value) }
        #expect(writer.bytes.count == 8 * values.count)
        var reader = BinaryReader(writer.bytes)
        for value in values { #expect(try reader.double().bitPattern == value.bitPattern) }
    }

    @Test func stringsOptionalsAndArraysReadBackInOrder() throws {
        var writer = BinaryWriter()
        writer.string("Ca²⁺ gluconate")
        writer.optionalString(nil)
        writer.optionalString("")
        writer.array([3, 1, 2]) { $0.count($1) }
        writer.bool(true)
        writer.byteString([0, 255])
        var reader = BinaryReader(writer.bytes)
        #expect(try reader.string() == "Ca²⁺ gluconate")
        #expect(try reader.optionalString() == nil)
        #expect(try reader.optionalString() == "")
        #expect(try reader.array { reader throws(BinaryDecodingError) in try reader.count() } == [3, 1, 2])
        #expect(try reader.bool())
        #expect(try reader.byteString() == [0, 255])
        try reader.expectEnd()
    }

    @Test func invalidUTF8IsRefusedNotRepaired() {
        var reader = BinaryReader([2, 0xC3, 0x28])
        #expect(throws: BinaryDecodingError.self) { try reader.string() }
    }

    @Test func aCountLargerThanTheBytesLeftIsRefusedBeforeAnythingIsReserved() {
        var writer = BinaryWriter()
        writer.unsigned(1 << 40)
        var reader = BinaryReader(writer.bytes)
        do {
            _ = try reader.array { reader throws(BinaryDecodingError) in try reader.byte() }
            Issue.record("read")
        } catch {
            #expect(error.code == .malformed)
            #expect(error.description.contains("a count of 1099511627776, more than the 0 bytes left"))
        }
    }

    @Test func aVarintLongerThan64BitsAndBadFlagsAreMalformed() {
        var long = BinaryReader([UInt8](repeating: 0xFF, count: 10) + [0x01])
        #expect(throws: BinaryDecodingError.self) { try long.unsigned() }
        var flag = BinaryReader([2])
        #expect(throws: BinaryDecodingError.self) { try flag.bool() }
        var presence = BinaryReader([7])
        #expect(throws: BinaryDecodingError.self) { try presence.optionalString() }
    }

    @Test func errorsNameTheFieldBeingRead() {
        var reader = BinaryReader([])
        do {
            _ = try reader.reading("orders.drug") { reader throws(BinaryDecodingError) in try reader.string()
            }
            Issue.record("read")
        } catch {
            #expect(error.field == "orders.drug")
            #expect(error.code == .truncated)
            #expect(error.description == "offset 0, field orders.drug: truncated: the record ends here")
        }
    }
}
