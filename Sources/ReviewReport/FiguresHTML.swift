import Surveillance

/// The review figures as HTML: alerts by kind and by severity, time to acknowledgement,
/// dispositions, alerts per site, the alerts never acknowledged, and the journal's
/// alerts that the replay did not raise. Numbers are printed beside each bar: a bar
/// only repeats them.
struct FiguresHTML {
    let clock: ReportClock

    /// The figures section of `report`.
    func section(_ report: ReviewReport) -> String {
        let figures = report.figures
        var html = "<section id=\"figures\">\n<h2>Review figures</h2>\n<div class=\"figures\">\n"
        html += figure(
            "Alerts by kind",
            countTable(
                "Kind", figures.byKind.map { (HTMLText.escape($0.value.rawValue), $0.count) },
                total: figures.alerts))
        html += figure(
            "Alerts by severity",
            countTable(
                "Severity", figures.bySeverity.map { (ReportRenderer.severityBadge($0.value), $0.count) },
                total: figures.alerts))
        html += figure("Time to acknowledgement", timeToAcknowledge(figures))
        html += figure(
            "Dispositions",
            countTable(
                "Disposition", figures.dispositions.map { (HTMLText.escape($0.value), $0.count) },
                total: figures.dispositions.reduce(0) { $0 + $1.count })
                + "<p class=\"note\">Of the acknowledgements that count (root or <code>review.group</code>).</p>\n"
        )
        html += figure("Alerts per site", perSite(figures))
        html += "</div>\n"
        html += "<h3>Alerts never acknowledged (\(figures.neverAcknowledged.count))</h3>\n"
        if figures.neverAcknowledged.isEmpty {
            html += "<p class=\"note\">None: every alert has an acknowledgement that counts.</p>\n"
        } else {
            html +=
                "<table class=\"alerts\">\n<thead><tr><th>#</th><th>Observed</th><th>Patient</th><th>Site</th>"
            html += "<th>Kind and alert id</th><th>Severity</th><th>Why</th></tr></thead>\n<tbody>\n"
            for alert in figures.neverAcknowledged.prefix(Self.listed) {
                html +=
                    "<tr><td><a href=\"#alert-\(HTMLText.escape(alert.id))\"><b>\(alert.label)</b></a></td>"
                html += ReportRenderer(clock: clock).observedCell(alert)
                html += ReportRenderer.patientAndSiteCells(alert) + ReportRenderer.kindAndSeverityCells(alert)
                html += "<td>\(HTMLText.escape(alert.unacknowledgedReason ?? ""))</td></tr>\n"
            }
            html += "</tbody>\n</table>\n"
            html += notListed(figures.neverAcknowledged.count)
        }
        let journalOnly = report.journalOnlyAlerts
        html +=
            "<h3>Alerts in the journal that the replayed feeds did not raise (\(journalOnly.count))</h3>\n"
        if journalOnly.isEmpty {
            html += "<p class=\"note\">None in the span covered.</p>\n"
        } else {
            html +=
                "<p class=\"note\">Their feeds were not replayed (or the rules changed since): "
                + "no timeline, only what the journal holds.</p>\n"
            html += ReportRenderer(clock: clock).alertTable(
                Array(journalOnly.prefix(Self.listed)), patientColumn: true)
            html += notListed(journalOnly.count)
        }
        html += "</section>\n"
        return html
    }

    /// The most rows a list of alerts shows (the oldest); the figures count them all.
    static let listed = 200

    /// The line saying how many of `count` alerts a list leaves out, if any.
    private func notListed(_ count: Int) -> String {
        guard count > Self.listed else { return "" }
        return "<p class=\"note\">The \(Self.listed) oldest are listed; \(count - Self.listed) more are "
            + "not (the figures count them): narrow the period with --since and --until.</p>\n"
    }

    private func figure(_ title: String, _ body: String) -> String {
        "<div class=\"figure\">\n<h3>\(HTMLText.escape(title))</h3>\n\(body)</div>\n"
    }

    /// Rows of a label (HTML) and a count, with a bar of the count's share of `total`.
    private func countTable(_ heading: String, _ rows: [(label: String, count: Int)], total: Int) -> String {
        var html =
            "<table>\n<thead><tr><th>\(HTMLText.escape(heading))</th><th>Alerts</th><th></th></tr></thead>\n"
        html += "<tbody>\n"
        let largest = max(rows.map(\.count).max() ?? 0, 1)
        for row in rows {
            let width = Int((Double(row.count) / Double(largest) * 100).rounded())
            html += "<tr><td>\(row.label)</td><td class=\"count\">\(row.count)</td><td>"
            if row.count > 0 { html += "<span class=\"meter\" style=\"width: \(width)px\"></span>" }
            html += "</td></tr>\n"
        }
        html += "<tr><td><b>total</b></td><td class=\"count\"><b>\(total)</b></td><td></td></tr>\n"
        html += "</tbody>\n</table>\n"
        return html
    }

    private func timeToAcknowledge(_ figures: ReviewFigures) -> String {
        let times = figures.timeToAcknowledge
        var html = "<table>\n<tbody>\n"
        html +=
            "<tr><td>Median</td><td class=\"big\">\(times.median.map { ReportClock.duration($0) } ?? "—")</td></tr>\n"
        html +=
            "<tr><td>90th percentile</td><td class=\"big\">\(times.p90.map { ReportClock.duration($0) } ?? "—")</td></tr>\n"
        html += "<tr><td>Alerts timed</td><td class=\"count\">\(times.count) of \(figures.alerts)</td></tr>\n"
        html += "</tbody>\n</table>\n"
        html +=
            "<p class=\"note\">From the alert's journal entry to its acknowledgement's (both journal times), "
        html +=
            "for alerts with a journal entry and an acknowledgement that counts. Median: the middle value; "
        html += "90th percentile: nearest rank. Alerts without either are left out of the times and listed "
        html += "below when never acknowledged.</p>\n"
        return html
    }

    private func perSite(_ figures: ReviewFigures) -> String {
        guard !figures.perSite.isEmpty else { return "<p class=\"note\">No alert.</p>\n" }
        var html =
            "<table>\n<thead><tr><th>Site</th><th>Alerts</th><th>C</th><th>H</th><th>M</th></tr></thead>\n"
        html += "<tbody>\n"
        for site in figures.perSite {
            html +=
                "<tr><td><code>\(HTMLText.escape(site.site))</code></td><td class=\"count\">\(site.count)</td>"
            for count in site.bySeverity { html += "<td class=\"count\">\(count.count)</td>" }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        html += "<p class=\"note\">C critical, H high, M moderate.</p>\n"
        return html
    }
}
