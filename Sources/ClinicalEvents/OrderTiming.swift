import HL7

/// The period an order group's timing gives: the union of its TQ1 segments, else
/// ORC-7 components 4/5 (DESIGN §3, "Messages and fields used").
///
/// The period runs from the earliest TQ1-7 to the latest TQ1-8, as one period without
/// gaps ("STAT then q6h": the second TQ1 extends the first to its own end). A TQ1 with a
/// start but no end leaves the period open. A TQ1 with neither (priority only) says
/// nothing about the period. Where the TQ1 stands (before or after RXE/RXO) does not
/// matter: every TQ1 of the group counts.
public struct OrderTiming: Sendable, Hashable {
    /// The start: the earliest TQ1-7, else ORC-7.4.
    public var start: Instant?
    /// The end: the latest TQ1-8, `nil` when a TQ1 leaves it open; else ORC-7.5.
    public var end: Instant?
    /// Whether the group's timing named a start or an end at all.
    public var isSent: Bool { start != nil || end != nil || leftOpen }
    /// Whether a TQ1 with a start and no end left the period open.
    public var leftOpen: Bool

    /// Reads the TQ1 segments of an order group (the segments after its ORC) and ORC-7.
    public init(group: [Segment], orc: Segment, times: TimeReader) {
        var earliest: Instant? = nil
        var latest: Instant? = nil
        var open = false
        for tq1 in group where tq1.id == "TQ1" {
            let start = times.instant(tq1[7])
            let end = times.instant(tq1[8])
            if let start { earliest = min(earliest ?? start, start) }
            if let end {
                latest = max(latest ?? end, end)
            } else if start != nil {
                open = true
            }
        }
        start = earliest ?? times.instant(orc[7].component(4))
        if open {
            end = nil
        } else {
            end = latest ?? times.instant(orc[7].component(5))
        }
        leftOpen = open
    }
}
