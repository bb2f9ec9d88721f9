import Surveillance

/// The figures a monthly review asks for (DESIGN.md section 5), over a report's alerts:
/// alerts by kind and by severity, time to acknowledgement (median, 90th percentile),
/// dispositions, the alerts never acknowledged, and alerts per site.
public struct ReviewFigures: Sendable, Hashable {
    /// How many alerts.
    public var alerts: Int
    /// Alerts by kind, every kind listed (zero included), in ``AlertKind`` order.
    public var byKind: [Count<AlertKind>]
    /// Alerts by severity, critical first, every severity listed.
    public var bySeverity: [Count<Severity>]
    /// Time to a trusted acknowledgement, over the alerts that have one and a journal
    /// entry (``ReportAlert/secondsToAcknowledge``).
    public var timeToAcknowledge: Percentiles
    /// Trusted acknowledgements by disposition (`none given` for one without), every
    /// disposition listed.
    public var dispositions: [Count<String>]
    /// The alerts with no trusted acknowledgement, oldest first.
    public var neverAcknowledged: [ReportAlert]
    /// Alerts per exposed site (`unknown` for none), most first, then by name.
    public var perSite: [SiteCount]

    /// A count of one value.
    public struct Count<Value: Sendable & Hashable>: Sendable, Hashable {
        /// The value counted.
        public var value: Value
        /// How many.
        public var count: Int
    }

    /// The alerts of one site, in all and by severity.
    public struct SiteCount: Sendable, Hashable {
        /// The canonical site, or `unknown`.
        public var site: String
        /// How many alerts.
        public var count: Int
        /// How many of each severity (critical, high, moderate).
        public var bySeverity: [Count<Severity>]
    }

    /// The disposition labels in the order they are listed (the last: no disposition given).
    public static let dispositionLabels = [
        "confirmed", "not-extravasation", "infusion-stopped", "other", "none given",
    ]

    /// Severities, most urgent first.
    static let severities: [Severity] = [.critical, .high, .moderate]

    /// The figures of `alerts`.
    public init(_ alerts: [ReportAlert]) {
        self.alerts = alerts.count
        byKind = AlertKind.allCases.map { kind in
            Count(value: kind, count: alerts.count(where: { $0.kind == kind }))
        }
        bySeverity = Self.severities.map { severity in
            Count(value: severity, count: alerts.count(where: { $0.severity == severity }))
        }
        timeToAcknowledge = Percentiles(alerts.compactMap(\.secondsToAcknowledge))
        var dispositions: [String: Int] = [:]
        for alert in alerts where alert.acknowledged {
            dispositions[alert.acknowledgement?.disposition?.rawValue ?? "none given", default: 0] += 1
        }
        self.dispositions = Self.dispositionLabels.map { Count(value: $0, count: dispositions[$0] ?? 0) }
        neverAcknowledged = alerts.filter { !$0.acknowledged }.sorted { lhs, rhs in
            switch (lhs.observedAt, rhs.observedAt) {
            case (let left?, let right?) where left != right: return left < right
            case (nil, _?): return false
            case (_?, nil): return true
            default: return lhs.number < rhs.number
            }
        }
        var sites: [String: [ReportAlert]] = [:]
        for alert in alerts { sites[alert.site ?? "unknown", default: []].append(alert) }
        perSite = sites.map { site, alerts in
            SiteCount(
                site: site, count: alerts.count,
                bySeverity: Self.severities.map { severity in
                    Count(value: severity, count: alerts.count(where: { $0.severity == severity }))
                })
        }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.site < $1.site }
    }
}
