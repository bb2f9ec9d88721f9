/// The known body parts and the hierarchy they form on each side.
///
/// `arm` contains upper-arm, deltoid, antecubital-fossa, forearm, wrist and hand;
/// `forearm` contains upper-, mid- and lower-forearm; `hand` contains dorsum-of-hand;
/// `leg` contains thigh, lower-leg, ankle and foot; `foot` contains heel and
/// dorsum-of-foot; `thigh` contains femoral and vastus-lateralis; `neck` contains the
/// jugulars; `chest` the anterior and posterior chest; `abdomen` its quadrants;
/// `buttock` the gluteus medius. Containment is transitive (arm contains lower-forearm).
/// Veins are not parts: a vein name is a synonym of the part it runs in (cephalic ->
/// forearm, great saphenous -> ankle; see ``SiteVocabulary``).
public enum Anatomy {
    /// Every known part with the part that directly contains it, in a stable order.
    private static let table: [(part: String, parent: String?)] = [
        // Upper limb.
        ("arm", nil),
        ("upper-arm", "arm"),
        ("deltoid", "arm"),
        ("antecubital-fossa", "arm"),
        ("forearm", "arm"),
        ("upper-forearm", "forearm"),
        ("mid-forearm", "forearm"),
        ("lower-forearm", "forearm"),
        ("wrist", "arm"),
        ("hand", "arm"),
        ("dorsum-of-hand", "hand"),
        // Lower limb.
        ("leg", nil),
        ("thigh", "leg"),
        ("femoral", "thigh"),
        ("vastus-lateralis", "thigh"),
        ("lower-leg", "leg"),
        ("ankle", "leg"),
        ("foot", "leg"),
        ("heel", "foot"),
        ("dorsum-of-foot", "foot"),
        // Head, neck and central veins.
        ("scalp", nil),
        ("neck", nil),
        ("external-jugular", "neck"),
        ("internal-jugular", "neck"),
        ("subclavian", nil),
        ("umbilical", nil),
        // Trunk.
        ("chest", nil),
        ("anterior-chest", "chest"),
        ("posterior-chest", "chest"),
        ("abdomen", nil),
        ("upper-abdominal-quadrant", "abdomen"),
        ("lower-abdominal-quadrant", "abdomen"),
        ("buttock", nil),
        ("gluteus-medius", "buttock"),
        ("ventrogluteal", nil),
        ("perianal", nil),
        ("perineal", nil),
        // Other table 0163 sites (not catheter sites).
        ("ear", nil),
        ("eye", nil),
        ("naris", nil),
        ("chest-tube", nil),
        ("nebulized", nil),
    ]

    private static let parents: [String: String] = {
        var parents: [String: String] = [:]
        for entry in table {
            if let parent = entry.parent { parents[entry.part] = parent }
        }
        return parents
    }()

    private static let known: Set<String> = Set(table.map(\.part))

    /// The position of each part in `table`.
    private static let positions: [String: Int] = {
        var positions: [String: Int] = [:]
        for (position, entry) in table.enumerated() { positions[entry.part] = position }
        return positions
    }()

    /// For each part (by position in `table`), the parts that contain it, directly or
    /// transitively, as one bit per position.
    private static let containers: [UInt64] = {
        precondition(table.count <= 64, "one bit per part")
        return table.map { entry in
            var bits: UInt64 = 0
            var current = entry.parent
            while let part = current {
                bits |= 1 << UInt64(positions[part]!)
                current = parents[part]
            }
            return bits
        }
    }()

    /// Every known canonical part name, in anatomical order (limbs, head and neck,
    /// trunk, other table 0163 sites).
    public static let parts: [String] = table.map(\.part)

    /// Whether `part` is a known canonical part name.
    public static func isKnown(_ part: String) -> Bool {
        known.contains(part)
    }

    /// The part that directly contains `part` (forearm for lower-forearm), nil for a
    /// part at the top of the hierarchy or an unknown part.
    public static func parent(of part: String) -> String? {
        parents[part]
    }

    /// Whether `outer` contains `inner`, directly or transitively (arm contains
    /// lower-forearm and dorsum-of-hand; leg contains heel). A part does not contain
    /// itself.
    public static func part(_ outer: String, contains inner: String) -> Bool {
        guard let innerPosition = positions[inner], let outerPosition = positions[outer] else { return false }
        return containers[innerPosition] & (1 << UInt64(outerPosition)) != 0
    }

    /// Whether `first` and `second` are the same part or one contains the other
    /// (`first == second || part(first, contains: second) || part(second, contains: first)`,
    /// each part looked up once).
    public static func related(_ first: String, _ second: String) -> Bool {
        if first == second { return true }
        guard let firstPosition = positions[first], let secondPosition = positions[second] else {
            return false
        }
        return containers[secondPosition] & (1 << UInt64(firstPosition)) != 0
            || containers[firstPosition] & (1 << UInt64(secondPosition)) != 0
    }
}
