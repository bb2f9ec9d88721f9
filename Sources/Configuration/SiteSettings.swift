extension ExtravasdConfiguration {
    /// `sites`: additions to the built-in site vocabulary.
    public struct SiteSettings: Sendable, Hashable {
        /// `sites.synonyms`: phrase -> canonical part (e.g. `"back of foot":
        /// dorsum-of-foot`, `UVC: umbilical`). Added to the built-in synonyms; a phrase
        /// already known is remapped. Default: none.
        public var synonyms: [String: String]

        /// Creates site settings (no synonyms by default).
        public init(synonyms: [String: String] = [:]) {
            self.synonyms = synonyms
        }
    }
}
