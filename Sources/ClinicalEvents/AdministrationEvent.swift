import HL7

/// One administration of a pharmacy administration message (RAS^O17, RAS^O01 in
/// v2.3): what a nurse documented as given, with its order's numbers.
public struct AdministrationEvent: Sendable, Hashable {
    /// ORC-2.1 of the administration's order group.
    public var placerNumber: String?
    /// ORC-3.1 of the administration's order group.
    public var fillerNumber: String?
    /// RXA-1, the give sub-ID counter.
    public var giveSubID: String
    /// RXA-2, the administration sub-ID counter.
    public var administrationSubID: String
    /// RXA-3, when the administration started.
    public var start: Instant
    /// RXA-4, when it ended, when sent.
    public var end: Instant?
    /// RXA-5, the administered code.
    public var giveCode: CodedValue
    /// RXA-20, the completion status (`CP`, `PA`, `NA` not administered, `RE` refused).
    public var completionStatus: String
    /// RXA-21, the action code: `A` add (the default), `U` update, `D` delete.
    public var actionCode: String
    /// RXR-2 after the RXA, the site, when sent (of the first RXR whose route is
    /// parenteral and that has a site, see ``RouteAndSite``).
    public var site: CodedValue?
    /// The administration notes: each repetition of RXA-9 (CWE-2, else CWE-1) and each
    /// repetition of NTE-3 of the NTE segments after the RXA (before the next RXA or
    /// ORC), decoded; empty when none was sent. Read for signs at the site, at RXA-3.
    public var notes: [String] = []

    /// The order number (ORC-2.1, else ORC-3.1).
    public var orderNumber: String? { placerNumber ?? fillerNumber }

    /// Whether nothing was given (`NA` or `RE`): no exposure.
    public var notGiven: Bool { completionStatus == "NA" || completionStatus == "RE" }

    /// Which administration this is: order number, RXA-1 and RXA-2.
    public var identity: String { "\(orderNumber ?? "")|\(giveSubID)|\(administrationSubID)" }

    /// Why an administration could not be read.
    public struct Problem: Error, Sendable, Hashable {
        /// `RXA-3`, `RXA[2]-4`, ...
        public var location: String
        /// What is wrong.
        public var reason: String
    }

    /// The administrations of a message: each RXA, with the ORC before it and the RXR
    /// that follows it (before the next RXA or ORC).
    public static func administrations(in message: Message, times: TimeReader) -> Result<
        [AdministrationEvent], Problem
    > {
        var events: [AdministrationEvent] = []
        var orc: Segment? = nil
        var occurrence = 0
        // The segments are read in place (no array of them is made).
        let segments = message.segments
        for index in segments.indices {
            let segment = segments[index]
            if segment.id == "ORC" { orc = segment }
            guard segment.id == "RXA" else { continue }
            occurrence += 1
            // Made only for a problem (most messages have none).
            var label: String { occurrence == 1 ? "RXA" : "RXA[\(occurrence)]" }
            guard segment[3].hasValue else {
                return .failure(Problem(location: "\(label)-3", reason: "no start time"))
            }
            guard let start = times.instant(segment[3]) else {
                return .failure(Problem(location: "\(label)-3", reason: "not a valid HL7 date/time"))
            }
            var end: Instant? = nil
            if segment[4].hasValue {
                guard let parsed = times.instant(segment[4]) else {
                    return .failure(Problem(location: "\(label)-4", reason: "not a valid HL7 date/time"))
                }
                end = parsed
            }
            var rxrs: [Segment] = []
            var notes: [String] = []
            if segment[9].hasValue {
                for repetition in segment[9].repetitions {
                    let text = CodedValue(repetition).displayText
                    if !text.isEmpty { notes.append(text) }
                }
            }
            for nextIndex in (index + 1)..<segments.endIndex {
                let next = segments[nextIndex]
                let id = next.id
                if id == "RXA" || id == "ORC" { break }
                if id == "RXR" { rxrs.append(next) }
                if id == "NTE", next[3].hasValue {
                    for repetition in next[3].repetitions {
                        let text = repetition.string
                        if !text.isEmpty { notes.append(text) }
                    }
                }
            }
            let site = RouteAndSite(rxrs).site
            events.append(
                AdministrationEvent(
                    placerNumber: orc?[2].component(1).value, fillerNumber: orc?[3].component(1).value,
                    giveSubID: segment[1].value ?? "", administrationSubID: segment[2].value ?? "",
                    start: start,
                    end: end, giveCode: CodedValue(segment[5]),
                    completionStatus: segment[20].uppercasedValue ?? "",
                    actionCode: segment[21].uppercasedValue ?? "A", site: site, notes: notes))
        }
        return .success(events)
    }
}
