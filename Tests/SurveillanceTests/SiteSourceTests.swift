import ClinicalEvents
import Foundation
import Sites
import Surveillance
import Testing

/// DESIGN.md section 4, "Where the drug flows when the order names no site": the
/// site-source chain, lines in place and line replacement, rule by rule, from messages
/// shaped as Epic and Oracle Health send them (Epic RDE^O11 with an empty RXR-2, RAS^O17
/// with the MAR's RXR-2, LDA flowsheet rows; Oracle Health HNAM powerform rows).
@Suite("Site sources and lines in place")
struct SiteSourceTests {
    /// Red, swollen and painful at the PIV of flowsheet sub-ID `subID` charted at `site`.
    static func redSite(_ site: String, subID: String = "1") -> [(String, String, String, String)] {
        [("ST", "PIV Location", subID, site), ("ST", "PIV Site Appearance", subID, "Red, swollen, painful")]
    }

    /// Two PIVs documented on the LDA flowsheet at 11:00: left hand and right foot.
    static func twoLines(_ s: inout Scenario, at time: String = "20260302110000") {
        s.epicFlowsheet(
            at: time,
            [
                ("ST", "PIV Location", "1", "Left hand"),
                ("ST", "PIV Site Appearance", "1", "Clean, dry, intact"),
                ("ST", "PIV Location", "2", "Right foot"),
                ("ST", "PIV Site Appearance", "2", "Clean, dry, intact"),
            ])
    }

    // MARK: Source 1 (kept) and the unsited exposure

    @Test func anOrderWithoutASiteIsARealExposureThatRaisesNothingWithoutACatheterSite() {
        var s = Scenario()
        s.admit()
        s.epicOrder()
        // A general skin row at a site where no line is documented: not a catheter site.
        let alerts = s.oracleForm(
            at: "20260302160000", form: "SKIN^Skin Assessment^CERNER",
            [("ST", "Skin Location", "1", "Right hand"), ("ST", "Skin Appearance", "1", "Red, swollen")])
        #expect(alerts.isEmpty)
        let exposure = s.engine.state.patient(PatientKey(identifier: "4455", authority: "CHILDRENS"))?
            .exposures.first
        #expect(exposure != nil && exposure?.site == nil)
    }

    @Test func anUnsitedExposureAlertsAtAnyCatheterSiteWithSiteMatchUnsited() throws {
        var s = Scenario()
        s.admit()
        Self.twoLines(&s)
        s.epicOrder()
        let alert = try #require(
            s.epicFlowsheet(at: "20260302160000", Self.redSite("Right foot", subID: "2")).first)
        #expect(alert.siteMatch == .unsited)
        #expect(alert.site?.name == "right-foot")
        #expect(alert.observedSite?.name == "right-foot")
        #expect(alert.kind == .extravasationSuspected)
        #expect(alert.severity == .critical, "a high drug with two or more signs, as for any site")
        #expect(alert.infusionActive)
        #expect(alert.exposureStartedAt == Instant(seconds: 1_772_452_800))  // 2026-03-02T12:00Z
        #expect(alert.order == "7001")
    }

    @Test func inAnUnsitedExposureEachObservedSiteIsItsOwnEpisode() throws {
        var s = Scenario()
        s.admit()
        Self.twoLines(&s)
        s.epicOrder()
        let foot = try #require(
            s.epicFlowsheet(at: "20260302160000", Self.redSite("Right foot", subID: "2")).first)
        let hand = try #require(s.epicFlowsheet(at: "20260302170000", Self.redSite("Left hand")).first)
        #expect(hand.kind == .extravasationSuspected)
        #expect(hand.site?.name == "left-hand")
        #expect(hand.id != foot.id)
        // The same signs again at the right foot: the same episode, nothing new.
        #expect(s.epicFlowsheet(at: "20260302180000", Self.redSite("Right foot", subID: "2")).isEmpty)
    }

    @Test func anIVSiteRowNamingNoSiteAlertsForAnUnsitedExposureWithNullSites() throws {
        var s = Scenario()
        s.admit()
        s.epicOrder()
        // A general skin row without a site is not about the catheter.
        #expect(s.epicFlowsheet(at: "20260302150000", [("ST", "Skin Color", "1", "Pale")]).isEmpty)
        let alert = try #require(
            s.epicFlowsheet(at: "20260302160000", [("ST", "PIV Site Appearance", "1", "Red and swollen")])
                .first)
        #expect(alert.siteMatch == .unsited)
        #expect(alert.site == nil)
        #expect(alert.observedSite == nil)
        #expect(alert.signs == [.erythema, .swelling])
    }

    // MARK: Source 2: the administration's site

    @Test func anOrderWithoutASiteIsWatchedAtTheSiteOfItsFirstAdministration() throws {
        var s = Scenario()
        s.admit()
        Self.twoLines(&s)  // two lines: the only-line rule cannot decide
        s.epicOrder()
        s.epicAdministration(start: "20260302121500", site: "LH^Left Hand^HL70163")
        let alert = try #require(s.epicFlowsheet(at: "20260302160000", Self.redSite("Left hand")).first)
        #expect(alert.site?.name == "left-hand")
        #expect(alert.siteMatch == .exact)
        #expect(alert.infusionActive)
        #expect(
            alert.exposureStartedAt == Instant(seconds: 1_772_452_800), "the order's start names the exposure"
        )
        // The other line does not carry the calcium.
        #expect(s.epicFlowsheet(at: "20260302170000", Self.redSite("Right foot", subID: "2")).isEmpty)
    }

    @Test func anAdministrationAtAnotherSiteMovesTheExposureAsAnXOWould() throws {
        var s = Scenario()
        s.admit()
        s.epicOrder(site: "LH^Left Hand^HL70163")
        s.epicAdministration(start: "20260302140000", site: "RF^Right Foot^HL70163")
        let foot = try #require(s.epicFlowsheet(at: "20260302160000", Self.redSite("Right foot")).first)
        #expect(foot.site?.name == "right-foot")
        #expect(foot.infusionActive)
        #expect(foot.exposureStartedAt == Instant(seconds: 1_772_460_000))  // 14:00, the administration
        // The old site's watch started at the administration.
        let hand = try #require(s.epicFlowsheet(at: "20260302170000", Self.redSite("Left hand")).first)
        #expect(hand.site?.name == "left-hand")
        #expect(!hand.infusionActive)
    }

    // MARK: Source 3: a row linking a line to the infusion

    @Test func aNursingRowLinkingALineToTheInfusionSetsTheExposuresSite() throws {
        var s = Scenario()
        s.admit()
        s.epicOrder()
        s.oracleForm(
            at: "20260302130000", form: "PIVASSESS^Peripheral IV Assessment^CERNER",
            [
                ("CE", "Peripheral IV Insertion Site", "1", "Hand, left"),
                ("ST", "IV Fluids/Meds Infusing", "1", "Calcium gluconate 1 g in NS 100 mL"),
                ("CE", "Peripheral IV Insertion Site", "2", "Foot, right"),
                ("ST", "IV Fluids/Meds Infusing", "2", "Sodium chloride 0.9%"),
            ])
        let alert = try #require(
            s.oracleForm(
                at: "20260302160000", form: "PIVASSESS^Peripheral IV Assessment^CERNER",
                [
                    ("CE", "Peripheral IV Insertion Site", "1", "Hand, left"),
                    ("ST", "Peripheral IV Site Appearance", "1", "Erythema, edema"),
                ]
            ).first)
        #expect(alert.site?.name == "left-hand")
        #expect(alert.siteMatch == .exact)
        #expect(
            s.oracleForm(
                at: "20260302170000", form: "PIVASSESS^Peripheral IV Assessment^CERNER",
                [
                    ("CE", "Peripheral IV Insertion Site", "2", "Foot, right"),
                    ("ST", "Peripheral IV Site Appearance", "2", "Erythema, edema"),
                ]
            ).isEmpty)
    }

    // MARK: Source 4: the only line in place

    @Test func theOnlyLineInPlaceCarriesAnOrderWithoutASite() throws {
        var s = Scenario()
        s.admit()
        s.epicFlowsheet(at: "20260302100000", [("ST", "PIV LDA Placement", "1", "Left hand")])
        s.epicOrder()
        let alert = try #require(
            s.epicFlowsheet(at: "20260302160000", [("ST", "PIV Site Appearance", "1", "Red and swollen")])
                .first)
        #expect(alert.site?.name == "left-hand")
        #expect(alert.siteMatch == .soleSite)
        #expect(alert.infusionActive)
    }

    @Test func aLineFirstChartedInTheMessageThatCarriesASignIsInPlaceAtThatMessagesTime() throws {
        var s = Scenario()
        s.admit()
        s.epicOrder()
        let alert = try #require(s.epicFlowsheet(at: "20260302160000", Self.redSite("Left hand")).first)
        #expect(alert.site?.name == "left-hand")
        #expect(alert.siteMatch == .exact, "the patient's only line carries the order")
    }

    @Test func aLineNotAssessedForForgetHoursIsForgotten() throws {
        func alert(orderAt start: String, forgetHours: Int? = nil) throws -> Alert {
            var s = Scenario { settings in
                if let forgetHours { settings.lineForgetHours = forgetHours }
            }
            s.admit(at: "20260301070000")
            s.epicFlowsheet(at: "20260301080000", [("ST", "PIV LDA Placement", "1", "Left hand")])
            s.epicOrder(start: start, at: start)
            return try #require(
                s.epicFlowsheet(at: "20260304100000", [("ST", "PIV Site Appearance", "1", "Red and swollen")])
                    .first)
        }
        // 71 hours after the last assessment the line is in place: it carries the order.
        #expect(try alert(orderAt: "20260304070000").site?.name == "left-hand")
        // 73 hours after: forgotten, the order is unsited.
        let forgotten = try alert(orderAt: "20260304090000")
        #expect(forgotten.siteMatch == .unsited)
        #expect(forgotten.site == nil)
        // `lines.forget_hours` decides.
        #expect(try alert(orderAt: "20260302090000", forgetHours: 24).siteMatch == .unsited)
    }

    @Test func chartingOnARemovedLineDoesNotPutItBack() throws {
        var s = Scenario()
        s.admit()
        Self.twoLines(&s, at: "20260302100000")
        s.epicFlowsheet(
            at: "20260302110000",
            [
                ("ST", "PIV Location", "1", "Left hand"),
                ("DTM", "PIV LDA Removal Date/Time", "1", "20260302110000"),
            ])
        s.epicFlowsheet(
            at: "20260302113000",
            [
                ("ST", "PIV Location", "1", "Left hand"),
                ("ST", "PIV Site Appearance", "1", "Clean, dry, intact"),
            ])
        s.epicOrder()
        // The right foot is the only line in place: the order flows there.
        let alert = try #require(
            s.epicFlowsheet(at: "20260302160000", Self.redSite("Right foot", subID: "2")).first)
        #expect(alert.siteMatch == .exact)
        #expect(alert.site?.name == "right-foot")
        // An insertion row puts a line back.
        var inserted = Scenario()
        inserted.admit()
        Self.twoLines(&inserted, at: "20260302100000")
        inserted.epicFlowsheet(
            at: "20260302110000",
            [
                ("ST", "PIV Location", "1", "Left hand"),
                ("DTM", "PIV LDA Removal Date/Time", "1", "20260302110000"),
            ])
        inserted.epicFlowsheet(at: "20260302113000", [("ST", "PIV LDA Placement", "1", "Left hand")])
        inserted.epicOrder()
        let unsited = try #require(
            inserted.epicFlowsheet(at: "20260302160000", Self.redSite("Right foot", subID: "2")).first)
        #expect(unsited.siteMatch == .unsited, "two lines in place again")
    }

    // MARK: Line removal while the order goes on

    @Test func aReplacedLineIsWatchedAtItsNewSite() throws {
        var s = Scenario()
        s.admit()
        s.epicOrder(site: "LH^Left Hand^HL70163")
        s.epicFlowsheet(
            at: "20260303080000",
            [
                ("ST", "PIV Location", "1", "Left hand"),
                ("DTM", "PIV LDA Removal Date/Time", "1", "20260303080000"),
            ])
        s.epicFlowsheet(
            at: "20260303083000",
            [
                ("ST", "PIV Location", "2", "Right foot"),
                ("DTM", "PIV LDA Placement Date/Time", "2", "20260303083000"),
            ])
        let foot = try #require(
            s.epicFlowsheet(at: "20260303120000", Self.redSite("Right foot", subID: "2")).first)
        #expect(foot.site?.name == "right-foot")
        #expect(foot.siteMatch == .exact)
        #expect(foot.infusionActive)
        #expect(foot.exposureStartedAt == Instant(seconds: 1_772_524_800))  // 2026-03-03T08:00Z, the removal
        let hand = try #require(s.epicFlowsheet(at: "20260303130000", Self.redSite("Left hand")).first)
        #expect(!hand.infusionActive, "the old site is under watch")
    }

    @Test func whenTheExposuresLineIsRemovedTheExposureMovesToTheOtherLineInPlace() throws {
        var s = Scenario()
        s.admit()
        Self.twoLines(&s)
        s.epicOrder(site: "LH^Left Hand^HL70163")
        s.epicFlowsheet(
            at: "20260303080000",
            [
                ("ST", "PIV Location", "1", "Left hand"),
                ("DTM", "PIV LDA Removal Date/Time", "1", "20260303080000"),
            ])
        let foot = try #require(
            s.epicFlowsheet(at: "20260303090000", Self.redSite("Right foot", subID: "2")).first)
        #expect(foot.site?.name == "right-foot")
        #expect(foot.siteMatch == .exact)
        #expect(foot.infusionActive)
    }

    @Test func aRemovalAndASignAtTheSameInstantTheSignCounts() throws {
        var s = Scenario()
        s.admit()
        s.epicFlowsheet(at: "20260302100000", [("ST", "PIV LDA Placement", "1", "Left hand")])
        s.epicOrder()
        let alert = try #require(
            s.epicFlowsheet(
                at: "20260303080000",
                Self.redSite("Left hand") + [("DTM", "PIV LDA Removal Date/Time", "1", "20260303080000")]
            ).first)
        #expect(alert.site?.name == "left-hand")
        #expect(alert.infusionActive)
    }

    // MARK: Identity and state

    /// The feed of the unsited rule, message by message.
    static func unsitedFeed(_ s: inout Scenario, restartAfter: Int? = nil) throws -> [String] {
        var ids: [String] = []
        s.admit()
        Self.twoLines(&s)
        s.epicOrder()
        let steps: [(String, String, String)] = [
            ("20260302160000", "Right foot", "2"), ("20260302170000", "Left hand", "1"),
            ("20260303160000", "Right foot", "2"),
        ]
        for (index, step) in steps.enumerated() {
            if index == restartAfter {
                let data = try JSONEncoder().encode(s.engine.state)
                s.engine = SurveillanceEngine(
                    settings: s.engine.settings,
                    state: try JSONDecoder().decode(SurveillanceState.self, from: data))
            }
            var rows = Self.redSite(step.1, subID: step.2)
            if index == 2 { rows.append(("NM", "Pain Score", step.2, "9")) }
            ids += s.epicFlowsheet(at: step.0, rows).map(\.id)
        }
        return ids
    }

    @Test func unsitedAlertIdsAreTheSameInReplayAndAfterARestart() throws {
        var first = Scenario()
        var second = Scenario()
        var restarted = Scenario()
        let ids = try Self.unsitedFeed(&first)
        #expect(ids.count == 2)
        #expect(try Self.unsitedFeed(&second) == ids)
        #expect(try Self.unsitedFeed(&restarted, restartAfter: 1) == ids)
    }

    @Test func aStateWrittenBeforeLinesInPlaceStillLoads() throws {
        var s = Scenario()
        s.admit()
        Self.twoLines(&s)
        s.epicOrder()
        let data = try JSONEncoder().encode(s.engine.state)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var patients = try #require(object["patients"] as? [[String: Any]])
        #expect(patients.contains { $0["lines"] != nil })
        for index in patients.indices {
            patients[index]["lines"] = nil
            patients[index]["standaloneAdministrations"] = nil
        }
        object["patients"] = patients
        let old = try JSONSerialization.data(withJSONObject: object)
        let state = try JSONDecoder().decode(SurveillanceState.self, from: old)
        #expect(state.patient(PatientKey(identifier: "4455", authority: "CHILDRENS"))?.lines.isEmpty == true)
    }
}
