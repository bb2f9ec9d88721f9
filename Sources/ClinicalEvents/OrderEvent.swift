import HL7

/// One order group of a pharmacy order message (RDE^O11, RDE^O01, OMP^O09, ORM^O01
/// with RXO): the order control, numbers, times, give code, components and site.
public struct OrderEvent: Sendable, Hashable {
    /// ORC-1, order control (`NW`, `DC`, `CA`, `OD`, `OC`, `XO`, `XX`, `HD`, `RL`, `SC`, ...).
    public var control: String
    /// ORC-5, order status (`CM`, `DC`, `CA`, `IP`, ...), when sent.
    public var status: String?
    /// ORC-2.1, the placer order number.
    public var placerNumber: String?
    /// ORC-3.1, the filler order number.
    public var fillerNumber: String?
    /// When the event takes effect: ORC-15, else ORC-9, else the message time (MSH-7).
    public var effectiveTime: Instant?
    /// Start: the earliest TQ1-7 of the group, else ORC-7.4 (see ``OrderTiming``).
    public var start: Instant?
    /// End: the latest TQ1-8 of the group (`nil` when a TQ1 leaves it open), else ORC-7.5.
    public var end: Instant?
    /// Whether the group's timing (TQ1, ORC-7) named a start or an end at all.
    public var timingSent: Bool = false
    /// RXE-2 (RDE) or RXO-1 (ORM, OMP): the give code.
    public var giveCode: CodedValue
    /// RXC-2 of each RXC segment: base and additives.
    public var components: [CodedValue]
    /// RXR-1, the route (of the RXR that gave the site, see ``RouteAndSite``).
    public var route: CodedValue?
    /// RXR-2 of the first RXR whose route is parenteral and that has a site; `nil` when
    /// the order names no site (the site then comes from the MAR, lines in place, ...).
    public var site: CodedValue?

    /// The order number used in alerts: ORC-2.1, else ORC-3.1.
    public var orderNumber: String? { placerNumber ?? fillerNumber }

    /// Whether the event ends the order: ORC-1 `DC`/`CA`/`OD`/`OC`, or ORC-5 `CM`/`DC`/`CA`.
    public var endsOrder: Bool {
        switch control {
        case "DC", "CA", "OD", "OC": return true
        default: break
        }
        switch status {
        case "CM", "DC", "CA": return true
        default: return false
        }
    }

    /// Whether the event cancels the order (before it started, it creates no exposure).
    public var cancelsOrder: Bool { control == "CA" || control == "OC" || status == "CA" }

    /// The order groups of a pharmacy order message; empty for other messages. A group
    /// starts at each ORC; TQ1, RXE/RXO, RXC and RXR up to the next ORC belong to it.
    public static func orders(in message: Message, messageTime: Instant?, times: TimeReader) -> [OrderEvent] {
        var events: [OrderEvent] = []
        var group: [Segment] = []
        func flush() {
            guard !group.isEmpty else { return }
            if let event = OrderEvent(group: group, messageTime: messageTime, times: times) {
                events.append(event)
            }
            group.removeAll(keepingCapacity: true)
        }
        for segment in message.segments {
            if segment.id == "ORC" { flush() }
            if !group.isEmpty || segment.id == "ORC" { group.append(segment) }
        }
        flush()
        return events
    }

    /// Reads one order group (starting with its ORC); `nil` without a give segment.
    init?(group: [Segment], messageTime: Instant?, times: TimeReader) {
        guard let orc = group.first, orc.id == "ORC" else { return nil }
        let give = group.first { $0.id == "RXE" } ?? group.first { $0.id == "RXO" }
        guard let give else { return nil }
        control = orc[1].uppercasedValue ?? ""
        status = orc[5].uppercasedValue
        placerNumber = orc[2].component(1).value
        fillerNumber = orc[3].component(1).value
        effectiveTime = times.instant(orc[15]) ?? times.instant(orc[9]) ?? messageTime
        let timing = OrderTiming(group: group, orc: orc, times: times)
        start = timing.start
        end = timing.end
        timingSent = timing.isSent
        giveCode = CodedValue(give.id == "RXE" ? give[2] : give[1])
        var components: [CodedValue] = []
        var rxrs: [Segment] = []
        for segment in group {
            switch segment.id {
            case "RXC":
                let component = CodedValue(segment[2])
                if !component.isEmpty { components.append(component) }
            case "RXR": rxrs.append(segment)
            default: break
            }
        }
        self.components = components
        // Every RXR of the group (RDE^O11 may carry some for RXO and some for RXE).
        let chosen = RouteAndSite(rxrs)
        route = chosen.route
        site = chosen.site
    }
}
