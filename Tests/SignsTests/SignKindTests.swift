import Signs
import Testing

/// Sign kinds: major signs for severity, name order, score thresholds.
@Suite("Sign kinds")
struct SignKindTests {
    @Test func majorSignsAreBlanchingLeakingBlisteringNecrosisIndurationInfiltration() {
        let major = Set(SignKind.allCases.filter(\.isMajor))
        #expect(major == [.blanching, .leaking, .blistering, .necrosis, .induration, .infiltration])
    }

    @Test func kindsSortByName() {
        let sorted: [SignKind] = [.swelling, .pain, .erythema, .calcinosis].sorted()
        #expect(sorted == [.calcinosis, .erythema, .pain, .swelling])
        #expect(SignKind.allCases.sorted().map(\.rawValue) == SignKind.allCases.map(\.rawValue).sorted())
    }

    @Test func calcinosisIsNotAcute() {
        #expect(!SignKind.calcinosis.isAcute)
        #expect(SignKind.acuteKinds.count == SignKind.allCases.count - 1)
        #expect(!SignKind.acuteKinds.contains(.calcinosis))
    }

    @Test func thresholdsArePhlebitisTwoOthersOne() {
        #expect(SignKind.phlebitis.scoreThreshold == 2)
        #expect(SignKind.pain.scoreThreshold == 1)
        #expect(SignKind.infiltration.scoreThreshold == 1)
        #expect(SignKind.erythema.scoreThreshold == 1)
    }

    @Test func rawValuesAreTheContractNames() {
        #expect(
            SignKind.allCases.map(\.rawValue) == [
                "erythema", "swelling", "pain", "blanching", "coolness", "leaking", "induration",
                "blistering", "necrosis", "infiltration", "phlebitis", "calcinosis",
            ])
    }
}
