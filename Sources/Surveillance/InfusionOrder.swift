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

    /// The order number used in alerts: ORC-2.1, else ORC-3.1.
    public var orderNumber: String? { placerNumber ?? fillerNumber }

    /// Whether an order event names this order (by placer or filler number).
    func isNamed(by event: OrderEvent) -> Bool {
        if let placer = event.placerNumber, placer == placerNumber { return true }
        if let filler = event.fillerNumber, filler == fillerNumber { return true }
        return false
    }
}
