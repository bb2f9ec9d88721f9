import Catalog
import Foundation
import Signs
import Sites

/// The whole configuration of extravasd: the configuration file (DESIGN.md section 6)
/// with every default applied, and the drug catalog and vocabularies it assembles.
///
/// Obtain one from ``ConfigurationLoader``; ``ConfigurationLoader/builtInDefaults()``
/// gives the configuration of an empty file.
public struct ExtravasdConfiguration: Sendable {
    /// `feeds`: the HL7 feed files to follow.
    public var feeds: Feeds
    /// `mllp`: the optional MLLP listener.
    public var mllp: MLLP
    /// `state_directory`: where the SQLite state (``store`` `kind: sqlite`) and dead letters live
    /// (default `/var/lib/extravasd`).
    public var stateDirectory: String
    /// `phi`: how much patient-identifying data alerts carry (default `identifiers`).
    public var phi: PHIPolicy
    /// `timezone`: the IANA name of the zone of HL7 times that carry no offset
    /// (default `UTC`). Always a name Foundation's `TimeZone(identifier:)` knows.
    public var timezone: String
    /// `catalogs`: the catalog files, as written in the configuration file.
    public var catalogs: [String]
    /// The catalog files of ``catalogs`` with relative paths resolved against the
    /// configuration file's folder, in the same order.
    public var catalogPaths: [String]
    /// `default_catalogs`: whether the bundled catalogs are used (default `true`).
    public var defaultCatalogs: Bool
    /// `vesicant_catalog`: whether the bundled catalog of other vesicants is added
    /// (default `false`).
    public var vesicantCatalog: Bool
    /// `watch`: watch windows.
    public var watch: Watch
    /// `labs`: lab-based risk factors.
    public var labs: Labs
    /// `sites`: site vocabulary additions.
    public var sites: SiteSettings
    /// `signs`: sign vocabulary additions.
    public var signs: SignSettings
    /// `limits`: size limits of messages (a message over a limit is skipped and
    /// dead-lettered).
    public var limits: Limits
    /// `reminders`: the unacknowledged-alert reminder.
    public var reminders: Reminders
    /// `delivery`: confirmation of alerts read back from journald.
    public var delivery: Delivery
    /// `clock`: how far message times may stray before they count as implausible.
    public var clock: Clock
    /// `lines`: catheters documented in place.
    public var lines = Lines()
    /// `review`: whose acknowledgements count.
    public var review = Review()
    /// `store`: the state store (default: SQLite in ``stateDirectory``).
    public var store = Store()
    /// `ha`: leadership among instances sharing the PostgreSQL store.
    public var highAvailability = HighAvailability()

    /// The drug catalog: the bundled catalogs (unless `default_catalogs: false`), the
    /// vesicant catalog when enabled, then each file of `catalogs` (an entry with an id
    /// already present replaces it).
    public var catalog: DrugCatalog
    /// The built-in site vocabulary with `sites.synonyms` added.
    public var siteVocabulary: SiteVocabulary
    /// The built-in sign vocabulary with `signs.words`, `signs.calcinosis_words` and
    /// `signs.negations` added.
    public var signVocabulary: SignVocabulary
    /// The configuration file this was loaded from; `nil` for built-in defaults.
    public var sourcePath: String?
    /// Settings that load but do nothing yet (`mllp.enabled: true`):
    /// `check-config` prints them and `run` logs them once at start.
    public var warnings: [ConfigurationWarning] = []
    /// Where `phi` is set in ``sourcePath`` (the place of a pseudonym key problem).
    var phiPlace: SourcePlace?

    /// The zone named by ``timezone`` (UTC if, against validation, it is unknown).
    public var timeZone: TimeZone {
        TimeZone(identifier: timezone) ?? TimeZone(secondsFromGMT: 0)!
    }

    /// Creates a configuration from its parts. Every part has the documented default.
    public init(
        feeds: Feeds = Feeds(),
        mllp: MLLP = MLLP(),
        stateDirectory: String = ExtravasdConfiguration.defaultStateDirectory,
        phi: PHIPolicy = .identifiers,
        timezone: String = "UTC",
        catalogs: [String] = [],
        catalogPaths: [String] = [],
        defaultCatalogs: Bool = true,
        vesicantCatalog: Bool = false,
        watch: Watch = Watch(),
        labs: Labs = Labs(),
        sites: SiteSettings = SiteSettings(),
        signs: SignSettings = SignSettings(),
        limits: Limits = Limits(),
        reminders: Reminders = Reminders(),
        delivery: Delivery = Delivery(),
        clock: Clock = Clock(),
        catalog: DrugCatalog,
        siteVocabulary: SiteVocabulary,
        signVocabulary: SignVocabulary,
        sourcePath: String? = nil
    ) {
        self.feeds = feeds
        self.mllp = mllp
        self.stateDirectory = stateDirectory
        self.phi = phi
        self.timezone = timezone
        self.catalogs = catalogs
        self.catalogPaths = catalogPaths
        self.defaultCatalogs = defaultCatalogs
        self.vesicantCatalog = vesicantCatalog
        self.watch = watch
        self.labs = labs
        self.sites = sites
        self.signs = signs
        self.limits = limits
        self.reminders = reminders
        self.delivery = delivery
        self.clock = clock
        self.catalog = catalog
        self.siteVocabulary = siteVocabulary
        self.signVocabulary = signVocabulary
        self.sourcePath = sourcePath
    }

    /// The default `state_directory`: `/var/lib/extravasd`.
    public static let defaultStateDirectory = "/var/lib/extravasd"
}
