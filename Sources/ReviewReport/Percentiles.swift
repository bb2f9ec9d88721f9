/// The median and the 90th percentile of durations (time to acknowledgement).
///
/// The median is the middle value, the mean of the two middle values when the count is
/// even; the 90th percentile is the nearest rank: the smallest value that at least 90%
/// of the values are less than or equal to (rank ⌈0.9 n⌉ of the sorted values). Both are
/// `nil` for no values.
public struct Percentiles: Sendable, Hashable {
    /// How many values.
    public var count: Int
    /// The median, in seconds.
    public var median: Double?
    /// The 90th percentile (nearest rank), in seconds.
    public var p90: Double?

    /// The figures of `values` (seconds, in any order).
    public init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        guard !sorted.isEmpty else {
            median = nil
            p90 = nil
            return
        }
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        p90 = Self.nearestRank(sorted, percent: 90)
    }

    /// The value of rank ⌈percent/100 × n⌉ (1-based) of `sorted` (not empty).
    static func nearestRank(_ sorted: [Double], percent: Int) -> Double {
        let rank = (percent * sorted.count + 99) / 100
        return sorted[max(rank, 1) - 1]
    }
}
