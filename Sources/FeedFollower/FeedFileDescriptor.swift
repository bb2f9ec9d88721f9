import Glibc

/// What `fstat(2)` says about an open feed file.
struct FeedFileStatus: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int
    var links: Int
    var isRegular: Bool
    var isSymlink: Bool
    /// Modification time, nanoseconds since the epoch.
    var modified: Int

    init(_ info: stat) {
        isSymlink = (info.st_mode & S_IFMT) == S_IFLNK
        modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int(info.st_size)
        links = Int(info.st_nlink)
        isRegular = (info.st_mode & S_IFMT) == S_IFREG
    }
}

/// An open feed file, read with `pread(2)` at explicit offsets; closed when released.
///
/// Holding the descriptor keeps a renamed or deleted file readable to its end, and
/// keeps its inode from being reused while it is followed.
final class FeedFileDescriptor {
    let descriptor: Int32

    /// Opens `path` read-only (non-blocking, so a FIFO matching a pattern cannot hang the
    /// follower), with `O_NOFOLLOW` unless `followSymlinks` (a link then fails with a
    /// ``FollowerError/Code/symlink`` error).
    init(path: String, followSymlinks: Bool = false) throws(FollowerError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followSymlinks ? 0 : O_NOFOLLOW))
        guard descriptor >= 0 else {
            let number = errno
            throw FollowerError(code: number == ELOOP ? .symlink : .open, path: path, errorNumber: number)
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The file's current status.
    func status(path: String) throws(FollowerError) -> FeedFileStatus {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw FollowerError(code: .stat, path: path, errorNumber: errno)
        }
        return FeedFileStatus(info)
    }

    /// Reads up to `buffer.count` bytes at `offset`; 0 at end of file.
    func read(at offset: Int, into buffer: inout [UInt8], path: String) throws(FollowerError) -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress, $0.count, off_t(offset))
            }
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw FollowerError(code: .read, path: path, errorNumber: errno)
        }
    }

    /// The bytes in `range`, fewer when the file ends first.
    func bytes(in range: Range<Int>, path: String) throws(FollowerError) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(range.count)
        var buffer = [UInt8](repeating: 0, count: min(range.count, 64 * 1024))
        var offset = range.lowerBound
        while offset < range.upperBound {
            let want = min(buffer.count, range.upperBound - offset)
            if want < buffer.count { buffer.removeLast(buffer.count - want) }
            let count = try read(at: offset, into: &buffer, path: path)
            guard count > 0 else { break }
            result.append(contentsOf: buffer[0..<count])
            offset += count
        }
        return result
    }
}
