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

    /// Every existing regular file the patterns match, each once, in pattern then name order.
    func expand(errors: inout [FollowerError]) -> [String] {
        var seen = Set<String>()
        var paths: [String] = []
        for pattern in patterns {
            for path in Self.glob(pattern, errors: &errors) where seen.insert(path).inserted {
                var info = stat()
                guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                paths.append(path)
            }
        }
        return paths
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
