import Coding

#if os(Linux)
    import Synchronization
#endif

/// Identifier analyses already made, by identifier code and text: a feed uses a few
/// dozen distinct OBX-3 identifiers, so each is analysed once rather than on every
/// observation. Bounded (cleared when full); shared by copies of a recognizer and
/// safe across threads. Where the standard library's `Mutex` is not available to the
/// package's oldest platform (macOS 13), nothing is cached.
final class IdentifierCache: Sendable {
    /// What identifies an analysis: the identifier's code and text (the coding system
    /// does not change what the words name).
    struct Key: Hashable, Sendable {
        var code: String
        var text: String
    }

    /// The most identifiers kept.
    static let capacity = 4096

    #if os(Linux)
        private let storage = Mutex<[Key: IdentifierAnalysis]>([:])
    #endif

    init() {}

    /// The cached analysis of `identifier`, if any.
    func analysis(of identifier: CodedValue) -> IdentifierAnalysis? {
        #if os(Linux)
            let key = Key(code: identifier.code, text: identifier.text)
            return storage.withLock { $0[key] }
        #else
            return nil
        #endif
    }

    /// Keeps `analysis` as the analysis of `identifier`.
    func store(_ analysis: IdentifierAnalysis, of identifier: CodedValue) {
        #if os(Linux)
            let key = Key(code: identifier.code, text: identifier.text)
            storage.withLock { cache in
                if cache.count >= IdentifierCache.capacity { cache.removeAll(keepingCapacity: true) }
                cache[key] = analysis
            }
        #endif
    }
}
