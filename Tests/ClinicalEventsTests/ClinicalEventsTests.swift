import ClinicalEvents
import HL7
import Testing

func message(_ segments: String...) throws -> Message {
    try Message(bytes: Array((segments.joined(separator: "\r") + "\r").utf8))
}

@Suite("Patient and message identity")
struct IdentityTests {
    @Test func patientIdentityPrefersTheMRRepetitionWithItsAssigningAuthority() throws {
        let pid = try #require(
            try message("MSH|^~\\&|A", "PID|1||55^^^SSA^SS~4455^^^CHILDRENS&1.2.3&ISO^MR").segment("PID"))
        #expect(PatientKey(pid: pid) == PatientKey(identifier: "4455", authority: "CHILDRENS"))
    }

    @Test func patientIdentityFallsBackToTheFirstRepetition() throws {
        let pid = try #require(try message("MSH|^~\\&|A", "PID|1||77^^^HOSP^PI~88^^^X^PT").segment("PID"))
        #expect(PatientKey(pid: pid) == PatientKey(identifier: "77", authority: "HOSP"))
        let bare = try #require(try message("MSH|^~\\&|A", "PID|1||99").segment("PID"))
        #expect(PatientKey(pid: bare) == PatientKey(identifier: "99"))
        #expect(PatientKey(pid: bare)?.description == "99")
    }

    @Test func noIdentifierMeansNoPatient() throws {
        let pid = try #require(try message("MSH|^~\\&|A", "PID|1||\"\"").segment("PID"))
        #expect(PatientKey(pid: pid) == nil)
    }

    @Test func messageIdentityIsSendingApplicationFacilityAndControlID() throws {
        let identity = MessageIdentity(
            try message("MSH|^~\\&|NURSING|CHILDRENS|X|Y|20260302||ORU^R01|C77|P|2.5"))
        #expect(
            identity
                == MessageIdentity(
                    sendingApplication: "NURSING", sendingFacility: "CHILDRENS", controlID: "C77"))
    }
}

@Suite("Times")
struct TimeTests {
    @Test func timesWithoutAnOffsetUseTheConfiguredZone() {
        let utc = TimeReader()
        let east = TimeReader(zone: FixedOffsetZone(offsetSeconds: 3600))
        #expect(utc.instant("20260302120000")?.seconds == 1_772_452_800)
        let eastNoon: Int64 = 1_772_452_800 - 3600
        #expect(east.instant("20260302120000")?.seconds == eastNoon)
        // An explicit offset wins over the zone.
        let explicit: Int64 = 1_772_452_800 + 5 * 3600
        #expect(east.instant("20260302120000-0500")?.seconds == explicit)
        #expect(utc.instant("garbage") == nil)
        #expect(utc.instant("") == nil)
    }

    @Test func instantsFormatAsISO8601WithOffset() {
        let instant = Instant(seconds: 1_772_452_800)
        #expect(instant.format(utcOffsetSeconds: 0) == "2026-03-02T12:00:00+00:00")
        #expect(instant.format(utcOffsetSeconds: -18_000) == "2026-03-02T07:00:00-05:00")
        #expect(Instant(seconds: -1).format(utcOffsetSeconds: 0) == "1969-12-31T23:59:59+00:00")
    }

    @Test func timeStampWithPrecisionComponentReadsItsFirstComponent() throws {
        let orc = try #require(try message("MSH|^~\\&|A", "ORC|NW|1|||||||20260302113000^S").segment("ORC"))
        #expect(TimeReader().instant(orc[9])?.seconds == 1_772_451_000)
    }
}

@Suite("Order events")
struct OrderEventTests {
    let times = TimeReader()
    let messageTime = Instant(seconds: 1_000)

    @Test func rdeOrderWithTQ1BeforeRXE() throws {
        let m = try message(
            "MSH|^~\\&|PHARM|H|||20260302113000||RDE^O11|1|P|2.5",
            "PID|1||4455^^^CHILDRENS^MR",
            "ORC|NW|7001^PHARMACY|9001^FILL||IP||||20260302113000",
            "TQ1|1||||||20260302120000|20260305120000",
            "RXE|^^^20260302120000|1736854^Calcium Gluconate 10% inj^RXNORM|100||mg/kg",
            "RXR|IV^Intravenous^HL70162|LF^Left Foot^HL70163")
        let orders = OrderEvent.orders(in: m, messageTime: messageTime, times: times)
        #expect(orders.count == 1)
        let order = try #require(orders.first)
        #expect(order.control == "NW")
        #expect(order.orderNumber == "7001")
        #expect(order.fillerNumber == "9001")
        #expect(order.start == times.instant("20260302120000"))
        #expect(order.end == times.instant("20260305120000"))
        #expect(order.effectiveTime == times.instant("20260302113000"))
        #expect(
            order.giveCode == CodedValue(code: "1736854", text: "Calcium Gluconate 10% inj", system: "RXNORM")
        )
        #expect(order.site == CodedValue(code: "LF", text: "Left Foot", system: "HL70163"))
        #expect(order.route?.code == "IV")
        #expect(!order.endsOrder)
    }

    @Test func tq1AfterRXEStillBelongsToTheGroup() throws {
        let m = try message(
            "MSH|^~\\&|A", "ORC|NW|1", "RXE|^^^X|CAGLU^Calcium gluconate^LOCAL", "RXR|IV|^L heel",
            "TQ1|1||||||20260302120000", "ORC|NW|2", "TQ1|1||||||20260303120000",
            "RXE|^^^X|LR^Lactated Ringers^L")
        let orders = OrderEvent.orders(in: m, messageTime: messageTime, times: times)
        #expect(orders.map(\.orderNumber) == ["1", "2"])
        #expect(orders[0].start == times.instant("20260302120000"))
        #expect(orders[1].start == times.instant("20260303120000"))
        #expect(orders[0].site?.text == "L heel")
        #expect(orders[1].site == nil)
    }

    @Test func v23OrmWithRXOAndOrcQuantityTimingStartAndEnd() throws {
        let m = try message(
            "MSH|^~\\&|A|||||||ORM^O01|1|P|2.3", "ORC|NW|55^P|||||^^^20260302120000^20260304120000||",
            "RXO|CAGLU^Calcium gluconate 10%^L|1", "RXR|IV|RH", "RXC|B|D5W^Dextrose 5%^L|100|mL",
            "RXC|A|CAGLU^calcium gluconate^L|1|g")
        let order = try #require(OrderEvent.orders(in: m, messageTime: messageTime, times: times).first)
        #expect(order.giveCode.text == "Calcium gluconate 10%")
        #expect(order.start == times.instant("20260302120000"))
        #expect(order.end == times.instant("20260304120000"))
        #expect(order.components.map(\.code) == ["D5W", "CAGLU"])
        #expect(order.site?.code == "RH")
        #expect(order.effectiveTime == messageTime, "no ORC-15 or ORC-9: the message time")
    }

    @Test func effectiveTimeIsOrc15ElseOrc9ElseMessageTime() throws {
        let both = try message("MSH|^~\\&|A", "ORC|DC|1|||||||20260302100000||||||20260302090000", "RXE||X^Y")
        #expect(
            OrderEvent.orders(in: both, messageTime: messageTime, times: times).first?.effectiveTime
                == times.instant("20260302090000"))
        let orc9 = try message("MSH|^~\\&|A", "ORC|DC|1|||||||20260302100000", "RXE||X^Y")
        #expect(
            OrderEvent.orders(in: orc9, messageTime: messageTime, times: times).first?.effectiveTime
                == times.instant("20260302100000"))
    }

    @Test func orderControlAndStatusThatEndOrCancelAnOrder() throws {
        for (control, status, ends, cancels) in [
            ("DC", "", true, false), ("CA", "", true, true), ("OD", "", true, false), ("OC", "", true, true),
            ("SC", "CM", true, false), ("SC", "DC", true, false), ("SC", "CA", true, true),
            ("HD", "", false, false),
            ("XO", "", false, false), ("NW", "IP", false, false),
        ] {
            let m = try message("MSH|^~\\&|A", "ORC|\(control)|1|||\(status)", "RXE||X^Y")
            let order = try #require(OrderEvent.orders(in: m, messageTime: messageTime, times: times).first)
            #expect(order.endsOrder == ends, "\(control)/\(status)")
            #expect(order.cancelsOrder == cancels, "\(control)/\(status)")
        }
    }

    @Test func escapedGiveCodeTextIsDecoded() throws {
        let m = try message("MSH|^~\\&|A", "ORC|NW|1", "RXE||CG^Calcium gluconate 10\\T\\ inj\\S\\x^L")
        let order = try #require(OrderEvent.orders(in: m, messageTime: messageTime, times: times).first)
        #expect(order.giveCode.text == "Calcium gluconate 10& inj^x")
    }

    @Test func nonOrderMessagesHaveNoOrderEvents() throws {
        let m = try message("MSH|^~\\&|A|||||||ORU^R01", "PID|1||1", "OBR|1", "OBX|1|NM|X||1")
        #expect(OrderEvent.orders(in: m, messageTime: messageTime, times: times).isEmpty)
        let orcOnly = try message("MSH|^~\\&|A", "ORC|NW|1")
        #expect(OrderEvent.orders(in: orcOnly, messageTime: messageTime, times: times).isEmpty)
    }
}
