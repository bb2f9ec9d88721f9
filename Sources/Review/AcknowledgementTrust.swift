#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Whose acknowledgements count (DESIGN.md section 5): one written by root, or by a
/// member of `review.group` (its primary group or a listed member), stops a reminder and
/// applies suppression; any other is shown as untrusted and changes nothing.
///
/// The writer is journald's trusted `_UID`, which no sender can set. Membership is read
/// from the system's group and user databases (`getgrnam_r`, `getpwuid_r`) when the
/// trust is created; a group that does not exist trusts root only.
public struct AcknowledgementTrust: Sendable, Hashable {
    /// The group named (`review.group`).
    public let group: String
    /// Its id, when it exists.
    public let groupID: UInt32?
    /// Its listed members' user names.
    public let members: Set<String>

    /// Reads `group` from the group database.
    public init(group: String) {
        self.group = group
        var entry = group_struct()
        var found: UnsafeMutablePointer<group_struct>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        let status = getgrnam_r(group, &entry, &buffer, buffer.count, &found)
        guard status == 0, let found else {
            groupID = nil
            members = []
            return
        }
        groupID = found.pointee.gr_gid
        var names: Set<String> = []
        if var member = found.pointee.gr_mem {
            while let name = member.pointee {
                names.insert(String(cString: name))
                member += 1
            }
        }
        members = names
    }

    /// A trust with its members given (tests).
    public init(group: String, groupID: UInt32?, members: Set<String>) {
        self.group = group
        self.groupID = groupID
        self.members = members
    }

    /// Whether an acknowledgement written by `uid` counts: root, or a user whose
    /// primary group is the review group or who is listed as its member. `nil` (no
    /// `_UID`: not written through journald's socket) never counts.
    public func trusts(uid: UInt32?) -> Bool {
        guard let uid else { return false }
        if uid == 0 { return true }
        guard let groupID else { return false }
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &found) == 0, let found else { return false }
        if found.pointee.pw_gid == groupID { return true }
        return members.contains(String(cString: found.pointee.pw_name))
    }
}

#if canImport(Glibc) || canImport(Musl)
    /// Glibc's `struct group` (named so as not to clash with Swift's `group` labels).
    typealias group_struct = group
#endif
