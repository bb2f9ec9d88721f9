import ClinicalEvents
import Surveillance

/// One site's timeline as inline SVG: lanes for the exposures (a bar labelled with the
/// drug and order, the watch hatched after it, the late watch dotted), the assessments
/// (an open circle: normal; a filled triangle: signs), and the alerts (a diamond
/// lettered by severity, numbered `A1`...; a ticked square: the acknowledgement, linked
/// to its alert), over the patient's time axis. Meaning never rests on colour alone:
/// shapes, letters, patterns and labels carry it, so the page prints in black and white.
struct TimelineSVG {
    let axis: TimeAxis
    let clock: ReportClock

    /// The SVG's width; the plot runs from ``plotLeft`` to ``plotRight``, lane names left of it.
    static let width = 960.0
    static let plotLeft = 104.0
    static let plotRight = 944.0

    private static let rowHeight = 38.0
    private static let barHeight = 16.0
    private static let assessmentLane = 30.0
    private static let alertLane = 44.0
    private static let acknowledgementLane = 24.0
    private static let axisHeight = 34.0
    /// About how wide a character of the 11-pixel labels is.
    private static let characterWidth = 6.2

    /// The SVG of `site`.
    func render(_ site: SiteTimeline) -> String {
        let rows = Self.rows(site.exposures, axis: axis)
        let rowCount = max(rows.map(\.row).max().map { $0 + 1 } ?? 0, 1)
        let exposureTop = 6.0
        let assessmentTop = exposureTop + Double(rowCount) * Self.rowHeight
        let alertTop = assessmentTop + Self.assessmentLane
        let acknowledgementTop = alertTop + Self.alertLane
        let axisTop = acknowledgementTop + Self.acknowledgementLane
        let height = axisTop + Self.axisHeight
        var svg = ""
        svg += "<svg class=\"timeline\" viewBox=\"0 0 \(Self.number(Self.width)) \(Self.number(height))\" "
        svg += "width=\"\(Self.number(Self.width))\" height=\"\(Self.number(height))\" role=\"img\" "
        svg += "aria-label=\"\(HTMLText.escape("Timeline of " + site.title))\">"
        svg += "<title>\(HTMLText.escape("Timeline of " + site.title))</title>"
        // Breaks (stretches left out), lane names, lane separators and the grid at the ticks.
        for gap in axis.breaks {
            svg += rect(
                gap.left + 3, exposureTop, gap.right - gap.left - 6, axisTop - exposureTop,
                class: "break-band")
        }
        // No tick crowds a break's label.
        let ticks = axis.ticks(clock).filter { tick in
            !axis.breaks.contains { tick.x > $0.left - 40 && tick.x < $0.right + 40 }
        }
        for tick in ticks {
            svg += line(tick.x, exposureTop, tick.x, axisTop, class: "grid")
        }
        for (name, top, laneHeight) in [
            ("exposures", exposureTop, assessmentTop - exposureTop),
            ("assessments", assessmentTop, Self.assessmentLane),
            ("alerts", alertTop, Self.alertLane),
            ("acknowledged", acknowledgementTop, Self.acknowledgementLane),
        ] {
            svg += text(name, x: 4, y: top + laneHeight / 2 + 4, class: "lane")
            svg += line(Self.plotLeft, top + laneHeight, Self.plotRight, top + laneHeight, class: "lane-rule")
        }
        // Exposures.
        if site.exposures.isEmpty {
            svg += text(
                "no exposure at this site in the period", x: Self.plotLeft + 4, y: exposureTop + 22,
                class: "note")
        }
        for (exposure, row) in rows {
            let top = exposureTop + Double(row) * Self.rowHeight
            svg += self.exposure(exposure, top: top)
        }
        // Assessments.
        let middle = assessmentTop + Self.assessmentLane / 2
        // A mark close after another is moved right by up to 8 pixels (less than a mark:
        // dense regular assessments stay where they were, overlapping as a chain); marks
        // with signs are drawn last, over the normal ones.
        var placed: [(mark: AssessmentMark, x: Double)] = []
        var previousMark = -1_000.0
        for mark in site.assessments {
            let exact = axis.x(mark.time)
            let x = min(max(exact, previousMark + 13), exact + 8)
            previousMark = x
            placed.append((mark, x))
        }
        for (mark, x) in placed.filter({ $0.mark.signs.isEmpty }) + placed.filter({ !$0.mark.signs.isEmpty })
        {
            let when = clock.dateTime(mark.time)
            if mark.isNormal {
                svg +=
                    "<circle class=\"assess-normal\" cx=\"\(Self.number(x))\" cy=\"\(Self.number(middle))\" r=\"5\">"
                svg += "<title>\(HTMLText.escape("\(when): assessed, no sign"))</title></circle>"
            } else if mark.signs.isEmpty {
                // The line's removal: a cross.
                svg += "<path class=\"assess-removed\" d=\"M\(Self.number(x - 5)) \(Self.number(middle - 5))"
                svg +=
                    " L\(Self.number(x + 5)) \(Self.number(middle + 5)) M\(Self.number(x + 5)) \(Self.number(middle - 5))"
                svg += " L\(Self.number(x - 5)) \(Self.number(middle + 5))\">"
                svg += "<title>\(HTMLText.escape("\(when): line removed"))</title></path>"
            } else {
                let signs = mark.signs.joined(separator: ", ")
                svg += "<path class=\"assess-sign\" d=\"M\(Self.number(x)) \(Self.number(middle - 7))"
                svg +=
                    " L\(Self.number(x + 7)) \(Self.number(middle + 6)) L\(Self.number(x - 7)) \(Self.number(middle + 6)) Z\">"
                let removed = mark.lineRemoved ? "; line removed" : ""
                svg += "<title>\(HTMLText.escape("\(when): \(signs)\(removed)"))</title></path>"
            }
        }
        // Alerts and their acknowledgements.
        svg += alerts(site.alerts, top: alertTop, acknowledgementTop: acknowledgementTop)
        // The axis.
        svg += line(Self.plotLeft, axisTop, Self.plotRight, axisTop, class: "axis")
        for tick in ticks {
            svg += line(tick.x, axisTop, tick.x, axisTop + 5, class: "axis")
            var y = axisTop + 16
            if let time = tick.time {
                svg += text(time, x: tick.x, y: y, class: "tick", anchor: "middle")
                y += 12
            }
            if let date = tick.date {
                svg += text(date, x: tick.x, y: y, class: "tick tick-date", anchor: "middle")
            }
        }
        for gap in axis.breaks {
            // The axis cut: two slants, and how long a stretch is left out.
            let middleX = (gap.left + gap.right) / 2
            svg += rect(gap.left + 3, axisTop - 4, gap.right - gap.left - 6, 8, class: "break-gap")
            for offset in [-4.0, 4.0] {
                svg += line(
                    middleX + offset - 3, axisTop + 5, middleX + offset + 3, axisTop - 5, class: "axis")
            }
            svg += text(
                ReportClock.duration(Double(gap.seconds), coarse: true), x: middleX, y: axisTop + 16,
                class: "tick break-label",
                anchor: "middle")
        }
        svg += "</svg>"
        return svg
    }

    // MARK: - Exposures

    /// Each exposure's row: the first row where its bar, watch and label fit after what
    /// the row already holds.
    static func rows(_ exposures: [ExposureBar], axis: TimeAxis) -> [(ExposureBar, row: Int)] {
        var rowEnds: [Double] = []
        var placed: [(ExposureBar, row: Int)] = []
        for exposure in exposures {
            let start = axis.x(exposure.start)
            let end = exposure.watchEnd.map(axis.x) ?? plotRight
            let labelEnd = start + Double(label(exposure).count) * characterWidth
            let extent = max(end, min(labelEnd, plotRight))
            if let row = rowEnds.firstIndex(where: { $0 + 8 < start }) {
                rowEnds[row] = extent
                placed.append((exposure, row))
            } else {
                rowEnds.append(extent)
                placed.append((exposure, rowEnds.count - 1))
            }
        }
        return placed
    }

    /// The label over a bar: the drug, the order, the watch.
    static func label(_ exposure: ExposureBar) -> String {
        var parts = [exposure.drug]
        if let order = exposure.order { parts.append("order \(order)") }
        if exposure.end == nil {
            parts.append("still flowing when the feeds end")
        } else {
            parts.append("watch \(exposure.watchHours) h")
        }
        return parts.joined(separator: " · ")
    }

    private func exposure(_ exposure: ExposureBar, top: Double) -> String {
        let barTop = top + 14
        let start = axis.x(exposure.start)
        let end = exposure.end.map(axis.x) ?? Self.plotRight
        var svg = "<g class=\"exposure\">"
        let title =
            clock.dateTime(exposure.start) + " to "
            + (exposure.end.map(clock.dateTime) ?? "the end of the feeds")
        svg += "<title>\(HTMLText.escape(exposure.drug + ": " + title))</title>"
        if let lateEnd = exposure.lateWatchEnd, let watchEnd = exposure.watchEnd, lateEnd > watchEnd {
            let from = axis.x(watchEnd)
            let to = axis.x(lateEnd)
            if to > from {
                svg += line(
                    from, barTop + Self.barHeight / 2, to, barTop + Self.barHeight / 2, class: "late-watch")
                if !axis.isAfterEnd(lateEnd) {
                    svg += line(to, barTop + 3, to, barTop + Self.barHeight - 3, class: "late-watch-end")
                }
            }
        }
        if let watchEnd = exposure.watchEnd {
            let to = axis.x(watchEnd)
            if to > end {
                svg += rect(end, barTop, to - end, Self.barHeight, class: "watch")
            }
        }
        svg += rect(start, barTop, max(end - start, 2), Self.barHeight, class: "bar")
        if exposure.end == nil {
            // Still flowing: an arrowhead at the axis's end.
            let y = barTop + Self.barHeight / 2
            svg += "<path class=\"open-end\" d=\"M\(Self.number(end - 1)) \(Self.number(y - 8)) "
            svg +=
                "L\(Self.number(end + 7)) \(Self.number(y)) L\(Self.number(end - 1)) \(Self.number(y + 8)) Z\"/>"
        }
        // The label above the bar, kept inside the plot.
        let label = Self.label(exposure)
        let width = Double(label.count) * Self.characterWidth
        if start + width <= Self.plotRight {
            svg += text(label, x: start, y: top + 10, class: "bar-label")
        } else {
            svg += text(label, x: Self.plotRight, y: top + 10, class: "bar-label", anchor: "end")
        }
        svg += "</g>"
        return svg
    }

    // MARK: - Alerts

    /// The alert lane (diamonds lettered by severity, numbered below) and the
    /// acknowledgement lane under it (a ticked square, dashed with `?` when untrusted,
    /// linked to its alert's number).
    private func alerts(_ alerts: [ReportAlert], top: Double, acknowledgementTop: Double) -> String {
        var svg = ""
        let middle = top + 15
        let ackMiddle = acknowledgementTop + Self.acknowledgementLane / 2
        var previousX = -1_000.0
        var previousAck = -1_000.0
        for alert in alerts {
            guard let observed = alert.observedAt else { continue }
            // Alerts closer than a mark's width are moved right, each with a leader from
            // its time at the lane's top: none hides another.
            // (At most two marks' widths: in a dense cluster they overlap rather than drift.)
            let exact = axis.x(observed)
            let x = min(max(exact, previousX + 22), exact + 44)
            previousX = x
            if x - exact > 0.5 {
                svg += "<path class=\"leader\" d=\"M\(Self.number(exact)) \(Self.number(top + 1)) "
                svg += "L\(Self.number(x)) \(Self.number(middle - 10))\"/>"
            }
            let letter: String
            switch alert.severity {
            case .critical: letter = "C"
            case .high: letter = "H"
            case .moderate: letter = "M"
            }
            svg += "<g class=\"alert sev-\(alert.severity.rawValue)\">"
            var title =
                "\(alert.label) \(alert.kind.rawValue), \(alert.severity.rawValue), \(clock.dateTime(observed))"
            if !alert.signs.isEmpty { title += ": " + alert.signs.joined(separator: ", ") }
            svg += "<title>\(HTMLText.escape(title))</title>"
            svg += "<path class=\"alert-mark\" d=\"M\(Self.number(x)) \(Self.number(middle - 10)) "
            svg +=
                "L\(Self.number(x + 10)) \(Self.number(middle)) L\(Self.number(x)) \(Self.number(middle + 10)) "
            svg += "L\(Self.number(x - 10)) \(Self.number(middle)) Z\"/>"
            svg += text(letter, x: x, y: middle + 4, class: "alert-letter", anchor: "middle")
            svg += text(alert.label, x: x, y: middle + 22, class: "alert-number", anchor: "middle")
            svg += "</g>"
            // The acknowledgement: at the alert's time plus its time to acknowledgement
            // (journal times), so feeds replayed long after still show it by its alert.
            guard let acknowledgement = alert.acknowledgement, let written = alert.writtenAt else { continue }
            let delay = max(0, acknowledgement.writtenAt - written) / 1_000_000
            let at = observed.adding(seconds: delay)
            // After the axis's end (feeds replayed long after): under its alert, the delay
            // written beside it.
            let late = axis.isAfterEnd(at)
            let ackX = max(late ? x : max(axis.x(at), x), previousAck + 14)
            previousAck = ackX
            let trusted = alert.acknowledgementTrusted
            svg += "<path class=\"ack-link\" d=\"M\(Self.number(x)) \(Self.number(middle + 25)) "
            svg += "L\(Self.number(ackX)) \(Self.number(ackMiddle - 6))\"/>"
            svg += "<g class=\"\(trusted ? "ack" : "ack-untrusted")\">"
            var ackTitle = "\(alert.label) acknowledged by \(acknowledgement.by)"
            if let disposition = acknowledgement.disposition { ackTitle += ", \(disposition.rawValue)" }
            ackTitle += ", after \(ReportClock.duration(Double(delay)))"
            if !trusted { ackTitle += " (untrusted: not root or review.group)" }
            svg += "<title>\(HTMLText.escape(ackTitle))</title>"
            svg += rect(ackX - 6, ackMiddle - 6, 12, 12, class: "ack-box")
            if trusted {
                svg += "<path class=\"ack-tick\" d=\"M\(Self.number(ackX - 3.5)) \(Self.number(ackMiddle)) "
                svg += "L\(Self.number(ackX - 1)) \(Self.number(ackMiddle + 3)) "
                svg += "L\(Self.number(ackX + 4)) \(Self.number(ackMiddle - 3.5))\"/>"
            } else {
                svg += text("?", x: ackX, y: ackMiddle + 4, class: "ack-mark", anchor: "middle")
            }
            if late {
                svg += text(
                    "+" + ReportClock.duration(Double(delay)), x: ackX + 9, y: ackMiddle + 4,
                    class: "ack-late")
            }
            svg += "</g>"
        }
        return svg
    }

    // MARK: - Drawing

    /// A coordinate with at most one decimal.
    static func number(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0
            ? String(Int(tenths / 10)) : String(tenths / 10)
    }

    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, class name: String) -> String {
        "<line class=\"\(name)\" x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\"/>"
    }

    private func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, class name: String)
        -> String
    {
        "<rect class=\"\(name)\" x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\"/>"
    }

    private func text(_ content: String, x: Double, y: Double, class name: String, anchor: String? = nil)
        -> String
    {
        let anchorAttribute = anchor.map { " text-anchor=\"\($0)\"" } ?? ""
        return "<text class=\"\(name)\" x=\"\(Self.number(x))\" y=\"\(Self.number(y))\"\(anchorAttribute)>"
            + HTMLText.escape(content) + "</text>"
    }
}
