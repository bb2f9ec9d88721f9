import ClinicalEvents
import Testing

@testable import Surveillance

/// The filter of stored identities never says "not stored" of an identity it was given
/// (a resend is always looked up), and lets few others through.
@Suite("Stored identity filter")
struct StoredIdentityFilterTests {
    func identity(_ index: Int) -> MessageIdentity {
        MessageIdentity(sendingApplication: "NURSING", sendingFacility: "CHMC", controlID: "N\(index)")
    }

    @Test func everyIdentityAddedMayBeContainedAndFewOthersAre() {
        var filter = StoredIdentityFilter(capacity: 20_000)
        for index in 0..<20_000 { filter.insert(identity(index)) }
        #expect((0..<20_000).allSatisfy { filter.mayContain(identity($0)) })
        let falseMatches = (20_000..<120_000).filter { filter.mayContain(identity($0)) }.count
        #expect(falseMatches < 1_000, "\(falseMatches) of 100,000 new identities would be looked up")
        #expect(!filter.isFull)
        filter.insert(identity(-1))
        #expect(filter.isFull, "past its capacity it asks to be built again")
    }
}
