import CCurl

/// libcurl must be initialised once per process before any handle exists, and its global init
/// must not race; a lazy global runs it exactly once, thread-safely, on first use.
let curlInitialization: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

/// Performs HTTP requests with libcurl, one at a time.
///
/// A client keeps one libcurl handle across requests so that connections, DNS results and TLS
/// sessions are reused; make one client per task rather than one per request.
///
/// Not thread-safe: a libcurl handle must never be used by two threads at once, so a client must
/// not be shared between concurrently running tasks or threads without outside locking.
public final class HTTPClient {
    /// Created on first use after a failure, so that `init` cannot fail.
    private var handle: UnsafeMutableRawPointer?
    /// libcurl writes its detailed message here; it must outlive every transfer on the handle.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// Creates a client with no open connections.
    public init() {
        _ = curlInitialization
        handle = curl_easy_init()
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        if let handle { curl_easy_cleanup(handle) }
        errorBuffer.deallocate()
    }

    /// Sends `request` and waits for the whole response, or fails within `request.timeout`.
    ///
    /// Any status is a response; only a failure to get one throws. A body longer than
    /// `request.maximumBodySize` is cut, not an error, and the rest is never read.
    public func perform(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        let handle = try readyHandle()
        let transfer = Transfer(maximumBodySize: max(0, request.maximumBodySize))
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        // Runs before the list is freed, so the handle never points at freed memory, this
        // call's transfer state included.
        defer { curl_easy_reset(handle) }

        // Options stick to the handle, so a previous request's method or body would leak into this one.
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        let options = Options(handle: handle)
        try options.set(CURLOPT_ERRORBUFFER, "CURLOPT_ERRORBUFFER", pointer: UnsafeMutableRawPointer(errorBuffer))
        try configure(options, for: request, headerList: &headerList)

        try options.set(CURLOPT_WRITEFUNCTION, "CURLOPT_WRITEFUNCTION") { data, size, count, context in
            guard let context else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        }
        try options.set(CURLOPT_HEADERFUNCTION, "CURLOPT_HEADERFUNCTION") { data, size, count, context in
            guard let context else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            return transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
        }
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        try options.set(CURLOPT_WRITEDATA, "CURLOPT_WRITEDATA", pointer: context)
        try options.set(CURLOPT_HEADERDATA, "CURLOPT_HEADERDATA", pointer: context)

        let result = withExtendedLifetime(transfer) { curl_easy_perform(handle) }

        // Stopping the body at the cap is the one write error that is a success.
        let truncatedOnPurpose = result == CURLE_WRITE_ERROR && transfer.isBodyTruncated
            && !transfer.headerSectionTooLarge
        guard result == CURLE_OK || truncatedOnPurpose else {
            throw HTTPError(failure(result, handle: handle, request: request, transfer: transfer))
        }
        return HTTPResponse(
            status: Int(options.long(CURLINFO_RESPONSE_CODE)),
            headers: transfer.headers,
            body: transfer.body,
            isBodyTruncated: transfer.isBodyTruncated,
            timings: timings(options)
        )
    }

    private func readyHandle() throws(HTTPError) -> UnsafeMutableRawPointer {
        if let handle { return handle }
        guard let created = curl_easy_init() else {
            throw HTTPError(code: .other, message: "libcurl could not create a transfer handle")
        }
        handle = created
        return created
    }

    private func configure(
        _ options: Options,
        for request: HTTPRequest,
        headerList: inout UnsafeMutablePointer<curl_slist>?
    ) throws(HTTPError) {
        // Signals cannot be used to interrupt name lookups in a multi-threaded program.
        try options.set(CURLOPT_NOSIGNAL, "CURLOPT_NOSIGNAL", 1)
        try options.set(CURLOPT_URL, "the URL", request.url)
        // A URL from a config file must not be able to read local files or speak other protocols.
        try options.set(CURLOPT_PROTOCOLS_STR, "CURLOPT_PROTOCOLS_STR", "http,https")
        try options.set(CURLOPT_REDIR_PROTOCOLS_STR, "CURLOPT_REDIR_PROTOCOLS_STR", "http,https")
        try options.set(CURLOPT_HTTP09_ALLOWED, "CURLOPT_HTTP09_ALLOWED", 0)

        // 0 means "no limit" to libcurl, so even a zero or negative timeout becomes 1 ms.
        try options.set(CURLOPT_TIMEOUT_MS, "the timeout", max(1, request.timeout.wholeMilliseconds))
        if let connectTimeout = request.connectTimeout {
            try options.set(
                CURLOPT_CONNECTTIMEOUT_MS, "the connect timeout", max(1, connectTimeout.wholeMilliseconds))
        }
        if request.maximumRedirects > 0 {
            try options.set(CURLOPT_FOLLOWLOCATION, "CURLOPT_FOLLOWLOCATION", 1)
            try options.set(CURLOPT_MAXREDIRS, "the redirect limit", request.maximumRedirects)
        }

        try validateMethod(request.method)
        // libcurl picks GET, or POST when there is a body, by itself, and then switches a
        // redirected POST to GET as browsers do; CURLOPT_CUSTOMREQUEST would pin the method
        // across redirects, so it is only set for methods libcurl would not choose.
        let naturalMethod = request.body == nil ? "GET" : "POST"
        if request.method != naturalMethod {
            try options.set(CURLOPT_CUSTOMREQUEST, "the method", request.method)
        }
        if request.method == "HEAD" {
            // Without it libcurl would wait for a body that a HEAD response never has.
            try options.set(CURLOPT_NOBODY, "CURLOPT_NOBODY", 1)
        }
        if let body = request.body {
            try options.set(CURLOPT_POSTFIELDSIZE_LARGE, "the body size", offset: curl_off_t(body.count))
            // An empty array may have no storage, and a null pointer would make libcurl read the body
            // from stdin, so an empty body is passed as a one-byte buffer of which none is sent.
            let storage = body.isEmpty ? [0] : body
            let result = storage.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { characters in
                    gantry_curl_set_string(options.handle, CURLOPT_COPYPOSTFIELDS, characters.baseAddress)
                }
            }
            guard result == CURLE_OK else { throw HTTPError(rejectedOption: "the body", result: result) }
        }

        var lines: [String] = []
        for header in request.headers {
            try validate(header)
            // "Name:" would make libcurl drop the header; "Name;" is its way to send it empty.
            lines.append(header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)")
        }
        // libcurl sends large bodies only after a "100 Continue" that many servers never send,
        // which costs a second per request; an empty "Expect:" turns that off.
        if request.body != nil, !request.headers.contains(where: { $0.name.equalsIgnoringASCIICase("Expect") }) {
            lines.append("Expect:")
        }
        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                throw HTTPError(code: .other, message: "libcurl could not store the request headers")
            }
            headerList = appended
        }
        if let headerList {
            try options.set(CURLOPT_HTTPHEADER, "the headers", pointer: UnsafeMutableRawPointer(headerList))
        }
    }

    /// libcurl sends the method as written, so anything but an HTTP token could smuggle in a
    /// second request line.
    private func validateMethod(_ method: String) throws(HTTPError) {
        guard !method.isEmpty, method.utf8.allSatisfy(\.isTokenCharacter) else {
            throw HTTPError(code: .other, message: "invalid HTTP method '\(method)'")
        }
    }

    /// libcurl copies header lines verbatim, so a line break in a value would inject headers.
    private func validate(_ header: HTTPHeader) throws(HTTPError) {
        guard !header.name.isEmpty, header.name.utf8.allSatisfy(\.isTokenCharacter) else {
            throw HTTPError(code: .other, message: "invalid header name '\(header.name)'")
        }
        guard !header.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
            throw HTTPError(code: .other, message: "invalid value for header '\(header.name)': it contains a line break")
        }
    }

    private func timings(_ options: Options) -> HTTPTimings {
        func time(_ info: CURLINFO) -> Duration { .microseconds(options.offset(info)) }
        let connect = time(CURLINFO_CONNECT_TIME_T)
        let appConnect = time(CURLINFO_APPCONNECT_TIME_T)
        return HTTPTimings(
            nameLookup: time(CURLINFO_NAMELOOKUP_TIME_T),
            connect: connect,
            // APPCONNECT stays 0 when there was no handshake (plain HTTP, reused connection).
            tlsHandshake: appConnect > .zero ? appConnect - connect : .zero,
            firstByte: time(CURLINFO_STARTTRANSFER_TIME_T),
            total: time(CURLINFO_TOTAL_TIME_T)
        )
    }

    private func failure(
        _ result: CURLcode,
        handle: UnsafeMutableRawPointer,
        request: HTTPRequest,
        transfer: Transfer
    ) -> TransferFailure {
        let options = Options(handle: handle)
        let bufferText = String(cString: errorBuffer)
        let url = options.string(CURLINFO_EFFECTIVE_URL) ?? request.url
        let location = Location(url)
        let requestSize = options.long(CURLINFO_REQUEST_SIZE)
        return TransferFailure(
            result: result,
            curlText: bufferText.isEmpty ? String(cString: curl_easy_strerror(result)) : bufferText,
            url: url,
            endpoint: location?.endpoint ?? url,
            host: location?.host ?? url,
            systemError: options.long(CURLINFO_OS_ERRNO),
            connected: options.offset(CURLINFO_CONNECT_TIME_T) > 0 || requestSize > 0,
            requestSent: requestSize > 0,
            responseStarted: transfer.receivedAnything || options.offset(CURLINFO_STARTTRANSFER_TIME_T) > 0,
            headerSectionTooLarge: transfer.headerSectionTooLarge,
            timeout: request.timeout,
            connectTimeout: request.connectTimeout,
            maximumRedirects: request.maximumRedirects
        )
    }
}

/// Typed access to the variadic curl_easy_setopt/getinfo through the shim, turning a refused
/// option into an `HTTPError` that names it.
private struct Options {
    let handle: UnsafeMutableRawPointer

    func set(_ option: CURLoption, _ name: String, _ value: Int) throws(HTTPError) {
        try check(gantry_curl_set_long(handle, option, value), name)
    }

    func set(_ option: CURLoption, _ name: String, _ value: String) throws(HTTPError) {
        // libcurl copies string options, so the C string only has to live for the call.
        try check(value.withCString { gantry_curl_set_string(handle, option, $0) }, name)
    }

    func set(_ option: CURLoption, _ name: String, pointer: UnsafeMutableRawPointer) throws(HTTPError) {
        try check(gantry_curl_set_pointer(handle, option, pointer), name)
    }

    func set(_ option: CURLoption, _ name: String, offset: curl_off_t) throws(HTTPError) {
        try check(gantry_curl_set_offset(handle, option, offset), name)
    }

    func set(_ option: CURLoption, _ name: String, _ callback: gantry_curl_data_callback) throws(HTTPError) {
        try check(gantry_curl_set_data_callback(handle, option, callback), name)
    }

    func long(_ info: CURLINFO) -> Int {
        var value = 0
        return gantry_curl_get_long(handle, info, &value) == CURLE_OK ? value : 0
    }

    func offset(_ info: CURLINFO) -> curl_off_t {
        var value: curl_off_t = 0
        return gantry_curl_get_offset(handle, info, &value) == CURLE_OK ? value : 0
    }

    func string(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard gantry_curl_get_string(handle, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    private func check(_ result: CURLcode, _ name: String) throws(HTTPError) {
        guard result == CURLE_OK else { throw HTTPError(rejectedOption: name, result: result) }
    }
}

/// The host and port of a URL as libcurl itself understands it, so that messages name the
/// server libcurl actually tried.
private struct Location {
    var host: String
    var endpoint: String

    init?(_ url: String) {
        guard let parsed = curl_url() else { return nil }
        defer { curl_url_cleanup(parsed) }
        guard curl_url_set(parsed, CURLUPART_URL, url, UInt32(CURLU_GUESS_SCHEME)) == CURLUE_OK else { return nil }
        func part(_ which: CURLUPart, _ flags: Int32 = 0) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(parsed, which, &value, UInt32(flags)) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        guard let host = part(CURLUPART_HOST) else { return nil }
        self.host = host
        self.endpoint = part(CURLUPART_PORT, CURLU_DEFAULT_PORT).map { "\(host):\($0)" } ?? host
    }
}

/// The Swift side of one transfer. libcurl's C callbacks reach it through an unretained pointer,
/// which is safe because `perform` keeps it alive until `curl_easy_perform` returns, and the
/// callbacks only run inside that call, on the calling thread.
final class Transfer {
    let maximumBodySize: Int
    private(set) var body: [UInt8] = []
    private(set) var isBodyTruncated = false
    private(set) var headers: [HTTPHeader] = []
    private(set) var headerSectionTooLarge = false
    private(set) var receivedAnything = false
    private var headerSectionSize = 0

    init(maximumBodySize: Int) {
        self.maximumBodySize = maximumBodySize
    }

    /// Keeps body bytes up to the cap. Content-Length limits do not stop a chunked body, so the
    /// cap is enforced here: a short count makes libcurl abort with CURLE_WRITE_ERROR.
    func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Int {
        receivedAnything = true
        let room = maximumBodySize - body.count
        guard chunk.count > room else {
            body.append(contentsOf: chunk)
            return chunk.count
        }
        body.append(contentsOf: chunk.prefix(room))
        isBodyTruncated = true
        return room
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
        }
        headerSectionSize += raw.count
        guard headerSectionSize <= HTTPResponse.maximumHeaderSize else {
            headerSectionTooLarge = true
            return 0
        }
        guard !isStatusLine else { return raw.count }

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
            headers.append(HTTPHeader(name: name, value: value))
        }
        // Any other line is not a field; libcurl already accepted it, so it is skipped.
        return raw.count
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

    /// RFC 9110 `tchar`: the characters allowed in methods and header names.
    fileprivate var isTokenCharacter: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(self)
        }
    }
}
