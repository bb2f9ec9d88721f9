import Journal
import Testing

@Suite("JournalFieldName validation")
struct JournalFieldNameTests {
    @Test(
        "accepts journald-valid names",
        arguments: [
            "EXTRAVASD_ALERT_ID", "MESSAGE", "MESSAGE_ID", "PRIORITY", "SYSLOG_IDENTIFIER", "A", "X_",
            "FIELD2",
            String(repeating: "A", count: 64),
        ])
    func accepts(_ name: String) throws {
        let field = try JournalFieldName(name)
        #expect(field.rawValue == name)
        #expect(JournalFieldName.isValid(name))
    }

    @Test(
        "rejects invalid names with a code and the offending name",
        arguments: [
            ("extravasd_alert_id", JournalFieldNameError.Code.invalidCharacter),
            ("Extravasd_Alert", .invalidCharacter),
            ("1EXTRAVASD", .leadingDigit),
            ("_EXTRAVASD", .leadingUnderscore),
            ("__CURSOR", .leadingUnderscore),
            (String(repeating: "A", count: 65), .tooLong),
            ("EXTRAVASD-X", .invalidCharacter),
            ("EXTRAVASD X", .invalidCharacter),
            ("EXTRAVASD=X", .invalidCharacter),
            ("EXTRAVASDÉ", .invalidCharacter),
            ("", .empty),
        ])
    func rejects(_ name: String, _ code: JournalFieldNameError.Code) {
        #expect(!JournalFieldName.isValid(name))
        #expect(throws: JournalFieldNameError(code: code, name: name)) {
            try JournalFieldName(name)
        }
    }

    @Test func errorDescriptionNamesTheFieldAndTheProblem() {
        let error = JournalFieldNameError(code: .invalidCharacter, name: "EXTRAVASD-X")
        #expect(error.description.contains("\"EXTRAVASD-X\""))
        #expect(error.description.contains("'-'"))
    }

    @Test func appendingAnInvalidNameLeavesTheEntryUnchanged() {
        var entry = JournalEntry(message: "m", priority: .info)
        let before = entry
        #expect(throws: JournalFieldNameError.self) {
            try entry.append("extravasd_lower", "x")
        }
        #expect(entry == before)
    }

    @Test func catalogConventionFlagsDigits() throws {
        #expect(try JournalFieldName("EXTRAVASD_ALERT_ID").isCatalogSubstitutable)
        #expect(try !JournalFieldName("EXTRAVASD_HL7_SOURCE").isCatalogSubstitutable)
    }

    @Test func wellKnownNames() {
        #expect(JournalFieldName.message.rawValue == "MESSAGE")
        #expect(JournalFieldName.priority.rawValue == "PRIORITY")
        #expect(JournalFieldName.messageID.rawValue == "MESSAGE_ID")
        #expect(JournalFieldName.syslogIdentifier.rawValue == "SYSLOG_IDENTIFIER")
    }
}
