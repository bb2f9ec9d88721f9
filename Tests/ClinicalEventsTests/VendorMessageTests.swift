import ClinicalEvents
import HL7
import Testing

// Issue 11, parsing level: order timing from every TQ1, the site from several RXR,
// administration notes (RXA-9, NTE), in the shapes Epic and Meditech send.

@Suite("Vendor orders and administrations")
struct VendorMessageTests {
    let times = TimeReader()

    /// Epic RDE^O11: ORC, RXE, TQ1 x2 (after RXE), RXR x2, RXC.
    func epicOrder(tq1: [String], rxr: [String]) throws -> OrderEvent {
        let segments =
            [
                "MSH|^~\\&|EPIC|EPICADT|PHARMACY|CHILDRENS|20260302113000||RDE^O11^RDE_O11|849301|P|2.5.1",
                "PID|1||4455^^^CHILDRENS^MR||DOE^JANE||20241005|F",
                "PV1|1|I|PICU^12^A||||||||||||||||V100^^^CHILDRENS^VN",
                "ORC|NW|7001^EPC|70019^EPC||IP||||20260302113000|||1234^PHYSICIAN^ANN|||20260302113000",
                "RXE|^^^20260302120000^^R|1736854^CALCIUM GLUCONATE 100 MG/ML IV SOLN^RXNORM|100||mg",
            ] + tq1 + rxr.map { "RXR|\($0)" } + ["RXC|B|338^SODIUM CHLORIDE 0.9 % IV SOLP^EPIC|50|mL"]
        let m = try Message(bytes: Array((segments.joined(separator: "\r") + "\r").utf8))
        return try #require(
            OrderEvent.orders(in: m, messageTime: times.instant("20260302113000"), times: times).first)
    }

    @Test func anOrdersPeriodRunsFromTheEarliestTQ1StartToTheLatestTQ1End() throws {
        let order = try epicOrder(
            tq1: [
                "TQ1|1||ONCE^Once^EPIC||||20260302120000|20260302120000|S",
                "TQ1|2||Q6H^Every 6 hours^EPIC||||20260302180000|20260309180000|R",
            ], rxr: ["IV^Intravenous^HL70162|"])
        #expect(order.start == times.instant("20260302120000"))
        #expect(order.end == times.instant("20260309180000"))
        #expect(order.timingSent)
    }

    @Test func aTQ1WithoutAnEndLeavesTheOrdersPeriodOpen() throws {
        let order = try epicOrder(
            tq1: [
                "TQ1|1||ONCE^Once^EPIC||||20260302120000|20260302120000|S",
                "TQ1|2||Q6H^Every 6 hours^EPIC||||20260302180000||R",
            ], rxr: ["IV^Intravenous^HL70162|"])
        #expect(order.start == times.instant("20260302120000"))
        #expect(order.end == nil)
        // A TQ1 with neither start nor end (a priority only) says nothing about the period.
        let priorityOnly = try epicOrder(
            tq1: ["TQ1|1||||||20260302120000|20260303120000|R", "TQ1|2||||||||S"],
            rxr: ["IV^Intravenous^HL70162|"])
        #expect(priorityOnly.end == times.instant("20260303120000"))
    }

    @Test func tq1SegmentsBeforeAndAfterTheGiveSegmentAllCount() throws {
        let m = try message(
            "MSH|^~\\&|EPIC|EPICADT|||20260302113000||RDE^O11|1|P|2.5.1", "ORC|NW|1",
            "TQ1|1||||||20260302180000|20260304180000|R", "RXE|^^^X|CAGLU^Calcium gluconate^LOCAL",
            "TQ1|2||||||20260302120000|20260302120000|S", "RXR|IV|^L heel")
        let order = try #require(OrderEvent.orders(in: m, messageTime: nil, times: times).first)
        #expect(order.start == times.instant("20260302120000"))
        #expect(order.end == times.instant("20260304180000"))
    }

    @Test func theOrdersSiteIsRXR2OfTheFirstParenteralRXRWithASite() throws {
        let order = try epicOrder(
            tq1: ["TQ1|1||||||20260302120000||R"],
            rxr: [
                "IV^Intravenous^HL70162|", "PO^Oral^HL70162|RH^Right Hand^HL70163",
                "IV^Intravenous^HL70162|LH^Left Hand^HL70163", "IV^Intravenous^HL70162|LF^Left Foot^HL70163",
            ])
        #expect(order.site == CodedValue(code: "LH", text: "Left Hand", system: "HL70163"))
        #expect(order.route?.code == "IV")
    }

    @Test func anOrderWhoseRXRsNameNoSiteHasNoSite() throws {
        let order = try epicOrder(
            tq1: ["TQ1|1||||||20260302120000||R"],
            rxr: ["IV^Intravenous^HL70162|", "PO^Oral^HL70162|RH^Right Hand^HL70163"])
        #expect(order.site == nil, "an oral route's site is not where an infusion flows")
        #expect(order.route?.code == "IV")
        #expect(order.giveCode.code == "1736854", "the order is still read")
    }

    @Test func routesAreParenteralByTable0162CodeOrByText() {
        #expect(RouteKind(CodedValue(code: "IV", text: "", system: "")) == .parenteral)
        #expect(RouteKind(CodedValue(code: "IVPB", text: "", system: "")) == .parenteral)
        #expect(RouteKind(CodedValue(code: "15", text: "Intravenous", system: "EPIC")) == .parenteral)
        #expect(RouteKind(CodedValue(code: "C38276", text: "INTRAVENOUS", system: "NCIT")) == .parenteral)
        #expect(RouteKind(CodedValue(code: "PO", text: "Oral", system: "HL70162")) == .notParenteral)
        #expect(RouteKind(CodedValue(code: "21", text: "Nasogastric tube", system: "EPIC")) == .notParenteral)
        #expect(RouteKind(CodedValue(code: "", text: "", system: "")) == .unknown)
        #expect(RouteKind(CodedValue(code: "99", text: "", system: "")) == .unknown)
        // A route not sent gives its site when no parenteral RXR has one.
        let m = try! message("MSH|^~\\&|A", "RXR|PO|RH", "RXR||LF^Left Foot^HL70163")
        #expect(RouteAndSite(m.segments("RXR")).site?.code == "LF")
    }

    @Test func administrationNotesAreRXA9AndTheNTEsAfterTheRXA() throws {
        let m = try message(
            "MSH|^~\\&|MEDITECH|CHILDRENS|EXTRAVASD|CHILDRENS|20260303101500||RAS^O17^RAS_O17|MT5521|P|2.5.1",
            "PID|1||4455^^^CHILDRENS^MR||DOE^JANE||20241005|F", "PV1|1|I|PICU^12^A",
            "ORC|RE|7001^MT|||CM", "NTE|1|L|Order comment: not an administration note",
            "RXA|0|1|20260303100000|20260303101500|1736854^Calcium Gluconate 10% inj^RXNORM|100|mg||"
                + "^Site infiltrated, infusion stopped~^MD notified|RN123^NURSE^RITA|||||||||CP|A",
            "RXR|PO^Oral^HL70162|RH^Right Hand^HL70163", "RXR|IV^Intravenous^HL70162|LH^Left Hand^HL70163",
            "NTE|1|L|Left hand swollen\\.br\\and cool", "ORC|RE|7002^MT", "RXA|0|1|20260303110000||X^Y")
        let events = try AdministrationEvent.administrations(in: m, times: times).get()
        #expect(events.count == 2)
        #expect(
            events[0].notes == [
                "Site infiltrated, infusion stopped", "MD notified", "Left hand swollen\nand cool",
            ])
        #expect(events[0].site?.code == "LH")
        #expect(events[1].notes.isEmpty)
    }
}
