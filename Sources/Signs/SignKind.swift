/// A kind of sign a nurse documents at a catheter site.
///
/// The acute kinds (every case but `calcinosis`) are the signs of extravasation that
/// the `extravasation_*` rules count. `calcinosis` is the late finding of calcinosis
/// cutis: it has its own alert and is never reported among a reading's acute signs.
/// Kinds compare by their raw value, so alerts list signs in name order.
public enum SignKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Redness at the site (erythema, redness, red, erythematous).
    case erythema
    /// Swelling at the site (swelling, swollen, edema, oedema, edematous, puffy).
    case swelling
    /// Pain or tenderness at the site, or a pain score of 1 or more (0-10).
    case pain
    /// Blanching or pallor of the skin (blanching, blanched, pale, pallor).
    case blanching
    /// Coolness of the skin (cool, cold).
    case coolness
    /// Leaking of infusate at the site (leaking, leakage, wet dressing).
    case leaking
    /// Induration of the tissue (induration, indurated, hard, firm).
    case induration
    /// Blisters at the site (blister, blistering, bulla).
    case blistering
    /// Necrosis of the skin (necrosis, necrotic, black, eschar).
    case necrosis
    /// Infiltration: an infiltration scale grade of 1 or more, or "infiltrated".
    case infiltration
    /// Phlebitis: a phlebitis scale (VIP) of 2 or more, or "phlebitis".
    case phlebitis
    /// Calcinosis cutis (nodules, white-yellow papules, calcification): a late finding,
    /// never an acute sign.
    case calcinosis

    /// Whether this is a *major* sign for severity: blanching, leaking, blistering,
    /// necrosis, induration, infiltration.
    public var isMajor: Bool {
        switch self {
        case .blanching, .leaking, .blistering, .necrosis, .induration, .infiltration: return true
        default: return false
        }
    }

    /// Whether this is an acute sign of extravasation (every kind but `calcinosis`).
    public var isAcute: Bool { self != .calcinosis }

    /// The acute kinds, in declaration order.
    public static let acuteKinds: [SignKind] = allCases.filter(\.isAcute)

    /// The score at which a numeric value (a scale, a grade, a score) asserts this
    /// kind, inclusive: 2 for phlebitis (Visual Infusion Phlebitis score), 1 for every
    /// other kind (pain score on 0-10, infiltration grade, "Erythema grade").
    public var scoreThreshold: Double {
        self == .phlebitis ? 2 : 1
    }

    /// Orders kinds by name (raw value).
    public static func < (lhs: SignKind, rhs: SignKind) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
