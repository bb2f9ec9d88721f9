import Catalog
import ClinicalEvents
import Sites

/// A period during which a catalog drug flows into a catheter at one site.
///
/// It runs from its effective start (included) to its effective end (excluded; `nil`
/// while it runs); the site then stays under watch from the end (included) for the
/// entry's watch window, and a calcium entry's site stays under the late (calcinosis)
/// watch for `lateWatchDays`. Administrations of the order can extend it (an earlier
/// start, a later end), never split it; `start` stays the order's, and names the
/// exposure (episodes and alert ids use it).
public struct SiteExposure: Sendable, Hashable, Codable {
    /// The catheter's canonical site, when a source named one (`nil`: unsited).
    public var site: CanonicalSite?
    /// When the drug started to flow.
    public var start: Instant
    /// When it stopped (discontinued, cancelled, end time passed, line removed, site changed).
    public var end: Instant?
    /// The order number (ORC-2.1, else ORC-3.1), when known.
    public var orderNumber: String?
    /// The give code's text as sent (CWE-2, else CWE-1).
    public var drug: String
    /// The catalog entry that made this an exposure.
    public var entryID: String
    /// The entry's risk tier.
    public var risk: RiskTier
    /// The entry's watch window in hours.
    public var watchWindowHours: Int
    /// Whether the entry is a calcium entry (eligible for the late calcinosis watch).
    public var calciumEntry: Bool
    /// The earliest documented administration start, when before `start`.
    public var administeredFrom: Instant?
    /// The latest documented administration end.
    public var administeredUntil: Instant?

    /// When the drug started to flow: the order's start or an earlier administration.
    public var effectiveStart: Instant { min(start, administeredFrom ?? start) }

    /// When it stopped: the order's end or a later administration's end (`nil` while it runs).
    public var effectiveEnd: Instant? { end.map { max($0, administeredUntil ?? $0) } }

    /// Creates an exposure.
    public init(
        site: CanonicalSite?, start: Instant, end: Instant?, orderNumber: String?, drug: String,
        entryID: String,
        risk: RiskTier, watchWindowHours: Int, calciumEntry: Bool
    ) {
        self.site = site
        self.start = start
        self.end = end
        self.orderNumber = orderNumber
        self.drug = drug
        self.entryID = entryID
        self.risk = risk
        self.watchWindowHours = watchWindowHours
        self.calciumEntry = calciumEntry
    }

    /// Whether the infusion is flowing at `time`.
    public func isActive(at time: Instant) -> Bool {
        time >= effectiveStart && (effectiveEnd.map { time < $0 } ?? true)
    }

    /// Whether acute signs at `time` still alert: during the exposure or its watch window.
    public func isWatched(at time: Instant) -> Bool {
        guard time >= effectiveStart else { return false }
        guard let end = effectiveEnd else { return true }
        return time <= end.adding(hours: watchWindowHours)
    }

    /// Whether a calcinosis finding at `time` alerts: from the start until the late watch ends.
    public func isUnderLateWatch(at time: Instant, lateWatchDays: Int) -> Bool {
        guard calciumEntry, time >= effectiveStart else { return false }
        guard let end = effectiveEnd else { return true }
        return time <= end.adding(hours: lateWatchDays * 24)
    }

    /// Whether the exposure can no longer matter at `time` (every watch has ended).
    public func isOver(at time: Instant, lateWatchDays: Int) -> Bool {
        guard let end = effectiveEnd else { return false }
        let lastWatch = max(watchWindowHours, calciumEntry ? lateWatchDays * 24 : 0)
        return time > end.adding(hours: lastWatch)
    }

    /// The exposure's identity within a patient: order, site and start.
    public var identity: ExposureIdentity {
        ExposureIdentity(orderNumber: orderNumber, site: site, start: start)
    }

    /// Whether `identity` is this exposure's: `self.identity == identity` without making one.
    /// An unsited exposure owns the episodes of every site it was observed at.
    func has(_ identity: ExposureIdentity) -> Bool {
        start == identity.start && orderNumber == identity.orderNumber
            && (site == identity.site || site == nil)
    }
}

/// Which exposure an episode belongs to.
public struct ExposureIdentity: Sendable, Hashable, Codable {
    /// The order number.
    public var orderNumber: String?
    /// The site.
    public var site: CanonicalSite?
    /// The start.
    public var start: Instant
}
