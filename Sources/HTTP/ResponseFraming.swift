/// Finds where one HTTP/1.1 response ends in the bytes a plain connection receives, and keeps
/// what a latency figure needs of it: the status, and whether the connection may carry the next
/// request. The body is counted and dropped.
///
/// The bytes come from a server gantry does not control, so each phase has a bound: the header
/// section (interim responses and trailers included) at `maximumHeaderSize` and
/// `maximumHeaderFields`, a chunk-size line at `maximumChunkLineSize`, a chunk size at what an
/// `Int` holds, and the body at `maximumBodySize`, past which the response counts as received
/// and the connection is dropped, as libcurl stops a body at the cap.
struct ResponseFraming {
    /// Where the response stands after the bytes given so far.
    enum Progress: Equatable {
        case needsMore
        /// The response ended; `reusable` when the connection may carry another request.
        case complete(status: Int, reusable: Bool)
        case failed(Failure)
    }

    /// Why the bytes are not a usable response.
    enum Failure: Equatable {
        /// The first bytes do not start like an HTTP/1 status line.
        case notHTTP
        /// A line or value that breaks HTTP/1.1, said in a few words.
        case malformed(String)
        case headerSectionTooLarge
        case tooManyHeaderFields
        case closedWithoutResponse
        case closedInHeaderSection
        case closedInBody
    }

    /// More header fields than any server needs, as libcurl's own limit on the section size
    /// bounds the lines it accepts; a section of one-byte fields would otherwise be 20,000 of them.
    static let maximumHeaderFields = 1000
    /// A chunk-size line with extensions longer than this is refused.
    static let maximumChunkLineSize = 4096

    private enum Phase {
        case statusLine, headerFields, trailers
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkEnd
        case untilClose
    }

    private let isHead: Bool
    private let maximumHeaderSize: Int
    private let maximumBodySize: Int
    private var phase = Phase.statusLine
    private(set) var hasReceivedAnything = false
    private var headerSectionSize = 0
    private var fieldCount = 0
    private var bodySize = 0
    private var status = 0
    private var isHTTP10 = false
    private var contentLength: Int?
    private var hasTransferEncoding = false
    private var isChunked = false
    private var asksToClose = false
    private var asksToKeepAlive = false
    /// How much of an unfinished line has been searched for its line break: `read` is given the
    /// line again with more bytes, and searching it from its start each time would cost the
    /// square of its length when a server sends it a byte at a time.
    private var searchedLineLength = 0

    init(isHead: Bool, maximumHeaderSize: Int, maximumBodySize: Int) {
        self.isHead = isHead
        self.maximumHeaderSize = maximumHeaderSize
        self.maximumBodySize = maximumBodySize
    }

    /// Reads what it can of `bytes` and says how many it used: all of them unless the response
    /// ended inside them (the rest is not part of it) or a line is incomplete (the caller keeps
    /// the rest and gives it again with more).
    mutating func read(_ bytes: UnsafeRawBufferPointer) -> (used: Int, progress: Progress) {
        if !bytes.isEmpty { hasReceivedAnything = true }
        var index = 0
        // Every turn uses at least one byte or returns, so the loop ends within `bytes.count` turns.
        while true {
            switch phase {
            case .statusLine, .headerFields, .trailers:
                if case .statusLine = phase, !Self.startsLikeHTTP(bytes[index...]) { return (index, .failed(.notHTTP)) }
                guard let (line, next) = nextLine(in: bytes, from: index) else {
                    let progress: Progress =
                        headerSectionSize + bytes.count - index > maximumHeaderSize ? .failed(.headerSectionTooLarge) : .needsMore
                    return (index, progress)
                }
                headerSectionSize += next - index
                index = next
                guard headerSectionSize <= maximumHeaderSize else { return (index, .failed(.headerSectionTooLarge)) }
                if let ended = readHeaderLine(line) { return (index, ended) }
            case .fixedBody(let remaining):
                let taken = min(remaining, bytes.count - index)
                index += taken
                if let ended = countBody(taken) { return (index, ended) }
                guard remaining > taken else { return (index, finished(reusable: true)) }
                phase = .fixedBody(remaining: remaining - taken)
                return (index, .needsMore)
            case .chunkSize:
                guard let (line, next) = nextLine(in: bytes, from: index) else {
                    let tooLong = bytes.count - index > Self.maximumChunkLineSize
                    return (index, tooLong ? .failed(.malformed("a chunk-size line is too long")) : .needsMore)
                }
                index = next
                guard let size = Self.chunkSize(in: line) else {
                    return (index, .failed(.malformed("invalid chunk size '\(Self.excerpt(line))'")))
                }
                guard size >= 0 else { return (index, .failed(.malformed("a chunk size overflows"))) }
                phase = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let taken = min(remaining, bytes.count - index)
                index += taken
                if let ended = countBody(taken) { return (index, ended) }
                guard remaining > taken else {
                    phase = .chunkEnd
                    continue
                }
                phase = .chunkData(remaining: remaining - taken)
                return (index, .needsMore)
            case .chunkEnd:
                guard let (line, next) = nextLine(in: bytes, from: index) else {
                    // Only a line break may follow a chunk's data.
                    let tooLong = bytes.count - index > 1
                    return (index, tooLong ? .failed(.malformed("a chunk is longer than its size")) : .needsMore)
                }
                index = next
                guard line.isEmpty else { return (index, .failed(.malformed("a chunk is longer than its size"))) }
                phase = .chunkSize
            case .untilClose:
                let taken = bytes.count - index
                if let ended = countBody(taken) { return (bytes.count, ended) }
                return (bytes.count, .needsMore)
            }
        }
    }

    /// What the server closing the connection means at this point.
    func readEndOfStream() -> Progress {
        switch phase {
        case .untilClose: .complete(status: status, reusable: false)
        case .statusLine where !hasReceivedAnything: .failed(.closedWithoutResponse)
        case .statusLine, .headerFields: .failed(.closedInHeaderSection)
        case .trailers, .fixedBody, .chunkSize, .chunkData, .chunkEnd: .failed(.closedInBody)
        }
    }

    /// Takes one line of the header section (the status line, a field, the blank line that
    /// ends it, or a trailer); returns how the response ended if it did.
    private mutating func readHeaderLine(_ line: UnsafeRawBufferPointer) -> Progress? {
        switch phase {
        case .statusLine:
            guard let (code, isOldVersion) = Self.status(inStatusLine: line) else {
                return .failed(.malformed("invalid status line '\(Self.excerpt(line))'"))
            }
            status = code
            isHTTP10 = isOldVersion
            phase = .headerFields
            return nil
        case .trailers:
            guard line.isEmpty else { return countField() }
            return finished(reusable: true)
        default:
            guard line.isEmpty else {
                if let failure = countField() { return failure }
                return readField(line)
            }
            return endHeaderSection()
        }
    }

    private mutating func countField() -> Progress? {
        fieldCount += 1
        return fieldCount > Self.maximumHeaderFields ? .failed(.tooManyHeaderFields) : nil
    }

    /// Notes the fields that frame the body or decide the connection's reuse; lines that are not
    /// fields (no colon, an obsolete folded continuation) are skipped, as libcurl skips them.
    /// Only those fields' values are looked at, byte by byte: the others cost no string.
    private mutating func readField(_ line: UnsafeRawBufferPointer) -> Progress? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0, !line[0].isBlank else { return nil }
        let name = line[..<colon]
        // Most fields are none of the three: their first letter tells at once.
        let initial = line[0] | 0x20
        guard initial == UInt8(ascii: "c") || initial == UInt8(ascii: "t") else { return nil }
        let value = Self.trimmed(line[(colon + 1)...])
        if Self.is(name, "content-length") {
            guard let length = Self.decimal(value) else {
                return .failed(.malformed("invalid Content-Length '\(Self.excerpt(UnsafeRawBufferPointer(rebasing: value)))'"))
            }
            if let earlier = contentLength, earlier != length { return .failed(.malformed("conflicting Content-Length values")) }
            contentLength = length
        } else if Self.is(name, "transfer-encoding") {
            // The last coding decides: only a body whose outermost coding is chunked ends by itself.
            let last = value.lastIndex(of: UInt8(ascii: ",")).map { value[($0 + 1)...] } ?? value
            isChunked = Self.is(Self.trimmed(last), "chunked")
            hasTransferEncoding = true
        } else if Self.is(name, "connection") {
            var rest = value
            // Each turn drops a comma-separated option, so at most the value's length turns.
            while !rest.isEmpty {
                let comma = rest.firstIndex(of: UInt8(ascii: ",")) ?? rest.endIndex
                let option = Self.trimmed(rest[..<comma])
                if Self.is(option, "close") { asksToClose = true }
                if Self.is(option, "keep-alive") { asksToKeepAlive = true }
                rest = comma == rest.endIndex ? rest[comma...] : rest[(comma + 1)...]
            }
        }
        return nil
    }

    /// Decides how the body is framed once the header section has ended (RFC 9112, 6.3).
    private mutating func endHeaderSection() -> Progress? {
        if (100...199).contains(status), status != 101 {
            // An interim response ("100 Continue", "103 Early Hints"): the final one follows,
            // its header lines still counted against the same limit.
            (contentLength, hasTransferEncoding, isChunked, asksToClose, asksToKeepAlive) = (nil, false, false, false, false)
            phase = .statusLine
            return nil
        }
        if isHead || status == 101 || status == 204 || status == 304 { return finished(reusable: status != 101) }
        if hasTransferEncoding {
            // A chunked body with a Content-Length beside it may have been smuggled past a proxy:
            // it is read as chunked, and the connection is not trusted again.
            if isChunked {
                if contentLength != nil { asksToClose = true }
                phase = .chunkSize
            } else {
                phase = .untilClose
            }
            return nil
        }
        guard let contentLength else {
            phase = .untilClose
            return nil
        }
        if contentLength == 0 { return finished(reusable: true) }
        phase = .fixedBody(remaining: contentLength)
        return nil
    }

    /// Counts body bytes; past the cap the response counts as received and the rest is not read.
    private mutating func countBody(_ count: Int) -> Progress? {
        bodySize += count
        return bodySize > maximumBodySize ? .complete(status: status, reusable: false) : nil
    }

    private func finished(reusable: Bool) -> Progress {
        let keepsAlive = isHTTP10 ? asksToKeepAlive && !asksToClose : !asksToClose
        return .complete(status: status, reusable: reusable && keepsAlive)
    }

    // MARK: Lines

    /// The line starting at `start` without its line break (CRLF, or a bare LF as libcurl
    /// accepts), and where the next one starts; nil while the line break has not arrived.
    private mutating func nextLine(in bytes: UnsafeRawBufferPointer, from start: Int) -> (UnsafeRawBufferPointer, next: Int)? {
        guard let newline = bytes[min(start + searchedLineLength, bytes.count)...].firstIndex(of: 0x0A) else {
            searchedLineLength = bytes.count - start
            return nil
        }
        searchedLineLength = 0
        let end = newline > start && bytes[newline - 1] == 0x0D ? newline - 1 : newline
        return (UnsafeRawBufferPointer(rebasing: bytes[start..<end]), newline + 1)
    }

    /// Whether what has arrived of a status line can still become "HTTP/".
    private static func startsLikeHTTP(_ bytes: Slice<UnsafeRawBufferPointer>) -> Bool {
        zip(bytes, "HTTP/".utf8).allSatisfy { $0 == $1 }
    }

    /// The code of "HTTP/1.1 200 OK" or "HTTP/1.0 204", and whether the version is 1.0; nil for
    /// anything else.
    private static func status(inStatusLine line: UnsafeRawBufferPointer) -> (Int, isHTTP10: Bool)? {
        guard line.count >= 12, line.starts(with: "HTTP/1.".utf8), line[7].isDigit, line[8] == 0x20,
            line[9].isDigit, line[10].isDigit, line[11].isDigit, line.count == 12 || line[12] == 0x20
        else { return nil }
        let code = line[9...11].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return (code, line[7] == UInt8(ascii: "0"))
    }

    /// The hexadecimal size at the start of a chunk-size line (extensions after `;` ignored);
    /// -1 when it overflows, nil when it is not a number.
    private static func chunkSize(in line: UnsafeRawBufferPointer) -> Int? {
        var size = 0
        var digits = 0
        for byte in line {
            guard let digit = byte.hexadecimalValue else {
                guard byte == UInt8(ascii: ";") || byte.isBlank else { return nil }
                break
            }
            guard size <= (Int.max - digit) >> 4 else { return -1 }
            size = size << 4 | digit
            digits += 1
        }
        return digits > 0 ? size : nil
    }

    /// Whether `bytes` are `lowercased`, ignoring ASCII case.
    private static func `is`(_ bytes: Slice<UnsafeRawBufferPointer>, _ lowercased: StaticString) -> Bool {
        let expected = UnsafeRawBufferPointer(start: lowercased.utf8Start, count: lowercased.utf8CodeUnitCount)
        return bytes.count == expected.count && zip(bytes, expected).allSatisfy { ($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) == $1 }
    }

    /// `bytes` without the blanks around them.
    private static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        guard let first = bytes.firstIndex(where: { !$0.isBlank }), let last = bytes.lastIndex(where: { !$0.isBlank }) else {
            return bytes[bytes.endIndex...]
        }
        return bytes[first...last]
    }

    /// A whole decimal number that fits an `Int`; nil for anything else.
    private static func decimal(_ bytes: Slice<UnsafeRawBufferPointer>) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for byte in bytes {
            guard byte.isDigit, value <= (Int.max - Int(byte - 0x30)) / 10 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// The start of a line for a message, its control characters shown as `?`.
    private static func excerpt(_ line: UnsafeRawBufferPointer) -> String {
        String(decoding: line.prefix(60).map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: "?") : $0 }, as: UTF8.self)
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { self >= 0x30 && self <= 0x39 }
    fileprivate var isBlank: Bool { self == 0x20 || self == 0x09 }
    fileprivate var hexadecimalValue: Int? {
        switch self {
        case 0x30...0x39: Int(self - 0x30)
        case 0x41...0x46: Int(self - 0x41 + 10)
        case 0x61...0x66: Int(self - 0x61 + 10)
        default: nil
        }
    }
}
