/// What on-call review left in the store, read at start (``SurveillanceStore/storedReview()``).
public struct StoredReview: Sendable, Hashable {
    /// The journal cursor of the last acknowledgement taken up; `nil` before the first.
    public var acknowledgementCursor: String?
    /// Every stored episode suppression (ended ones too, until they are removed).
    public var suppressions: [EpisodeSuppression]

    /// Creates the record.
    public init(acknowledgementCursor: String?, suppressions: [EpisodeSuppression]) {
        self.acknowledgementCursor = acknowledgementCursor
        self.suppressions = suppressions
    }
}
