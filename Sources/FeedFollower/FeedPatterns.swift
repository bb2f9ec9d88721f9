import Glibc

/// The glob patterns of the feed files: expanding them, the folders to watch, and
/// whether a path matches.
struct FeedPatterns: Sendable {
    /// The patterns as configured.
    let patterns: [String]

    /// Whether `pattern` holds a glob metacharacter.
    static func hasMetacharacters(_ text: String) -> Bool {
        text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// The folder part of a path or pattern (`.` for a bare name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// The path of entry `name` in `folder`, as glob(3) spells it (`.` is left out).
    static func path(_ name: String, in folder: String) -> String {
        switch folder {
        case ".": return name
        case "/": return "/" + name
        default: return folder + "/" + name
        }
    }

    /// Every existing regular file the patterns match, each once, in pattern then name
    /// order. `complete` is `false` when a folder could not be read (too many open files,
    /// no permission...): a file missing from such a scan may still be there.
    /// Symbolic links are left out (and listed in `symlinks`) unless `followSymlinks`.
    func expand(followSymlinks: Bool, errors: inout [FollowerError], symlinks: inout [String]) -> PatternScan
    {
        var seen = Set<String>()
        var scan = PatternScan()
        for pattern in patterns {
            let (paths, complete) = Self.candidates(pattern, errors: &errors)
            if !complete { scan.complete = false }
            for path in paths where seen.insert(path).inserted {
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                if (info.st_mode & S_IFMT) == S_IFLNK {
                    guard followSymlinks else {
                        symlinks.append(path)
                        continue
                    }
                    guard stat(path, &info) == 0 else { continue }
                }
                guard (info.st_mode & S_IFMT) == S_IFREG else { continue }
                scan.files.append(FoundFile(path: path, status: FeedFileStatus(info)))
            }
        }
        return scan
    }

    /// The paths `pattern` may name, sorted, and whether the folders were all read.
    /// A pattern whose folder part is literal is matched against the folder's entries
    /// (`opendir`, `fnmatch`); others go through glob(3) with `GLOB_ERR`.
    static func candidates(_ pattern: String, errors: inout [FollowerError]) -> (
        paths: [String], complete: Bool
    ) {
        guard hasMetacharacters(pattern) else { return ([pattern], true) }
        let folder = directory(of: pattern)
        if hasMetacharacters(folder) {
            var result = glob_t()
            defer { globfree(&result) }
            let status = Glibc.glob(pattern, GLOB_ERR, nil, &result)
            let number = errno
            if status == GLOB_NOMATCH { return ([], true) }
            guard status == 0 else {
                if status == GLOB_ABORTED && (number == ENOENT || number == ENOTDIR) { return ([], true) }
                errors.append(
                    FollowerError(
                        code: .glob, path: pattern,
                        errorNumber: status == GLOB_NOSPACE ? ENOMEM : (number != 0 ? number : EIO)))
                return ([], false)
            }
            var paths: [String] = []
            for index in 0..<Int(result.gl_pathc) {
                if let entry = result.gl_pathv[index] { paths.append(String(cString: entry)) }
            }
            return (paths, true)
        }
        guard let handle = opendir(folder) else {
            let number = errno
            if number == ENOENT || number == ENOTDIR { return ([], true) }
            errors.append(FollowerError(code: .glob, path: pattern, errorNumber: number))
            return ([], false)
        }
        defer { closedir(handle) }
        var paths: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(
                    to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)
                ) {
                    String(cString: $0)
                }
            }
            guard name != "." && name != ".." else { continue }
            let path = Self.path(name, in: folder)
            if fnmatch(pattern, path, FNM_PATHNAME | FNM_PERIOD) == 0 { paths.append(path) }
        }
        paths.sort()
        return (paths, true)
    }

    /// The folders the patterns' files live in: a literal folder part as written (watching
    /// it fails while it does not exist), a folder part with metacharacters expanded to the
    /// existing folders it matches.
    func directories(errors: inout [FollowerError]) -> [String] {
        var seen = Set<String>()
        var folders: [String] = []
        for pattern in patterns {
            let folder = Self.directory(of: pattern)
            guard Self.hasMetacharacters(folder) else {
                if seen.insert(folder).inserted { folders.append(folder) }
                continue
            }
            for candidate in Self.glob(folder, errors: &errors) where seen.insert(candidate).inserted {
                var info = stat()
                guard stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { continue }
                folders.append(candidate)
            }
        }
        return folders
    }

    /// Whether `path` matches one of the patterns (as glob(3) would match it).
    func matches(_ path: String) -> Bool {
        patterns.contains { fnmatch($0, path, FNM_PATHNAME | FNM_PERIOD) == 0 }
    }

    /// The paths glob(3) expands `pattern` to, sorted; none when nothing matches.
    static func glob(_ pattern: String, errors: inout [FollowerError]) -> [String] {
        guard hasMetacharacters(pattern) else { return [pattern] }
        var result = glob_t()
        defer { globfree(&result) }
        let status = Glibc.glob(pattern, 0, nil, &result)
        guard status == 0 else {
            if status != GLOB_NOMATCH {
                errors.append(
                    FollowerError(
                        code: .glob, path: pattern, errorNumber: status == GLOB_NOSPACE ? ENOMEM : EIO))
            }
            return []
        }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let entry = result.gl_pathv[index] { paths.append(String(cString: entry)) }
        }
        return paths
    }
}

/// A file a pattern scan found, with what `stat` said of it.
struct FoundFile {
    var path: String
    var status: FeedFileStatus
    var key: FileKey { FileKey(status) }
}

/// What a scan of the patterns found.
struct PatternScan {
    /// The regular files, in pattern then name order.
    var files: [FoundFile] = []
    /// Whether every folder was read: only then does a file missing from it mean that
    /// the file is gone from its path.
    var complete = true
}
