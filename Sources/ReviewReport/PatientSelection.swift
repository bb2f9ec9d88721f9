import AlertOutput

/// `--patient ID`: the one patient a report is about, by MRN. Under `pseudonymized` the
/// MRN is turned into its pseudonym with the key (a pseudonym `p-…` is taken as
/// given), and the journal's patient field (which holds the pseudonym) is compared with
/// it. Under `minimal` the report shows no MRN and cannot select by one: the command
/// refuses `--patient` there.
public struct PatientSelection: Sendable, Hashable {
    /// The MRN (or pseudonym) asked for; `nil`: every patient.
    public var identifier: String?
    /// The PHI policy the journal's patient fields were written under.
    public var privacy: PrivacyPolicy

    /// A selection of `identifier` (`nil`: all) under `privacy`.
    public init(identifier: String?, privacy: PrivacyPolicy) {
        self.identifier = identifier
        self.privacy = privacy
    }

    /// Every patient.
    public static func all(privacy: PrivacyPolicy) -> PatientSelection {
        PatientSelection(identifier: nil, privacy: privacy)
    }

    /// The patient field the journal holds for the patient asked for (the MRN, or its
    /// pseudonym), or `nil` under `minimal`.
    public var journalValue: String? {
        guard let identifier else { return nil }
        if privacy.mode == .pseudonymized && identifier.hasPrefix("p-") { return identifier }
        return privacy.patient(identifier)
    }

    /// Whether a patient of the feeds (its MRN, CX-1) is selected.
    public func includes(identifier patient: String) -> Bool {
        guard let identifier else { return true }
        if patient == identifier { return true }
        guard let wanted = journalValue else { return false }
        return privacy.patient(patient) == wanted
    }

    /// Whether an alert read from the journal (its `EXTRAVASD_PATIENT`) is selected.
    public func includes(journalPatient patient: String?) -> Bool {
        guard identifier != nil else { return true }
        guard let patient, let wanted = journalValue else { return false }
        return patient == wanted
    }
}
