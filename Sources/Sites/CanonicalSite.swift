/// A canonical kebab-case site: laterality (when known) + body part, e.g. "left-heel";
/// a part with no side is bare ("heel", "scalp", "umbilical").
///
/// Sites compare, sort and encode by their canonical ``name``; they encode as that
/// single string (`"left-antecubital-fossa"`).
public struct CanonicalSite: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The side of the body, or nil when the site has no known side.
    public var laterality: Laterality?
    /// The canonical part name, e.g. "heel", "antecubital-fossa", "lower-forearm"
    /// (see ``Anatomy/parts``).
    public var part: String

    /// The canonical name: "left-heel", "right-antecubital-fossa", or the bare part
    /// ("heel") when there is no side.
    public var name: String {
        guard let laterality else { return part }
        return laterality.rawValue + "-" + part
    }

    /// The canonical name (``name``).
    public var description: String { name }

    /// A site from a side and a canonical part name (not checked against ``Anatomy``).
    public init(laterality: Laterality?, part: String) {
        self.laterality = laterality
        self.part = part
    }

    /// Parses a canonical name back ("left-heel", "heel", "right-antecubital-fossa"),
    /// case-insensitively and ignoring surrounding whitespace; nil when the part is not
    /// one of ``Anatomy/parts``.
    public init?(name: String) {
        let parsed = Self.split(SiteText.trimmed(name).lowercased())
        guard Anatomy.isKnown(parsed.part) else { return nil }
        self.init(laterality: parsed.laterality, part: parsed.part)
    }

    /// Orders sites by ``name``.
    public static func < (lhs: CanonicalSite, rhs: CanonicalSite) -> Bool {
        // On the same side, the names share their prefix: ASCII parts (the canonical ones)
        // order as their names without building them.
        if lhs.laterality == rhs.laterality && Self.isASCII(lhs.part) && Self.isASCII(rhs.part) {
            return lhs.part < rhs.part
        }
        return lhs.name < rhs.name
    }

    private static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Decodes a site from its canonical name. Decoding accepts any non-empty part, so
    /// every encoded site decodes back to itself.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let parsed = Self.split(text)
        guard !parsed.part.isEmpty else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a canonical site name: \"\(text)\"")
        }
        self.init(laterality: parsed.laterality, part: parsed.part)
    }

    /// Encodes the site as its canonical name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }

    /// Splits "left-heel" into (.left, "heel") and "heel" into (nil, "heel").
    private static func split(_ name: String) -> (laterality: Laterality?, part: String) {
        for side in Laterality.allCases {
            let prefix = side.rawValue + "-"
            if name.hasPrefix(prefix) {
                return (side, String(name.dropFirst(prefix.count)))
            }
        }
        return (nil, name)
    }
}
