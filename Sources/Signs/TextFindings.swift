/// What one text states about signs and findings, as the scanner reads it.
struct TextFindings: Sendable, Hashable {
    /// Acute signs asserted and not negated.
    var signs: SignMask = []
    /// A calcinosis finding word asserted and not negated.
    var calcinosis = false
    /// A sign or finding word stated absent (negated), or a score below its threshold
    /// ("pain 0/10").
    var negatedMention = false
    /// A negation word appeared (hypothetical contexts do not count).
    var negationSeen = false
    /// A statement that the site is normal ("WNL"), not negated.
    var normalMention = false
    /// A word of presence or degree ("present", "mild"), not negated.
    var presence = false
    /// A length above zero ("2 cm"), not negated.
    var positiveMeasurement = false
}
