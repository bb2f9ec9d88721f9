import Signs
import Testing

/// Rows that document a line (DESIGN §4, lines in place): catheter-site rows,
/// insertion or placement rows, and rows naming what infuses through a line.
@Suite("Line documentation")
struct LineDocumentationTests {
    @Test func anIVOrLDARowNamesACatheterSiteAndAGeneralSkinRowDoesNot() {
        for identifier in [
            "^PIV Site Appearance^FLO", "IVSITELOC^IV site location^L", "^PICC Dressing^FLO",
            "PIVSITE^Peripheral IV Insertion Site^CERNER", "^Infusion site^L", "^PIV LDA Placement^FLO",
        ] {
            #expect(OBX.read("ST", identifier, "Clean, dry, intact").namesCatheterSite, "\(identifier)")
        }
        for identifier in [
            "^Skin Color^FLO", "^Pain location^L", "^Foley catheter site^L", "^Chest tube site^L",
        ] {
            #expect(!OBX.read("ST", identifier, "Pale").namesCatheterSite, "\(identifier)")
        }
    }

    @Test func anInsertionRowWithAYesATimeOrASiteIsALineInsertion() {
        for identifier in [
            "^PIV LDA Placement^FLO", "^Peripheral IV Insertion Date/Time^CERNER", "^IV inserted^L",
        ] {
            for value in ["Y^Yes^HL70136", "20260302100000", "Left hand"] {
                #expect(OBX.read("ST", identifier, value).isLineInsertion, "\(identifier) \(value)")
            }
            #expect(!OBX.read("CWE", identifier, "N^No^HL70136").isLineInsertion)
        }
        // A site-location row and a removal row are not insertions.
        #expect(!OBX.read("ST", "^IV insertion site^L", "Left hand").isLineInsertion)
        #expect(!OBX.read("ST", "^PIV removed^L", "Y").isLineInsertion)
        #expect(!OBX.read("ST", "^Foley inserted^L", "Y").isLineInsertion)
    }

    @Test func anInfusingRowNamesTheLineContents() {
        #expect(
            OBX.read("ST", "^IV Fluids/Meds Infusing^CERNER", "Calcium gluconate 1 g").lineContents
                == "Calcium gluconate 1 g")
        #expect(
            OBX.read("CWE", "^Line contents^FLO", "1736854^Calcium gluconate^RXNORM").lineContents
                == "Calcium gluconate")
        #expect(OBX.read("ST", "^Infusing^FLO", "LR").lineContents == "LR")
        #expect(OBX.read("ST", "^PIV Site Appearance^FLO", "Clean").lineContents == nil)
    }
}
