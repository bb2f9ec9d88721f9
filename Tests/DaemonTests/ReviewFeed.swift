/// HL7 messages for the on-call review tests: one adult patient (no risk factor, so the
/// severity follows the signs alone), calcium gluconate orders at catheter sites, and
/// nursing assessments of those sites. Control ids carry the MRN, so every test's
/// messages are new to the journal and to the state.
struct ReviewFeed {
    let mrn: String
    private var counter = 0

    init(mrn: String) {
        self.mrn = mrn
    }

    private var pid: String { "PID|1||\(mrn)^^^CHILDRENS^MR||ROE^ALEX||19800101|M" }
    private var pv1: String { "PV1|1|I|5W^512^A||||||||||||||||V\(mrn)^^^CHILDRENS^VN" }

    private mutating func message(_ type: String, at time: String, _ segments: [String]) -> String {
        counter += 1
        let msh = "MSH|^~\\&|APP|FAC|EXTRAVASD|FAC|\(time)||\(type)|\(mrn)-\(counter)|P|2.5.1"
        return ([msh] + segments).joined(separator: "\r") + "\r"
    }

    /// ADT^A01 on 2026-03-02 at 08:00.
    mutating func admission() -> String {
        message("ADT^A01", at: "20260302080000", ["EVN|A01|20260302080000", pid, pv1])
    }

    /// A calcium gluconate order (high risk), running from 2026-03-02 12:00 at `site`
    /// (RXR-2 free text, e.g. `L heel`).
    mutating func calciumOrder(number: String, site: String) -> String {
        message(
            "RDE^O11", at: "20260302113000",
            [
                pid, pv1, "ORC|NW|\(number)^PHARMACY|||||||20260302113000", "TQ1|1||||||20260302120000",
                "RXE|^^^20260302120000|1736854^Calcium Gluconate 10% inj^RXNORM|100||mg",
                "RXR|IV^Intravenous^HL70162|^\(site)",
            ])
    }

    /// A nursing IV-site assessment of `site` (e.g. `Left heel`) at `time`: erythema and
    /// swelling yes or no, and a pain score (0: no pain).
    mutating func assessment(
        of site: String, at time: String, erythema: Bool, swelling: Bool = false, pain: Int = 0
    ) -> String {
        let yes = "Y^Yes^HL70136"
        let no = "N^No^HL70136"
        return message(
            "ORU^R01", at: time,
            [
                pid, pv1, "OBR|1|N\(counter)||IVASSESS^IV site assessment^L|||\(time)",
                "OBX|1|CWE|IVSITELOC^IV site location^L|1|^\(site)||||||F|||\(time)",
                "OBX|2|CWE|ERYTHEMA^Erythema at IV site^L|1|\(erythema ? yes : no)||||||F|||\(time)",
                "OBX|3|CWE|SWELLING^Swelling at IV site^L|1|\(swelling ? yes : no)||||||F|||\(time)",
                "OBX|4|NM|PAINSCORE^Pain score^L|1|\(pain)||||||F|||\(time)",
            ])
    }
}
