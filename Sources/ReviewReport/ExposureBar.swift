import ClinicalEvents

/// One exposure on a site's timeline: the drug flowing (a bar labelled with the drug
/// and the order), then the watch after it (shading), then, for a calcium entry, the
/// late calcinosis watch.
public struct ExposureBar: Sendable, Hashable {
    /// The give code's text as sent (untrusted: escaped when drawn).
    public var drug: String
    /// The order number as the PHI policy lets it out (`nil` under `minimal`, or unknown).
    public var order: String?
    /// When the drug started to flow (an earlier administration included).
    public var start: Instant
    /// When it stopped; `nil`: still flowing when the feeds end.
    public var end: Instant?
    /// The watch window after the end, in hours.
    public var watchHours: Int
    /// The late (calcinosis) watch after the end, in days; `nil` for a drug that is not a
    /// calcium entry.
    public var lateWatchDays: Int?

    /// Creates a bar.
    public init(
        drug: String, order: String?, start: Instant, end: Instant?, watchHours: Int, lateWatchDays: Int?
    ) {
        self.drug = drug
        self.order = order
        self.start = start
        self.end = end
        self.watchHours = watchHours
        self.lateWatchDays = lateWatchDays
    }

    /// When the watch ends (`nil` while the drug flows).
    public var watchEnd: Instant? { end?.adding(hours: watchHours) }

    /// When the late watch ends (`nil` while the drug flows, or for no calcium entry).
    public var lateWatchEnd: Instant? {
        guard let end, let lateWatchDays else { return nil }
        return end.adding(hours: lateWatchDays * 24)
    }
}
