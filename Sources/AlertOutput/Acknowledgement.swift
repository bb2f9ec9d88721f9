/// An acknowledgement of an alert by a person on call (`extravasd ack`, DESIGN.md
/// section 5): who, what they found, an optional note. Its journal entry carries
/// MESSAGE_ID ``messageID`` with `EXTRAVASD_ALERT_ID`, `EXTRAVASD_ACK_BY`,
/// `EXTRAVASD_DISPOSITION` (omitted without one) and `EXTRAVASD_NOTE`, PRIORITY 5.
///
/// The name and the note are free text from a person: they are length-capped and may
/// not hold control characters (a newline could forge a line in a log reader), and they
/// are never interpreted.
public struct Acknowledgement: Sendable, Hashable {
    /// The acknowledgement MESSAGE_ID.
    public static let messageID = "b58e71387e6848038cc9bd8d4082be8e"
    /// The most characters of the name.
    public static let maximumNameLength = 128
    /// The most characters of the note.
    public static let maximumNoteLength = 2_000

    /// What the person found.
    public enum Disposition: String, Sendable, Hashable, CaseIterable {
        /// An extravasation, confirmed at the bedside.
        case confirmed
        /// Not an extravasation (suppresses the episode's escalations for a while).
        case notExtravasation = "not-extravasation"
        /// The infusion was stopped.
        case infusionStopped = "infusion-stopped"
        /// Something else (say what in the note).
        case other
    }

    /// Why an acknowledgement is refused.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        /// The option at fault (`--by`, `--note`).
        public var option: String
        /// Why.
        public var reason: String

        /// `OPTION: REASON`.
        public var description: String { "\(option): \(reason)" }
    }

    /// The alert acknowledged (`EXTRAVASD_ALERT_ID`).
    public let alertID: String
    /// Who acknowledged it.
    public let by: String
    /// What they found, if they said.
    public let disposition: Disposition?
    /// Their note, if any.
    public let note: String?

    /// An acknowledgement, after checking the texts.
    ///
    /// - Throws: ``Refusal`` for an empty or over-long name, an over-long note, or a
    ///   control character (a line break included) in either.
    public init(alertID: String, by: String, disposition: Disposition?, note: String?) throws(Refusal) {
        try Self.check(by, option: "--by", maximum: Self.maximumNameLength, mayBeEmpty: false)
        if let note {
            try Self.check(note, option: "--note", maximum: Self.maximumNoteLength, mayBeEmpty: true)
        }
        self.alertID = alertID
        self.by = by
        self.disposition = disposition
        self.note = note
    }

    /// The journal entry's fields, in a fixed order.
    public var journalFields: [(String, String)] {
        var fields: [(String, String)] = [
            (
                "MESSAGE",
                "extravasd: alert \(alertID) acknowledged by \(by)"
                    + (disposition.map { ": \($0.rawValue)" } ?? "")
            ),
            ("MESSAGE_ID", Self.messageID),
            ("PRIORITY", "5"),
            AlertJournalFields.syslogIdentifier,
            ("EXTRAVASD_ALERT_ID", alertID),
            ("EXTRAVASD_ACK_BY", by),
        ]
        if let disposition { fields.append(("EXTRAVASD_DISPOSITION", disposition.rawValue)) }
        if let note { fields.append(("EXTRAVASD_NOTE", note)) }
        return fields
    }

    private static func check(_ text: String, option: String, maximum: Int, mayBeEmpty: Bool) throws(Refusal)
    {
        if !mayBeEmpty && text.allSatisfy(\.isWhitespace) {
            throw Refusal(option: option, reason: "must not be empty")
        }
        if text.count > maximum {
            throw Refusal(option: option, reason: "\(text.count) characters, at most \(maximum)")
        }
        if let control = text.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            throw Refusal(
                option: option,
                reason: "holds a control character (U+\(String(control.value, radix: 16, uppercase: true))); "
                    + "write it on one line, without tabs or escapes")
        }
    }
}
