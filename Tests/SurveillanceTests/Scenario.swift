import ClinicalEvents
import Configuration
import HL7
import Surveillance

/// Builds feeds message by message and runs them through a real engine with the
/// bundled catalog: each test reads like the clinical story it checks.
struct Scenario {
    var engine: SurveillanceEngine
    private var counter = 0
    var mrn = "4455"
    var birthDate = "20241005"  // 17 months old in March 2026
    var location = "PICU^12^A"
    /// MSH-3 and MSH-4 as the sending system writes them (Epic `EPIC`/`EPICADT`, Oracle
    /// Health `HNAM`, Meditech `MEDITECH`).
    var sender = "APP|FAC"

    init(configure: (inout SurveillanceSettings) -> Void = { _ in }) {
        var settings = SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog)
        configure(&settings)
        engine = SurveillanceEngine(settings: settings)
    }

    var pid: String { "PID|1||\(mrn)^^^CHILDRENS^MR||DOE^JANE||\(birthDate)|F" }
    var pv1: String { "PV1|1|I|\(location)||||||||||||||||V100^^^CHILDRENS^VN" }

    /// Sends one message (MSH built from `type` and `time`); returns its outcome.
    @discardableResult
    mutating func send(
        _ type: String, at time: String, _ segments: [String], controlID: String? = nil,
        from vendor: (application: String, facility: String)? = nil
    ) -> ProcessingOutcome {
        counter += 1
        let id = controlID ?? "MSG\(counter)"
        let origin = vendor.map { "\($0.application)|\($0.facility)" } ?? sender
        let msh = "MSH|^~\\&|\(origin)|EXT|FAC|\(time)||\(type)|\(id)|P|2.5.1"
        let text = ([msh] + segments).joined(separator: "\r") + "\r"
        let message = try! Message(bytes: Array(text.utf8), offset: counter * 1000)
        return engine.process(message, source: .file("test.hl7", offset: counter * 1000))
    }

    /// Moves the engine's clock (the median of the last 101 message times) to `time`:
    /// 51 ADT^A08 of other patients (MRNs `CLOCK1`...) at that time.
    mutating func moveClock(to time: String) {
        for index in 1...(FeedClock.windowSize / 2 + 1) {
            send("ADT^A08", at: time, ["PID|1||CLOCK\(index)^^^CHILDRENS^MR"])
        }
    }

    mutating func admit(at time: String = "20260302080000") {
        send("ADT^A01", at: time, ["EVN|A01|\(time)", pid, pv1])
    }

    /// An infusion order (RDE^O11) of `drug` (CWE) at `site` (CWE), starting at `start`.
    mutating func order(
        _ control: String = "NW", number: String = "7001",
        drug: String = "1736854^Calcium Gluconate 10% inj^RXNORM",
        site: String? = "^L heel", start: String? = "20260302120000", end: String? = nil,
        at time: String = "20260302113000", components: [String] = [], orc7: String = ""
    ) {
        var segments = [pid, pv1, "ORC|\(control)|\(number)^PHARMACY|||||\(orc7)||\(time)"]
        if let start { segments.append("TQ1|1||||||\(start)|\(end ?? "")") }
        segments.append("RXE|^^^\(start ?? "")|\(drug)|100||mg")
        segments.append("RXR|IV^Intravenous^HL70162|\(site ?? "")")
        for (index, component) in components.enumerated() {
            segments.append("RXC|\(index == 0 ? "B" : "A")|\(component)|1|g")
        }
        send("RDE^O11", at: time, segments)
    }

    /// A nursing assessment (ORU^R01) at `time`: a site-location OBX (when `site` is
    /// given) and the observation lines (OBX-2 | OBX-3 | OBX-5), all with sub-ID 1.
    @discardableResult
    mutating func assess(
        at time: String, site: String? = "^Left heel", _ observations: [(String, String, String)],
        extraSegments: [String] = [], includePV1: Bool = true
    ) -> [Alert] {
        var segments =
            [pid] + (includePV1 ? [pv1] : []) + ["OBR|1|N1||IVASSESS^IV site assessment^L|||\(time)"]
        var index = 0
        if let site {
            index += 1
            segments.append("OBX|\(index)|CWE|IVSITELOC^IV site location^L|1|\(site)||||||F|||\(time)")
        }
        for (type, identifier, value) in observations {
            index += 1
            segments.append("OBX|\(index)|\(type)|\(identifier)|1|\(value)||||||F|||\(time)")
        }
        return send("ORU^R01", at: time, segments + extraSegments).alerts
    }

    /// Signs: erythema yes, swelling yes, pain score `pain`.
    mutating func signs(
        at time: String, site: String? = "^Left heel", erythema: Bool = true, swelling: Bool = true,
        pain: Int = 6
    )
        -> [Alert]
    {
        assess(
            at: time, site: site,
            [
                ("CWE", "ERYTHEMA^Erythema at IV site^L", erythema ? "Y^Yes^HL70136" : "N^No^HL70136"),
                ("CWE", "SWELLING^Swelling at IV site^L", swelling ? "Y^Yes^HL70136" : "N^No^HL70136"),
                ("NM", "PAINSCORE^Pain score^L", "\(pain)"),
            ])
    }

    /// Lab results (ORU^R01): (LOINC code, name, value, unit, range, flag).
    mutating func labs(at time: String, _ results: [(String, String, String, String, String, String)]) {
        var segments = [pid, pv1, "OBR|1|L1||CMP^Metabolic panel^L|||\(time)"]
        for (index, result) in results.enumerated() {
            segments.append(
                "OBX|\(index + 1)|NM|\(result.0)^\(result.1)^LN||\(result.2)|\(result.3)|\(result.4)|\(result.5)|||F|||\(time)"
            )
        }
        send("ORU^R01", at: time, segments)
    }

    /// The seed case's renal labs.
    mutating func renalLabs(at time: String = "20260302093000") {
        labs(
            at: time,
            [
                ("2160-0", "Creatinine", "7.18", "mg/dL", "0.50-1.20", "HH"),
                ("17861-6", "Calcium", "3.9", "mg/dL", "8.5-10.5", "LL"),
                ("2777-1", "Phosphate", "19.8", "mg/dL", "3.8-6.5", "HH"),
            ])
    }
}

extension Scenario {
    /// An administration (RAS^O17): RXA-1/2, RXA-3/4, RXA-5, RXA-20, RXA-21, RXR-2.
    @discardableResult
    mutating func administer(
        order number: String? = "7001", give: String = "1", admin: String = "1", start: String,
        end: String? = nil,
        drug: String = "1736854^Calcium Gluconate 10% inj^RXNORM", status: String = "CP",
        action: String = "A",
        site: String? = "^L heel", at time: String? = nil
    ) -> ProcessingOutcome {
        let pipes = String(repeating: "|", count: 13)
        return send(
            "RAS^O17", at: time ?? start,
            [
                pid, "ORC|RE|\(number ?? "")",
                "RXA|\(give)|\(admin)|\(start)|\(end ?? "")|\(drug)|100|mg\(pipes)\(status)|\(action)",
                "RXR|IV^Intravenous^HL70162|\(site ?? "")",
            ])
    }
}

/// Messages shaped as the vendors send them (issue 11): MSH-3/MSH-4 as each vendor
/// fills them, their segment order and field use.
extension Scenario {
    static let epic = (application: "EPIC", facility: "CHMC")
    static let epicADT = (application: "EPICADT", facility: "CHMC")
    static let oracle = (application: "HNAM", facility: "CERNER")

    /// An Epic pharmacy order (RDE^O11): ORC, RXE, TQ1 after RXE, RXR with RXR-2 as
    /// given (Epic leaves it empty: the nurse picks the line at the bedside), RXC.
    mutating func epicOrder(
        _ control: String = "NW", number: String = "7001",
        drug: String = "1736854^CALCIUM GLUCONATE 100 MG/ML IV SOLN^RXNORM", site: String = "",
        start: String = "20260302120000", end: String = "", at time: String = "20260302113000"
    ) {
        send(
            "RDE^O11^RDE_O11", at: time,
            [
                pid, pv1,
                "ORC|\(control)|\(number)^EPC|||\(control == "DC" ? "DC" : "SC")||^^^\(start)^^R||\(time)"
                    + "|||||\(time)",
                "RXE|^^^\(start)^^R|\(drug)|1000||mg|Inj Soln|||||||||||||||||||||||||||100^mL/hr",
                "TQ1|1||CONTINUOUS^Continuous^EPIC||||\(start)|\(end)",
                "RXR|IV^Intravenous^HL70162|\(site)",
                "RXC|B|1736854^CALCIUM GLUCONATE 100 MG/ML IV SOLN^RXNORM|1000|mg",
            ], from: Self.epic)
    }

    /// An Epic MAR administration (RAS^O17) of order `number`, RXR-2 `site`.
    @discardableResult
    mutating func epicAdministration(
        order number: String = "7001", admin: String = "1", start: String, site: String,
        drug: String = "1736854^CALCIUM GLUCONATE 100 MG/ML IV SOLN^RXNORM"
    ) -> ProcessingOutcome {
        send(
            "RAS^O17^RAS_O17", at: start,
            [
                pid, pv1, "ORC|RE|\(number)^EPC", "TQ1|1||CONTINUOUS^Continuous^EPIC||||\(start)",
                "RXA|0|\(admin)|\(start)|\(start)|\(drug)|1000|mg||||||||||||CP|A",
                "RXR|IV^Intravenous^HL70162|\(site)",
            ], from: Self.epic)
    }

    /// An Epic flowsheet (ORU^R01): rows (OBX-2, row name, OBX-4 sub-ID, OBX-5) with
    /// OBX-3 local `^Row name^FLO` codes, in one flowsheet OBR group.
    @discardableResult
    mutating func epicFlowsheet(at time: String, _ rows: [(String, String, String, String)]) -> [Alert] {
        var segments = [pid, pv1, "OBR|1||\(time)^EPC|FLOWSHEET^Flowsheet^EPIC|||\(time)"]
        for (index, row) in rows.enumerated() {
            let code = 3_040_100 + index
            segments.append(
                "OBX|\(index + 1)|\(row.0)|\(code)^\(row.1)^FLO|\(row.2)|\(row.3)||||||F|||\(time)")
        }
        return send("ORU^R01^ORU_R01", at: time, segments, from: Self.epic).alerts
    }

    /// An Oracle Health (Cerner HNAM) nursing result (ORU^R01): one OBR per powerform,
    /// rows (OBX-2, DTA name, OBX-4 sub-ID, OBX-5).
    @discardableResult
    mutating func oracleForm(at time: String, form: String, _ rows: [(String, String, String, String)])
        -> [Alert]
    {
        var segments = [pid, pv1, "OBR|1||\(time)^HNAM_EVENTID|\(form)|||\(time)"]
        for (index, row) in rows.enumerated() {
            let dta = row.1.uppercased().filter { $0.isLetter }
            segments.append(
                "OBX|\(index + 1)|\(row.0)|\(dta)^\(row.1)^CERNER|\(row.2)|\(row.3)||||||F|||\(time)")
        }
        return send("ORU^R01", at: time, segments, from: Self.oracle).alerts
    }
}
