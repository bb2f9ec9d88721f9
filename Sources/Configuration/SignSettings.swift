import Signs

extension ExtravasdConfiguration {
    /// `signs`: additions to the built-in sign vocabulary.
    public struct SignSettings: Sendable, Hashable {
        /// `signs.words`: word -> sign kind (e.g. `rubor: erythema`). Default: none.
        public var words: [String: SignKind]
        /// `signs.calcinosis_words`: more words that report calcinosis. Default: none.
        public var calcinosisWords: [String]
        /// `signs.negations`: more words that negate the signs they govern. Default: none.
        public var negations: [String]

        /// Creates sign settings (no additions by default).
        public init(words: [String: SignKind] = [:], calcinosisWords: [String] = [], negations: [String] = [])
        {
            self.words = words
            self.calcinosisWords = calcinosisWords
            self.negations = negations
        }
    }
}
