import Configuration
import Testing

@Suite("labs.codes.ionized_calcium")
struct IonizedCalciumKeyTests {
    @Test func ionizedCalciumCodesDefaultToLOINCAndAreConfigurable() throws {
        let defaults = try load("")
        #expect(
            defaults.labs.codes[.ionizedCalcium] == [
                .init(code: "1994-3", unit: .millimolesPerLiter),
                .init(code: "12180-8", unit: .milligramsPerDeciliter),
            ])
        let configured = try load(
            "labs:\n  codes:\n    ionized_calcium:\n      - {code: \"ICA\", unit: mmol/L}\n")
        #expect(configured.labs.codes[.ionizedCalcium] == [.init(code: "ICA", unit: .millimolesPerLiter)])
        #expect(configured.labs.codes[.calcium] == ExtravasdConfiguration.Labs.standardCodes[.calcium])
    }

    @Test func ionizedCalciumIsNotReadInMicromolesPerLiter() {
        let found = issues(
            yaml: "labs:\n  codes:\n    ionized_calcium:\n      - {code: \"ICA\", unit: umol/L}\n")
        #expect(found.first?.reason.contains("mg/dL or mmol/L") == true)
    }
}
