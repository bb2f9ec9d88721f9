/// A validated journald field name such as `MESSAGE` or `EXTRAVASD_ALERT_ID`.
///
/// Journald accepts a field name of 1 to 64 characters drawn from `A`-`Z`, `0`-`9` and `_`,
/// not starting with a digit, and (for fields a client sends) not starting with `_`.
/// A field that breaks these rules is silently dropped by journald, so this type refuses
/// to be created from such a name and throws a ``JournalFieldNameError`` instead.
///
/// Convention: the names extravasd itself uses carry no digits at all, because the
/// `@FIELD@` substitution in journal catalog files only accepts `A`-`Z` and `_`.
/// The validator enforces journald's rule only; use ``isCatalogSubstitutable`` to check
/// the stricter convention (the tests for extravasd's own field names do).
public struct JournalFieldName: Sendable, Hashable, CustomStringConvertible {
    /// The longest field name journald accepts, in bytes.
    public static let maximumLength = 64

    /// `MESSAGE`: the human-readable text of the entry.
    public static let message = JournalFieldName(unchecked: "MESSAGE")
    /// `PRIORITY`: the syslog priority, `0` (emergency) to `7` (debug).
    public static let priority = JournalFieldName(unchecked: "PRIORITY")
    /// `MESSAGE_ID`: a 128-bit id (32 lowercase hex digits) naming the kind of entry.
    public static let messageID = JournalFieldName(unchecked: "MESSAGE_ID")
    /// `SYSLOG_IDENTIFIER`: the program name shown by `journalctl`.
    public static let syslogIdentifier = JournalFieldName(unchecked: "SYSLOG_IDENTIFIER")

    /// The field name, e.g. `"EXTRAVASD_ALERT_ID"`.
    public let rawValue: String

    /// Validates `name` and wraps it.
    ///
    /// - Throws: ``JournalFieldNameError`` naming the rule broken and the name.
    public init(_ name: String) throws(JournalFieldNameError) {
        if let code = Self.validationFailure(name) {
            throw JournalFieldNameError(code: code, name: name)
        }
        self.rawValue = name
    }

    private init(unchecked name: String) {
        self.rawValue = name
    }

    /// Whether `name` is a field name journald accepts from a client.
    public static func isValid(_ name: String) -> Bool {
        validationFailure(name) == nil
    }

    /// Whether this name can be used in a catalog's `@FIELD@` substitution, i.e. it
    /// contains no digits. All field names extravasd sends follow this convention.
    public var isCatalogSubstitutable: Bool {
        !rawValue.utf8.contains { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// The field name itself.
    public var description: String { rawValue }

    /// Whether `scalar` may appear in a field name (`A`-`Z`, `0`-`9`, `_`).
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "0"..."9", "_": true
        default: false
        }
    }

    /// The first rule `name` breaks, or `nil` when it is valid.
    static func validationFailure(_ name: String) -> JournalFieldNameError.Code? {
        guard let first = name.unicodeScalars.first else { return .empty }
        if name.utf8.count > maximumLength { return .tooLong }
        if first == "_" { return .leadingUnderscore }
        if ("0"..."9").contains(first) { return .leadingDigit }
        if !name.unicodeScalars.allSatisfy(isAllowed) { return .invalidCharacter }
        return nil
    }
}
