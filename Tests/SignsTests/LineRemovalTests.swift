import Signs
import Testing

/// An observation whose identifier names a catheter/IV/line removal, with a value that
/// says yes or is a time, is a line removal.
@Suite("Line removal")
struct LineRemovalTests {
    static let removalIdentifiers = [
        "IVREMOVED^IV catheter removed^L", "^Line removal", "^PIV removed", "^Catheter removal date/time",
        "^IV discontinued", "^IV D/C", "^IV out", "^PICC line pulled", "^Date catheter removed",
    ]

    @Test("A yes answers a removal", arguments: removalIdentifiers)
    func yes(identifier: String) {
        for value in [
            "Y^Yes^HL70136", "YES", "POS^Positive^L", "present", "373066001^Yes^SCT", "true", "Removed",
        ] {
            let reading = OBX.read("CWE", identifier, value)
            #expect(reading.isLineRemoval, "\(identifier) \(value)")
            #expect(!reading.mentionsNormal)
            #expect(reading.signs.isEmpty)
        }
    }

    @Test("A no is not a removal", arguments: removalIdentifiers)
    func no(identifier: String) {
        for value in ["N^No^HL70136", "NO", "NEG", "absent", "none", "373067005^No^SCT", "false", ""] {
            #expect(!OBX.read("CWE", identifier, value).isLineRemoval, "\(identifier) \(value)")
        }
    }

    @Test("A time answers a removal", arguments: removalIdentifiers)
    func time(identifier: String) {
        #expect(OBX.read("DTM", identifier, "202603051425").isLineRemoval)
        #expect(OBX.read("TS", identifier, "20260305142500-0500").isLineRemoval)
        #expect(OBX.read("TM", identifier, "1425").isLineRemoval)
        #expect(OBX.read("ST", identifier, "202603051425").isLineRemoval)
        #expect(OBX.read("CWE", identifier, "20260305").isLineRemoval)
        #expect(OBX.read("ST", identifier, "20260305142530.1234+0100").isLineRemoval)
        #expect(OBX.read("ST", identifier, "2026-03-05T14:25").isLineRemoval)
        #expect(!OBX.read("ST", identifier, "1425").isLineRemoval)
        #expect(!OBX.read("ST", identifier, "2026").isLineRemoval)
        #expect(!OBX.read("DTM", identifier, "").isLineRemoval)
    }

    @Test func removalNotesAreNotRemovalsButTheirSignsCount() {
        let note = OBX.read("TX", "IVRMVNOTE^IV removal note^L", "IV removed due to redness and swelling")
        #expect(!note.isLineRemoval)
        #expect(note.signs == [.erythema, .swelling])
        #expect(
            !OBX.read("TX", "IVRMVNOTE^IV removal note^L", "PIV removed, catheter intact, pressure applied.")
                .isLineRemoval)
    }

    @Test func otherRemovalsAreNot() {
        for identifier in [
            "^Foley catheter removed", "^Urinary catheter removal", "^Chest tube removed",
            "^Dressing removed",
            "^Suture removal", "^Epidural catheter removed", "^IV catheter gauge", "^IV site appearance",
            "^Drain pulled",
        ] {
            #expect(!OBX.read("CWE", identifier, "Y").isLineRemoval, "\(identifier)")
            #expect(!OBX.read("DTM", identifier, "202603051425").isLineRemoval, "\(identifier)")
        }
    }
}

/// Times as HL7 and ISO 8601 write them; codes are not times.
@Suite("Removal times")
struct RemovalTimeTests {
    @Test func digitStringsMustBeValidTimes() {
        let identifier = "^IV catheter removed"
        for time in ["20260305", "2026030514", "202603051425", "20260305142500", "20261231235959"] {
            #expect(OBX.read("ST", identifier, time).isLineRemoval, "\(time)")
        }
        for notTime in [
            "373067005", "123456789", "20261305", "20260300", "202603052525", "2026030514251", "12345678",
        ] {
            #expect(!OBX.read("ST", identifier, notTime).isLineRemoval, "\(notTime)")
        }
        // A SNOMED yes is a yes, not a time.
        #expect(OBX.read("CWE", identifier, "373066001^Yes^SCT").isLineRemoval)
    }
}
