import ClinicalEvents

/// Where a patient was before an ADT event that may be cancelled: A11 (cancel admit)
/// puts location and visit back to what they were before the admission, A12 (cancel
/// transfer) the location before the transfer (DESIGN §3, "Messages and fields used").
public struct AdmissionHistory: Sendable, Hashable, Codable {
    /// Before the latest admission (ADT^A01/A04), for an A11.
    public var beforeAdmission: Placement?
    /// Before the latest transfer (ADT^A02), for an A12.
    public var beforeTransfer: Placement?

    /// Creates a history.
    public init(beforeAdmission: Placement? = nil, beforeTransfer: Placement? = nil) {
        self.beforeAdmission = beforeAdmission
        self.beforeTransfer = beforeTransfer
    }

    /// Whether nothing is kept (the record then keeps no history at all).
    var isEmpty: Bool { beforeAdmission == nil && beforeTransfer == nil }
}

/// A patient's location, visit and discharge as they were at one moment (each `nil`
/// when unknown then).
public struct Placement: Sendable, Hashable, Codable {
    /// PV1-3 components 1-3 joined by `/`.
    public var location: String?
    /// PV1-19.1.
    public var visit: String?
    /// When the patient had been discharged (ADT^A03), if so.
    public var dischargedAt: Instant?

    /// Creates a placement.
    public init(location: String?, visit: String?, dischargedAt: Instant?) {
        self.location = location
        self.visit = visit
        self.dischargedAt = dischargedAt
    }
}
