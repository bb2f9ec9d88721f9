/// The configuration file's values as read, with the places later checks report at.
struct ConfigurationDraft {
    /// A value read from text, with where it stands.
    struct Placed<Value> {
        /// The value.
        var value: Value
        /// Its place in the configuration file.
        var place: SourcePlace
    }

    var feeds = ExtravasdConfiguration.Feeds()
    var mllp = ExtravasdConfiguration.MLLP()
    var store = ExtravasdConfiguration.Store()
    var stateDirectory = ExtravasdConfiguration.defaultStateDirectory
    var phi = PHIPolicy.identifiers
    /// Where `phi` is set: the place of a pseudonym key file problem.
    var phiPlace: SourcePlace?
    var timezone = "UTC"
    /// `catalogs` items as written.
    var catalogs: [Placed<String>] = []
    var defaultCatalogs = true
    var defaultCatalogsPlace: SourcePlace?
    var vesicantCatalog = false
    var vesicantCatalogPlace: SourcePlace?
    var watch = ExtravasdConfiguration.Watch()
    var labs = ExtravasdConfiguration.Labs()
    var limits = ExtravasdConfiguration.Limits()
    var limitsFieldPlace: SourcePlace?
    var reminders = ExtravasdConfiguration.Reminders()
    var review = ExtravasdConfiguration.Review()
    var delivery = ExtravasdConfiguration.Delivery()
    var highAvailability = ExtravasdConfiguration.HighAvailability()
    var clock = ExtravasdConfiguration.Clock()
    var lines = ExtravasdConfiguration.Lines()
    /// `sites.synonyms`: phrase -> part, the place being the part's.
    var siteSynonyms: [(phrase: String, part: Placed<String>)] = []
    /// `signs.words`: word -> kind name, the place being the kind's.
    var signWords: [(word: String, kind: Placed<String>)] = []
    /// `signs.calcinosis_words`.
    var calcinosisWords: [Placed<String>] = []
    /// `signs.negations`.
    var negations: [Placed<String>] = []
    /// `signs.context_file` as written.
    var signContextFile: Placed<String>?
}
