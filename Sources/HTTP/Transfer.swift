internal import CCurl

/// The Swift side of one exchange on one easy handle: what the request asked for, what has been
/// received, and the C memory libcurl reads while the exchange runs.
///
/// libcurl's C callbacks reach it through an unretained pointer. That is safe because whoever
/// runs the transfer (a session's loop) keeps it alive until the handle
/// is reset, and the callbacks only run on that owner's thread, inside `curl_easy_perform` or
/// `curl_multi_perform`.
final class Transfer {
    let request: HTTPRequest
    let handle: EasyHandle
    /// Whether the header fields and the body are kept for the response. A repeated exchange
    /// wants only the status and the timings, and turning every header line into two strings was
    /// a tenth of a latency gate's instructions; its lines are still counted against the limit and
    /// a redirect's `Location` still judged.
    let keepsResponse: Bool
    /// The request header lines; libcurl keeps only the pointer, so the list lives as long as the
    /// transfer and is freed with it, after the handle has been reset.
    var headerList: UnsafeMutablePointer<curl_slist>?

    private(set) var body: [UInt8] = []
    private(set) var isBodyTruncated = false
    private(set) var headers: [HTTPHeader] = []
    private(set) var headerSectionTooLarge = false
    private(set) var receivedAnything = false
    private(set) var refusedRedirect: RefusedRedirect?
    private var headerSectionSize = 0
    private var bodySize = 0
    /// The status of the response whose header lines are arriving, to recognise a redirect.
    private var currentStatus = 0

    init(request: HTTPRequest, handle: EasyHandle, keepsResponse: Bool) {
        self.request = request
        self.handle = handle
        self.keepsResponse = keepsResponse
    }

    deinit { curl.slistFreeAll(headerList) }

    /// An opaque pointer to this transfer for libcurl's callback data options.
    var callbackContext: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// Recovers the transfer from libcurl's callback data.
    static func from(context: UnsafeMutableRawPointer) -> Transfer {
        Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    }

    /// Keeps body bytes up to the cap. Content-Length limits do not stop a chunked body, so the
    /// cap is enforced here: a short count makes libcurl abort with CURLE_WRITE_ERROR.
    func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Int {
        receivedAnything = true
        let taken = min(chunk.count, max(0, request.maximumBodySize) - bodySize)
        if keepsResponse { body.append(contentsOf: chunk.prefix(taken)) }
        bodySize += taken
        if taken < chunk.count { isBodyTruncated = true }
        return taken
    }

    /// Receives one raw header line at a time (status line and final blank line included, for
    /// every response of a redirect chain) and keeps the fields of the latest response.
    func receiveHeaderLine(_ raw: UnsafeRawBufferPointer) -> Int {
        receivedAnything = true
        let isStatusLine = raw.starts(with: "HTTP/".utf8)
        if isStatusLine {
            // A new response (after a redirect, a "100 Continue" or a proxy's CONNECT reply)
            // replaces everything received so far.
            headers.removeAll()
            headerSectionSize = 0
            currentStatus = Self.status(inStatusLine: raw)
        }
        headerSectionSize += raw.count
        guard headerSectionSize <= request.maximumHeaderSize else {
            headerSectionTooLarge = true
            return 0
        }
        guard !isStatusLine else { return raw.count }

        guard keepsResponse || isRedirectJudged else { return raw.count }
        var line = raw[...]
        while let last = line.last, last == 0x0A || last == 0x0D { line = line.dropLast() }
        guard let first = line.first else { return raw.count }

        if first.isWhitespace {
            // An obsolete folded continuation of the previous field's value.
            if !headers.isEmpty {
                headers[headers.count - 1].value += " " + Self.text(line.trimmingWhitespace())
            }
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = Self.text(line[..<colon])
            let value = Self.text(line[(colon + 1)...].trimmingWhitespace())
            if let refusal = refusal(ofRedirectHeader: name, value: value) {
                refusedRedirect = refusal
                return 0
            }
            if keepsResponse { headers.append(HTTPHeader(name: name, value: value)) }
        }
        // Any other line is not a field; libcurl already accepted it, so it is skipped.
        return raw.count
    }

    /// Judges a `Location` before libcurl acts on it: libcurl follows it only after the header
    /// section ends, so refusing the line here stops the redirect before any byte goes to the
    /// other host. Every `Location` line of a 3xx counts, even though libcurl uses the first,
    /// so that no parsing difference can slip one through.
    private func refusal(ofRedirectHeader name: String, value: String) -> RefusedRedirect? {
        guard isRedirectJudged, name.equalsIgnoringASCIICase("Location") else { return nil }
        let current = handle.string(CURLINFO_EFFECTIVE_URL) ?? request.url
        guard let from = Location(current) else { return nil }
        guard let to = Location(resolving: value, against: current) else {
            return .unreadableLocation(from: from.endpoint, location: value)
        }
        return from.isSameOrigin(as: to) ? nil : .otherHost(from: from, to: to)
    }

    /// Whether the header lines arriving are those of a redirect that must not leave the origin.
    private var isRedirectJudged: Bool {
        request.maximumRedirects > 0 && !request.allowsRedirectsToOtherHosts && (300...399).contains(currentStatus)
    }

    /// The code in "HTTP/1.1 302 Found" or "HTTP/2 302", 0 if the line has none.
    private static func status(inStatusLine line: UnsafeRawBufferPointer) -> Int {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return 0 }
        var status = 0
        for byte in line[(space + 1)...].prefix(3) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return 0 }
            status = status * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return status
    }

    private static func text(_ bytes: Slice<UnsafeRawBufferPointer>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes), as: UTF8.self)
    }
}

extension Slice<UnsafeRawBufferPointer> {
    fileprivate func trimmingWhitespace() -> Slice<UnsafeRawBufferPointer> {
        var trimmed = self
        while let first = trimmed.first, first.isWhitespace { trimmed = trimmed.dropFirst() }
        while let last = trimmed.last, last.isWhitespace { trimmed = trimmed.dropLast() }
        return trimmed
    }
}

extension UInt8 {
    fileprivate var isWhitespace: Bool { self == 0x20 || self == 0x09 }
}
