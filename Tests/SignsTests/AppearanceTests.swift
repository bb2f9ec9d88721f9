import Coding
import Signs
import Testing

/// An observation whose identifier names the site appearance in general has its value
/// read as text, also when OBX-2 is CWE (the value's text).
@Suite("Site appearance observations")
struct AppearanceTests {
    @Test(
        "Appearance identifiers read their value as text",
        arguments: [
            "IVSITE^IV site appearance^L", "^Site assessment", "^IV site", "^Site condition",
            "^PIV assessment",
            "^Peripheral IV assessment", "^CVC site check",
        ])
    func appearanceIdentifiers(identifier: String) {
        #expect(OBX.read("TX", identifier, "red and swollen, pt crying").signs == [.erythema, .swelling])
        #expect(OBX.read("CWE", identifier, "ERY^Erythema^L").signs == [.erythema])
        #expect(OBX.read("CWE", identifier, "BL^Blanched, cool to touch^L").signs == [.blanching, .coolness])
        #expect(OBX.read("CWE", identifier, "WNL^Within normal limits^L").signs.isEmpty)
        #expect(OBX.read("CWE", identifier, "WNL^Within normal limits^L").mentionsNormal)
        #expect(OBX.read("CWE", identifier, "Y^Yes^HL70136").signs.isEmpty)
    }

    @Test func everyRepetitionIsRead() {
        #expect(
            OBX.read("CWE", "^IV site appearance", "ERY^Erythema^L", "EDE^Edema^L").signs == [
                .erythema, .swelling,
            ])
    }

    @Test func aCodedValueWithoutTextIsReadByItsCode() {
        #expect(OBX.read("CWE", "^IV site appearance", "Redness^^L").signs == [.erythema])
    }

    @Test func numericAndTimeValuesNameNothing() {
        #expect(OBX.read("NM", "^IV site appearance", "2").signs.isEmpty)
        #expect(OBX.read("DTM", "^IV site appearance", "202603051425").signs.isEmpty)
    }

    @Test func valuesAsTheEngineMayPassThem() {
        // Components not split by the engine: the text is split on "^".
        let input = ObservationInput(
            valueType: "CWE",
            identifier: CodedValue(code: "ERYTHEMA", text: "Erythema at IV site", system: "L"),
            values: [ObservationValue(text: "Y^Yes^HL70136", components: [])])
        #expect(SignRecognizer().read(input).signs == [.erythema])
        let typeInLowerCase = ObservationInput(
            valueType: " nm ",
            identifier: CodedValue(code: "PAINSCORE", text: "Pain score", system: "L"),
            values: [ObservationValue(text: "4", components: ["4"])])
        #expect(SignRecognizer().read(typeInLowerCase).signs == [.pain])
    }
}
