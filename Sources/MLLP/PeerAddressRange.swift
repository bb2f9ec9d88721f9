#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A peer address or a block of them (`mllp.allow`): an IPv4 or IPv6 address
/// (`10.1.2.3`, `::1`), or a CIDR block (`10.1.0.0/16`, `fd00::/8`). An IPv4 peer that
/// connects over an IPv6 socket (`::ffff:10.1.2.3`) is matched as its IPv4 address.
public struct PeerAddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The network's address bytes (4 for IPv4, 16 for IPv6), host bits cleared.
    public let network: [UInt8]
    /// How many leading bits a peer must share with ``network``.
    public let prefixLength: Int

    /// The range `text` names, or `nil` when it is not an address or CIDR block.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let address = Self.addressBytes(String(parts[0])) else {
            return nil
        }
        let bits = address.count * 8
        var length = bits
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(parts[1]),
                value <= bits
            else { return nil }
            length = value
        }
        network = Self.masked(address, prefixLength: length)
        prefixLength = length
    }

    /// `10.1.0.0/16`, or the address alone when the block is one address.
    public var description: String {
        let text = Self.text(of: network)
        return prefixLength == network.count * 8 ? text : "\(text)/\(prefixLength)"
    }

    /// Whether the peer address `text` (as a socket reports it) is in the range.
    public func contains(_ text: String) -> Bool {
        guard let address = Self.addressBytes(text), address.count == network.count else { return false }
        return Self.masked(address, prefixLength: prefixLength) == network
    }

    /// The loopback blocks, `127.0.0.0/8` and `::1`.
    public static let loopback: [PeerAddressRange] = [
        PeerAddressRange("127.0.0.0/8")!, PeerAddressRange("::1")!,
    ]

    /// Whether the host `text` is a loopback address (`localhost` included).
    public static func isLoopback(_ text: String) -> Bool {
        text == "localhost" || loopback.contains { $0.contains(text) }
    }

    /// The bytes of an IPv4 or IPv6 address (an IPv4-mapped IPv6 address as IPv4).
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = [UInt8](repeating: 0, count: 4)
        if v4.withUnsafeMutableBytes({ inet_pton(AF_INET, text, $0.baseAddress) }) == 1 { return v4 }
        var v6 = [UInt8](repeating: 0, count: 16)
        guard v6.withUnsafeMutableBytes({ inet_pton(AF_INET6, text, $0.baseAddress) }) == 1 else {
            return nil
        }
        if v6.prefix(10).allSatisfy({ $0 == 0 }) && v6[10] == 0xFF && v6[11] == 0xFF {
            return Array(v6.suffix(4))
        }
        return v6
    }

    private static func masked(_ address: [UInt8], prefixLength: Int) -> [UInt8] {
        address.enumerated().map { index, byte in
            let kept = min(8, max(0, prefixLength - index * 8))
            return kept == 0 ? 0 : byte & UInt8(truncatingIfNeeded: 0xFF << (8 - kept))
        }
    }

    private static func text(of address: [UInt8]) -> String {
        if address.count == 4 { return address.map(String.init).joined(separator: ".") }
        var buffer = [CChar](repeating: 0, count: 64)
        _ = address.withUnsafeBytes { bytes in
            inet_ntop(AF_INET6, bytes.baseAddress, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
