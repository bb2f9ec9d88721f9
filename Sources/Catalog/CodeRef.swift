/// A drug code in a coding system, as a catalog entry lists it.
///
/// A code from a message matches when the code is equal, character for character,
/// and the coding system is equal ignoring ASCII case (`RxNorm` is `RXNORM`). A
/// message that names no coding system (an empty CWE-3) matches any configured system.
public struct CodeRef: Sendable, Hashable, Codable {
    /// The coding system, as HL7 table 0396 names it: `RXNORM`, `NDC`, or a local
    /// system such as `LOCAL` or the pharmacy system's own name.
    public var system: String
    /// The code itself, compared exactly (no case folding, no trimming of zeros).
    public var code: String

    /// Creates a code reference.
    public init(system: String, code: String) {
        self.system = system
        self.code = code
    }

    /// `true` when a message's code and coding system name this code.
    ///
    /// - Parameters:
    ///   - code: the code from the message (CWE-1), compared exactly.
    ///   - system: the coding system from the message (CWE-3); empty matches any system.
    public func matches(code: String, system: String) -> Bool {
        guard code == self.code, !code.isEmpty else { return false }
        return system.isEmpty || CodeRef.equalIgnoringASCIICase(system, self.system)
    }

    /// Compares two strings with ASCII letters folded to lower case.
    static func equalIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        let left = a.utf8, right = b.utf8
        guard left.count == right.count else { return false }
        for (x, y) in zip(left, right) where CodeRef.folded(x) != CodeRef.folded(y) {
            return false
        }
        return true
    }

    /// An ASCII byte with `A`-`Z` turned into `a`-`z`.
    private static func folded(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }
}
