import ClinicalEvents

/// What the engine knows of one patient: demographics, location, recent labs,
/// infusion orders with their exposures, and episodes.
public struct PatientRecord: Sendable, Hashable, Codable {
    /// The patient's key (the surviving identifier after merges).
    public var key: PatientKey
    /// PID-7 as sent (`YYYYMMDD...`), when known.
    public var birthDate: String?
    /// PV1-19.1 from the latest ADT or order message.
    public var visit: String?
    /// PV1-3 components 1-3 joined by `/`, from the latest ADT or order message.
    public var location: String?
    /// When the patient was discharged (ADT^A03), if so.
    public var dischargedAt: Instant?
    /// Lab results within the look-back window.
    public var labs: [LabResult]
    /// Infusion orders of catalog drugs.
    public var orders: [InfusionOrder]
    /// Episodes (one per exposure with signs).
    public var episodes: [Episode]
    /// Administrations whose order is unknown, each an exposure of its own.
    public var standaloneAdministrations: [StandaloneAdministration] = []
    /// What ADT cancellations (A11, A12) put back; `nil` when there is nothing to put
    /// back (and in states written before it was kept).
    public var admissionHistory: AdmissionHistory?
    /// Catheters documented in place (or removed, until forgotten), one per site.
    public var lines: [LineInPlace] = []

    /// A patient seen for the first time.
    public init(key: PatientKey) {
        self.key = key
        labs = []
        orders = []
        episodes = []
    }

    private enum CodingKeys: String, CodingKey {
        case key, birthDate, visit, location, dischargedAt, labs, orders, episodes
        case standaloneAdministrations, admissionHistory, lines
    }

    /// Decodes a record; fields added later (administrations, ADT history, lines) default
    /// to empty, so a state written before them still loads.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(PatientKey.self, forKey: .key)
        birthDate = try container.decodeIfPresent(String.self, forKey: .birthDate)
        visit = try container.decodeIfPresent(String.self, forKey: .visit)
        location = try container.decodeIfPresent(String.self, forKey: .location)
        dischargedAt = try container.decodeIfPresent(Instant.self, forKey: .dischargedAt)
        labs = try container.decode([LabResult].self, forKey: .labs)
        orders = try container.decode([InfusionOrder].self, forKey: .orders)
        episodes = try container.decode([Episode].self, forKey: .episodes)
        standaloneAdministrations =
            try container.decodeIfPresent(
                [StandaloneAdministration].self, forKey: .standaloneAdministrations) ?? []
        admissionHistory = try container.decodeIfPresent(AdmissionHistory.self, forKey: .admissionHistory)
        lines = try container.decodeIfPresent([LineInPlace].self, forKey: .lines) ?? []
    }

    /// Every exposure: those of the orders, and those of administrations without a known order.
    public var exposures: [SiteExposure] {
        orders.flatMap(\.exposures) + standaloneAdministrations.map(\.exposure)
    }

    /// The exposures that satisfy `isIncluded`, in the order of ``exposures``: as
    /// `exposures.filter(isIncluded)` without building the whole list first.
    func exposures(where isIncluded: (SiteExposure) -> Bool) -> [SiteExposure] {
        var included: [SiteExposure] = []
        for order in orders.indices {
            // By index: a for-in loop would copy every exposure, included or not.
            for index in orders[order].exposures.indices where isIncluded(orders[order].exposures[index]) {
                included.append(orders[order].exposures[index])
            }
        }
        for administration in standaloneAdministrations.indices
        where isIncluded(standaloneAdministrations[administration].exposure) {
            included.append(standaloneAdministrations[administration].exposure)
        }
        return included
    }

    /// Calls `body` with every exposure, in the order of ``exposures``, read where it lies
    /// (by position: no list is built and no exposure copied).
    @inline(__always)
    func forEachExposure(_ body: (borrowing SiteExposure) -> Void) {
        for order in orders.indices {
            orders[order].exposures.withUnsafeBufferPointer { exposures in
                for index in exposures.indices { body(exposures[index]) }
            }
        }
        standaloneAdministrations.withUnsafeBufferPointer { administrations in
            for index in administrations.indices { body(administrations[index].exposure) }
        }
    }

    /// Whether the record still holds the exposure `identity` (of an order or a standalone administration).
    func hasExposure(_ identity: ExposureIdentity) -> Bool {
        // By index: `contains(where:)` would copy each exposure to compare three fields.
        for order in orders.indices {
            for index in orders[order].exposures.indices where orders[order].exposures[index].has(identity) {
                return true
            }
        }
        return standaloneAdministrations.indices.contains {
            standaloneAdministrations[$0].exposure.has(identity)
        }
    }

    /// The episode for an exposure, created when missing; returns its index.
    mutating func episodeIndex(for exposure: ExposureIdentity) -> Int {
        if let index = episodes.indices.first(where: { episodes[$0].exposure == exposure }) { return index }
        episodes.append(Episode(exposure: exposure))
        return episodes.count - 1
    }
}
