import ClinicalEvents
import Sites

/// A catheter the nurses document at one canonical site (DESIGN §4, "Where the drug
/// flows when the order names no site"): one line per site.
///
/// A line is recorded by an insertion row or by any site assessment of a line, and ends
/// with a removal row. Charting on a removed line does not put it back (only an
/// insertion row does); a line with no assessment for `lines.forget_hours` is forgotten.
public struct LineInPlace: Sendable, Hashable, Codable {
    /// The line's canonical site.
    public var site: CanonicalSite
    /// When it was inserted or first charted.
    public var since: Instant
    /// The latest insertion or assessment.
    public var lastAssessed: Instant
    /// When a removal row ended it, if one did.
    public var removedAt: Instant?

    /// A line first known at `time`.
    public init(site: CanonicalSite, since time: Instant) {
        self.site = site
        since = time
        lastAssessed = time
        removedAt = nil
    }

    /// Whether the line is in place at `time`: charted by then, not removed by then,
    /// and assessed within `forgetHours`. (A sign charted with a removal at the same
    /// instant still counts: a message's signs are read before its removals.)
    public func isInPlace(at time: Instant, forgetHours: Int) -> Bool {
        guard since <= time, time <= lastAssessed.adding(hours: forgetHours) else { return false }
        guard let removedAt else { return true }
        return time < removedAt
    }

    /// Whether the line can no longer matter at `time`: forgotten, or removed for
    /// longer than `forgetHours` (charting on it then records a new line).
    public func isForgotten(at time: Instant, forgetHours: Int) -> Bool {
        time > max(lastAssessed, removedAt ?? lastAssessed).adding(hours: forgetHours)
    }
}

extension PatientRecord {
    /// Records an insertion (`inserted`) or an assessment of the line at `site` at `time`.
    /// An insertion (re)opens the line; an assessment of a removed line changes nothing,
    /// and of a forgotten or unknown line records a line first charted at `time`.
    mutating func chartLine(at site: CanonicalSite, time: Instant, inserted: Bool, forgetHours: Int) {
        guard let index = lines.firstIndex(where: { $0.site == site }) else {
            lines.append(LineInPlace(site: site, since: time))
            return
        }
        if inserted {
            if let removedAt = lines[index].removedAt, removedAt > time { return }  // removed later
            if lines[index].removedAt != nil || lines[index].isForgotten(at: time, forgetHours: forgetHours) {
                lines[index] = LineInPlace(site: site, since: time)
            } else {
                lines[index].since = min(lines[index].since, time)
                lines[index].lastAssessed = max(lines[index].lastAssessed, time)
            }
            return
        }
        if lines[index].isForgotten(at: time, forgetHours: forgetHours) {
            lines[index] = LineInPlace(site: site, since: time)
            return
        }
        if let removedAt = lines[index].removedAt, removedAt < time { return }
        lines[index].since = min(lines[index].since, time)
        lines[index].lastAssessed = max(lines[index].lastAssessed, time)
    }

    /// Ends at `time` the lines in place then whose site `matches` (removal rows).
    mutating func removeLines(at time: Instant, forgetHours: Int, where matches: (CanonicalSite) -> Bool) {
        for index in lines.indices
        where lines[index].isInPlace(at: time, forgetHours: forgetHours) && matches(lines[index].site) {
            lines[index].removedAt = time
        }
    }

    /// The patient's only line in place at `time`, if exactly one is.
    func onlyLine(inPlaceAt time: Instant, forgetHours: Int) -> CanonicalSite? {
        var only: CanonicalSite? = nil
        for line in lines where line.isInPlace(at: time, forgetHours: forgetHours) {
            if only != nil { return nil }
            only = line.site
        }
        return only
    }
}
