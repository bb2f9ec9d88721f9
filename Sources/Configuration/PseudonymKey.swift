import Glibc

/// The PHI key (DESIGN.md section 8): `pseudonym.key` in the configuration file's folder
/// (`/etc/extravasd/pseudonym.key` for the default file). Under `phi: pseudonymized` it
/// keys the pseudonyms, and under `pseudonymized` and `minimal` the alert ids, so that
/// neither can be reversed by hashing candidate MRNs.
///
/// A key that is missing, shorter than ``minimumBytes``, or readable or writable by
/// anyone but its owner (its mode, or an ACL entry for a group or another user) is a
/// configuration error, placed at the `phi` setting that asks for it. One exception
/// (DESIGN.md section 5): the `review.group` may read it (mode 0640 with that group, or
/// a read-only ACL entry for it), so that on-call staff can look alerts up by MRN with
/// `extravasd alerts --patient`; it may never write it.
public enum PseudonymKey {
    /// The key file's name, in the configuration file's folder.
    public static let fileName = "pseudonym.key"
    /// The fewest bytes a key may have (HMAC-SHA-256's output length).
    public static let minimumBytes = 32
    /// Bytes read at most (a longer file is not a key).
    static let maximumBytes = 4096

    /// The key file of `configuration`: beside its configuration file, else in
    /// `/etc/extravasd`.
    public static func path(for configuration: ExtravasdConfiguration) -> String {
        let source = configuration.sourcePath ?? ConfigurationLoader.defaultPath
        guard let slash = source.lastIndex(of: "/") else { return fileName }
        let folder = source[..<slash]
        return folder.isEmpty ? "/\(fileName)" : "\(folder)/\(fileName)"
    }

    /// The key when the policy needs one (`pseudonymized`, `minimal`), `nil` under
    /// `identifiers`.
    ///
    /// - Throws: ``ConfigurationError`` with one issue at the `phi` setting: the file is
    ///   missing or unreadable, too short, or open to group or others.
    public static func load(for configuration: ExtravasdConfiguration) throws(ConfigurationError) -> [UInt8]?
    {
        guard configuration.phi != .identifiers else { return nil }
        let path = path(for: configuration)
        let policy = "'phi: \(configuration.phi.rawValue)'"
        let create = "create one: head -c \(minimumBytes) /dev/urandom > \(path); chmod 600 \(path)"
        func failure(_ reason: String, _ code: ConfigurationIssue.Code) -> ConfigurationError {
            let place = configuration.phiPlace ?? .none
            return ConfigurationError(issues: [
                ConfigurationIssue(
                    file: configuration.sourcePath ?? path, line: place.line, column: place.column,
                    reason: reason, code: code)
            ])
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let why = String(cString: strerror(errno))
            throw failure(
                "\(policy) needs the key file \(path) (alert ids are keyed with it): \(why); \(create)",
                .unreadableFile)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw failure("\(policy): the key file \(path) is not a regular file; \(create)", .invalidValue)
        }
        let mode = status.st_mode & 0o7777
        let reviewGroup = groupID(named: configuration.review.group)
        if let opening = openingToOthers(
            descriptor, mode: mode, fileGroup: status.st_gid, reviewGroup: reviewGroup)
        {
            throw failure(
                "\(policy): the key file \(path) is \(opening): only its owner may read it, and the "
                    + "review group '\(configuration.review.group)' read-only (chmod 600 \(path), or "
                    + "chgrp \(configuration.review.group) \(path); chmod 640 \(path)); "
                    + "a key others could read is no secret",
                .invalidValue)
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: maximumBytes + 1)
        while bytes.count <= maximumBytes {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw failure(
                    "\(policy): cannot read the key file \(path): \(String(cString: strerror(errno)))",
                    .unreadableFile)
            }
            if count == 0 { break }
            bytes += buffer[0..<count]
        }
        guard bytes.count >= minimumBytes, bytes.count <= maximumBytes else {
            let size = bytes.count > maximumBytes ? "more than \(maximumBytes)" : "\(bytes.count)"
            throw failure(
                "\(policy) needs a key of at least \(minimumBytes) bytes (at most \(maximumBytes)) "
                    + "in \(path), not \(size); \(create)",
                .invalidValue)
        }
        return bytes
    }

    /// How the file is open to anyone but its owner ("mode 0644", "open to a group by
    /// its ACL"), or `nil` when it is not. Read access for `reviewGroup` (the file's group,
    /// or a named ACL group entry) does not count.
    static func openingToOthers(
        _ descriptor: Int32, mode: mode_t, fileGroup: gid_t, reviewGroup: gid_t?
    ) -> String? {
        let modeText = "mode 0" + String(mode, radix: 8)
        func isReviewRead(_ group: gid_t, _ permissions: UInt16) -> Bool {
            reviewGroup == group && permissions & ~UInt16(0o4) & 0o7 == 0
        }
        guard let acl = accessControlList(descriptor) else {
            if mode & 0o007 != 0 { return modeText }
            let group = UInt16((mode >> 3) & 0o7)
            return group == 0 || isReviewRead(fileGroup, group) ? nil : modeText
        }
        // With an ACL, the group bits of the mode are the ACL's mask: look at the entries.
        var mask: UInt16 = 0o7
        var groupClass: UInt16 = 0
        var other: UInt16 = 0
        let owner = geteuid()
        for entry in acl {
            switch entry.tag {
            case 0x10: mask = entry.permissions
            case 0x04 where isReviewRead(fileGroup, entry.permissions): break
            case 0x08 where isReviewRead(entry.id, entry.permissions): break
            case 0x02 where entry.id != owner, 0x04, 0x08: groupClass |= entry.permissions
            case 0x20: other = entry.permissions
            default: break
            }
        }
        if other & 0o7 != 0 { return modeText }
        if groupClass & mask & 0o7 != 0 { return "open to another user or group by its ACL (\(modeText))" }
        return nil
    }

    /// The id of the group named `name`, `nil` when there is none.
    static func groupID(named name: String) -> gid_t? {
        var entry = group()
        var found: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getgrnam_r(name, &entry, &buffer, buffer.count, &found) == 0, let found else { return nil }
        return found.pointee.gr_gid
    }

    /// The entries of the file's POSIX access ACL (`system.posix_acl_access`), `nil` when it
    /// has none: tag, permissions (rwx bits) and the user or group id.
    private static func accessControlList(_ descriptor: Int32) -> [(
        tag: UInt16, permissions: UInt16, id: UInt32
    )]? {
        // Glibc's module map leaves out <sys/xattr.h>: the libc function, found by name.
        typealias GetAttribute =
            @convention(c) (Int32, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int) -> Int
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "fgetxattr") else { return nil }
        let fgetxattr = unsafeBitCast(symbol, to: GetAttribute.self)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let size = buffer.withUnsafeMutableBytes {
            fgetxattr(descriptor, "system.posix_acl_access", $0.baseAddress, $0.count)
        }
        guard size >= 4 else { return nil }
        func number(_ offset: Int, _ width: Int) -> UInt32 {
            (0..<width).reduce(UInt32(0)) { $0 | UInt32(buffer[offset + $1]) << (8 * UInt32($1)) }
        }
        var entries: [(tag: UInt16, permissions: UInt16, id: UInt32)] = []
        var offset = 4
        while offset + 8 <= size {
            entries.append((UInt16(number(offset, 2)), UInt16(number(offset + 2, 2)), number(offset + 4, 4)))
            offset += 8
        }
        return entries
    }
}
