import Signs

extension ExtravasdConfiguration {
    /// `signs`: additions to the built-in sign vocabulary, and the lists of words around
    /// a sign word that decide whether it counts.
    public struct SignSettings: Sendable, Hashable {
        /// `signs.words`: word -> sign kind (e.g. `rubor: erythema`). Default: none.
        public var words: [String: SignKind]
        /// `signs.calcinosis_words`: more words that report calcinosis. Default: none.
        public var calcinosisWords: [String]
        /// `signs.negations`: more negations that negate the signs they govern. Default: none.
        public var negations: [String]
        /// `signs.context_file`, resolved against the configuration file's folder: the
        /// file of negations, hypothetical contexts, look-alike phrases and negations and
        /// clause-break words (format of `config/sign-context.yaml`). Default: none (the
        /// built-in lists, which that file writes out).
        public var contextFile: String?
        /// The lists in use: ``SignContext/standard`` with each list of ``contextFile``
        /// in its place.
        public var context: SignContext

        /// Creates sign settings (no additions, the built-in context by default).
        public init(
            words: [String: SignKind] = [:], calcinosisWords: [String] = [], negations: [String] = [],
            contextFile: String? = nil, context: SignContext = .standard
        ) {
            self.words = words
            self.calcinosisWords = calcinosisWords
            self.negations = negations
            self.contextFile = contextFile
            self.context = context
        }
    }
}
