import AlertOutput
import ClinicalEvents
import Configuration
import Foundation
import Signs
import Sites
import Surveillance

/// Builds the engine's settings and the alert renderer from a configuration.
enum EngineSetup {
    static func settings(_ configuration: ExtravasdConfiguration, identityKey: [UInt8]?)
        -> SurveillanceSettings
    {
        func codes(_ test: ExtravasdConfiguration.LabTest) -> [LabCodes.Code] {
            (configuration.labs.codes[test] ?? []).compactMap { code in
                LabUnit(rawValue: code.unit.rawValue).map { LabCodes.Code(code: code.code, unit: $0) }
            }
        }
        var settings = SurveillanceSettings(
            catalog: configuration.catalog,
            sites: SiteNormalizer(vocabulary: configuration.siteVocabulary),
            signs: SignRecognizer(vocabulary: configuration.signVocabulary),
            times: TimeReader(zone: TimeZoneRule.make(configuration.timeZone)),
            lateWatchDays: configuration.watch.lateWindowDays,
            labLookbackDays: configuration.labs.lookbackDays,
            calciumPhosphateWindowHours: configuration.labs.calciumPhosphateWindowHours,
            labCodes: LabCodes(
                creatinine: codes(.creatinine), phosphate: codes(.phosphate), calcium: codes(.calcium),
                ionizedCalcium: codes(.ionizedCalcium)),
            identityKey: identityKey,
            clockMaxJumpSeconds: Int64(configuration.clock.maxJumpSeconds))
        settings.lineForgetHours = configuration.lines.forgetHours
        return settings
    }

    /// The PHI key (`pseudonym.key` beside the configuration file) when the PHI policy
    /// needs one: `pseudonymized` (pseudonyms and alert ids) and `minimal` (alert ids).
    static func identityKey(_ configuration: ExtravasdConfiguration) throws(ConfigurationError) -> [UInt8]? {
        try PseudonymKey.load(for: configuration)
    }

    static func renderer(_ configuration: ExtravasdConfiguration, identityKey: [UInt8]?) -> AlertRenderer {
        let mode: PrivacyPolicy.Mode
        switch configuration.phi {
        case .identifiers: mode = .identifiers
        case .pseudonymized: mode = .pseudonymized
        case .minimal: mode = .minimal
        }
        return AlertRenderer(
            privacy: PrivacyPolicy(mode: mode, key: identityKey),
            zone: TimeZoneRule.make(configuration.timeZone))
    }
}
