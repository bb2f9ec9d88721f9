import ClinicalEvents
import Signs
import Sites
import Testing

@testable import Surveillance

/// How the engine reads nursing observations as Epic, Oracle Health (Cerner) and
/// Meditech send them (issue 11; DESIGN.md, "Sites" and "Signs"): flowsheet rows as
/// ORU^R01 with local row codes, LDA rows, lab and imaging results in the same feed.
/// Each test is named after the rule it checks.
@Suite("Vendor observations")
struct VendorObservationTests {
    static let time = "20260305140000"

    /// A scenario with the patient admitted and calcium gluconate running into `site`
    /// (and `otherSite`, a second order), sent by `sender`.
    static func running(at site: String = "^L heel", and otherSite: String? = nil, sender: String) -> Scenario
    {
        var s = Scenario()
        s.sender = sender
        s.admit()
        s.order(site: site)
        if let otherSite { s.order(number: "7002", site: otherSite) }
        return s
    }

    /// An ORU^R01 at ``time`` with one OBR (`obr`: OBR-4, and OBR-24 when given) and the
    /// OBX lines as written (OBX-1 onwards, without the segment ID).
    static func result(
        _ s: inout Scenario, obr: String, section: String = "", _ rows: [String]
    ) -> [Alert] {
        let sectionFields = section.isEmpty ? "" : String(repeating: "|", count: 17) + section
        var segments = [s.pid, s.pv1, "OBR|1|ORD1|FIL1|\(obr)|||\(time)\(sectionFields)"]
        segments += rows.map { "OBX|\($0)" }
        return s.send("ORU^R01", at: time, segments).alerts
    }

    // MARK: Repetitions

    @Test func eachRepetitionOfAFlowsheetMultiSelectIsReadAsOneItem() throws {
        var s = Self.running(sender: "EPIC|EPICADT")
        let alert = try #require(
            Self.result(
                &s, obr: "IP FLOWSHEET^Flowsheet^EPIC",
                ["1|ST|3040100959^R IV SITE ASSESSMENT^FLO|1|No redness~Swelling||||||F|||\(Self.time)"]
            ).first)
        #expect(alert.signs == [.swelling], "the negation does not reach the next repetition")
        var both = Self.running(sender: "EPIC|EPICADT")
        let second = try #require(
            Self.result(
                &both, obr: "IP FLOWSHEET^Flowsheet^EPIC",
                ["1|ST|3040100959^R IV SITE ASSESSMENT^FLO|1|Erythema~Edema||||||F|||\(Self.time)"]
            ).first)
        #expect(second.signs == [.erythema, .swelling])
        #expect(second.siteMatch == .soleSite)
    }

    // MARK: Clause breaks

    @Test func aNegationEndsAtALineBreakInsideATextValue() throws {
        var escaped = Self.running(sender: "MEDITECH|CHMC")
        let alert = try #require(
            Self.result(
                &escaped, obr: "NUR.IV^IV Site Check^MEDITECH",
                [
                    #"1|TX|NUR.IVNOTE^IV Site Note^MEDITECH|1|L heel PIV: no redness\.br\swelling noted at site||||||F"#
                ]
            ).first)
        #expect(alert.signs == [.swelling])
        #expect(alert.site?.name == "left-heel")
        // A line feed inside the value (the message's segments end at CR).
        var literal = Self.running(sender: "MEDITECH|CHMC")
        let second = try #require(
            Self.result(
                &literal, obr: "NUR.IV^IV Site Check^MEDITECH",
                ["1|TX|NUR.IVNOTE^IV Site Note^MEDITECH|1|L heel PIV: no redness\nswollen||||||F"]
            ).first)
        #expect(second.signs == [.swelling])
    }

    // MARK: Contexts

    @Test func aHypotheticalContextReachesToTheNextClauseBreak() {
        var s = Self.running(sender: "HNAM|CERNER")
        let alerts = Self.result(
            &s, obr: "IVSITE^IV Site Assessment^CERNER",
            [
                "1|TX|IVCOMMENT^IV Site Comment^CERNER|1|Educated parents to call the nurse right away for any "
                    + "redness or swelling at the L heel IV||||||F"
            ])
        #expect(alerts.isEmpty)
    }

    @Test func lookAlikePhrasesRaiseNothingAndLookAlikeNegationsDoNotNegate() throws {
        var s = Self.running(sender: "HNAM|CERNER")
        #expect(
            Self.result(
                &s, obr: "IVSITE^IV Site Assessment^CERNER",
                [
                    "1|TX|IVCOMMENT^IV Site Comment^CERNER|1|L heel IV hard to flush, cold compress applied||||||F"
                ]
            ).isEmpty)
        let alert = try #require(
            Self.result(
                &s, obr: "IVSITE^IV Site Assessment^CERNER",
                ["1|TX|IVCOMMENT^IV Site Comment^CERNER|1|L heel IV: no change in redness||||||F"]
            ).first)
        #expect(alert.signs == [.erythema])
    }

    // MARK: Inflections

    @Test func inflectedSignWordsAndInfiltratedAreSigns() throws {
        var s = Self.running(sender: "EPIC|EPICADT")
        let alert = try #require(
            Self.result(
                &s, obr: "IP FLOWSHEET^Flowsheet^EPIC",
                [
                    "1|ST|3040100959^R IV SITE ASSESSMENT^FLO|1|Reddened~Blistered||||||F",
                    "2|ST|3040100960^R IV SITE COMMENT^FLO|1|Site infiltrated, infusion stopped||||||F",
                ]
            ).first)
        #expect(alert.signs == [.blistering, .erythema, .infiltration])
    }

    // MARK: Nursing-only signs

    @Test func aLabResultIsReadForRiskFactorsOnly() {
        // Oracle Health microbiology (OBR-24 MB): the specimen's description is no nursing sign.
        var s = Self.running(sender: "HNAM|CERNER")
        let alerts = Self.result(
            &s, obr: "WCX^Wound Culture^CERNER", section: "MB",
            ["1|TX|GROSS^Specimen description^CERNER|1|Swab of L heel: red, swollen tissue||||||F"])
        #expect(alerts.isEmpty)
        // A urinalysis (OBR-24 UR) with red urine, and a LOINC row naming its specimen.
        #expect(
            Self.result(
                &s, obr: "UA^Urinalysis^CERNER", section: "UR",
                [
                    "1|ST|UCOLOR^Urine Color^CERNER|1|Red||||||F",
                    "2|ST|UCLAR^Urine Clarity^CERNER|1|Cloudy||||||F",
                ]
            ).isEmpty)
        #expect(
            Self.result(
                &s, obr: "IVSITE^IV Site Assessment^CERNER",
                [
                    "1|ST|5778-6^Color of Urine^LN|1|Red||||||F",
                    "2|ST|1000-1^Occult blood in Stool^LN|1|Black||||||F",
                    // A configured lab code (labs.codes) with a text value.
                    "3|ST|2160-0^Creatinine^LN|1|Specimen hemolyzed, red||||||F",
                ]
            ).isEmpty)
        // Its lab values still make risk factors.
        s.labs(at: "20260305130000", [("2160-0", "Creatinine", "3.1", "mg/dL", "0.50-1.20", "H")])
        let alert = s.signs(at: "20260305150000", erythema: true, swelling: false, pain: 0)
        #expect(alert.first?.riskFactors.contains(.renalFailure) == true)
    }

    @Test func anImagingResultIsReadForCalcinosisFindingsOnly() throws {
        var s = Self.running(sender: "EPIC|EPICADT")
        // A radiology report (OBR-24 RAD; OBR-4 a CPT code whose text names no modality).
        #expect(
            Self.result(
                &s, obr: "73630^FOOT 3 VIEWS LEFT^CPT", section: "RAD",
                ["1|TX|IMP^Impression^L|1|Soft tissue swelling of the left heel. No fracture.||||||F"]
            ).isEmpty)
        let alert = try #require(
            Self.result(
                &s, obr: "73630^FOOT 3 VIEWS LEFT^CPT", section: "RAD",
                ["1|TX|IMP^Impression^L|1|Soft tissue calcification at the left heel, swelling||||||F"]
            ).first)
        #expect(alert.kind == .calcinosisSuspected)
        #expect(alert.signs == [.calcinosis])
    }

    @Test func aLOINCCodedNursingRowStaysNursing() throws {
        var s = Self.running(sender: "EPIC|EPICADT")
        let alert = try #require(
            Self.result(
                &s, obr: "IP FLOWSHEET^Flowsheet^EPIC",
                [
                    "1|ST|3040100958^R PIV LOCATION^FLO|1|Left heel||||||F",
                    "2|NM|72514-3^Pain severity - 0-10 verbal numeric rating [Score] - Reported^LN|1|6||||||F",
                ]
            ).first)
        #expect(alert.signs == [.pain])
    }

    @Test func aLOINCNameThatNamesASpecimenIsALabResult() {
        for text in [
            "Creatinine [Mass/volume] in Serum or Plasma", "Color of Urine", "Occult blood in Stool",
            "Calcium.ionized [Moles/volume] in Blood", "Creat SerPl-mCnc", "Hgb Bld-mCnc", "Color Ur",
            "Protein [Mass/volume] in Body fluid",
        ] {
            #expect(ResultKind.namesSpecimen(text), "\(text)")
        }
        for text in [
            "Pain severity - 0-10 verbal numeric rating [Score] - Reported", "Blood pressure panel",
            "Skin color", "Body temperature", "Peripheral intravenous line Placement",
        ] {
            #expect(!ResultKind.namesSpecimen(text), "\(text)")
        }
    }

    // MARK: The sole-site rule

    @Test func theSoleSiteRuleAppliesOnlyToIVSiteAssessmentRows() throws {
        // A neonatal round's general skin row: no site, not about the catheter.
        var s = Self.running(sender: "EPIC|EPICADT")
        #expect(
            Self.result(
                &s, obr: "NEORND^Neonatal Assessment^EPIC",
                [
                    "1|ST|3040104401^R SKIN COLOR^FLO|1|Pale||||||F",
                    "2|ST|3040104402^R SKIN TEMPERATURE^FLO|1|Cool||||||F",
                ]
            ).isEmpty)
        // An IV site assessment row naming no site takes the sole site.
        let alert = try #require(
            Self.result(
                &s, obr: "NEORND^Neonatal Assessment^EPIC",
                ["3|ST|3040100959^R IV SITE ASSESSMENT^FLO|1|Blanched~Cool||||||F"]
            ).first)
        #expect(alert.siteMatch == .soleSite)
        #expect(alert.signs == [.blanching, .coolness])
        // So does any row of a group whose OBR-4 is an IV site assessment.
        var group = Self.running(sender: "MEDITECH|CHMC")
        #expect(
            Self.result(
                &group, obr: "NUR.PIV^PIV Site Assessment^MEDITECH",
                ["1|ST|NUR.COLOR^Color^MEDITECH|1|Pale||||||F"]
            )
            .first?.siteMatch == .soleSite)
    }

    // MARK: Sites

    @Test func aVeinNameLocatesTheSiteInThePartItRunsIn() throws {
        var s = Self.running(
            at: "LLFA^Left lower forearm^HL70163", and: "RH^Right hand^HL70163", sender: "EPIC|EPICADT")
        let alert = try #require(
            Self.result(
                &s, obr: "IP LDA^Lines Drains Airways^EPIC",
                [
                    "1|ST|3040100958^R PIV LOCATION^FLO|1|L cephalic||||||F",
                    "2|ST|3040100959^R IV SITE ASSESSMENT^FLO|1|Swelling||||||F",
                ]
            ).first)
        #expect(alert.site?.name == "left-lower-forearm")
        #expect(alert.observedSite?.name == "left-forearm")
        #expect(alert.siteMatch == .contained)
    }

    @Test func aSideInASeparateOrientationRowJoinsTheLocationOfTheSameSubID() throws {
        var s = Self.running(at: "LH^Left hand^HL70163", and: "RH^Right hand^HL70163", sender: "EPIC|EPICADT")
        let alert = try #require(
            Self.result(
                &s, obr: "IP LDA^Lines Drains Airways^EPIC",
                [
                    "1|ST|3040100958^R PIV LOCATION^FLO|1|Hand||||||F",
                    "2|ST|3040100961^R PIV ORIENTATION^FLO|1|Right||||||F",
                    "3|ST|3040100958^R PIV LOCATION^FLO|2|Hand||||||F",
                    "4|ST|3040100961^R PIV ORIENTATION^FLO|2|Left||||||F",
                    "5|ST|3040100959^R IV SITE ASSESSMENT^FLO|1|Erythema~Edema||||||F",
                    "6|ST|3040100959^R IV SITE ASSESSMENT^FLO|2|Clean, dry, intact||||||F",
                ]
            ).first)
        #expect(alert.site?.name == "right-hand")
        #expect(alert.observedSite?.name == "right-hand")
        #expect(alert.siteMatch == .exact)
        // Oracle Health writes it "Laterality".
        var cerner = Self.running(
            at: "LH^Left hand^HL70163", and: "RH^Right hand^HL70163", sender: "HNAM|CERNER")
        let second = try #require(
            Self.result(
                &cerner, obr: "PIVASSESS^Peripheral IV Assessment^CERNER",
                [
                    "1|CWE|PIVLOC^PIV Site Location^CERNER|1|HAND^Hand^CERNER||||||F",
                    "2|CWE|PIVLAT^PIV Laterality^CERNER|1|L^Left^CERNER||||||F",
                    "3|CWE|PIVAPP^PIV Site Appearance^CERNER|1|SWL^Swollen^CERNER||||||F",
                ]
            ).first)
        #expect(second.site?.name == "left-hand")
        #expect(second.siteMatch == .exact)
    }
}
