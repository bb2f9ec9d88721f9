/// A set of sign kinds as bits: the scanner's working form of `Set<SignKind>`
/// (no allocation).
struct SignMask: OptionSet, Sendable, Hashable {
    let rawValue: UInt16

    init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// The mask of one kind.
    init(_ kind: SignKind) {
        self.rawValue = 1 << SignMask.bit(kind)
    }

    /// The bit of `kind`.
    @inline(__always)
    static func bit(_ kind: SignKind) -> UInt16 {
        switch kind {
        case .erythema: return 0
        case .swelling: return 1
        case .pain: return 2
        case .blanching: return 3
        case .coolness: return 4
        case .leaking: return 5
        case .induration: return 6
        case .blistering: return 7
        case .necrosis: return 8
        case .infiltration: return 9
        case .phlebitis: return 10
        case .calcinosis: return 11
        }
    }

    /// The kinds in the mask.
    var kinds: Set<SignKind> {
        guard rawValue != 0 else { return [] }
        var result = Set<SignKind>(minimumCapacity: rawValue.nonzeroBitCount)
        for kind in SignKind.allCases where contains(SignMask(kind)) {
            result.insert(kind)
        }
        return result
    }
}
