internal import CCurl

/// One libcurl easy handle together with the error buffer libcurl writes into, so that the two
/// are created and freed together and the buffer can never be freed while libcurl still holds it.
///
/// Not thread-safe: a handle belongs to one thread at a time (a session's loop thread).
final class EasyHandle {
    let pointer: UnsafeMutableRawPointer
    /// libcurl's detailed message about the last failure; `CURLOPT_ERRORBUFFER` points here.
    let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(HTTPError) {
        guard let pointer = try LibCurl.load().easyInit() else {
            throw HTTPError(code: .other, message: "libcurl could not create a transfer handle")
        }
        self.pointer = pointer
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl.easyCleanup(pointer)
        errorBuffer.deallocate()
    }

    /// Forgets every option of the previous transfer (method, body, headers, callbacks), so that
    /// none leaks into the next one and no pointer to the previous transfer's memory remains.
    /// Connections, DNS results and TLS sessions the handle caches survive.
    func reset() {
        curl.easyReset(pointer)
        errorBuffer[0] = 0
    }

    /// The text libcurl left in the error buffer, empty when it wrote none.
    var errorText: String { String(cString: errorBuffer) }

    // MARK: Typed access to the variadic curl_easy_setopt and curl_easy_getinfo through the shim.

    /// Sets a numeric option; `name` says in an error which setting libcurl refused.
    func set(_ option: CURLoption, _ name: String, _ value: Int) throws(HTTPError) {
        try check(gantry_curl_set_long(curl.easySetopt, pointer, option, value), name)
    }

    /// Sets a string option; nil restores libcurl's default where the option allows it.
    func set(_ option: CURLoption, _ name: String, _ value: String?) throws(HTTPError) {
        // libcurl copies string options, so the C string only has to live for the call.
        guard let value else {
            try check(gantry_curl_set_string(curl.easySetopt, pointer, option, nil), name)
            return
        }
        try check(value.withCString { gantry_curl_set_string(curl.easySetopt, pointer, option, $0) }, name)
    }

    /// Sets an option that takes a pointer libcurl keeps without copying: the caller keeps the
    /// memory alive until the handle is reset.
    func set(_ option: CURLoption, _ name: String, pointer value: UnsafeMutableRawPointer) throws(HTTPError) {
        try check(gantry_curl_set_pointer(curl.easySetopt, pointer, option, value), name)
    }

    /// Sets a `curl_off_t` option, such as a size that may exceed 2 GiB.
    func set(_ option: CURLoption, _ name: String, offset: curl_off_t) throws(HTTPError) {
        try check(gantry_curl_set_offset(curl.easySetopt, pointer, option, offset), name)
    }

    /// Sets a write or header callback.
    func set(_ option: CURLoption, _ name: String, _ callback: gantry_curl_data_callback) throws(HTTPError) {
        try check(gantry_curl_set_data_callback(curl.easySetopt, pointer, option, callback), name)
    }

    /// A numeric transfer property, 0 when libcurl does not know it.
    func long(_ info: CURLINFO) -> Int {
        var value = 0
        return gantry_curl_get_long(curl.easyGetinfo, pointer, info, &value) == CURLE_OK ? value : 0
    }

    /// A `curl_off_t` transfer property (sizes, microsecond times), 0 when libcurl does not know it.
    func offset(_ info: CURLINFO) -> curl_off_t {
        var value: curl_off_t = 0
        return gantry_curl_get_offset(curl.easyGetinfo, pointer, info, &value) == CURLE_OK ? value : 0
    }

    /// A string transfer property, copied at once because libcurl's copy dies with the transfer.
    func string(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard gantry_curl_get_string(curl.easyGetinfo, pointer, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    /// Where the time of the last transfer went.
    func timings() -> HTTPTimings {
        func time(_ info: CURLINFO) -> Duration { .microseconds(offset(info)) }
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

    private func check(_ result: CURLcode, _ name: String) throws(HTTPError) {
        guard result == CURLE_OK else { throw HTTPError(rejectedOption: name, result: result) }
    }
}
