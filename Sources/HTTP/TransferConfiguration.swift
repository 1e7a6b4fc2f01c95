internal import CCurl

/// Turns an `HTTPRequest` into libcurl options: every handle of a session is configured here.
extension Transfer {
    /// Sets every option of an HTTP exchange on a freshly reset handle.
    func configureExchange() throws(HTTPError) {
        try request.validate()
        try configureConnection()
        try handle.set(CURLOPT_HTTP09_ALLOWED, "CURLOPT_HTTP09_ALLOWED", 0)
        if request.maximumRedirects > 0 {
            try handle.set(CURLOPT_FOLLOWLOCATION, "CURLOPT_FOLLOWLOCATION", 1)
            try handle.set(CURLOPT_MAXREDIRS, "the redirect limit", request.maximumRedirects)
        }
        try configureMethodAndBody()
        try configureHeaders()
        try configureCallbacks()
    }

    /// Sets the options of a connect-only check: libcurl resolves and connects, then stops
    /// without sending anything.
    func configureConnectionCheck() throws(HTTPError) {
        try configureConnection()
        try handle.set(CURLOPT_CONNECT_ONLY, "CURLOPT_CONNECT_ONLY", 1)
    }

    /// What every transfer needs: where to go, how long it may take, and what is trusted.
    private func configureConnection() throws(HTTPError) {
        try handle.set(CURLOPT_ERRORBUFFER, "CURLOPT_ERRORBUFFER", pointer: UnsafeMutableRawPointer(handle.errorBuffer))
        // Signals cannot be used to interrupt name lookups in a multi-threaded program.
        try handle.set(CURLOPT_NOSIGNAL, "CURLOPT_NOSIGNAL", 1)
        try handle.set(CURLOPT_URL, "the URL", request.url)
        // A URL from a config file must not be able to read local files or speak other protocols.
        try handle.set(CURLOPT_PROTOCOLS_STR, "CURLOPT_PROTOCOLS_STR", "http,https")
        try handle.set(CURLOPT_REDIR_PROTOCOLS_STR, "CURLOPT_REDIR_PROTOCOLS_STR", "http,https")

        // 0 means "no limit" to libcurl, so even a zero or negative timeout becomes 1 ms.
        try handle.set(CURLOPT_TIMEOUT_MS, "the timeout", max(1, request.timeout.wholeMilliseconds))
        if let connectTimeout = request.connectTimeout {
            try handle.set(CURLOPT_CONNECTTIMEOUT_MS, "the connect timeout", max(1, connectTimeout.wholeMilliseconds))
        }
        try configureTLS()
    }

    private func configureTLS() throws(HTTPError) {
        switch request.tls {
        case .verify:
            // libcurl's defaults, set anyway so that a verifying request never depends on them.
            try handle.set(CURLOPT_SSL_VERIFYPEER, "CURLOPT_SSL_VERIFYPEER", 1)
            try handle.set(CURLOPT_SSL_VERIFYHOST, "CURLOPT_SSL_VERIFYHOST", 2)
        case .verifyWith(let certificateAuthorityFile):
            try handle.set(CURLOPT_SSL_VERIFYPEER, "CURLOPT_SSL_VERIFYPEER", 1)
            try handle.set(CURLOPT_SSL_VERIFYHOST, "CURLOPT_SSL_VERIFYHOST", 2)
            try handle.set(CURLOPT_CAINFO, "the certificate authority file", certificateAuthorityFile)
            // Without this the system's certificate directory would still be trusted, and the
            // file would add to the system's authorities instead of replacing them.
            try handle.set(CURLOPT_CAPATH, "CURLOPT_CAPATH", nil)
        case .insecure:
            try handle.set(CURLOPT_SSL_VERIFYPEER, "CURLOPT_SSL_VERIFYPEER", 0)
            try handle.set(CURLOPT_SSL_VERIFYHOST, "CURLOPT_SSL_VERIFYHOST", 0)
        }
    }

    private func configureMethodAndBody() throws(HTTPError) {
        // libcurl picks GET, or POST when there is a body, by itself, and then switches a
        // redirected POST to GET as browsers do; CURLOPT_CUSTOMREQUEST would pin the method
        // across redirects, so it is only set for methods libcurl would not choose.
        let naturalMethod = request.body == nil ? "GET" : "POST"
        if request.method != naturalMethod {
            try handle.set(CURLOPT_CUSTOMREQUEST, "the method", request.method)
        }
        if request.method == "HEAD" {
            // Without it libcurl would wait for a body that a HEAD response never has.
            try handle.set(CURLOPT_NOBODY, "CURLOPT_NOBODY", 1)
        }
        guard let body = request.body else { return }
        try handle.set(CURLOPT_POSTFIELDSIZE_LARGE, "the body size", offset: curl_off_t(body.count))
        // An empty array may have no storage, and a null pointer would make libcurl read the body
        // from stdin, so an empty body is passed as a one-byte buffer of which none is sent.
        let storage = body.isEmpty ? [0] : body
        let pointer = handle.pointer
        let result = storage.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { characters in
                gantry_curl_set_string(curl.easySetopt, pointer, CURLOPT_COPYPOSTFIELDS, characters.baseAddress)
            }
        }
        guard result == CURLE_OK else { throw HTTPError(rejectedOption: "the body", result: result) }
    }

    private func configureHeaders() throws(HTTPError) {
        var lines: [String] = []
        for header in request.headers {
            // "Name:" would make libcurl drop the header; "Name;" is its way to send it empty.
            lines.append(header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)")
        }
        // libcurl sends large bodies only after a "100 Continue" that many servers never send,
        // which costs a second per request; an empty "Expect:" turns that off.
        if request.body != nil, !request.headers.contains(where: { $0.name.equalsIgnoringASCIICase("Expect") }) {
            lines.append("Expect:")
        }
        for line in lines {
            guard let appended = curl.slistAppend(headerList, line) else {
                throw HTTPError(code: .other, message: "libcurl could not store the request headers")
            }
            headerList = appended
        }
        if let headerList {
            try handle.set(CURLOPT_HTTPHEADER, "the headers", pointer: UnsafeMutableRawPointer(headerList))
        }
    }

    private func configureCallbacks() throws(HTTPError) {
        try handle.set(CURLOPT_WRITEFUNCTION, "CURLOPT_WRITEFUNCTION") { data, size, count, context in
            guard let context else { return 0 }
            return Transfer.from(context: context).receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        }
        try handle.set(CURLOPT_HEADERFUNCTION, "CURLOPT_HEADERFUNCTION") { data, size, count, context in
            guard let context else { return 0 }
            return Transfer.from(context: context).receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
        }
        try handle.set(CURLOPT_WRITEDATA, "CURLOPT_WRITEDATA", pointer: callbackContext)
        try handle.set(CURLOPT_HEADERDATA, "CURLOPT_HEADERDATA", pointer: callbackContext)
    }
}

extension HTTPRequest {
    /// Refuses a method or header that would change the request on the wire: both clients write
    /// them as given, so anything but an HTTP token as the method could smuggle in a second
    /// request line, and a line break in a value would inject headers.
    func validate() throws(HTTPError) {
        guard !method.isEmpty, method.utf8.allSatisfy(\.isTokenCharacter) else {
            throw HTTPError(code: .other, message: "invalid HTTP method '\(method)'")
        }
        for header in headers {
            guard !header.name.isEmpty, header.name.utf8.allSatisfy(\.isTokenCharacter) else {
                throw HTTPError(code: .other, message: "invalid header name '\(header.name)'")
            }
            guard !header.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw HTTPError(code: .other, message: "invalid value for header '\(header.name)': it contains a line break")
            }
        }
    }
}

extension UInt8 {
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
