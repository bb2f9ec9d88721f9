import ClinicalEvents
import Foundation
import Configuration
import Signs
import Sites
import Surveillance
import Testing

/// DESIGN.md section 4, rule by rule: each test is named after the rule it checks and
/// has a positive and a negative feed.
@Suite("Clinical rules")
struct ClinicalRuleTests {
    // MARK: Exposure

    @Test func signsAtAnExposedSiteRaiseExtravasationSuspected() throws {
        var s = Scenario()
        s.admit()
        s.order()
        let alerts = s.signs(at: "20260305140000")
        #expect(alerts.count == 1)
        let alert = try #require(alerts.first)
        #expect(alert.kind == .extravasationSuspected)
        #expect(alert.site?.name == "left-heel")
        #expect(alert.signs == [.erythema, .pain, .swelling])
        #expect(alert.infusionActive)
        #expect(alert.drug == "Calcium Gluconate 10% inj")
        #expect(alert.order == "7001")
        #expect(alert.patient == "4455")
        #expect(alert.visit == "V100")
        #expect(alert.location == "PICU/12/A")
    }

    @Test func nonCalciumDrugRaisesNothing() {
        var s = Scenario()
        s.admit()
        s.order(drug: "11124^Vancomycin 500 mg inj^RXNORM")
        #expect(s.signs(at: "20260305140000").isEmpty)
    }

    @Test func signsBeforeTheExposureStartRaiseNothing() {
        var s = Scenario()
        s.admit()
        s.order(start: "20260303120000")
        #expect(s.signs(at: "20260303115959").isEmpty)
        #expect(s.signs(at: "20260303120000").count == 1, "exposures include their start")
    }

    @Test func orderStartComesFromTQ1ElseORC7ElseTheEffectiveTime() throws {
        var orc7 = Scenario()
        orc7.admit()
        orc7.order(start: nil, orc7: "^^^20260303120000")
        #expect(orc7.signs(at: "20260303110000").isEmpty)
        #expect(orc7.signs(at: "20260303130000").count == 1)

        var effective = Scenario()
        effective.admit()
        effective.order(start: nil, at: "20260302113000")
        #expect(effective.signs(at: "20260302113000").count == 1)
    }

    @Test func discontinuationEndsTheExposureAndStartsTheWatch() throws {
        var s = Scenario()
        s.admit()
        s.order()
        s.order("DC", start: nil, at: "20260305120000")
        let alert = try #require(s.signs(at: "20260305140000").first)
        #expect(!alert.infusionActive)
        // Under watch only lowers the severity one step (critical -> high for 3 signs).
        #expect(alert.severity == .high)
    }

    @Test func signsAfterTheWatchWindowRaiseNothing() {
        var s = Scenario()
        s.admit()
        s.order()
        s.order("DC", start: nil, at: "20260305120000")
        #expect(s.signs(at: "20260308120001").isEmpty, "72 h after the end")
        var edge = Scenario()
        edge.admit()
        edge.order()
        edge.order("DC", start: nil, at: "20260305120000")
        #expect(edge.signs(at: "20260308120000").count == 1, "watches include their end")
    }

    @Test func endTimeTQ18EndsTheExposure() throws {
        var s = Scenario()
        s.admit()
        s.order(end: "20260303120000")
        let alert = try #require(s.signs(at: "20260303130000").first)
        #expect(!alert.infusionActive)
    }

    @Test func cancelledOrderThatNeverStartedCreatesNoExposure() {
        var s = Scenario()
        s.admit()
        s.order(start: "20260303120000")
        s.order("CA", start: nil, at: "20260302130000")
        #expect(s.signs(at: "20260303140000").isEmpty)
        var unknownCancel = Scenario()
        unknownCancel.admit()
        unknownCancel.order("CA", start: "20260302120000")
        #expect(unknownCancel.signs(at: "20260302140000").isEmpty)
    }

    @Test func orderStatusCompletedEndsTheExposure() throws {
        var s = Scenario()
        s.admit()
        s.order()
        s.send(
            "RDE^O11", at: "20260303120000",
            [
                s.pid, "ORC|SC|7001^PHARMACY|||CM||||20260303120000",
                "RXE||1736854^Calcium Gluconate 10% inj^RXNORM",
            ])
        let alert = try #require(s.signs(at: "20260303140000").first)
        #expect(!alert.infusionActive)
    }

    @Test func holdPausesNothing() throws {
        var s = Scenario()
        s.admit()
        s.order()
        s.order("HD", start: nil, at: "20260303120000")
        let alert = try #require(s.signs(at: "20260303140000").first)
        #expect(alert.infusionActive)
    }

    @Test func lineRemovalEndsTheExposure() throws {
        var s = Scenario()
        s.admit()
        s.order()
        s.assess(at: "20260303120000", [("CWE", "IVREMOVED^IV catheter removed^L", "Y^Yes^HL70136")])
        let alert = try #require(s.signs(at: "20260303140000").first)
        #expect(!alert.infusionActive)
        var no = Scenario()
        no.admit()
        no.order()
        no.assess(at: "20260303120000", [("CWE", "IVREMOVED^IV catheter removed^L", "N^No^HL70136")])
        #expect(no.signs(at: "20260303140000").first?.infusionActive == true)
    }

    // MARK: Catalog

    @Test func catalogMatchesCalciumByNameInTheFormsFeedsUse() {
        for drug in [
            "^CALCIUM GLUCONATE 100 MG/ML", "^Ca gluconate", "LOCAL1^CaCl2^L", "^calcium chloride 10%",
            "^Calcium gluconate 10\\T\\ inj",
        ] {
            var s = Scenario()
            s.admit()
            s.order(drug: drug)
            #expect(s.signs(at: "20260305140000").count == 1, "\(drug)")
        }
    }

    @Test func compoundedBagWithACalciumComponentMatchesTheSalt() throws {
        var s = Scenario()
        s.admit()
        s.order(
            drug: "D5W^Dextrose 5% 100 mL^L", components: ["D5W^Dextrose 5%^L", "CAGLU^Calcium gluconate^L"])
        let alert = try #require(s.signs(at: "20260305140000").first)
        #expect(alert.drug == "Dextrose 5% 100 mL", "the give code's text as sent")
        #expect(alert.catalogEntry.contains("gluconate"))
    }

    @Test func lactatedRingersIsALowRiskEntry() throws {
        var s = Scenario()
        s.admit()
        s.order(drug: "^Lactated Ringers")
        let alert = try #require(s.signs(at: "20260305140000").first)
        #expect(alert.severity == .moderate)
    }

    // MARK: Sites

    @Test func exactSiteMatch() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "LF^Left Foot^HL70163")
        let alert = try #require(s.signs(at: "20260305140000", site: "LF^Left Foot^HL70163").first)
        #expect(alert.siteMatch == .exact)
        #expect(alert.observedSite?.name == "left-foot")
    }

    @Test func containedSiteMatch() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "LF^Left Foot^HL70163")
        let alert = try #require(s.signs(at: "20260305140000", site: "^left heel").first)
        #expect(alert.siteMatch == .contained)
        #expect(alert.site?.name == "left-foot")
        #expect(alert.observedSite?.name == "left-heel")
    }

    @Test func unlateralizedSiteMatch() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "^L heel")
        let alert = try #require(s.signs(at: "20260305140000", site: "^heel").first)
        #expect(alert.siteMatch == .unlateralized)
    }

    @Test func soleSiteMatchWhenTheObservationNamesNoSite() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "^L heel")
        let alert = try #require(s.signs(at: "20260305140000", site: nil).first)
        #expect(alert.siteMatch == .soleSite)
        #expect(alert.observedSite == nil)
        #expect(alert.site?.name == "left-heel")
        // Two sites exposed: no sole site, no alert.
        var two = Scenario()
        two.admit()
        two.order(site: "^L heel")
        two.order(number: "7002", site: "^R hand")
        #expect(two.signs(at: "20260305140000", site: nil).isEmpty)
    }

    @Test func wrongSideRaisesNothing() {
        var s = Scenario()
        s.admit()
        s.order(site: "^L heel")
        #expect(s.signs(at: "20260305140000", site: "^Right heel").isEmpty)
    }

    @Test func siblingSiteRaisesNothing() {
        var s = Scenario()
        s.admit()
        s.order(site: "LH^Left Hand^HL70163")
        #expect(s.signs(at: "20260305140000", site: "LACF^Left antecubital fossa^HL70163").isEmpty)
    }

    @Test func observationSiteFromOBX20() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "^L heel")
        let alerts = s.assess(
            at: "20260305140000", site: nil, [],
            extraSegments: [
                "OBX|9|CWE|ERYTHEMA^Erythema^L|2|Y||||||F|||20260305140000||||||LF^Left Foot^HL70163"
            ])
        #expect(alerts.first?.observedSite?.name == "left-foot")
        #expect(alerts.first?.siteMatch == .contained)
    }

    @Test func observationSiteFromItsOwnLabel() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "^L heel")
        s.order(number: "7002", site: "^R hand")
        let alerts = s.assess(
            at: "20260305140000", site: nil, [("TX", "NOTE^L heel PIV site^L", "red and swollen")])
        #expect(alerts.count == 1)
        #expect(alerts.first?.site?.name == "left-heel")
        #expect(alerts.first?.siteMatch == .exact)
    }

    @Test func siblingSiteLocationObservationOnlyAppliesToItsSubID() {
        var s = Scenario()
        s.admit()
        s.order(site: "^L heel")
        s.order(number: "7002", site: "^R hand")
        // The location OBX has sub-ID 1, the sign has sub-ID 2: no site, two exposed sites.
        let alerts = s.assess(
            at: "20260305140000", site: "^Left heel", [],
            extraSegments: ["OBX|5|CWE|ERYTHEMA^Erythema^L|2|Y||||||F|||20260305140000"])
        #expect(alerts.isEmpty)
    }

    // MARK: Signs

    @Test func negatedTextRaisesNothing() {
        var s = Scenario()
        s.admit()
        s.order()
        let alerts = s.assess(
            at: "20260302160000",
            [
                (
                    "TX", "IVSITE^IV site appearance^L",
                    "Site clean, dry and intact. No redness or swelling, denies pain."
                )
            ])
        #expect(alerts.isEmpty)
        let positive = s.assess(
            at: "20260302170000", [("TX", "IVSITE^IV site appearance^L", "Red and swollen")])
        #expect(positive.first?.signs == [.erythema, .swelling])
    }

    @Test func numericScaleThresholds() {
        var s = Scenario()
        s.admit()
        s.order()
        #expect(s.assess(at: "20260302160000", [("NM", "PAINSCORE^Pain score^L", "0")]).isEmpty)
        #expect(
            s.assess(at: "20260302170000", [("NM", "PAINSCORE^Pain score^L", "1")]).first?.signs == [.pain])
    }

    @Test func oneAssessmentRaisesAtMostOneAlert() {
        var s = Scenario()
        s.admit()
        s.order()
        let alerts = s.assess(
            at: "20260305140000",
            [
                ("CWE", "ERYTHEMA^Erythema^L", "Y"), ("CWE", "SWELLING^Swelling^L", "Y"),
                ("TX", "IVSITE^IV site appearance^L", "blanched and cool"),
            ])
        #expect(alerts.count == 1)
        #expect(alerts.first?.signs == [.blanching, .coolness, .erythema, .swelling])
    }

    @Test func deletedWrongAndUnobtainableObservationsAreIgnored() {
        var s = Scenario()
        s.admit()
        s.order()
        let alerts = s.assess(
            at: "20260305140000", site: nil, [],
            extraSegments: [
                "OBX|1|CWE|ERYTHEMA^Erythema^L|1|Y||||||D", "OBX|2|CWE|SWELLING^Swelling^L|1|Y||||||W",
                "OBX|3|NM|PAINSCORE^Pain^L|1|8||||||X",
            ])
        #expect(alerts.isEmpty)
    }

    // MARK: Episodes

    @Test func sameSignsAgainRaiseNothing() {
        var s = Scenario()
        s.admit()
        s.order()
        #expect(s.signs(at: "20260305140000").count == 1)
        #expect(s.signs(at: "20260305150000").isEmpty)
    }

    @Test func escalationWithANewSignKind() throws {
        var s = Scenario()
        s.birthDate = "19800101"
        s.admit()
        s.order()
        let first = try #require(s.signs(at: "20260305140000", swelling: false, pain: 0).first)
        #expect(first.signs == [.erythema])
        #expect(first.severity == .high)
        let second = try #require(
            s.signs(at: "20260305150000", erythema: false, swelling: true, pain: 0).first)
        #expect(second.kind == .extravasationEscalated)
        #expect(second.signs == [.erythema, .swelling], "all sign kinds of the episode so far")
        #expect(second.severity == .critical)
        #expect(second.id != first.id)
        #expect(s.signs(at: "20260305160000", swelling: false, pain: 0).isEmpty)
    }

    @Test func resendChangesNothingAndRaisesNothing() {
        var s = Scenario()
        s.admit()
        s.order()
        let time = "20260305140000"
        let segments = [
            s.pid, "OBR|1|N1||IVASSESS|||\(time)", "OBX|1|CWE|ERYTHEMA^Erythema^L|1|Y||||||F|||\(time)",
        ]
        #expect(s.send("ORU^R01", at: time, segments, controlID: "SAME").alerts.count == 1)
        #expect(s.send("ORU^R01", at: time, segments, controlID: "SAME") == .duplicate)
    }

    @Test func alertIdsAreDeterministic() {
        func run() -> [String] {
            var s = Scenario()
            s.admit()
            s.order()
            return s.signs(at: "20260305140000", swelling: false).map(\.id)
                + s.signs(at: "20260305150000").map(\.id)
        }
        let first = run()
        #expect(first.count == 2)
        #expect(first == run())
        #expect(first.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test func pseudonymizedAlertIdsDependOnTheKey() {
        func run(_ key: [UInt8]?) -> String? {
            var s = Scenario { $0.identityKey = key }
            s.admit()
            s.order()
            return s.signs(at: "20260305140000").first?.id
        }
        #expect(run(nil) != run(Array("k1-0123456789abcdef".utf8)))
        #expect(run(Array("k1-0123456789abcdef".utf8)) != run(Array("k2-0123456789abcdef".utf8)))
    }

    // MARK: Severity and risk factors

    @Test func severityOfAHighRiskDrugWithOneSignAndNoRiskFactorIsHigh() throws {
        var s = Scenario()
        s.birthDate = "19800101"
        s.admit()
        s.order()
        #expect(s.signs(at: "20260305140000", swelling: false, pain: 0).first?.severity == .high)
    }

    @Test func severityOfAHighRiskDrugWithARiskFactorIsCritical() throws {
        var s = Scenario()  // an infant
        s.admit()
        s.order()
        let alert = try #require(s.signs(at: "20260305140000", swelling: false, pain: 0).first)
        #expect(alert.riskFactors == [.infant])
        #expect(alert.severity == .critical)
    }

    @Test func severityRuleTable() {
        let none: Set<RiskFactor> = []
        #expect(
            Severity.assess(risk: .high, signs: [.pain], riskFactors: none, infusionActive: true) == .high)
        #expect(
            Severity.assess(risk: .high, signs: [.pain, .erythema], riskFactors: none, infusionActive: true)
                == .critical)
        #expect(
            Severity.assess(risk: .high, signs: [.leaking], riskFactors: none, infusionActive: true)
                == .critical)
        #expect(
            Severity.assess(risk: .high, signs: [.pain], riskFactors: [.hypocalcemia], infusionActive: true)
                == .high)
        #expect(
            Severity.assess(risk: .moderate, signs: [.pain], riskFactors: none, infusionActive: true)
                == .moderate)
        #expect(
            Severity.assess(risk: .moderate, signs: [.pain], riskFactors: [.infant], infusionActive: true)
                == .high)
        #expect(
            Severity.assess(
                risk: .moderate, signs: [.pain, .swelling], riskFactors: none, infusionActive: true) == .high)
        #expect(
            Severity.assess(
                risk: .moderate, signs: [.pain, .swelling], riskFactors: [.renalFailure], infusionActive: true
            )
                == .critical)
        #expect(
            Severity.assess(
                risk: .low, signs: [.pain, .necrosis], riskFactors: [.infant], infusionActive: true)
                == .moderate)
        #expect(
            Severity.assess(risk: .high, signs: [.pain, .erythema], riskFactors: none, infusionActive: false)
                == .high)
        #expect(
            Severity.assess(risk: .low, signs: [.pain], riskFactors: none, infusionActive: false) == .moderate
        )
    }

    @Test func renalFailureFromAFlagOrTheReferenceRange() throws {
        for (value, range, flag, expected) in [
            ("2.0", "0.50-1.20", "", true), ("1.0", "0.50-1.20", "H", true), ("1.0", "0.50-1.20", "", false),
            ("1.0", "0.50-1.20", "N", false),
        ] {
            var s = Scenario()
            s.birthDate = "19800101"
            s.admit()
            s.labs(at: "20260302093000", [("2160-0", "Creatinine", value, "mg/dL", range, flag)])
            s.order()
            let alert = try #require(s.signs(at: "20260305140000", swelling: false, pain: 0).first)
            #expect(alert.riskFactors.contains(.renalFailure) == expected, "\(value) \(range) \(flag)")
        }
    }

    @Test func labsOlderThanSevenDaysDoNotCount() throws {
        var s = Scenario()
        s.birthDate = "19800101"
        s.admit()
        s.labs(at: "20260226120000", [("2160-0", "Creatinine", "7.18", "mg/dL", "0.50-1.20", "HH")])
        s.order()
        let alert = try #require(s.signs(at: "20260305140000", swelling: false, pain: 0).first)
        #expect(!alert.riskFactors.contains(.renalFailure))
    }

    @Test func calciumTimesPhosphateProductNeedsBothWithin72Hours() throws {
        var s = Scenario()
        s.birthDate = "19800101"
        s.admit()
        s.labs(at: "20260302093000", [("17861-6", "Calcium", "9.0", "mg/dL", "8.5-10.5", "")])
        s.labs(at: "20260303093000", [("2777-1", "Phosphate", "8.0", "mg/dL", "3.8-6.5", "H")])
        s.order()
        let alert = try #require(s.signs(at: "20260305140000", swelling: false, pain: 0).first)
        #expect(alert.riskFactors == [.caXPHigh, .hyperphosphatemia])

        var apart = Scenario()
        apart.birthDate = "19800101"
        apart.admit()
        apart.labs(at: "20260301093000", [("17861-6", "Calcium", "9.0", "mg/dL", "8.5-10.5", "")])
        apart.labs(at: "20260305093000", [("2777-1", "Phosphate", "8.0", "mg/dL", "3.8-6.5", "H")])
        apart.order()
        let later = try #require(apart.signs(at: "20260305140000", swelling: false, pain: 0).first)
        #expect(later.riskFactors == [.hyperphosphatemia])
    }

    @Test func hypocalcemiaIsInformativeOnly() throws {
        var s = Scenario()
        s.birthDate = "19800101"
        s.admit()
        s.labs(at: "20260302093000", [("17861-6", "Calcium", "6.0", "mg/dL", "8.5-10.5", "L")])
        s.order()
        let alert = try #require(s.signs(at: "20260305140000", swelling: false, pain: 0).first)
        #expect(alert.riskFactors == [.hypocalcemia])
        #expect(alert.severity == .high)
    }

    @Test func labRecognitionByNameIsTheFallback() throws {
        var s = Scenario()
        s.birthDate = "19800101"
        s.admit()
        s.labs(at: "20260302093000", [("LOCAL9", "Creatinine, serum", "3.0", "mg/dL", "0.5-1.2", "")])
        s.order()
        let alert = try #require(s.signs(at: "20260305140000", swelling: false, pain: 0).first)
        #expect(alert.riskFactors == [.renalFailure])
    }

    // MARK: Times

    @Test func observationTimeIsOBX14ElseOBR7ElseMSH7() throws {
        var s = Scenario()
        s.admit()
        s.order(start: "20260303120000")
        // MSH-7 after the start, OBR-7 and OBX-14 before it: no alert.
        let before = s.send(
            "ORU^R01", at: "20260303130000",
            [
                s.pid, "OBR|1|N1||IVASSESS|||20260303110000",
                "OBX|1|CWE|ERYTHEMA^Erythema^L|1|Y||||||F|||20260303100000",
            ])
        #expect(before.alerts.isEmpty)
        // OBR-7 after the start, no OBX-14: OBR-7 is used.
        let obr = s.send(
            "ORU^R01", at: "20260303100000",
            [s.pid, "OBR|1|N1||IVASSESS|||20260303125000", "OBX|1|CWE|ERYTHEMA^Erythema^L|1|Y||||||F"])
        let alert = try #require(obr.alerts.first)
        #expect(alert.observedAt == Instant(seconds: 1_772_542_200))
    }

    @Test func timezoneKeyAppliesToTimesWithoutOffset() throws {
        var s = Scenario { $0.times = TimeReader(zone: FixedOffsetZone(offsetSeconds: -5 * 3600)) }
        s.admit()
        s.order(start: "20260303120000")  // 17:00Z
        #expect(s.signs(at: "20260303120000-0400").isEmpty, "16:00Z: before the start")
        #expect(s.signs(at: "20260303120000").count == 1)
    }

    @Test func malformedMessagesAreRejectedWithTheirField() {
        var s = Scenario()
        #expect(
            s.send("ORU^R01", at: "2026130112", [s.pid])
                == .rejected(MessageRejection(location: "MSH-7", reason: "not a valid HL7 date/time")))
        if case .rejected(let why) = s.send("ORU^R01", at: "20260301120000", ["PID|1||"]) {
            #expect(why.location == "PID-3")
        } else {
            Issue.record("a message without a patient identifier must be rejected")
        }
        if case .rejected(let why) = s.send(
            "ORU^R01", at: "20260301120000", [s.pid, "OBR|1", "OBX|1|NM|X||1||||||F|||notatime"])
        {
            #expect(why.location == "OBX-14")
        } else {
            Issue.record("a bad OBX-14 must be rejected")
        }
        #expect(s.send("ADT^A99", at: "20260301120000", [s.pid]) == .ignored)
    }
}

/// Order message dialects and ADT rules at the engine level.
@Suite("Orders and ADT")
struct OrderAndAdmissionTests {
    @Test func v23OrmOrderWithRXOMakesAnExposure() throws {
        var s = Scenario()
        s.admit()
        s.send(
            "ORM^O01", at: "20260302113000",
            [s.pid, "ORC|NW|55^P|||||^^^20260302120000", "RXO|^Calcium gluconate 10%|1", "RXR|IV|^L heel"])
        let alert = try #require(s.signs(at: "20260302140000").first)
        #expect(alert.order == "55")
    }

    @Test func ompOrderWithTQ1MakesAnExposure() throws {
        var s = Scenario()
        s.admit()
        s.send(
            "OMP^O09", at: "20260302113000",
            [
                s.pid, "ORC|NW|56^P", "TQ1|1||||||20260302120000", "RXO|^CaCl2 10%|1",
                "RXR|IV|LH^Left hand^HL70163",
            ])
        #expect(s.signs(at: "20260302115959", site: "^left hand").isEmpty)
        #expect(s.signs(at: "20260302140000", site: "^left hand").first?.order == "56")
    }

    @Test func rdeO01OrderMakesAnExposure() {
        var s = Scenario()
        s.admit()
        s.send(
            "RDE^O01", at: "20260302113000",
            [s.pid, "ORC|NW|57", "RXE|^^^20260302120000|^Calcium chloride 10%", "RXR|IV|^R hand"])
        #expect(s.signs(at: "20260302140000", site: "^Right hand").count == 1)
    }

    @Test func catalogMatchesByCodeWithoutText() {
        var s = Scenario()
        s.admit()
        let code = ConfigurationLoader.builtInDefaults().catalog.entry(id: "calcium-gluconate")?.codes.first
        s.order(drug: "\(code?.code ?? "?")^^\(code?.system ?? "")")
        #expect(s.signs(at: "20260305140000").count == 1)
    }

    @Test(arguments: ["OD", "OC"])
    func otherEndingOrderControlsEndTheExposure(control: String) throws {
        var s = Scenario()
        s.admit()
        s.order()
        s.order(control, start: nil, at: "20260303120000")
        let alert = try #require(s.signs(at: "20260303140000").first)
        #expect(!alert.infusionActive)
    }

    @Test func transferChangesTheLocationOfLaterAlerts() throws {
        var s = Scenario()
        s.admit()
        s.order()
        s.location = "4W^401^1"
        s.send("ADT^A02", at: "20260303080000", ["EVN|A02|20260303080000", s.pid, s.pv1])
        let alert = try #require(
            s.assess(at: "20260305140000", [("CWE", "ERYTHEMA^Erythema^L", "Y")], includePV1: false).first)
        #expect(alert.location == "4W/401/1")
    }

    @Test func observationMessageLocationWinsOverTheStoredOne() throws {
        var s = Scenario()
        s.admit()
        s.order()
        s.location = "OR^2^A"
        let alert = try #require(s.assess(at: "20260305140000", [("CWE", "ERYTHEMA^Erythema^L", "Y")]).first)
        #expect(alert.location == "OR/2/A")
    }

    @Test func dischargeKeepsTheWatch() throws {
        var s = Scenario()
        s.admit()
        s.order()
        s.order("DC", start: nil, at: "20260304120000")
        s.send("ADT^A03", at: "20260304130000", ["EVN|A03|20260304130000", s.pid, s.pv1])
        #expect(
            s.signs(at: "20260305140000").count == 1, "signs within the watch after discharge still alert")
    }

    @Test func xoNamingANewSiteMovesTheExposure() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "^L heel")
        s.order("XO", site: "^R hand", start: nil, at: "20260303120000")
        let old = try #require(s.signs(at: "20260303140000", site: "^Left heel").first)
        #expect(!old.infusionActive, "the old site is under watch")
        let new = try #require(s.signs(at: "20260303150000", site: "^Right hand").first)
        #expect(new.infusionActive)
        #expect(new.site?.name == "right-hand")
    }

    @Test func stateEncodingRoundTripsAndRejectsOtherVersions() throws {
        var s = Scenario()
        s.admit()
        s.renalLabs()
        s.order()
        _ = s.signs(at: "20260305140000", swelling: false)
        let data = try JSONEncoder().encode(s.engine.state)
        let decoded = try JSONDecoder().decode(SurveillanceState.self, from: data)
        #expect(decoded == s.engine.state)
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(
            of: "\"version\":\(SurveillanceState.currentVersion)", with: "\"version\":99")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SurveillanceState.self, from: Data(text.utf8))
        }
    }
}
