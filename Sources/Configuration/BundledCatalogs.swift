/// The catalogs compiled into extravasd (never read from the build folder at run time).
///
/// Each text is the file of the same name in the repository's `config/` folder, where
/// pharmacists read and edit it, embedded in the binary at build time (a package
/// resource, `Sources/Configuration/Catalogs/` linking to `config/`): the YAML is the
/// only copy.
public enum BundledCatalogs {
    /// The file name of the calcium catalog, as issues in it are reported.
    public static let calciumFileName = "catalog-calcium.yaml"
    /// The file name of the vesicant catalog, as issues in it are reported.
    public static let vesicantsFileName = "catalog-vesicants.yaml"

    /// `config/catalog-calcium.yaml`: calcium salts, parenteral nutrition with calcium,
    /// the Ringer's solutions. Enabled unless `default_catalogs: false`.
    public static let calciumYAML = String(decoding: PackageResources.catalog_calcium_yaml, as: UTF8.self)

    /// `config/catalog-vesicants.yaml`: vasopressors, concentrated electrolytes and
    /// dextrose, contrast, and other vesicants. Enabled by `vesicant_catalog: true`.
    public static let vesicantsYAML = String(
        decoding: PackageResources.catalog_vesicants_yaml, as: UTF8.self)
}
