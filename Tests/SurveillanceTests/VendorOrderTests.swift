import ClinicalEvents
import Foundation
import Surveillance
import Testing

// Issue 11 (orders, ADT, labs, administration notes), built from messages shaped as
// the vendors send them: Epic RDE^O11 (ORC, RXE, TQ1 x2 after RXE, RXR x2, RXC),
// Oracle Health `HNAM` ADT (EVN-6), Meditech RAS^O17 (RXA-9, NTE).

extension Scenario {
    /// An Epic pharmacy order (RDE^O11): ORC, RXE, then its TQ1 segments (each
    /// `(start, end, priority)`), its RXR segments (`route|site`) and RXC base + additive.
    mutating func epicOrder(
        _ control: String = "NW", number: String = "7001", at time: String = "20260302113000",
        drug: String = "1736854^CALCIUM GLUCONATE 100 MG/ML IV SOLN^RXNORM",
        timing: [(start: String, end: String, priority: String)], rxr: [String]
    ) {
        let previous = sender
        sender = "EPIC|EPICADT"
        defer { sender = previous }
        var segments = [
            pid, pv1,
            "ORC|\(control)|\(number)^EPC|\(number)9^EPC||IP||||\(time)|||1234^PHYSICIAN^ANN|||\(time)",
            "RXE|^^^\(timing.first?.start ?? "")^^R|\(drug)|100||mg|||||||||||||||||||||||",
        ]
        for (index, tq1) in timing.enumerated() {
            let repeatPattern = tq1.priority == "S" ? "ONCE^Once^EPIC" : "Q6H^Every 6 hours^EPIC"
            segments.append("TQ1|\(index + 1)||\(repeatPattern)||||\(tq1.start)|\(tq1.end)|\(tq1.priority)")
        }
        segments += rxr.map { "RXR|\($0)" }
        segments.append("RXC|B|338^SODIUM CHLORIDE 0.9 % IV SOLP^EPIC|50|mL")
        segments.append("RXC|A|1736854^CALCIUM GLUCONATE 100 MG/ML IV SOLN^RXNORM|1|g")
        send("RDE^O11^RDE_O11", at: time, segments)
    }

    /// An Oracle Health (Cerner Millennium, `HNAM`) ADT event: EVN-2 recorded, EVN-6
    /// occurred; PV1-3 and PV1-19 as given.
    mutating func hnamADT(
        _ event: String, at time: String, recorded: String? = nil, occurred: String = "",
        pv1: String? = nil
    ) {
        let previous = sender
        sender = "HNAM|CERNER"
        defer { sender = previous }
        send(
            "ADT^\(event)", at: time,
            ["EVN|\(event)|\(recorded ?? time)|||JSMITH^Smith^Jo|\(occurred)", pid, pv1 ?? self.pv1])
    }

    /// A Meditech administration (RAS^O17): ORC, RXA with RXA-9 notes, RXR, NTE lines.
    @discardableResult
    mutating func meditechAdministration(
        order number: String = "7001", start: String, end: String, notes rxa9: String, site: String,
        nte: [String] = []
    ) -> [Alert] {
        let previous = sender
        sender = "MEDITECH|CHILDRENS"
        defer { sender = previous }
        var rxa = [
            "RXA", "0", "1", start, end, "1736854^Calcium Gluconate 10% inj^RXNORM", "100", "mg", "", rxa9,
            "RN123^NURSE^RITA",
        ]
        rxa += Array(repeating: "", count: 9)
        rxa += ["CP", "A"]
        var segments = [pid, pv1, "ORC|RE|\(number)^MT|||CM", rxa.joined(separator: "|")]
        segments.append("RXR|IV^Intravenous^HL70162|\(site)")
        for (index, text) in nte.enumerated() { segments.append("NTE|\(index + 1)|L|\(text)") }
        return send("RAS^O17^RAS_O17", at: end, segments).alerts
    }

    /// The patient's record now.
    var record: PatientRecord? { engine.state.patient(PatientKey(identifier: mrn, authority: "CHILDRENS")) }
}

@Suite("Orders: TQ1 union and several RXR")
struct OrderTimingAndRouteTests {
    let statThenQ6h: [(start: String, end: String, priority: String)] = [
        ("20260302120000", "20260302120000", "S"), ("20260302180000", "20260309180000", "R"),
    ]

    @Test func anOrdersExposureRunsFromItsEarliestTQ1StartToItsLatestTQ1End() throws {
        var s = Scenario()
        s.admit()
        s.epicOrder(timing: statThenQ6h, rxr: ["IV^Intravenous^HL70162|LH^Left Hand^HL70163"])
        // Four days on: past the STAT dose's watch, inside the q6h doses.
        let alert = try #require(s.signs(at: "20260306140000", site: "^Left hand").first)
        #expect(alert.infusionActive)
        #expect(alert.exposureStartedAt == Instant(seconds: 1_772_452_800), "the STAT dose's start")
        #expect(
            s.signs(at: "20260313120000", site: "^Left hand", erythema: false).isEmpty,
            "72 h after the last end")
    }

    @Test func aTQ1WithoutAnEndLeavesTheExposureOpen() throws {
        var s = Scenario()
        s.admit()
        s.epicOrder(
            timing: [("20260302120000", "20260302120000", "S"), ("20260302180000", "", "R")],
            rxr: ["IV^Intravenous^HL70162|LH^Left Hand^HL70163"])
        let alert = try #require(s.signs(at: "20260320140000", site: "^Left hand").first)
        #expect(alert.infusionActive)
    }

    @Test func aLaterTQ1OfTheSameOrderExtendsItsExposureToItsOwnEnd() throws {
        var s = Scenario()
        s.admit()
        s.epicOrder(timing: [statThenQ6h[0]], rxr: ["IV^Intravenous^HL70162|LH^Left Hand^HL70163"])
        // The scheduled doses come in a later message of the same order.
        s.epicOrder("SC", at: "20260302130000", timing: [statThenQ6h[1]], rxr: ["IV^Intravenous^HL70162|"])
        let alert = try #require(s.signs(at: "20260306140000", site: "^Left hand").first)
        #expect(alert.infusionActive)
    }

    @Test func theOrdersSiteIsTheFirstParenteralRXRWithASite() throws {
        var s = Scenario()
        s.admit()
        s.epicOrder(
            timing: statThenQ6h,
            rxr: [
                "IV^Intravenous^HL70162|", "PO^Oral^HL70162|RH^Right Hand^HL70163",
                "IV^Intravenous^HL70162|LH^Left Hand^HL70163",
            ])
        let exposure = try #require(s.record?.orders.first?.exposures.first)
        #expect(exposure.site?.name == "left-hand")
        let alert = try #require(s.signs(at: "20260303140000", site: "^Left hand").first)
        #expect(alert.site?.name == "left-hand")
        #expect(alert.siteMatch == .exact)
        #expect(
            s.signs(at: "20260303150000", site: "^Right hand").allSatisfy { $0.site?.name != "right-hand" })
    }

    @Test func anOrderWhoseRXRsNameNoSiteIsKeptWithoutASite() throws {
        var s = Scenario()
        s.admit()
        s.epicOrder(timing: statThenQ6h, rxr: ["IV^Intravenous^HL70162|", "IV^Intravenous^HL70162|"])
        let order = try #require(s.record?.orders.first)
        #expect(order.exposures.count == 1)
        #expect(order.exposures.first?.site == nil)
        #expect(order.exposures.first?.end == Instant(seconds: 1_773_079_200), "the latest TQ1-8")
    }
}

@Suite("ADT: discharge, cancellations, empty PV1 fields")
struct AdmissionEventTests {
    @Test func dischargeEndsEveryExposureAtItsEffectiveTimeAndStartsTheWatches() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "LH^Left Hand^HL70163")  // no DC follows the discharge
        // Discharged at 10:00 (EVN-6), recorded at 13:00 (EVN-2), sent at 14:00.
        s.hnamADT("A03", at: "20260304140000", recorded: "20260304130000", occurred: "20260304100000")
        let order = try #require(s.record?.orders.first)
        #expect(order.exposures.first?.end == Instant(seconds: 1_772_618_400), "EVN-6")
        // A sign charted at 11:00 (after the discharge's effective time) is under watch only.
        let alert = try #require(
            s.assess(at: "20260304110000", site: "^Left hand", [("CWE", "ERYTHEMA^Erythema^L", "Y")]).first)
        #expect(!alert.infusionActive)
        #expect(alert.severity == .high, "an infant: critical, one step lower under watch only")
        // Past the 72-hour watch from the discharge: nothing.
        #expect(s.signs(at: "20260307110000", site: "^Left hand").isEmpty)
    }

    @Test func theDischargeTakesEffectAtEVN2WithoutEVN6() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "LH^Left Hand^HL70163")
        s.hnamADT("A03", at: "20260304140000", recorded: "20260304130000")
        #expect(s.record?.orders.first?.exposures.first?.end == Instant(seconds: 1_772_629_200), "EVN-2")
        #expect(s.record?.dischargedAt == Instant(seconds: 1_772_629_200))
    }

    @Test func aDischargeWithoutADCEndsTheExposureAndThePatientIsKeptUntilTheLateWatchEnds() {
        var s = Scenario()
        s.admit()
        s.order(site: "LH^Left Hand^HL70163")
        s.hnamADT("A03", at: "20260304140000", occurred: "20260304100000")
        s.moveClock(to: "20260413080000")  // 40 days after: inside the late (calcinosis) watch
        #expect(s.record != nil)
        s.moveClock(to: "20260420080000")  // past 42 days and the pruning margin
        #expect(s.record == nil)
    }

    @Test func cancelAdmitPutsLocationAndVisitBackToWhatTheyWereBeforeIt() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "LH^Left Hand^HL70163")
        s.location = "4W^401^1"
        s.hnamADT("A01", at: "20260303080000", pv1: "PV1|1|I|4W^401^1||||||||||||||||V200^^^CHILDRENS^VN")
        #expect(s.record?.visit == "V200")
        s.hnamADT("A11", at: "20260303090000", pv1: "PV1|1|I|4W^401^1||||||||||||||||V200^^^CHILDRENS^VN")
        #expect(s.record?.location == "PICU/12/A")
        #expect(s.record?.visit == "V100")
        let alert = try #require(
            s.assess(
                at: "20260303140000", site: "^Left hand", [("CWE", "ERYTHEMA^Erythema^L", "Y")],
                includePV1: false
            )
            .first)
        #expect(alert.location == "PICU/12/A")
        #expect(alert.visit == "V100")
    }

    @Test func cancelTransferPutsTheLocationBackWhateverPV13Says() {
        var s = Scenario()
        s.admit()
        s.hnamADT("A02", at: "20260303080000", pv1: "PV1|1|I|4W^401^1||||||||||||||||V100^^^CHILDRENS^VN")
        #expect(s.record?.location == "4W/401/1")
        // The cancel carries the cancelled location in PV1-3: it is not where the patient is.
        s.hnamADT("A12", at: "20260303090000", pv1: "PV1|1|I|4W^401^1||||||||||||||||V100^^^CHILDRENS^VN")
        #expect(s.record?.location == "PICU/12/A")
    }

    @Test func cancelDischargeMakesThePatientCurrentAgainAndEndedExposuresStayEnded() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "LH^Left Hand^HL70163")
        s.hnamADT("A03", at: "20260304100000", occurred: "20260304100000")
        s.hnamADT("A13", at: "20260304120000")
        #expect(s.record?.dischargedAt == nil)
        #expect(s.record?.orders.first?.exposures.first?.end == Instant(seconds: 1_772_618_400))
        #expect(
            s.signs(at: "20260308120000", site: "^Left hand").isEmpty, "the ended exposure's watch is over")
    }

    @Test func anEmptyPV13KeepsTheLastKnownLocationAndAnEmptyPV119TheLastKnownVisit() {
        var s = Scenario()
        s.admit()
        s.hnamADT("A08", at: "20260303080000", pv1: "PV1|1|I")
        #expect(s.record?.location == "PICU/12/A")
        #expect(s.record?.visit == "V100")
        s.hnamADT("A02", at: "20260303090000", pv1: "PV1|1|I|^^^CHILDRENS||||||||||||||||")
        #expect(s.record?.location == "PICU/12/A")
        #expect(s.record?.visit == "V100")
    }

    @Test func stateWithAnAdmissionHistoryRoundTripsAndAnOldRecordDecodes() throws {
        var s = Scenario()
        s.admit()
        s.hnamADT("A02", at: "20260303080000", pv1: "PV1|1|I|4W^401^1")
        let data = try JSONEncoder().encode(s.engine.state)
        #expect(try JSONDecoder().decode(SurveillanceState.self, from: data) == s.engine.state)
        // A record written before the history was kept has no such key.
        var old = try #require(s.record)
        old.admissionHistory = nil
        let oldData = try JSONEncoder().encode(old)
        #expect(!String(decoding: oldData, as: UTF8.self).contains("admissionHistory"))
        #expect(try JSONDecoder().decode(PatientRecord.self, from: oldData) == old)
    }
}

@Suite("Labs: ionized calcium")
struct IonizedCalciumTests {
    @Test func ionizedCalciumCountsForHypocalcemiaByItsOwnRange() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "LH^Left Hand^HL70163")
        s.sender = "EPIC|EPICLAB"
        // Total calcium normal; ionized calcium (mmol/L) below its own range.
        s.labs(
            at: "20260302100000",
            [
                ("17861-6", "Calcium", "9.0", "mg/dL", "8.5-10.5", "N"),
                ("1994-3", "Calcium.ionized", "0.95", "mmol/L", "1.12-1.32", ""),
            ])
        let alert = try #require(s.signs(at: "20260302140000", site: "^Left hand").first)
        #expect(alert.riskFactors.contains(.hypocalcemia))
    }

    @Test func ionizedCalciumByItsNameCountsForHypocalcemia() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "LH^Left Hand^HL70163")
        s.labs(at: "20260302100000", [("ICA", "iCa", "0.98", "mmol/L", "1.12-1.32", "L")])
        let alert = try #require(s.signs(at: "20260302140000", site: "^Left hand").first)
        #expect(alert.riskFactors.contains(.hypocalcemia))
    }

    @Test func ionizedCalciumNeverEntersTheCalciumPhosphateProduct() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "LH^Left Hand^HL70163")
        // 6.0 mg/dL ionized x 19.8 mg/dL phosphate = 119: counted as total calcium it would cross 70.
        s.labs(
            at: "20260302100000",
            [
                ("12180-8", "Calcium.ionized", "6.0", "mg/dL", "4.5-5.3", "H"),
                ("2777-1", "Phosphate", "19.8", "mg/dL", "3.8-6.5", "HH"),
            ])
        s.labs(at: "20260302101000", [("LCAI", "Calcium, ionized", "1.5", "mmol/L", "1.12-1.32", "H")])
        let alert = try #require(s.signs(at: "20260302140000", site: "^Left hand").first)
        #expect(!alert.riskFactors.contains(.caXPHigh))
        #expect(alert.riskFactors.contains(.hyperphosphatemia))
        #expect(s.record?.labs.filter { $0.analyte == .calcium }.isEmpty == true)
    }
}

@Suite("Administration notes (RXA-9, NTE)")
struct AdministrationNoteTests {
    @Test func signsInAnAdministrationsNotesAlertAtItsSite() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "LH^Left Hand^HL70163")
        let alerts = s.meditechAdministration(
            start: "20260303100000", end: "20260303101500", notes: "^Site infiltrated, infusion stopped",
            site: "LH^Left Hand^HL70163", nte: ["Left hand swollen and cool, MD notified."])
        let alert = try #require(alerts.first)
        #expect(alerts.count == 1, "one administration is one assessment")
        #expect(alert.kind == .extravasationSuspected)
        #expect(alert.site?.name == "left-hand")
        #expect(alert.siteMatch == .exact)
        #expect(alert.signs == [.coolness, .infiltration, .swelling])
        #expect(alert.observedAt == Instant(seconds: 1_772_532_000), "RXA-3")
        #expect(alert.infusionActive)
    }

    @Test func anAdministrationNoteWithoutASiteIsReadAtItsOrdersSite() throws {
        var s = Scenario()
        s.admit()
        s.order(site: "LH^Left Hand^HL70163")
        let alert = try #require(
            s.meditechAdministration(
                start: "20260303100000", end: "20260303101500", notes: "", site: "",
                nte: ["IV site red and leaking, infusion stopped"]
            ).first)
        #expect(alert.site?.name == "left-hand")
        #expect(alert.signs == [.erythema, .leaking])
    }

    @Test func aNegatedAdministrationNoteRaisesNothing() {
        var s = Scenario()
        s.admit()
        s.order(site: "LH^Left Hand^HL70163")
        #expect(
            s.meditechAdministration(
                start: "20260303100000", end: "20260303101500", notes: "^Site without redness or swelling",
                site: "LH^Left Hand^HL70163", nte: ["No leaking."]
            ).isEmpty)
    }
}
