import ClinicalEvents
import FeedGen
import Foundation
import Testing

@testable import Surveillance

/// The clock that drives pruning and watch expiry (DESIGN.md section 7, "The clock is
/// robust to wrong timestamps"): the median of the last 101 message times, starting at
/// the first, never backwards, never past a ceiling.
@Suite("Robust clock")
struct FeedClockTests {
    static let day: Int64 = 86_400
    /// 2026-03-02T08:00:00Z.
    static let start: Int64 = 1_772_438_400
    /// 2062-01-01T00:00:00Z and 1990-01-01T00:00:00Z.
    static let future: Int64 = 2_903_299_200
    static let past: Int64 = 631_152_000

    @Test func theClockStartsAtTheFirstMessageTime() {
        var clock = FeedClock()
        #expect(clock.time == nil)
        #expect(clock.median == nil)
        clock.record(Instant(seconds: Self.start), ceiling: nil)
        #expect(clock.time == Instant(seconds: Self.start))
    }

    @Test func theClockNeverMovesBackwards() {
        var random = SeededRandom(seed: 7)
        var clock = FeedClock()
        var previous: Instant? = nil
        var now = Self.start
        for _ in 0..<5_000 {
            // Mostly forward, often backwards by minutes to hours (late senders), now and
            // then a wild outlier in either direction.
            now += Int64.random(in: -3_600...1_800, using: &random)
            var time = now
            if Int.random(in: 0..<100, using: &random) == 0 {
                time = Bool.random(using: &random) ? Self.future : Self.past
            }
            clock.record(Instant(seconds: time), ceiling: nil)
            let current = clock.time!
            if let previous { #expect(current >= previous) }
            previous = current
        }
    }

    @Test func aHandfulOfWrongTimestampsDoNotMoveTheClock() {
        var clock = FeedClock()
        for minute in 0..<200 {
            clock.record(Instant(seconds: Self.start + Int64(minute) * 60), ceiling: nil)
        }
        let before = clock.time!
        // Five wrong timestamps in a row, both ways, then one normal message.
        for time in [Self.future, Self.past, Self.future, Self.future, Self.past] {
            clock.record(Instant(seconds: time), ceiling: nil)
        }
        clock.record(Instant(seconds: Self.start + 200 * 60), ceiling: nil)
        let after = clock.time!
        #expect(after >= before)
        #expect(
            after.seconds - before.seconds <= 6 * 60, "it moved with the bulk only: \(before) -> \(after)")
    }

    @Test func aRealJumpIsFollowedWithinFiftyOneMessages() {
        var clock = FeedClock()
        for _ in 0..<FeedClock.windowSize { clock.record(Instant(seconds: Self.start), ceiling: nil) }
        let later = Self.start + 30 * Self.day
        for count in 1...FeedClock.windowSize {
            clock.record(Instant(seconds: later), ceiling: nil)
            if count < FeedClock.windowSize / 2 + 1 {
                #expect(clock.time == Instant(seconds: Self.start), "after \(count) messages")
            } else {
                #expect(clock.time == Instant(seconds: later), "after \(count) messages")
            }
        }
    }

    @Test func theClockNeverPassesTheCeiling() {
        let ceiling = Instant(seconds: Self.start + 3_600)
        var clock = FeedClock()
        // Even when the first message, and then every message, is beyond it.
        clock.record(Instant(seconds: Self.future), ceiling: ceiling)
        #expect(clock.time == ceiling)
        for _ in 0..<200 {
            clock.record(Instant(seconds: Self.future), ceiling: ceiling)
            #expect(clock.time! <= ceiling)
        }
        // A later ceiling lets it move on, with the median.
        var normal = FeedClock()
        for minute in 0..<300 {
            normal.record(Instant(seconds: Self.start + Int64(minute) * 60), ceiling: ceiling)
            #expect(normal.time! <= ceiling)
        }
        #expect(normal.time == ceiling, "the median (about 3 h 20 min in) is capped at 1 h")
    }

    @Test func implausibleMeansFurtherThanTheMaximumJumpFromTheMedianOrBeyondTheCeiling() {
        var clock = FeedClock()
        let week = 7 * Self.day
        #expect(
            !clock.isImplausible(Instant(seconds: Self.future), maxJumpSeconds: week, ceiling: nil),
            "no median yet")
        for _ in 0..<10 { clock.record(Instant(seconds: Self.start), ceiling: nil) }
        for (offset, implausible) in [
            (0, false), (week, false), (-week, false), (week + 1, true), (-week - 1, true),
        ] {
            #expect(
                clock.isImplausible(Instant(seconds: Self.start + offset), maxJumpSeconds: week, ceiling: nil)
                    == implausible, "\(offset)")
        }
        #expect(clock.isImplausible(Instant(seconds: Self.future), maxJumpSeconds: week, ceiling: nil))
        #expect(clock.isImplausible(Instant(seconds: Self.past), maxJumpSeconds: week, ceiling: nil))
        #expect(clock.isImplausible(Instant(seconds: .max), maxJumpSeconds: week, ceiling: nil))
        #expect(clock.isImplausible(Instant(seconds: .min), maxJumpSeconds: week, ceiling: nil))
        let ceiling = Instant(seconds: Self.start + 60)
        #expect(
            clock.isImplausible(Instant(seconds: Self.start + 61), maxJumpSeconds: week, ceiling: ceiling))
        #expect(
            !clock.isImplausible(Instant(seconds: Self.start + 60), maxJumpSeconds: week, ceiling: ceiling))
    }

    @Test func theWindowRoundTripsThroughTheStateAndAVersionOneStateSeedsItFromItsClock() throws {
        var state = SurveillanceState()
        for minute in 0..<150 {
            state.clock.record(Instant(seconds: Self.start + Int64(minute) * 60), ceiling: nil)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(state)
        let decoded = try JSONDecoder().decode(SurveillanceState.self, from: data)
        #expect(decoded == state)
        #expect(decoded.clock.recentTimes.count == FeedClock.windowSize)
        #expect(try encoder.encode(decoded) == data)
        // A state written by version 1: a clock (the latest message time), no window.
        let old = #"{"clock":{"seconds":1772438400},"merges":[],"patients":[],"processed":[],"version":1}"#
        let loaded = try JSONDecoder().decode(SurveillanceState.self, from: Data(old.utf8))
        #expect(loaded.clock.time == Instant(seconds: Self.start))
        #expect(loaded.clock.recentTimes == [Instant(seconds: Self.start)])
        #expect(SurveillanceState.currentVersion == 2)
    }

    @Test func theClockIsTheMedianOfTheLastWindowOfTimesWhateverTheOrder() {
        // Against a plain reference (the last 101 times, sorted, their median), with many
        // equal times, outliers both ways and a ceiling now and then.
        var random = SeededRandom(seed: 11)
        var clock = FeedClock()
        var window: [Int64] = []
        var expected: Int64? = nil
        var now = Self.start
        for index in 0..<3_000 {
            now += Int64.random(in: -600...600, using: &random)
            var time = Bool.random(using: &random) ? now : now - now % 300
            switch Int.random(in: 0..<50, using: &random) {
            case 0: time = Self.future
            case 1: time = Self.past
            default: break
            }
            let ceiling = index % 500 < 20 ? Instant(seconds: now - 3_600) : nil
            clock.record(Instant(seconds: time), ceiling: ceiling)
            window.append(time)
            if window.count > FeedClock.windowSize { window.removeFirst() }
            let sorted = window.sorted()
            var next = sorted[(sorted.count - 1) / 2]
            if let expected, expected > next { next = expected }
            if let ceiling, next > ceiling.seconds { next = ceiling.seconds }
            expected = next
            #expect(clock.time == Instant(seconds: next), "after \(index + 1) times")
            #expect(clock.median == Instant(seconds: sorted[(sorted.count - 1) / 2]))
            #expect(clock.recentTimes == window.map(Instant.init(seconds:)))
        }
    }

    @Test func clocksWithTheSameTimesAreEqualWhereverTheirWindowStarts() {
        var clock = FeedClock()
        for minute in 0..<(FeedClock.windowSize + 37) {
            clock.record(Instant(seconds: Self.start + Int64(minute) * 60), ceiling: nil)
        }
        let rebuilt = FeedClock(time: clock.time, recentTimes: clock.recentTimes)
        #expect(rebuilt == clock)
        #expect(rebuilt.hashValue == clock.hashValue)
        var moved = clock
        moved.record(Instant(seconds: Self.start), ceiling: nil)
        #expect(moved != clock)
    }

    @Test func theEngineHonoursTheCeilingAndFlagsTheImplausibleMessage() throws {
        var s = Scenario()
        let ceiling = Instant(seconds: Self.start + 7 * Self.day)
        s.engine.clockCeiling = ceiling
        s.admit(at: "20260302080000")
        #expect(!s.engine.lastMessageTimeImplausible)
        s.send("ADT^A03", at: "20620101120000", ["EVN|A03|20620101120000", "PID|1||WC1^^^ELSEWHERE^MR"])
        #expect(s.engine.lastMessageTimeImplausible, "past the ceiling")
        #expect(s.engine.state.clock.time! <= ceiling)
        // Processed for its own patient, with its own time.
        let own = try #require(s.engine.state.patient(PatientKey(identifier: "WC1", authority: "ELSEWHERE")))
        #expect(own.dischargedAt == Instant(seconds: Self.future + 12 * 3600))
        s.send("ADT^A08", at: "19900101120000", ["PID|1||WC2^^^ELSEWHERE^MR"])
        #expect(s.engine.lastMessageTimeImplausible, "further than 7 days from the median")
        s.send("ADT^A08", at: "20260302090000", [s.pid])
        #expect(!s.engine.lastMessageTimeImplausible)
        // Every message beyond the ceiling: the clock stays at it, however many there are.
        for index in 0..<150 { s.send("ADT^A08", at: "20620101120000", ["PID|1||WC\(index)^^^ELSEWHERE^MR"]) }
        #expect(s.engine.state.clock.time == ceiling)
    }
}
