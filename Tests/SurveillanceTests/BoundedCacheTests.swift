@testable import Surveillance
import Testing

/// DESIGN.md section 7, "Memory is bounded on any input": the engine's saved work on
/// observations is bounded by bytes, not by entries (a key holds OBX-5, which may be as
/// long as a field may be: 8,192 entries of 100 KB would be 800 MB).
@Suite("Bounded caches")
struct BoundedCacheTests {
    @Test func theObservationCacheStaysWithinItsByteBoundOnLongDistinctValues() {
        var s = Scenario()
        s.admit()
        let limit = ObservationCache.defaultByteLimit
        var largest = 0
        for index in 0..<120 {
            // A free-text note of 100 KB, different each time: its row is saved by its value.
            let note = "note \(index) " + String(repeating: "patient resting comfortably ", count: 3_700)
            s.assess(at: "20260303120000", site: nil, [("TX", "NOTE^L heel PIV site^L", note)])
            largest = max(largest, s.engine.observationCache.byteCount)
        }
        #expect(largest > limit / 2, "the notes were saved (\(largest) bytes)")
        #expect(largest <= 2 * limit, "both tables within \(limit) bytes each: \(largest) bytes")
        #expect(s.engine.freeTextSiteMemo.byteCount <= Memo<String, Bool>.defaultByteLimit)
    }
}
