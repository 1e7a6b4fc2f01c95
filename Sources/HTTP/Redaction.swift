/// Keeps credentials that ride in URLs out of error messages, which end up in CI logs that
/// many people can read.
///
/// Two kinds are removed: the userinfo of `https://user:password@host/` (becoming
/// `https://***@host/`), and the values of query parameters whose names suggest a secret
/// (`?access_token=…`, `?api_key=…`, `?X-Amz-Signature=…`, becoming `=***`). It errs towards
/// hiding: a harmless parameter whose name merely contains such a word is hidden too.
enum Redaction {
    /// Name fragments, compared in lower case, that mark a query parameter as secret.
    static let sensitiveParameterFragments = ["token", "key", "secret", "password", "passwd", "pwd", "sig", "credential", "auth"]

    /// `text` with every `scheme://…` URL in it redacted; the end of a URL is the first space,
    /// quote or angle bracket, as in the messages this module and libcurl write.
    static func redactingURLs(in text: String) -> String {
        // Most messages have no URL; they are returned untouched without being copied.
        guard text.utf8.contains(UInt8(ascii: "@")) || text.utf8.contains(UInt8(ascii: "=")) else { return text }
        let bytes = Array(text.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        var copiedUpTo = 0
        while index + 2 < bytes.count {
            guard bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == UInt8(ascii: "/"),
                bytes[index + 2] == UInt8(ascii: "/")
            else {
                index += 1
                continue
            }
            var start = index
            while start > copiedUpTo, bytes[start - 1].isSchemeCharacter { start -= 1 }
            var end = index + 3
            while end < bytes.count, !bytes[end].endsURLInText { end += 1 }
            result += bytes[copiedUpTo..<start]
            result += redactingURL(bytes[start..<end]).utf8
            copiedUpTo = end
            index = end
        }
        result += bytes[copiedUpTo...]
        return String(decoding: result, as: UTF8.self)
    }

    /// `url` with its userinfo and secret-looking query values redacted. The whole string is
    /// taken as one URL, spaces included, so it suits URLs a caller passed in, malformed or not;
    /// one without `scheme://` is read as `user:password@host/…`, the form libcurl also accepts.
    static func redactingURL(_ url: String) -> String {
        redactingURL(Array(url.utf8)[...])
    }

    private static func redactingURL(_ url: ArraySlice<UInt8>) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(url.count)
        // The authority runs from after "://" (or the start) to the first "/", "?" or "#".
        var authorityStart = url.startIndex
        if let separator = url.firstRange(of: Array("://".utf8)) { authorityStart = separator.upperBound }
        let afterAuthority =
            url[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
            ?? url.endIndex
        result += url[..<authorityStart]
        let authority = url[authorityStart..<afterAuthority]
        // The last "@" ends the userinfo: a password may contain an unencoded "@", a host never.
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
            result += Array("***".utf8)
            result += authority[at...]
        } else {
            result += authority
        }
        let rest = url[afterAuthority...]
        guard let question = rest.firstIndex(of: UInt8(ascii: "?")) else {
            result += rest
            return String(decoding: result, as: UTF8.self)
        }
        result += rest[...question]
        let queryEnd = rest[question...].firstIndex(of: UInt8(ascii: "#")) ?? rest.endIndex
        var parameterStart = question + 1
        while parameterStart <= queryEnd {
            let parameterEnd =
                rest[parameterStart..<queryEnd].firstIndex { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: ";") }
                ?? queryEnd
            let parameter = rest[parameterStart..<parameterEnd]
            if let equals = parameter.firstIndex(of: UInt8(ascii: "=")), isSensitive(name: parameter[..<equals]) {
                result += parameter[...equals]
                result += Array("***".utf8)
            } else {
                result += parameter
            }
            if parameterEnd < queryEnd { result.append(rest[parameterEnd]) }
            parameterStart = parameterEnd + 1
        }
        result += rest[queryEnd...]
        return String(decoding: result, as: UTF8.self)
    }

    private static func isSensitive(name: ArraySlice<UInt8>) -> Bool {
        // Percent-encoded names are rare but cheap to see through: "api%5Fkey" is "api_key".
        let lowered = String(decoding: name, as: UTF8.self).removingPercentEncoding.lowercasedASCII
        return sensitiveParameterFragments.contains { lowered.contains($0) }
    }
}

extension String {
    /// Decodes `%XX` escapes, leaving malformed ones as they are.
    fileprivate var removingPercentEncoding: String {
        let bytes = Array(utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = bytes[index + 1].hexValue, let low = bytes[index + 2].hexValue
            {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }
}

extension UInt8 {
    /// RFC 3986 scheme characters: letters, digits, "+", "-" and ".".
    fileprivate var isSchemeCharacter: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    /// Characters that end a URL quoted in a message.
    fileprivate var endsURLInText: Bool {
        self <= 0x20 || self == UInt8(ascii: "'") || self == UInt8(ascii: "\"") || self == UInt8(ascii: "<")
            || self == UInt8(ascii: ">") || self == UInt8(ascii: "`")
    }

    fileprivate var hexValue: UInt8? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return self - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
