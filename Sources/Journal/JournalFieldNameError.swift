/// Why a string is not a valid journald field name, together with the offending name.
///
/// Journald silently drops a field whose name breaks its rules, so invalid names are
/// rejected before anything is sent.
public struct JournalFieldNameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule a field name broke.
    public enum Code: String, Sendable, Hashable {
        /// The name is empty.
        case empty
        /// The name is longer than ``JournalFieldName/maximumLength`` (64) bytes.
        case tooLong
        /// The name starts with `_`; such names are reserved for fields journald adds itself.
        case leadingUnderscore
        /// The name starts with a digit.
        case leadingDigit
        /// The name contains a character other than `A`-`Z`, `0`-`9` and `_`.
        case invalidCharacter
    }

    /// The rule that was broken.
    public let code: Code
    /// The rejected name, exactly as given.
    public let name: String

    /// Creates an error for `name` breaking the rule `code`.
    public init(code: Code, name: String) {
        self.code = code
        self.name = name
    }

    /// A one-line explanation naming the offending field name.
    public var description: String {
        let reason: String
        switch code {
        case .empty:
            reason = "it is empty"
        case .tooLong:
            reason =
                "it is \(name.utf8.count) bytes long; at most \(JournalFieldName.maximumLength) are allowed"
        case .leadingUnderscore:
            reason = "it starts with '_', which is reserved for fields journald adds itself"
        case .leadingDigit:
            reason = "it starts with a digit"
        case .invalidCharacter:
            let bad = name.unicodeScalars.first { !JournalFieldName.isAllowed($0) }.map { " '\($0)'" } ?? ""
            reason = "it contains\(bad); only A-Z, 0-9 and _ are allowed"
        }
        return "invalid journal field name \"\(name)\" (\(code.rawValue)): \(reason)"
    }
}
