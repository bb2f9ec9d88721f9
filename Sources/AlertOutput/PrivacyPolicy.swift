import Crypto

/// The PHI policy applied to every output (DESIGN.md section 8): `identifiers` shows
/// the MRN, visit and location (never names or birth dates); `pseudonymized` replaces
/// them with a keyed HMAC; `minimal` keeps only the location: no MRN, visit, order
/// number or control id (MSH-10) in any field or sentence.
public struct PrivacyPolicy: Sendable, Hashable {
    /// The three policies.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        case identifiers, pseudonymized, minimal
    }

    /// Which policy.
    public var mode: Mode
    /// The HMAC key (pseudonymized only).
    public var key: [UInt8]?

    /// Creates a policy; `pseudonymized` needs a key.
    public init(mode: Mode, key: [UInt8]? = nil) {
        precondition(mode != .pseudonymized || key != nil, "pseudonymized output needs a key")
        self.mode = mode
        self.key = key
    }

    /// The default: identifiers.
    public static let identifiers = PrivacyPolicy(mode: .identifiers)

    /// A pseudonym: `p-` and the first 16 hex digits of HMAC-SHA-256(key, kind|value)
    /// (swift-crypto).
    func pseudonym(_ value: String, kind: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Array("\(kind)|\(value)".utf8), using: SymmetricKey(data: key ?? []))
        return "p-" + code.prefix(8).map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The patient identifier as the policy lets it out, or `nil`.
    public func patient(_ value: String?) -> String? {
        guard let value else { return nil }
        switch mode {
        case .identifiers: return value
        case .pseudonymized: return pseudonym(value, kind: "patient")
        case .minimal: return nil
        }
    }

    /// The visit number as the policy lets it out, or `nil`.
    public func visit(_ value: String?) -> String? {
        guard let value else { return nil }
        switch mode {
        case .identifiers: return value
        case .pseudonymized: return pseudonym(value, kind: "visit")
        case .minimal: return nil
        }
    }

    /// The order number (ORC-2/ORC-3) as the policy lets it out, or `nil` (`minimal`).
    public func order(_ value: String?) -> String? {
        mode == .minimal ? nil : value
    }

    /// The control id (MSH-10) as the policy lets it out, or `nil` (`minimal`).
    public func controlID(_ value: String?) -> String? {
        mode == .minimal ? nil : value
    }

    /// The location as the policy lets it out, or `nil`.
    public func location(_ value: String?) -> String? {
        guard let value else { return nil }
        switch mode {
        case .identifiers, .minimal: return value
        case .pseudonymized: return pseudonym(value, kind: "location")
        }
    }
}
