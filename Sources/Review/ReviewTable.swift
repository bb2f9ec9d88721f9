import ClinicalEvents
import Foundation
import Surveillance

/// `extravasd alerts --format table` (for people, not a contract): two lines per alert,
/// aligned within 80 columns, times in the local zone (`12-06 14:31`):
///
///     SEVERITY  KIND        SITE                     PATIENT             WRITTEN
///       ALERT ID                          ACKNOWLEDGEMENT
///     critical  suspected   left-heel                4455                12-06 14:31
///       83e007c36b997f4ed672fae3a28a18fb  RN J. Doe 12-06 14:40 confirmed
///
/// The alert id is printed whole (`extravasd ack` needs all of it). The acknowledgement
/// is who, when and the disposition; `UNACKED` without a trusted one, an untrusted one
/// marked `untrusted`; `reminded` when a reminder was written. When it does not fit
/// beside the id it goes on a line of its own.
public struct ReviewTable: Sendable {
    /// The line width the table fits.
    public static let width = 80
    /// Column widths of the first line: severity, kind, site, patient, written.
    static let columns = [8, 10, 23, 18, 11]
    static let gap = "  "

    /// The zone times are shown in (the local zone).
    public var zone: TimeZone
    /// Whether the severity is coloured (ANSI escapes).
    public var colour: Bool

    /// A table with times in `zone`, coloured when `colour`.
    public init(zone: TimeZone = .current, colour: Bool = false) {
        self.zone = zone
        self.colour = colour
    }

    /// The two header lines.
    public var header: String {
        line(["SEVERITY", "KIND", "SITE", "PATIENT", "WRITTEN"]) + "\n"
            + "  " + "ALERT ID".padding(toLength: 32, withPad: " ", startingAt: 0) + Self.gap
            + "ACKNOWLEDGEMENT\n"
    }

    /// The lines of one alert.
    public func row(_ row: AlertLedger.Row) -> String {
        let alert = row.alert
        var first = line([
            alert.severity.rawValue, Self.shortKind(alert.kind), alert.site ?? "-", alert.patient ?? "-",
            time(alert.writtenAt),
        ])
        if colour, let code = Self.colourCode(alert.severity) {
            let name = alert.severity.rawValue
            first = "\u{1B}[\(code)m\(name)\u{1B}[0m" + first.dropFirst(name.count)
        }
        return first + "\n" + idAndAcknowledgement(row, prefix: "  ")
    }

    /// The line printed while following when an alert already printed is acknowledged
    /// or reminded: `updated`, its id and its acknowledgement now.
    public func update(_ row: AlertLedger.Row) -> String {
        idAndAcknowledgement(row, prefix: "updated ")
    }

    /// `N alerts, M unacknowledged`.
    public static func summary(_ rows: [AlertLedger.Row]) -> String {
        let unacknowledged = rows.count { !$0.acknowledged }
        return "\(rows.count) alert\(rows.count == 1 ? "" : "s"), \(unacknowledged) unacknowledged"
    }

    /// The acknowledgement column: who, when, disposition (the name shortened when the
    /// text would pass `limit` characters), `untrusted`, `UNACKED`, `reminded`.
    public func acknowledgement(_ row: AlertLedger.Row, limit: Int = .max) -> String {
        var suffix: [String] = []
        var prefix = ""
        var name = ""
        if let acknowledgement = row.acknowledgement {
            name = acknowledgement.by
            if !row.acknowledgementTrusted { prefix = "UNACKED untrusted: " }
            suffix.append(time(acknowledgement.writtenAt))
            if let disposition = acknowledgement.disposition { suffix.append(disposition.rawValue) }
        } else {
            prefix = "UNACKED"
        }
        if row.reminded { suffix.append("reminded") }
        let rest =
            suffix.isEmpty ? "" : (name.isEmpty && prefix.isEmpty ? "" : " ") + suffix.joined(separator: " ")
        let room = limit - prefix.count - rest.count
        if name.count > room { name = Self.truncated(name, to: max(room, 4)) }
        return prefix + name + rest
    }

    /// `MM-DD HH:MM` in ``zone`` of a journal time (microseconds since the epoch).
    public func time(_ microseconds: Int64) -> String {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        // `YYYY-MM-DDTHH:MM:SS+HH:MM`: characters 5 to 15.
        let text = Array(Instant(seconds: seconds).format(utcOffsetSeconds: offset))
        return String(text[5..<10]) + " " + String(text[11..<16])
    }

    /// `prefix`, the id, and the acknowledgement beside it when the line stays within
    /// ``width``, else on a line of its own (indented four).
    private func idAndAcknowledgement(_ row: AlertLedger.Row, prefix: String) -> String {
        let start = prefix + row.alert.id + Self.gap
        let beside = acknowledgement(row)
        if start.count + beside.count <= Self.width { return start + beside + "\n" }
        let own = acknowledgement(row, limit: Self.width - 4)
        if start.count + own.count <= Self.width { return start + own + "\n" }
        return prefix + row.alert.id + "\n    " + own + "\n"
    }

    /// The columns padded (the last one not), each cut to its width.
    private func line(_ values: [String]) -> String {
        var text = ""
        for (index, value) in values.enumerated() {
            let width = Self.columns[index]
            let cell = Self.truncated(value, to: width)
            if index == values.count - 1 {
                text += cell
            } else {
                text += cell + String(repeating: " ", count: width - cell.count) + Self.gap
            }
        }
        return text
    }

    /// `text` cut to `width` characters, the last one `…` when cut.
    static func truncated(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        return String(text.prefix(max(width - 1, 0))) + "…"
    }

    /// The kind, short: `suspected`, `escalated`, `calcinosis`.
    static func shortKind(_ kind: AlertKind) -> String {
        switch kind {
        case .extravasationSuspected: return "suspected"
        case .extravasationEscalated: return "escalated"
        case .calcinosisSuspected: return "calcinosis"
        }
    }

    /// The SGR code of a severity: bold red, red, yellow.
    static func colourCode(_ severity: Severity) -> String? {
        switch severity {
        case .critical: return "1;31"
        case .high: return "31"
        case .moderate: return "33"
        }
    }
}
