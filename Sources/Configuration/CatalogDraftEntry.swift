import Catalog

/// A catalog entry as read from a catalog file, before the catalogs are merged.
struct CatalogDraftEntry: Sendable {
    /// The entry (its watch window is final only when ``explicitWatchWindow``).
    var entry: CatalogEntry
    /// `true` when the file named `watch_window_hours`; otherwise `watch.window_hours`
    /// of the configuration applies.
    var explicitWatchWindow: Bool
    /// The catalog file, as issues name it.
    var file: String
    /// Each `requires_component` item with its place (checked once catalogs are merged).
    var requirements: [(id: String, place: SourcePlace)]
}
