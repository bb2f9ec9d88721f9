import Catalog
import ClinicalEvents
import Sites

/// An infusion order of a catalog drug, as the engine keeps it: its numbers, drug and
/// the exposures it made (one per site; a site change adds one).
public struct InfusionOrder: Sendable, Hashable, Codable {
    /// ORC-2.1, when sent.
    public var placerNumber: String?
    /// ORC-3.1, when sent.
    public var fillerNumber: String?
    /// The catalog entry matched.
    public var entryID: String
    /// The give code's text as sent.
    public var drug: String
    /// When the order is due to end (TQ1-8), when sent.
    public var plannedEnd: Instant?
    /// Whether the order has ended (discontinued, cancelled, completed).
    public var ended: Bool
    /// The exposures, in the order they started.
    public var exposures: [SiteExposure]
    /// Documented administrations (RXA) of this order that gave something.
    public var administrations: [AdministrationRecord] = []

    /// The order number used in alerts: ORC-2.1, else ORC-3.1.
    public var orderNumber: String? { placerNumber ?? fillerNumber }

    /// Whether an order event names this order (by placer or filler number).
    func isNamed(by event: OrderEvent) -> Bool {
        isNamed(placer: event.placerNumber, filler: event.fillerNumber)
    }

    /// Whether these order numbers name this order.
    func isNamed(placer: String?, filler: String?) -> Bool {
        if let placer, placer == placerNumber { return true }
        if let filler, filler == fillerNumber { return true }
        return false
    }

    /// A later message of the order sent its timing again (TQ1, the union of its
    /// segments): it becomes the planned end. Exposures that ran to the old planned end
    /// (or were open) run to the new one, never before their start; `nil` leaves them
    /// open ("a TQ1 without an end leaves it open"). Exposures ended otherwise (line
    /// removed, site changed) stay ended.
    mutating func replan(end newEnd: Instant?) {
        let oldEnd = plannedEnd
        plannedEnd = newEnd
        for index in exposures.indices where exposures[index].end == nil || exposures[index].end == oldEnd {
            exposures[index].end = newEnd.map { max($0, exposures[index].start) }
        }
    }

    /// Recomputes how administrations extend the exposures: each administration belongs
    /// to the exposure that had started by its start (else the first); it can move that
    /// exposure's start earlier and its end later. One without an end runs until the
    /// order ends (it extends nothing).
    mutating func applyAdministrations() {
        guard !exposures.isEmpty else { return }
        for index in exposures.indices {
            exposures[index].administeredFrom = nil
            exposures[index].administeredUntil = nil
        }
        for administration in administrations {
            let owner = exposures.lastIndex { $0.start <= administration.start } ?? 0
            if administration.start < exposures[owner].start {
                exposures[owner].administeredFrom = min(
                    exposures[owner].administeredFrom ?? administration.start, administration.start)
            }
            if let end = administration.end {
                exposures[owner].administeredUntil = max(exposures[owner].administeredUntil ?? end, end)
            }
        }
    }
}

/// A documented administration that gave something (not `NA`/`RE`).
public struct AdministrationRecord: Sendable, Hashable, Codable {
    /// Order number, RXA-1 and RXA-2.
    public var identity: String
    /// RXA-3.
    public var start: Instant
    /// RXA-4, when sent.
    public var end: Instant?
}

/// An administration whose order is unknown: an exposure of its own, from RXA-3 to
/// RXA-4 (without RXA-4, the moment RXA-3).
public struct StandaloneAdministration: Sendable, Hashable, Codable {
    /// Order number, RXA-1 and RXA-2.
    public var identity: String
    /// Its exposure.
    public var exposure: SiteExposure
}
