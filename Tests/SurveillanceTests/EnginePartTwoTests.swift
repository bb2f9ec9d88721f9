import ClinicalEvents
import Configuration
import FeedGen
import HL7
import Foundation
import Signs
import Sites
import Surveillance
import Testing

/// DESIGN.md section 4, the rest: administrations, merges, SI units, PN, calcinosis,
/// vesicants, several drugs at one site, discharge and pruning.
@Suite("Clinical rules, part 2")
struct EnginePartTwoTests {
    // MARK: Administrations

    @Test func administrationOfAKnownOrderExtendsItsExposure() throws {
        var s = Scenario()
        s.admit()
        s.order(end: "20260303120000")
        s.administer(start: "20260303100000", end: "20260304120000")
        let alert = try #require(s.signs(at: "20260304100000").first)
        #expect(alert.infusionActive, "the administration ran past the order's end")
        #expect(alert.order == "7001")
    }

    @Test func administrationNeverSplitsAnExposureSoOneSignOpensOneEpisode() throws {
        var s = Scenario()
        s.admit()
        s.order()
        s.administer(start: "20260302120000", end: "20260302130000")
        s.administer(admin: "2", start: "20260303120000", end: "20260303130000")
        #expect(s.signs(at: "20260303123000").count == 1)
        #expect(s.signs(at: "20260303124000").isEmpty)
        #expect(s.engine.state.patients.values.first?.episodes.count == 1)
    }

    @Test func administrationWithAnUnknownOrderHasItsOwnExposure() throws {
        var s = Scenario()
        s.admit()
        s.administer(order: "9999", start: "20260302120000", end: "20260302180000")
        let during = try #require(s.signs(at: "20260302140000").first)
        #expect(during.infusionActive)
        #expect(during.order == "9999")
        #expect(s.signs(at: "20260305190000", swelling: false, pain: 0).isEmpty, "past the 72 h watch")
    }

    @Test func administrationWithoutAnEndOrAKnownOrderIsAMoment() throws {
        var s = Scenario()
        s.admit()
        s.administer(order: nil, start: "20260302120000")
        #expect(s.signs(at: "20260302115959").isEmpty)
        let alert = try #require(s.signs(at: "20260302130000").first)
        #expect(!alert.infusionActive)
    }

    @Test func notGivenAdministrationCreatesNoExposure() {
        for status in ["NA", "RE"] {
            var s = Scenario()
            s.admit()
            s.administer(order: "9999", start: "20260302120000", end: "20260302180000", status: status)
            #expect(s.signs(at: "20260302140000").isEmpty, "\(status)")
        }
        var extend = Scenario()
        extend.admit()
        extend.order(end: "20260303120000")
        extend.administer(start: "20260303100000", end: "20260304120000", status: "NA")
        #expect(extend.signs(at: "20260304100000").first?.infusionActive == false, "NA extends nothing")
    }

    @Test func deletedAdministrationIsRemoved() {
        var s = Scenario()
        s.admit()
        s.administer(order: "9999", start: "20260302120000", end: "20260302180000")
        s.administer(
            order: "9999", start: "20260302120000", end: "20260302180000", action: "D", at: "20260302130000")
        #expect(s.signs(at: "20260302140000").isEmpty)
    }

    @Test func updateToNotGivenRemovesTheAdministration() {
        var s = Scenario()
        s.admit()
        s.administer(order: "9999", start: "20260302120000", end: "20260302180000")
        s.administer(
            order: "9999", start: "20260302120000", end: "20260302180000", status: "RE", action: "U",
            at: "20260302130000")
        #expect(s.signs(at: "20260302140000").isEmpty)
    }

    @Test func updatedAdministrationMovesItsTimes() throws {
        var s = Scenario()
        s.admit()
        s.administer(order: "9999", start: "20260302120000", end: "20260302130000")
        s.administer(
            order: "9999", start: "20260302120000", end: "20260302200000", action: "U", at: "20260302130000")
        #expect(try #require(s.signs(at: "20260302150000").first).infusionActive)
    }

    @Test func administrationWithABadStartIsRejected() {
        var s = Scenario()
        s.admit()
        if case .rejected(let why) = s.administer(start: "2026xx", at: "20260302120000") {
            #expect(why.location == "RXA-3")
        } else {
            Issue.record("a bad RXA-3 must be rejected")
        }
    }

    // MARK: Merges

    @Test func mergeBetweenOrderAndSignMovesStateToTheSurvivingIdentifier() throws {
        var s = Scenario()
        s.mrn = "TEMP111"
        s.admit()
        s.order()
        let temporary = s.pid
        s.mrn = "4455"
        s.send(
            "ADT^A40", at: "20260303080000", ["EVN|A40|20260303080000", s.pid, "MRG|TEMP111^^^CHILDRENS^MR"])
        let alert = try #require(s.signs(at: "20260305140000").first)
        #expect(alert.patient == "4455")
        #expect(alert.patientKey == PatientKey(identifier: "4455", authority: "CHILDRENS"))
        #expect(s.engine.state.patients.count == 1)
        // A late message under the old identifier reaches the survivor.
        let late = s.send(
            "ORU^R01", at: "20260305150000",
            [temporary, "OBR|1|||IVASSESS|||20260305150000", "OBX|1|CWE|BLISTER^Blistering^L|1|Y||||||F"])
        #expect(late.alerts.first?.patient == "4455")
        #expect(late.alerts.first?.kind == .extravasationEscalated)
    }

    @Test func mergeWithoutMRGIsRejected() {
        var s = Scenario()
        if case .rejected(let why) = s.send("ADT^A40", at: "20260303080000", [s.pid]) {
            #expect(why.location == "MRG")
        } else {
            Issue.record("a merge without MRG must be rejected")
        }
    }

    // MARK: SI units

    @Test func creatinineInMicromolesPerLiterAboveItsRange() throws {
        for (value, expected) in [("111", true), ("110", false), ("635", true)] {
            var s = Scenario()
            s.birthDate = "19800101"
            s.admit()
            s.labs(at: "20260302093000", [("14682-9", "Creatinine", value, "umol/L", "45-110", "")])
            s.order()
            let alert = try #require(s.signs(at: "20260305140000", swelling: false, pain: 0).first)
            #expect(alert.riskFactors.contains(.renalFailure) == expected, "\(value) umol/L")
        }
    }

    @Test func calciumAndPhosphateInMillimolesPerLiterCrossTheProductThreshold() throws {
        // 2.2 mmol/L x 4.008 = 8.82 mg/dL; 2.6 x 3.097 = 8.05 mg/dL: product 71.0 (>= 70).
        // 2.5 x 3.097 = 7.74: product 68.3 (< 70).
        for (phosphate, expected) in [("2.6", true), ("2.5", false)] {
            var s = Scenario()
            s.birthDate = "19800101"
            s.admit()
            s.labs(
                at: "20260302093000",
                [
                    ("2000-8", "Calcium", "2.2", "mmol/L", "2.1-2.6", ""),
                    ("14879-1", "Phosphate", phosphate, "mmol/L", "0.8-1.5", "H"),
                ])
            s.order()
            let alert = try #require(s.signs(at: "20260305140000", swelling: false, pain: 0).first)
            #expect(alert.riskFactors.contains(.caXPHigh) == expected, "phosphate \(phosphate) mmol/L")
            #expect(alert.riskFactors.contains(.hyperphosphatemia))
        }
    }

    @Test func hypocalcemiaInMillimolesPerLiter() throws {
        var s = Scenario()
        s.birthDate = "19800101"
        s.admit()
        s.labs(at: "20260302093000", [("2000-8", "Calcium", "1.6", "mmol/L", "2.1-2.6", "")])
        s.order()
        let alert = try #require(s.signs(at: "20260305140000", swelling: false, pain: 0).first)
        #expect(alert.riskFactors == [.hypocalcemia])
    }

    // MARK: Parenteral nutrition

    @Test func parenteralNutritionWithACalciumComponentIsAModerateEntry() throws {
        var s = Scenario()
        s.birthDate = "19800101"
        s.admit()
        s.order(drug: "^TPN", components: ["AA^Amino acids 10%^L", "CAGLU^Calcium gluconate^L"])
        let alert = try #require(s.signs(at: "20260305140000", swelling: false, pain: 0).first)
        #expect(alert.severity == .moderate)
        #expect(alert.drug == "TPN")
    }

    @Test func parenteralNutritionWithoutCalciumRaisesNothing() {
        var s = Scenario()
        s.admit()
        s.order(
            drug: "^Parenteral Nutrition Adult",
            components: ["AA^Amino acids 10%^L", "KCL^Potassium chloride^L"])
        #expect(s.signs(at: "20260305140000").isEmpty)
    }

    // MARK: Calcinosis

    func calcinosisScenario() -> Scenario {
        var s = Scenario()
        s.admit()
        s.order()
        s.order("DC", start: nil, at: "20260305120000")
        return s
    }

    @Test func calcinosisFindingWithinFortyTwoDaysRaisesCalcinosisSuspected() throws {
        var s = calcinosisScenario()
        let alerts = s.assess(
            at: "20260326100000",
            [("TX", "SKIN^Skin assessment^L", "Erythematous plaque with white-yellow nodules")])
        let alert = try #require(alerts.first { $0.kind == .calcinosisSuspected })
        #expect(alert.signs == [.calcinosis])
        #expect(alert.severity == .high)
        #expect(!alert.infusionActive)
        #expect(
            alerts.allSatisfy { $0.kind == .calcinosisSuspected },
            "acute signs after the watch window raise nothing")
        // At most once per episode.
        #expect(
            s.assess(at: "20260327100000", [("TX", "XR^X-ray heel^L", "radio-opaque calcification")]).isEmpty)
    }

    @Test func calcinosisFindingAfterTheLateWatchRaisesNothing() {
        var s = calcinosisScenario()
        #expect(s.assess(at: "20260416120001", [("TX", "SKIN^Skin^L", "chalky nodule")]).isEmpty)
        var edge = calcinosisScenario()
        #expect(edge.assess(at: "20260416120000", [("TX", "SKIN^Skin^L", "chalky nodule")]).count == 1)
    }

    @Test func calcinosisNeedsACalciumEntry() {
        var s = Scenario()
        s.admit()
        s.order(drug: "^Lactated Ringers")
        s.order("DC", start: nil, at: "20260305120000")
        #expect(s.assess(at: "20260320100000", [("TX", "SKIN^Skin^L", "white-yellow nodules")]).isEmpty)
    }

    @Test func negatedCalcinosisFindingRaisesNothing() {
        var s = calcinosisScenario()
        #expect(s.assess(at: "20260320100000", [("TX", "XR^X-ray^L", "No calcification seen")]).isEmpty)
    }

    // MARK: Catalogs and several drugs

    @Test func enablingTheVesicantCatalogMakesTheSameEngineAlertForVesicants() throws {
        var without = Scenario()
        without.admit()
        without.order(drug: "^Norepinephrine 4 mg/250 mL")
        #expect(without.signs(at: "20260305140000").isEmpty)

        let vesicants = try ConfigurationLoader.load(yaml: "vesicant_catalog: true\n", path: "test.yaml")
            .catalog
        var with = Scenario { $0.catalog = vesicants }
        with.admit()
        with.order(drug: "^Norepinephrine 4 mg/250 mL")
        let alert = try #require(with.signs(at: "20260305140000").first)
        #expect(alert.drug == "Norepinephrine 4 mg/250 mL")
        #expect(alert.catalogEntry.contains("norepinephrine") || alert.catalogEntry.contains("vasopressor"))
    }

    @Test func severalExposuresAtOneSiteNameTheHighestRiskDrug() throws {
        var s = Scenario()
        s.admit()
        s.order(number: "LR1", drug: "^Lactated Ringers", start: "20260302110000")
        s.order(number: "CA1", drug: "^Calcium gluconate 10%", start: "20260302120000")
        s.order(number: "LR2", drug: "^Hartmann's", start: "20260302130000")
        let alert = try #require(s.signs(at: "20260302140000").first)
        #expect(alert.order == "CA1")
        var tie = Scenario()
        tie.admit()
        tie.order(number: "G1", drug: "^Calcium gluconate 10%", start: "20260302110000")
        tie.order(number: "G2", drug: "^CaCl2", start: "20260302120000")
        #expect(
            try #require(tie.signs(at: "20260302140000").first).order == "G2",
            "ties: the most recently started")
    }

    // MARK: Discharge and pruning

    @Test func dischargedPatientIsKeptUntilEveryWatchHasEnded() {
        var s = calcinosisScenario()
        s.send("ADT^A03", at: "20260306080000", ["EVN|A03|20260306080000", s.pid, s.pv1])
        // Other patients' messages move the clock on (the bulk of them: it is their median).
        s.moveClock(to: "20260410080000")
        let key = PatientKey(identifier: "4455", authority: "CHILDRENS")
        #expect(s.engine.state.patients[key] != nil, "late watch")
        s.moveClock(to: "20260420080000")
        #expect(s.engine.state.patients[key] == nil)
    }

    @Test func processedIdentitiesArePrunedAfterTheRetention() throws {
        var s = Scenario()
        s.admit(at: "20260302080000")
        #expect(s.engine.state.processed.count == 1)
        let first = try #require(s.engine.state.processed.keys.first)
        s.moveClock(to: "20260320080000")
        #expect(s.engine.state.processed[first] == nil, "the first identity is older than 14 days")
        #expect(s.engine.state.processed.count == FeedClock.windowSize / 2 + 1)
    }
}

/// OBX-11 `C`: a corrected value replaces the earlier one.
@Suite("Corrections")
struct CorrectionTests {
    func adultOnCalcium() -> Scenario {
        var s = Scenario()
        s.birthDate = "19800101"
        s.admit()
        s.order()
        return s
    }

    func erythema(_ value: String, status: String, at time: String, in s: inout Scenario) -> [Alert] {
        s.assess(
            at: time, site: "^Left heel", [],
            extraSegments: ["OBX|2|CWE|ERYTHEMA^Erythema at IV site^L|1|\(value)||||||\(status)|||\(time)"])
    }

    @Test func correctionThatRemovesASignDoesNotRetractTheAlertButStopsEscalationOnIt() throws {
        var s = adultOnCalcium()
        let first = erythema("Y", status: "F", at: "20260305140000", in: &s)
        #expect(first.first?.signs == [.erythema])
        #expect(
            erythema("N", status: "C", at: "20260305140000", in: &s).isEmpty, "nothing is retracted or raised"
        )
        let later = try #require(
            s.signs(at: "20260305160000", erythema: false, swelling: false, pain: 3).first)
        #expect(later.kind == .extravasationEscalated)
        #expect(later.signs == [.pain], "the corrected-away sign no longer counts")
        #expect(later.severity == .high)

        var uncorrected = adultOnCalcium()
        _ = erythema("Y", status: "F", at: "20260305140000", in: &uncorrected)
        let compare = try #require(
            uncorrected.signs(at: "20260305160000", erythema: false, swelling: false, pain: 3).first)
        #expect(compare.signs == [.erythema, .pain])
        #expect(compare.severity == .critical)
    }

    @Test func correctionThatAddsASignAlerts() throws {
        var s = adultOnCalcium()
        #expect(erythema("N", status: "F", at: "20260305140000", in: &s).isEmpty)
        let corrected = try #require(erythema("Y", status: "C", at: "20260305140000", in: &s).first)
        #expect(corrected.kind == .extravasationSuspected)
        #expect(corrected.signs == [.erythema])
    }

    @Test func correctionRepeatingTheSameSignRaisesNothing() {
        var s = adultOnCalcium()
        #expect(erythema("Y", status: "F", at: "20260305140000", in: &s).count == 1)
        #expect(erythema("Y", status: "C", at: "20260305140000", in: &s).isEmpty)
    }
}

@Suite("Imaging and state size")
struct ImagingAndStateTests {
    @Test func imagingResultsCountOnlyForCalcinosis() throws {
        var s = Scenario()
        s.admit()
        s.order()
        #expect(
            s.assess(
                at: "20260303100000", [("TX", "XR^X-ray left foot^L", "Soft tissue swelling of the heel")]
            ).isEmpty)
        let finding = s.assess(
            at: "20260304100000", [("TX", "US^Ultrasound soft tissue^L", "Hyperechoic plaque, calcification")]
        )
        #expect(finding.map(\.kind) == [.calcinosisSuspected])
    }

    @Test func stateSizeStaysBoundedAsTheFeedGrows() throws {
        func stateBytes(days: Int64) throws -> (bytes: Int, episodes: Int) {
            var engine = SurveillanceEngine(
                settings: SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog))
            let feed = FeedGenerator.feed(
                options: FeedOptions(seed: 42, patients: 12, signShare: 0.1), simulatedSeconds: days * 86_400)
            for case .success(let message) in MessageReader.readAll(feed) {
                _ = engine.process(message, source: .file("month", offset: message.offset))
            }
            return (try JSONEncoder().encode(engine.state).count, engine.state.openEpisodeCount)
        }
        let month = try stateBytes(days: 30)
        let twoMonths = try stateBytes(days: 60)
        #expect(month.bytes > 0)
        #expect(Double(twoMonths.bytes) < Double(month.bytes) * 1.5, "\(month) -> \(twoMonths)")
    }
}
