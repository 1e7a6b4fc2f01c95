/// The rules of an OCI image name (a repository, without a tag or digest), as registries enforce them.
enum ImageName {
    /// What is wrong with `name` in words that complete "`image` …", or nil when it is valid.
    static func problem(with name: String) -> String? {
        guard name.utf8.count <= 255 else { return "must be at most 255 characters" }
        var components = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if components.count > 1, let first = components.first, isRegistryHost(first) {
            components.removeFirst()
        }
        for component in components where !isPathComponent(component) {
            if component.isEmpty { return "must not have an empty path component (a doubled or trailing '/')" }
            if component.contains(":") || component.contains("@") {
                return "must not carry a tag or digest: gantry computes the tags"
            }
            return "must be lowercase letters, digits and separators ('.', '_', '__', '-') between them"
        }
        return nil
    }

    /// A first component with a '.' or ':' or equal to "localhost" is a registry host, as Docker decides.
    private static func isRegistryHost(_ component: String) -> Bool {
        guard component.contains(".") || component.contains(":") || component == "localhost" else { return false }
        let parts = component.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let host = parts[0]
        let hostValid = !host.isEmpty && host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
        let portValid = parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy { $0.isASCII && $0.isNumber })
        return hostValid && portValid
    }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
    private static func isPathComponent(_ component: String) -> Bool {
        let bytes = Array(component.utf8)
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else {
            return false
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if isAlphanumeric(byte) {
                index += 1
                continue
            }
            var end = index
            while end < bytes.count, !isAlphanumeric(bytes[end]) { end += 1 }
            let separator = bytes[index..<end]
            let allowed =
                separator.elementsEqual([UInt8(ascii: ".")]) || separator.elementsEqual([UInt8(ascii: "_")])
                || separator.elementsEqual([UInt8(ascii: "_"), UInt8(ascii: "_")])
                || separator.allSatisfy { $0 == UInt8(ascii: "-") }
            guard allowed else { return false }
            index = end
        }
        return true
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

/// The rules of a path inside the repository as gantry passes it on (build contexts, Dockerfiles):
/// relative, without `.` or `..` components, and made of characters no shell treats specially,
/// because workflows put these values into `run:` scripts through the `matrix` output.
enum RepositoryPath {
    /// What is wrong with `path` in words that complete "`field` …", or nil when it is valid.
    /// `allowsRoot` accepts "." (the repository root itself), as a build context may be.
    static func problem(with path: String, allowsRoot: Bool) -> String? {
        if allowsRoot && path == "." { return nil }
        guard !path.hasPrefix("/") else { return "must be relative to the repository root, without a leading '/'" }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            return "must be a plain path inside the repository: no '.' or '..' components and no empty ones"
        }
        let allowed = path.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-", "/", "@", "+": true
            default: false
            }
        }
        return allowed ? nil : "must use only letters, digits and . _ - / @ + (workflows pass it to shell commands)"
    }
}
