import HL7
import Testing

@testable import Surveillance

/// PV1-3 read as the patient's location: components 1-3 (point of care, room, bed) of
/// the first repetition, the sent ones joined by `/`, the same whether the field is read
/// from its bytes in one pass (ASCII with no escape) or component by component.
@Suite("Patient location")
struct PatientLocationTests {
    /// The location as read component by component (the definition).
    private static func expected(_ pv1: Segment) -> String? {
        let parts = (1...3).compactMap { pv1[3].component($0).value }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    private static func pv1(_ location: String) throws -> Segment {
        let text = "MSH|^~\\&|A|B|C|D|20260301120000||ADT^A01|1|P|2.5\rPID|1||123\rPV1|1|I|\(location)"
        return try #require(try Message(bytes: Array(text.utf8)).segment("PV1"))
    }

    @Test(arguments: [
        "ICU^101^A", "ICU^^A", "^^", "\"\"^101^\"\"", "ICU~WARD^2", "ICU^101^A^HOSP", "IC\\T\\U^1",
        "Ünit^1", "ICU&EAST^101", "", "W", "^^B", String(repeating: "LONGWARD", count: 10) + "^1",
        "WARD-7 NORTH WING^ROOM 1234^BED 12", "\"\"",
    ])
    func aLocationReadsAsItsComponentsJoined(_ location: String) throws {
        let pv1 = try Self.pv1(location)
        #expect(SurveillanceEngine.location(pv1) == Self.expected(pv1))
    }
}
