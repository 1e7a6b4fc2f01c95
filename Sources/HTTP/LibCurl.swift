internal import CCurl

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The libcurl functions gantry calls, resolved with `dlopen` and `dlsym` the first time a
/// request needs them rather than by the dynamic loader at start-up: libcurl brings some thirty
/// libraries with it, and loading them was most of the start-up time of every command, though
/// only `gate`, `run` and `env` make requests.
///
/// `EasyHandle` and `SessionLoop`, the ways into libcurl, call `load()` and so report a missing
/// libcurl as an error; code that runs only once one of them exists uses `curl`.
struct LibCurl: @unchecked Sendable {  // C function pointers, which never change once resolved.
    #if canImport(Darwin)
        static let libraryName = "libcurl.4.dylib"
    #else
        /// The name the release's dependency check (scripts/check-release.sh) looks for.
        static let libraryName = "libcurl.so.4"
    #endif

    let globalInit: @convention(c) (Int) -> CURLcode
    let easyInit: @convention(c) () -> UnsafeMutableRawPointer?
    let easyCleanup: @convention(c) (UnsafeMutableRawPointer?) -> Void
    let easyReset: @convention(c) (UnsafeMutableRawPointer?) -> Void
    let easyPerform: @convention(c) (UnsafeMutableRawPointer?) -> CURLcode
    let easyStrerror: @convention(c) (CURLcode) -> UnsafePointer<CChar>?
    /// Variadic, so called through the shim's typed wrappers.
    let easySetopt: UnsafeMutableRawPointer
    let easyGetinfo: UnsafeMutableRawPointer
    let multiSetopt: UnsafeMutableRawPointer
    let multiInit: @convention(c) () -> UnsafeMutableRawPointer?
    let multiCleanup: @convention(c) (UnsafeMutableRawPointer?) -> CURLMcode
    let multiStrerror: @convention(c) (CURLMcode) -> UnsafePointer<CChar>?
    let multiWakeup: @convention(c) (UnsafeMutableRawPointer?) -> CURLMcode
    let multiPerform: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<Int32>?) -> CURLMcode
    let multiPoll:
        @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<curl_waitfd>?, UInt32, Int32, UnsafeMutablePointer<Int32>?) ->
            CURLMcode
    let multiAddHandle: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> CURLMcode
    let multiRemoveHandle: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> CURLMcode
    let multiInfoRead: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<Int32>?) -> UnsafeMutablePointer<CURLMsg>?
    let slistAppend: @convention(c) (UnsafeMutablePointer<curl_slist>?, UnsafePointer<CChar>?) -> UnsafeMutablePointer<curl_slist>?
    let slistFreeAll: @convention(c) (UnsafeMutablePointer<curl_slist>?) -> Void
    let url: @convention(c) () -> OpaquePointer?
    let urlCleanup: @convention(c) (OpaquePointer?) -> Void
    let urlSet: @convention(c) (OpaquePointer?, CURLUPart, UnsafePointer<CChar>?, UInt32) -> CURLUcode
    let urlGet: @convention(c) (OpaquePointer?, CURLUPart, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, UInt32) -> CURLUcode
    let free: @convention(c) (UnsafeMutableRawPointer?) -> Void

    /// libcurl, loaded and initialised on the first call; the same error on every call if it
    /// cannot be.
    static func load() throws(HTTPError) -> LibCurl {
        try loaded.get()
    }

    /// Loaded once per process, thread-safely, by Swift's lazy globals; libcurl's global init
    /// must run once, before any handle exists, and must not race.
    private static let loaded: Result<LibCurl, HTTPError> = {
        do throws(HTTPError) {
            let library = try LibCurl()
            let initialised = library.globalInit(Int(CURL_GLOBAL_ALL))
            guard initialised == CURLE_OK else {
                throw HTTPError(code: .other, message: "libcurl could not initialise (error \(initialised.rawValue))")
            }
            return .success(library)
        } catch {
            return .failure(error)
        }
    }()

    private init() throws(HTTPError) {
        // RTLD_LOCAL: libcurl's symbols, and those of the OpenSSL it loads, stay out of the
        // global scope, where they could meet the static copies gantry links for libgit2.
        guard let library = dlopen(Self.libraryName, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            throw HTTPError(
                code: .other,
                message: "HTTP and TCP checks need libcurl (\(Self.libraryName)), which could not be loaded: \(reason). "
                    + "Install it: `apt-get install libcurl4` on Debian or Ubuntu, `dnf install libcurl` on Fedora")
        }
        func resolve<Function>(_ name: String, as type: Function.Type = Function.self) throws(HTTPError) -> Function {
            guard let symbol = dlsym(library, name) else {
                throw HTTPError(code: .other, message: "\(Self.libraryName) has no \(name): gantry needs libcurl 7.68 or later")
            }
            return unsafeBitCast(symbol, to: Function.self)
        }
        globalInit = try resolve("curl_global_init")
        easyInit = try resolve("curl_easy_init")
        easyCleanup = try resolve("curl_easy_cleanup")
        easyReset = try resolve("curl_easy_reset")
        easyPerform = try resolve("curl_easy_perform")
        easyStrerror = try resolve("curl_easy_strerror")
        easySetopt = try resolve("curl_easy_setopt")
        easyGetinfo = try resolve("curl_easy_getinfo")
        multiSetopt = try resolve("curl_multi_setopt")
        multiInit = try resolve("curl_multi_init")
        multiCleanup = try resolve("curl_multi_cleanup")
        multiStrerror = try resolve("curl_multi_strerror")
        multiWakeup = try resolve("curl_multi_wakeup")
        multiPerform = try resolve("curl_multi_perform")
        multiPoll = try resolve("curl_multi_poll")
        multiAddHandle = try resolve("curl_multi_add_handle")
        multiRemoveHandle = try resolve("curl_multi_remove_handle")
        multiInfoRead = try resolve("curl_multi_info_read")
        slistAppend = try resolve("curl_slist_append")
        slistFreeAll = try resolve("curl_slist_free_all")
        url = try resolve("curl_url")
        urlCleanup = try resolve("curl_url_cleanup")
        urlSet = try resolve("curl_url_set")
        urlGet = try resolve("curl_url_get")
        free = try resolve("curl_free")
    }

    /// The message libcurl has for `result`.
    func text(of result: CURLcode) -> String {
        easyStrerror(result).map { String(cString: $0) } ?? "error \(result.rawValue)"
    }

    /// The message libcurl has for `result` of a multi call.
    func text(of result: CURLMcode) -> String {
        multiStrerror(result).map { String(cString: $0) } ?? "error \(result.rawValue)"
    }
}

/// libcurl, for code that runs only while a handle exists, which proves that `LibCurl.load()`
/// succeeded; reaching it before then is a programming error in this module.
let curl: LibCurl = {
    do throws(HTTPError) {
        return try LibCurl.load()
    } catch {
        preconditionFailure("libcurl used before it was loaded: \(error.message)")
    }
}()
