import Foundation
import Testing

/// The bundled vendor-style example feeds (`examples/feeds/vendors/`) replay to the alerts
/// the README's "What real feeds look like" section shows: one feed per way a real feed
/// says where the calcium flows when the order names no site (DESIGN section 4).
@Suite("Vendor example feeds replay to the alerts the README shows")
struct VendorExampleFeedTests {
    static let folder = repositoryRoot + "/examples/feeds/vendors/"

    /// The alerts `extravasd replay --format jsonl` writes for `feed`, with defaults.
    func replay(_ feed: String) async throws -> [[String: Any]] {
        let scratch = try ScratchDirectory()
        let config = try scratch.write("extravasd.yaml", "feeds:\n  files: []\n")
        let output = try await Executables.run(
            "extravasd", ["replay", "--config", config, "--format", "jsonl", Self.folder + feed])
        #expect(output.status == 0, "\(output.stderr)")
        return try output.text.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// The fields of an alert a nurse reads first, as strings (`null` for JSON null).
    func summary(_ alert: [String: Any]) -> [String: String] {
        var fields: [String: String] = [:]
        for key in [
            "kind", "severity", "site", "observed_site", "site_match", "location", "visit", "control_id",
        ] {
            fields[key] = (alert[key] as? String) ?? "null"
        }
        fields["signs"] = ((alert["signs"] as? [String]) ?? []).joined(separator: ",")
        fields["risk_factors"] = ((alert["risk_factors"] as? [String]) ?? []).joined(separator: ",")
        fields["infusion_active"] = (alert["infusion_active"] as? Bool).map(String.init) ?? "null"
        return fields
    }

    @Test func epicAnOrderWithoutASiteIsCarriedByTheOnlyLineInPlaceFromTheLDARows() async throws {
        let alerts = try await replay("epic.hl7")
        #expect(alerts.count == 1, "one alert: the skin round's 'Pale' raises none")
        let alert = try #require(alerts.first)
        #expect(
            summary(alert) == [
                "kind": "extravasation_suspected", "severity": "critical", "site": "right-ankle",
                "observed_site": "right-ankle", "site_match": "exact", "location": "PICU/0412/01",
                "visit": "V90001",
                "control_id": "EPIC0006", "signs": "erythema,pain,swelling",
                "risk_factors": "hyperphosphatemia,hypocalcemia,infant,renal_failure",
                "infusion_active": "true",
            ])
    }

    @Test func oracleHealthTheMARSiteMovesTheExposureAndANoteOnTheMARAlerts() async throws {
        let alerts = try await replay("oracle-health.hl7")
        #expect(alerts.count == 1, "one alert: the urinalysis 'Pale yellow' raises none")
        let alert = try #require(alerts.first)
        #expect(
            summary(alert) == [
                "kind": "extravasation_suspected", "severity": "critical", "site": "left-forearm",
                "observed_site": "left-forearm", "site_match": "exact", "location": "5W/512/A",
                "visit": "44120987",
                "control_id": "HNAM0005", "signs": "coolness,infiltration,swelling", "risk_factors": "",
                "infusion_active": "true",
            ])
    }

    @Test func meditechWithTwoLinesInPlaceTheExposureIsUnsitedAndASignAtEitherAlerts() async throws {
        let alerts = try await replay("meditech.hl7")
        #expect(alerts.count == 1)
        let alert = try #require(alerts.first)
        #expect(
            summary(alert) == [
                "kind": "extravasation_suspected", "severity": "critical",
                "site": "right-antecubital-fossa", "observed_site": "right-antecubital-fossa",
                "site_match": "unsited", "location": "3N/0305/1", "visit": "V00001234",
                "control_id": "MT0004",
                "signs": "erythema,pain", "risk_factors": "", "infusion_active": "true",
            ])
    }

    @Test func interfaceEngineAReplacedLineCarriesTheOrderToItsNewSite() async throws {
        let alerts = try await replay("interface-engine.hl7")
        #expect(alerts.count == 1)
        let alert = try #require(alerts.first)
        #expect(
            summary(alert) == [
                "kind": "extravasation_suspected", "severity": "critical", "site": "right-lower-forearm",
                "observed_site": "right-lower-forearm", "site_match": "exact", "location": "ICU/07/A",
                "visit": "IEV5500",
                "control_id": "IE0003", "signs": "blanching,leaking,swelling", "risk_factors": "",
                "infusion_active": "true",
            ])
    }
}
