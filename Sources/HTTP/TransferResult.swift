internal import CCurl

/// Turns what libcurl reported at the end of a transfer into the caller's result. Both clients
/// call these while the handle still holds the transfer's information, before resetting it.
extension Transfer {
    /// The response, or why there is none, once libcurl finished with `result`.
    func response(after result: CURLcode) -> Result<HTTPResponse, HTTPError> {
        guard result == CURLE_OK || isTruncatedOnPurpose(result) else { return .failure(error(after: result)) }
        return .success(
            HTTPResponse(
                status: handle.long(CURLINFO_RESPONSE_CODE),
                headers: headers,
                body: body,
                isBodyTruncated: isBodyTruncated,
                timings: handle.timings()
            ))
    }

    /// The status and timings of the response, or why there is none: what a repeated exchange
    /// keeps, read without building the response.
    func summary(after result: CURLcode) -> Result<HTTPExchangeSummary, HTTPError> {
        guard result == CURLE_OK || isTruncatedOnPurpose(result) else { return .failure(error(after: result)) }
        return .success(HTTPExchangeSummary(status: handle.long(CURLINFO_RESPONSE_CODE), timings: handle.timings()))
    }

    /// The timings of a connect-only check, or why it could not connect.
    func connectionTimings(after result: CURLcode) -> Result<HTTPTimings, HTTPError> {
        result == CURLE_OK ? .success(handle.timings()) : .failure(error(after: result))
    }

    /// Stopping the body at the cap is the one write error that is a success.
    private func isTruncatedOnPurpose(_ result: CURLcode) -> Bool {
        result == CURLE_WRITE_ERROR && isBodyTruncated && !headerSectionTooLarge && refusedRedirect == nil
    }

    private func error(after result: CURLcode) -> HTTPError {
        let bufferText = handle.errorText
        let url = handle.string(CURLINFO_EFFECTIVE_URL) ?? request.url
        let location = Location(url)
        let requestSize = handle.long(CURLINFO_REQUEST_SIZE)
        return HTTPError(
            TransferFailure(
                result: result,
                curlText: bufferText.isEmpty ? curl.text(of: result) : bufferText,
                url: url,
                endpoint: location?.endpoint ?? Redaction.redactingURL(url),
                host: location?.host ?? Redaction.redactingURL(url),
                systemError: handle.long(CURLINFO_OS_ERRNO),
                // libcurl records the connect time only once TLS is up too; a local port shows that
                // TCP connected before a handshake that did not finish.
                connected: handle.offset(CURLINFO_CONNECT_TIME_T) > 0 || handle.long(CURLINFO_LOCAL_PORT) > 0 || requestSize > 0,
                handshaking: location?.scheme == "https" && handle.offset(CURLINFO_APPCONNECT_TIME_T) == 0 && requestSize == 0,
                requestSent: requestSize > 0,
                responseStarted: receivedAnything || handle.offset(CURLINFO_STARTTRANSFER_TIME_T) > 0,
                headerSectionTooLarge: headerSectionTooLarge,
                maximumHeaderSize: request.maximumHeaderSize,
                refusedRedirect: refusedRedirect,
                timeout: request.timeout,
                connectTimeout: request.connectTimeout,
                maximumRedirects: request.maximumRedirects
            ))
    }
}
