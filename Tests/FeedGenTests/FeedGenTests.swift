import FeedGen
import Testing

private let threeDays: Int64 = 3 * 86_400

/// A few simulated days with default options, generated once for the content tests.
private let threeDayFeed: [UInt8] = FeedGenerator.feed(
    options: FeedOptions(seed: 11), simulatedSeconds: threeDays)
private let threeDayMessages: [ScannedMessage] = scanMessages(threeDayFeed)

/// A larger census over more days, for rarer events (merges, SI lab units, compounded bags).
private let widerMessages: [ScannedMessage] = scanMessages(
    FeedGenerator.feed(options: FeedOptions(seed: 11, patients: 60), simulatedSeconds: 6 * 86_400))

private func messages(where predicate: (ScannedMessage) -> Bool) -> [ScannedMessage] {
    threeDayMessages.filter(predicate)
}

private func segments(_ id: String, in messages: [ScannedMessage]) -> [String] {
    var out: [String] = []
    for m in messages {
        for s in m.segments where s.starts(with: Array(id.utf8)) {
            out.append(String(decoding: s, as: UTF8.self))
        }
    }
    return out
}

@Suite("Determinism")
struct DeterminismTests {
    @Test func sameSeedGivesIdenticalBytes() {
        let options = FeedOptions(
            seed: 42, terminator: .mixed, byteOrderMark: true, alternateDelimitersShare: 0.1)
        let a = FeedGenerator.feed(options: options, messageCount: 3_000)
        let b = FeedGenerator.feed(options: options, messageCount: 3_000)
        #expect(a.count > 1_000_000)
        #expect(a == b)
    }

    @Test func streamingInPiecesGivesTheSameBytesAsAllAtOnce() {
        let options = FeedOptions(seed: 5)
        let whole = FeedGenerator.feed(options: options, messageCount: 1_500)
        var g = FeedGenerator(options: options)
        var pieces: [UInt8] = []
        var chunk: [UInt8] = []
        for i in 0..<1_500 {
            g.appendNextMessage(to: &chunk)
            if i % 97 == 0 {
                pieces += chunk
                chunk.removeAll(keepingCapacity: true)
            }
        }
        pieces += chunk
        #expect(pieces == whole)
        #expect(g.messagesGenerated == 1_500)
        #expect(g.bytesGenerated == whole.count)
    }

    @Test func differentSeedsGiveDifferentFeeds() {
        let a = FeedGenerator.feed(options: FeedOptions(seed: 1), messageCount: 200)
        let b = FeedGenerator.feed(options: FeedOptions(seed: 2), messageCount: 200)
        #expect(a != b)
        let idsA = Set(scanMessages(a).map(\.controlID))
        let idsB = Set(scanMessages(b).map(\.controlID))
        #expect(idsA != idsB)
    }

    @Test func seededRandomIsReproducibleAndInRange() {
        var r1 = SeededRandom(seed: 99)
        var r2 = SeededRandom(seed: 99)
        for _ in 0..<1_000 {
            #expect(r1.next() == r2.next())
        }
        var r = SeededRandom(seed: 7)
        var seen = Set<Int>()
        for _ in 0..<10_000 {
            let v = r.below(10)
            #expect((0..<10).contains(v))
            seen.insert(v)
            let d = r.unit()
            #expect(d >= 0 && d < 1)
            let w = r.between(-3, 3)
            #expect((-3...3).contains(w))
        }
        #expect(seen.count == 10)
    }
}

@Suite("Clock")
struct ClockTests {
    @Test func civilDateConversionsMatchKnownDates() {
        #expect(HL7Time.days(year: 1970, month: 1, day: 1) == 0)
        #expect(HL7Time.seconds(year: 2026, month: 1, day: 1) == HL7Time.defaultStart)
        #expect(HL7Time.seconds(year: 2000, month: 3, day: 1) == 951_868_800)
        let leap = HL7Time.days(year: 2024, month: 2, day: 29)
        #expect(HL7Time.civil(fromDays: leap) == (2024, 2, 29))
        #expect(HL7Time.civil(fromDays: leap + 1) == (2024, 3, 1))
        #expect(HL7Time.civil(fromDays: -1) == (1969, 12, 31))
        for d in stride(from: Int64(-100_000), to: 100_000, by: 37) {
            let c = HL7Time.civil(fromDays: d)
            #expect(HL7Time.days(year: c.year, month: c.month, day: c.day) == d)
        }
    }

    @Test func dtmFormatsAsYYYYMMDDHHMMSS() {
        #expect(HL7Time.dtm(HL7Time.defaultStart) == "20260101000000")
        #expect(
            HL7Time.dtm(HL7Time.seconds(year: 2028, month: 2, day: 29, hour: 23, minute: 5, second: 9))
                == "20280229230509")
        #expect(HL7Time.dtm(-1) == "19691231235959")
    }

    @Test func messageTimesFollowTheSimulatedClockMostly() {
        let msgs = scanMessages(FeedGenerator.feed(options: FeedOptions(seed: 3), messageCount: 4_000))
        var backwards = 0
        var previous = ""
        for m in msgs {
            #expect(m.time.count == 14)
            #expect(m.time.hasPrefix("2026"))
            if m.time < previous { backwards += 1 }
            previous = max(previous, m.time)
        }
        #expect(backwards < msgs.count / 50)
    }
}

@Suite("Terminators and framing")
struct TerminatorTests {
    @Test func crStyleHasNoLineFeedsWhenTextLineFeedsAreOff() {
        let feed = FeedGenerator.feed(
            options: FeedOptions(seed: 8, terminator: .cr, loneLineFeedShare: 0),
            messageCount: 2_000)
        #expect(count(0x0A, in: feed) == 0)
        #expect(count(0x0B, in: feed) == 0)
        #expect(feed.last == 0x0D)
    }

    @Test func crStyleLineFeedsOnlyAppearInsideOBXText() {
        let feed = FeedGenerator.feed(
            options: FeedOptions(seed: 8, terminator: .cr, loneLineFeedShare: 0.5),
            messageCount: 2_000)
        var lineFeeds = 0
        for m in scanMessages(feed) {
            for seg in m.body.split(separator: 0x0D) where seg.contains(0x0A) {
                lineFeeds += 1
                #expect(seg.starts(with: Array("OBX|".utf8)))
                let afterLF = seg[(seg.firstIndex(of: 0x0A)! + 1)...]
                #expect(!afterLF.starts(with: Array("MSH".utf8)))
            }
        }
        #expect(lineFeeds > 10)
    }

    @Test func lfStyleHasNoCarriageReturns() {
        let feed = FeedGenerator.feed(options: FeedOptions(seed: 9, terminator: .lf), messageCount: 2_000)
        #expect(count(0x0D, in: feed) == 0)
        #expect(feed.last == 0x0A)
        #expect(scanMessages(feed).count == 2_000)
    }

    @Test func crlfStyleEndsEverySegmentWithCRLF() {
        let feed = FeedGenerator.feed(options: FeedOptions(seed: 10, terminator: .crlf), messageCount: 2_000)
        for i in feed.indices where feed[i] == 0x0D {
            #expect(i + 1 < feed.count && feed[i + 1] == 0x0A)
        }
        #expect(count(0x0D, in: feed) > 2_000 * 5)
        #expect(scanMessages(feed).count == 2_000)
    }

    @Test func mllpStyleFramesEveryMessage() {
        let feed = FeedGenerator.feed(
            options: FeedOptions(seed: 12, terminator: .mllp, loneLineFeedShare: 0),
            messageCount: 1_000)
        let msgs = scanMessages(feed)
        #expect(msgs.count == 1_000)
        #expect(feed.first == 0x0B)
        #expect(count(0x0B, in: feed) == 1_000)
        #expect(count(0x1C, in: feed) == 1_000)
        #expect(count(0x0A, in: feed) == 0)
        for m in msgs {
            #expect(feed[m.range.lowerBound - 1] == 0x0B)
            let tail = Array(
                feed[..<min(m.range.upperBound, feed.count)].suffix(m.range.upperBound < feed.count ? 4 : 3))
            // ... segment CR, then 0x1C 0x0D (and the next frame's 0x0B).
            #expect(tail.prefix(3) == [0x0D, 0x1C, 0x0D])
        }
    }

    @Test func mixedStyleUsesEveryStyle() {
        let feed = FeedGenerator.feed(
            options: FeedOptions(seed: 13, terminator: .mixed, loneLineFeedShare: 0),
            messageCount: 800)
        var styles = Set<String>()
        for m in scanMessages(feed) {
            let b = m.bytes
            let framed = m.range.lowerBound > 0 && feed[m.range.lowerBound - 1] == 0x0B
            let hasCR = b.contains(0x0D)
            let hasLF = b.contains(0x0A)
            if framed {
                styles.insert("mllp")
            } else if hasCR && hasLF {
                styles.insert("crlf")
            } else if hasCR {
                styles.insert("cr")
            } else if hasLF {
                styles.insert("lf")
            }
        }
        #expect(styles == ["cr", "lf", "crlf", "mllp"])
    }

    @Test func byteOrderMarkOnlyAtTheStart() {
        let feed = FeedGenerator.feed(options: FeedOptions(seed: 14, byteOrderMark: true), messageCount: 300)
        #expect(Array(feed.prefix(6)) == [0xEF, 0xBB, 0xBF, 0x4D, 0x53, 0x48])
        #expect(feed.dropFirst(3).firstRange(of: [0xEF, 0xBB, 0xBF]) == nil)
        let plain = FeedGenerator.feed(options: FeedOptions(seed: 14), messageCount: 300)
        #expect(Array(plain.prefix(3)) == Array("MSH".utf8))
    }

    @Test func alternateDelimitersAreSelfConsistent() {
        let feed = FeedGenerator.feed(
            options: FeedOptions(seed: 15, alternateDelimitersShare: 1),
            messageCount: 1_500)
        let msgs = scanMessages(feed)
        #expect(msgs.count == 1_500)
        var headers = Set<[UInt8]>()
        let known: Set<String> = [
            "ADT^A01", "ADT^A02", "ADT^A03", "ADT^A08", "ADT^A40", "RDE^O11", "RDE^O01", "ORM^O01", "OMP^O09",
            "RAS^O17", "RAS^O01", "ORU^R01",
        ]
        for m in msgs {
            headers.insert([m.fieldSeparator] + m.encodingCharacters)
            #expect(known.contains(m.messageType), "\(m.messageType)")
            #expect((4...5).contains(m.encodingCharacters.count))
            if m.fieldSeparator != 0x7C {
                #expect(!m.bytes.contains(0x7C))
                // Every segment starts with a three-character ID and the field separator.
                for seg in m.segments {
                    #expect(seg.count >= 4 && seg[seg.startIndex + 3] == m.fieldSeparator)
                }
            }
        }
        #expect(headers.count >= 3)
        #expect(headers.contains(Array("#$*@!%".utf8)))
        #expect(headers.contains(Array("|^~\\&#".utf8)))
        let none = FeedGenerator.feed(options: FeedOptions(seed: 15), messageCount: 1_500)
        for m in scanMessages(none) {
            #expect(m.fieldSeparator == 0x7C && m.encodingCharacters == Array("^~\\&".utf8))
        }
    }
}

@Suite("Realistic mix")
struct MixTests {
    @Test func averageSizeSegmentsAndORUShareAreRealistic() {
        let feed = FeedGenerator.feed(options: FeedOptions(seed: 21), messageCount: 5_000)
        let msgs = scanMessages(feed)
        #expect(msgs.count == 5_000)
        let avgBytes = Double(feed.count) / Double(msgs.count)
        let avgSegments = Double(msgs.reduce(0) { $0 + $1.segments.count }) / Double(msgs.count)
        let oru = Double(msgs.filter { $0.messageType == "ORU^R01" }.count) / Double(msgs.count)
        #expect(avgBytes > 1_100 && avgBytes < 1_800, "average \(avgBytes) bytes")
        #expect(avgSegments >= 8 && avgSegments <= 12, "average \(avgSegments) segments")
        #expect(oru >= 0.55 && oru <= 0.75, "ORU share \(oru)")
    }

    @Test func everyMessageStartsWithMSHAndHasAUniqueControlID() {
        let options = FeedOptions(
            seed: 22, terminator: .mixed, byteOrderMark: true, alternateDelimitersShare: 0.05)
        let feed = FeedGenerator.feed(options: options, messageCount: 5_000)
        let msgs = scanMessages(feed)
        #expect(msgs.count == 5_000)
        var ids = Set<String>()
        for m in msgs {
            #expect(m.bytes.starts(with: Array("MSH".utf8)))
            #expect(!m.controlID.isEmpty)
            ids.insert(m.controlID)
        }
        #expect(ids.count == msgs.count)
        // Nothing but the BOM and MLLP start blocks precedes the first message.
        #expect(msgs[0].range.lowerBound <= 4)
    }

    @Test func resendsRepeatTheMessageExactly() {
        let feed = FeedGenerator.feed(options: FeedOptions(seed: 23, resendShare: 0.05), messageCount: 2_000)
        let msgs = scanMessages(feed)
        var resends = 0
        for (a, b) in zip(msgs, msgs.dropFirst()) where a.controlID == b.controlID {
            resends += 1
            #expect(Array(a.bytes) == Array(b.bytes))
        }
        #expect(resends > 30)
    }

    @Test func versionsFrom23To28AreMixed() {
        var versions = Set<String>()
        for m in threeDayMessages where m.mshFields.count > 12 {
            versions.insert(String(decoding: m.mshFields[12], as: UTF8.self))
        }
        #expect(versions.isSuperset(of: ["2.3", "2.3.1", "2.4", "2.5.1", "2.6", "2.7", "2.8"]))
        // v2.3 uses ORM/RXO and RAS^O01.
        for m in threeDayMessages where m.messageType == "ORM^O01" || m.messageType == "RAS^O01" {
            #expect(m.mshFields[12] == Array("2.3".utf8) || m.mshFields[12] == Array("2.4".utf8))
        }
    }

    @Test func countsByKindMatchTheMessagesWritten() {
        var g = FeedGenerator(options: FeedOptions(seed: 24))
        var buffer: [UInt8] = []
        for _ in 0..<3_000 { g.appendNextMessage(to: &buffer) }
        let msgs = scanMessages(buffer)
        var total = 0
        for kind in FeedMessageKind.allCases { total += g.count(of: kind) }
        #expect(total == 3_000)
        for type in ["ADT^A01", "RDE^O11", "RAS^O17", "ORU^R01"] {
            let expected = FeedMessageKind.allCases.filter { $0.messageType == type }.reduce(0) {
                $0 + g.count(of: $1)
            }
            #expect(msgs.filter { $0.messageType == type }.count == expected)
        }
    }
}

@Suite("Clinical content of a few simulated days")
struct ContentTests {
    @Test func allMessageTypesOccur() {
        let types = Set(threeDayMessages.map(\.messageType))
        for t in [
            "ADT^A01", "ADT^A02", "ADT^A03", "ADT^A08", "RDE^O11", "RDE^O01", "ORM^O01", "OMP^O09", "RAS^O17",
            "RAS^O01", "ORU^R01",
        ] {
            #expect(types.contains(t), "\(t) missing")
        }
    }

    @Test func mergesOccurWithMRGNamingTheOldMRN() {
        let merges = widerMessages.filter { $0.messageType == "ADT^A40" }
        #expect(!merges.isEmpty)
        for m in merges {
            let mrg = m.segments.first { $0.starts(with: Array("MRG|".utf8)) }
            #expect(mrg != nil)
            if let mrg {
                #expect(String(decoding: mrg, as: UTF8.self).contains("^MR"))
            }
        }
    }

    @Test func calciumOrdersOccurInSeveralSpellings() {
        let orders = messages { ["RDE^O11", "RDE^O01", "ORM^O01", "OMP^O09"].contains($0.messageType) }
        let texts = segments("RXE", in: orders) + segments("RXO", in: orders)
        let spellings = [
            "Calcium Gluconate 10% inj", "CALCIUM GLUCONATE 100 MG/ML", "Ca gluconate", "CaCl2",
            "calcium chloride 10%", "Calcium gluconate 2 g \\T\\ NS",
        ]
        let found = spellings.filter { s in texts.contains { $0.contains(s) } }
        #expect(found.count >= 3, "found \(found)")
        #expect(
            texts.contains { $0.contains("Calcium") || $0.contains("CALCIUM") || $0.contains("Ca gluconate") }
        )
        #expect(texts.contains { $0.contains("CaCl2") || $0.lowercased().contains("calcium chloride") })
    }

    @Test func ringerSolutionsAndOtherDrugsOccur() {
        let orders = messages { ["RDE^O11", "RDE^O01", "ORM^O01", "OMP^O09"].contains($0.messageType) }
        let texts = segments("RXE", in: orders) + segments("RXO", in: orders)
        #expect(
            texts.contains { t in
                ["Lactated Ringers", "|LR^LR", "Ringer's lactate", "Hartmann's", "Lactated Ringer's"].contains
                { t.contains($0) }
            })
        #expect(
            texts.contains { t in
                [
                    "Vancomycin", "Sodium Chloride", "normal saline", "Dopamine", "Acyclovir",
                    "Potassium Chloride", "Cefazolin", "Ampicillin", "Gentamicin",
                ].contains { t.contains($0) }
            })
    }

    @Test func parenteralNutritionWithAndWithoutCalciumComponents() {
        let orders = widerMessages.filter {
            ["RDE^O11", "RDE^O01", "ORM^O01", "OMP^O09"].contains($0.messageType)
        }
        var withCalcium = 0
        var withoutCalcium = 0
        var compounded = 0
        for m in orders {
            let rxc = m.segments.filter { $0.starts(with: Array("RXC|".utf8)) }.map {
                String(decoding: $0, as: UTF8.self)
            }
            guard !rxc.isEmpty else { continue }
            let isPN = m.contains("PN^") || m.contains("TPN") || m.contains("Parenteral Nutrition")
            let hasCalcium = rxc.contains {
                $0.lowercased().contains("calcium") || $0.lowercased().contains("ca gluconate")
            }
            #expect(rxc.allSatisfy { $0.hasPrefix("RXC|B|") || $0.hasPrefix("RXC|A|") })
            if isPN && hasCalcium { withCalcium += 1 }
            if isPN && !hasCalcium { withoutCalcium += 1 }
            if (m.contains("D5W 100 mL") || m.contains("NS 50 mL")) && hasCalcium { compounded += 1 }
        }
        #expect(withCalcium > 0)
        #expect(withoutCalcium > 0)
        #expect(compounded > 0)
    }

    @Test func orderSitesUseTable0163CodesAndFreeText() {
        let rxr = segments("RXR", in: threeDayMessages)
        #expect(rxr.allSatisfy { $0.hasPrefix("RXR|IV") })
        #expect(rxr.contains { $0.contains("^HL70163|") })
        let codes = ["LA", "LACF", "LF", "LH", "LLFA", "LMFA", "LUFA", "LUA", "RF", "RH", "RACF"]
        #expect(rxr.contains { r in codes.contains { r.contains("|\($0)^") } })
        let freeText = [
            "|^L heel", "|^Lt. heel", "|^heel, left", "|^LEFT HEEL", "|^R AC", "|^rt antecubital",
            "|^scalp", "|^umbilical", "|^dorsum of hand left", "|^R heel", "|^L hand", "|^L AC",
        ]
        #expect(rxr.contains { r in freeText.contains { r.contains($0) } })
    }

    @Test func ordersHaveControlCodesTimingAndNumbers() {
        let orc = segments(
            "ORC", in: messages { ["RDE^O11", "RDE^O01", "ORM^O01", "OMP^O09"].contains($0.messageType) })
        for code in ["ORC|NW|", "ORC|DC|", "ORC|XO|"] {
            #expect(orc.contains { $0.hasPrefix(code) }, "\(code) missing")
        }
        #expect(orc.allSatisfy { $0.split(separator: "|", omittingEmptySubsequences: false).count > 9 })
        let tq1 = segments("TQ1", in: threeDayMessages)
        #expect(!tq1.isEmpty)
        // TQ1 sometimes after RXE.
        let after = threeDayMessages.contains { m in
            let ids = m.segments.map { String(decoding: $0.prefix(3), as: UTF8.self) }
            if let e = ids.firstIndex(of: "RXE"), let t = ids.lastIndex(of: "TQ1") { return t > e }
            return false
        }
        #expect(after)
    }

    @Test func administrationsCarryRXAFields() {
        let ras = messages { $0.messageType == "RAS^O17" || $0.messageType == "RAS^O01" }
        let rxa = segments("RXA", in: ras)
        #expect(!rxa.isEmpty)
        for r in rxa {
            let f = r.split(separator: "|", omittingEmptySubsequences: false)
            #expect(f.count > 21)
            #expect(f[1] == "0")
            #expect(f[3].count == 14)
            #expect(["CP", "NA", "RE"].contains(String(f[20])))
            #expect(["A", "U", "D"].contains(String(f[21])))
        }
        #expect(rxa.contains { $0.contains("|CP|A") })
    }

    @Test func nursingAssessmentsShowSignsNegationsAndRemovals() {
        let oru = messages { $0.messageType == "ORU^R01" }
        #expect(oru.contains { $0.contains("IVSITELOC^IV site location^L") })
        #expect(
            oru.contains { $0.contains("ERYTHEMA^Erythema at IV site^L") && $0.contains("|Y^Yes^HL70136|") })
        #expect(oru.contains { $0.contains("PAINSCORE^Pain score^L") })
        let signs = [
            "red and swollen, pt crying", "blanched, cool to touch", "leaking at site, wet dressing",
            "Erythema noted around insertion site", "mild redness at site", "Site tender to touch",
            "indurated area", "blister noted", "Site puffy and red", "Edematous and erythematous",
            "slight erythema", "Redness 2 cm above site", "Site swollen, firm and cool", "grimaces on flush",
            "faint redness", "necrotic area",
        ]
        #expect(oru.contains { m in signs.contains { m.contains($0) } })
        #expect(oru.contains { $0.contains("no redness, denies pain, without swelling or edema") })
        #expect(oru.contains { $0.contains("IVREMOVED^IV catheter removed^L") })
        #expect(
            oru.contains {
                $0.contains("INFILTR^Infiltration grade^L||2|")
                    || $0.contains("INFILTR^Infiltration grade^L|1|2|")
            })
    }

    @Test func textValuesUseEscapeSequencesAndZSegments() {
        let oru = messages { $0.messageType == "ORU^R01" }
        for escape in ["\\.br\\", "\\T\\", "\\S\\", "\\F\\", "\\E\\", "\\X0D0A\\"] {
            #expect(oru.contains { $0.contains(escape) }, "\(escape) missing")
        }
        #expect(oru.contains { $0.contains("\rNTE|") })
        #expect(oru.contains { $0.contains("\rZNA|") })
    }

    @Test func labResultsIncludeRenalFailure() {
        let labs = segments("OBX", in: messages { $0.messageType == "ORU^R01" })
        for code in ["2160-0", "2777-1", "17861-6"] {
            #expect(labs.contains { $0.contains("|\(code)^") }, "\(code) missing")
        }
        #expect(labs.contains { $0.contains("|2160-0^") && ($0.contains("|H|") || $0.contains("|HH|")) })
        #expect(labs.contains { $0.contains("|17861-6^") && $0.contains("|L|") })
        #expect(labs.contains { $0.contains("|2160-0^") && $0.contains("|0.") && $0.contains("mg/dL|") })
        let si = segments("OBX", in: widerMessages)
        for code in ["14682-9", "14879-1", "2000-8"] {
            #expect(si.contains { $0.contains("|\(code)^") }, "\(code) missing")
        }
        // SI calcium is about 2.2 mmol/L, not a tenth of it.
        for s in si where s.contains("|2000-8^") {
            let f = s.split(separator: "|", omittingEmptySubsequences: false)
            if let v = Double(f[5]) { #expect(v > 1.0 && v < 3.0) }
        }
    }

    @Test func patientsRangeFromNeonatesToAdults() {
        let pids = segments("PID", in: messages { $0.messageType == "ADT^A01" })
        var neonates = 0
        var adults = 0
        for p in pids {
            let f = p.split(separator: "|", omittingEmptySubsequences: false)
            guard f.count > 7, let year = Int(f[7].prefix(4)) else { continue }
            if f[7].count == 12 && year >= 2025 { neonates += 1 }
            if year < 2008 { adults += 1 }
            #expect(f[3].contains("^MR"))
        }
        #expect(neonates > 0 && adults > 0)
        let pv1 = segments("PV1", in: threeDayMessages)
        #expect(pv1.contains { $0.contains("|NICU^") })
        #expect(pv1.contains { $0.contains("|PICU^") })
        #expect(pv1.contains { $0.contains("^VN|") })
        #expect(pids.contains { $0.contains("^^^SSA^SS~") })
    }
}

@Suite("Streaming")
struct StreamingTests {
    @Test func bytesTargetIsHonoured() {
        let target = 3_000_000
        let feed = FeedGenerator.feed(options: FeedOptions(seed: 31), minimumBytes: target)
        #expect(feed.count >= target)
        #expect(feed.count < target + 64 * 1_024)
        #expect(feed.last == 0x0D)
        var g = FeedGenerator(options: FeedOptions(seed: 31))
        var buffer: [UInt8] = []
        var total = 0
        while total < target {
            g.appendMessages(to: &buffer, byteCount: 250_000)
            total += buffer.count
            #expect(buffer.last == 0x0D)
            buffer.removeAll(keepingCapacity: true)
        }
        #expect(total == g.bytesGenerated)
        #expect(total >= target)
    }

    @Test func simulatedTimeLimitStopsTheFeed() {
        let start = HL7Time.defaultStart
        var g = FeedGenerator(options: FeedOptions(seed: 32))
        var buffer: [UInt8] = []
        let limit = start + 86_400
        while g.appendNextMessage(to: &buffer, notAfter: limit) {}
        #expect(g.simulatedTime <= limit)
        #expect(g.simulatedTime > limit - 3_600)
        #expect(!g.appendNextMessage(to: &buffer, notAfter: limit))
        let msgs = scanMessages(buffer)
        #expect(msgs.count == g.messagesGenerated)
        #expect(msgs.allSatisfy { $0.time <= HL7Time.dtm(limit) })
        // The feed continues past the limit when asked.
        #expect(g.appendNextMessage(to: &buffer, notAfter: limit + 86_400))
        #expect(
            FeedGenerator.feed(options: FeedOptions(seed: 32), simulatedSeconds: 86_400).count
                == scanMessages(buffer).dropLast().reduce(0) { $0 + $1.bytes.count })
    }
}
