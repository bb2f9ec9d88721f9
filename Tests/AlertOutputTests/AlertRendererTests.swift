import AlertOutput
import ClinicalEvents
import Foundation
import Signs
import Sites
import Surveillance
import Testing

@Suite("Alert rendering")
struct AlertRendererTests {
    static let alert = Alert(
        id: "0123456789abcdef0123456789abcdef", kind: .extravasationSuspected, severity: .critical,
        observedAt: Instant(seconds: 1_772_719_200), patient: "4455",
        patientKey: PatientKey(identifier: "4455", authority: "CHILDRENS"), visit: "V1",
        location: "PICU/12/A",
        site: CanonicalSite(name: "left-heel"), observedSite: nil, siteMatch: .soleSite,
        signs: [.erythema, .pain, .swelling], drug: "Calcium Gluconate 10% inj", order: nil,
        infusionActive: true,
        riskFactors: [.infant, .renalFailure], controlID: "C5", source: .file("feed.hl7", offset: 12),
        exposureStartedAt: Instant(seconds: 1_772_452_800), catalogEntry: "calcium-gluconate")

    @Test func jsonLineHasTheContractKeysInOrderWithNulls() throws {
        let line = String(decoding: AlertRenderer().jsonLine(Self.alert), as: UTF8.self)
        #expect(
            line
                == #"{"alert_id": "0123456789abcdef0123456789abcdef", "kind": "extravasation_suspected", "severity": "critical", "observed_at": "2026-03-05T14:00:00+00:00", "patient": "4455", "visit": "V1", "location": "PICU/12/A", "site": "left-heel", "observed_site": null, "site_match": "sole-site", "signs": ["erythema", "pain", "swelling"], "drug": "Calcium Gluconate 10% inj", "order": null, "infusion_active": true, "risk_factors": ["infant", "renal_failure"], "control_id": "C5", "source": "file:feed.hl7:12", "exposure_started_at": "2026-03-02T12:00:00+00:00", "catalog_entry": "calcium-gluconate"}"#
                + "\n")
    }

    @Test func observedAtIsWrittenInTheConfiguredZone() {
        let renderer = AlertRenderer(zone: FixedOffsetZone(offsetSeconds: -5 * 3600))
        #expect(renderer.timestamp(Self.alert.observedAt) == "2026-03-05T09:00:00-05:00")
    }

    @Test func minimalPolicyKeepsOnlyTheLocation() throws {
        let renderer = AlertRenderer(privacy: PrivacyPolicy(mode: .minimal))
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(renderer.jsonLine(Self.alert))) as? [String: Any])
        #expect(object["patient"] is NSNull)
        #expect(object["visit"] is NSNull)
        #expect(object["location"] as? String == "PICU/12/A")
        #expect(!renderer.sentence(Self.alert).contains("4455"))
    }

    @Test func minimalPolicyWithholdsOrderAndControlIDFromJSONTextAndJournalFields() throws {
        var alert = Self.alert
        alert.order = "7001"
        alert.controlID = "CTRL4711"
        let renderer = AlertRenderer(privacy: PrivacyPolicy(mode: .minimal))
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(renderer.jsonLine(alert))) as? [String: Any])
        #expect(object["order"] is NSNull)
        #expect(object["control_id"] is NSNull)
        #expect(
            !renderer.textLine(alert).contains("7001") && !renderer.textLine(alert).contains(alert.controlID))
        let fields = AlertJournalFields.fields(alert, renderer: renderer)
        let names = Set(fields.map(\.0))
        for withheld in ["EXTRAVASD_PATIENT", "EXTRAVASD_VISIT", "EXTRAVASD_ORDER", "EXTRAVASD_CONTROL_ID"] {
            #expect(!names.contains(withheld), "\(withheld) is omitted")
        }
        for (name, value) in fields {
            for secret in ["4455", "7001", alert.controlID] {
                #expect(!value.contains(secret), "\(name)=\(value)")
            }
        }
        #expect(names.contains("EXTRAVASD_LOCATION"))
    }

    @Test func pseudonymizedPolicyReplacesIdentifiersWithKeyedDigests() throws {
        let one = AlertRenderer(
            privacy: PrivacyPolicy(mode: .pseudonymized, key: Array("key-one-0123456789".utf8)))
        let two = AlertRenderer(
            privacy: PrivacyPolicy(mode: .pseudonymized, key: Array("key-two-0123456789".utf8)))
        let text = String(decoding: one.jsonLine(Self.alert), as: UTF8.self)
        #expect(!text.contains("4455") && !text.contains("V1") && !text.contains("PICU"))
        let patientOne = try #require(
            (JSONSerialization.jsonObject(with: Data(one.jsonLine(Self.alert))) as? [String: Any])?["patient"]
                as? String)
        let patientTwo = try #require(
            (JSONSerialization.jsonObject(with: Data(two.jsonLine(Self.alert))) as? [String: Any])?["patient"]
                as? String)
        #expect(patientOne.hasPrefix("p-") && patientOne != patientTwo)
        #expect(one.jsonLine(Self.alert) == one.jsonLine(Self.alert), "stable for the same key")
    }

    @Test func sentenceNamesSiteSignsDrugOrderPatientAndLocation() {
        var alert = Self.alert
        alert.order = "7001"
        #expect(
            AlertRenderer().sentence(alert)
                == "Suspected extravasation at left-heel: erythema, pain, swelling during Calcium Gluconate 10% inj (order 7001) - patient 4455 in PICU/12/A"
        )
        alert.infusionActive = false
        #expect(AlertRenderer().sentence(alert).contains(" after Calcium Gluconate"))
    }
}

extension AlertRendererTests {
    @Test func anUnsitedAlertWithoutASiteIsWrittenWithNullSitesAndSiteMatchUnsited() {
        var alert = Self.alert
        alert.site = nil
        alert.observedSite = nil
        alert.siteMatch = .unsited
        let line = String(decoding: AlertRenderer().jsonLine(alert), as: UTF8.self)
        #expect(line.contains(#""site": null, "observed_site": null, "site_match": "unsited""#))
    }
}
