#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The database file and its WAL companions on disk: created and kept at mode 0600
/// (the state holds patient identifiers), whatever the umask.
///
/// SQLite holds POSIX advisory locks on these files, and closing *any* descriptor of a
/// file in this process drops them. So an existing file is never opened here: its mode
/// is changed by path. Only a file this call creates (`O_EXCL`) is opened, before SQLite.
enum StoreFile {
    /// The permissions of the database and its `-wal` and `-shm` files.
    static let mode: mode_t = 0o600

    /// Makes sure the database file exists as a regular file of mode 0600: creates it
    /// (with `open(2)`, `O_CREAT | O_EXCL | O_NOFOLLOW`, mode 0600, then syncs the
    /// directory) or tightens the mode of the existing one.
    ///
    /// - Throws: ``StateStoreError`` with ``StateStoreError/Code/fileSystem`` or
    ///   ``StateStoreError/Code/notARegularFile``.
    static func prepareDatabase(at path: String, directory: String) throws {
        if try secureExisting(path) { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        if fd < 0 {
            let code = errno
            // Created by someone else in the meantime: treat it as existing.
            if code == EEXIST, try secureExisting(path) { return }
            throw failure("open(O_CREAT | O_EXCL)", path, code)
        }
        defer { close(fd) }
        // A umask may have removed bits of 0600 (never added any): give them back. SQLite
        // creates `-wal` and `-shm` with the database file's mode.
        var created = stat()
        if fstat(fd, &created) == 0, created.st_mode & 0o7777 != mode, fchmod(fd, mode) != 0 {
            throw failure("fchmod", path, errno)
        }
        if fsync(fd) != 0 { throw failure("fsync", path, errno) }
        try syncDirectory(directory)
    }

    /// Sets mode 0600 on the `-wal` and `-shm` files of `path` that exist; returns
    /// whether both exist (and are now mode 0600).
    ///
    /// - Throws: ``StateStoreError`` when one is not a regular file or `chmod` fails.
    @discardableResult
    static func secureCompanions(of path: String) throws -> Bool {
        var both = true
        for suffix in ["-wal", "-shm"] {
            if try !secureExisting(path + suffix) { both = false }
        }
        return both
    }

    /// Sets mode 0600 on `path` when it exists; returns whether it exists.
    private static func secureExisting(_ path: String) throws -> Bool {
        var status = stat()
        if lstat(path, &status) != 0 {
            let code = errno
            if code == ENOENT { return false }
            throw failure("lstat", path, code)
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw StateStoreError(
                code: .notARegularFile, step: "lstat", file: path,
                reason: "not a regular file (a symbolic link, directory or device is refused)")
        }
        if status.st_mode & 0o7777 != mode, chmod(path, mode) != 0 {
            throw failure("chmod 0600", path, errno)
        }
        return true
    }

    /// Makes the new directory entry durable.
    static func syncDirectory(_ directory: String) throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw failure("open(O_DIRECTORY)", directory, errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw failure("fsync", directory, errno) }
    }

    private static func failure(_ step: String, _ path: String, _ code: Int32) -> StateStoreError {
        StateStoreError(
            code: .fileSystem, step: step, file: path, reason: String(cString: strerror(code)), errno: code)
    }
}
