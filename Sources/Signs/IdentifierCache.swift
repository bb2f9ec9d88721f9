import Coding
import Synchronization

/// Identifier analyses already made, by identifier code and text: a feed uses a few
/// dozen distinct OBX-3 identifiers, so each is analysed once rather than on every
/// observation. Bounded (cleared when full); shared by copies of a recognizer and
/// safe across threads.
final class IdentifierCache: Sendable {
    /// What identifies an analysis: the identifier's code and text (the coding system
    /// does not change what the words name).
    struct Key: Hashable, Sendable {
        var code: String
        var text: String
    }

    /// The most identifiers kept.
    static let capacity = 4096

    private let storage = Mutex<[Key: IdentifierAnalysis]>([:])

    init() {}

    /// The cached analysis of `identifier`, if any.
    func analysis(of identifier: CodedValue) -> IdentifierAnalysis? {
        let key = Key(code: identifier.code, text: identifier.text)
        return storage.withLock { $0[key] }
    }

    /// Keeps `analysis` as the analysis of `identifier`.
    func store(_ analysis: IdentifierAnalysis, of identifier: CodedValue) {
        let key = Key(code: identifier.code, text: identifier.text)
        storage.withLock { cache in
            if cache.count >= IdentifierCache.capacity { cache.removeAll(keepingCapacity: true) }
            cache[key] = analysis
        }
    }
}
