#include <curl/curl.h>

// gantry does not link libcurl: the HTTP module loads it with dlopen on first use (LibCurl.swift),
// so that commands that make no request do not pay for loading it and the thirty libraries it
// needs. This header gives the HTTP module libcurl's types and constants only.

// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic, which Swift cannot call:
// these typed wrappers call the function that dlsym returned, passed as `function`.

typedef CURLcode (*gantry_curl_easy_setopt_function)(CURL *handle, CURLoption option, ...);
typedef CURLcode (*gantry_curl_easy_getinfo_function)(CURL *handle, CURLINFO info, ...);
typedef CURLMcode (*gantry_curl_multi_setopt_function)(CURLM *handle, CURLMoption option, ...);

static inline CURLcode gantry_curl_set_long(void *function, CURL *handle, CURLoption option, long value) {
    return ((gantry_curl_easy_setopt_function)function)(handle, option, value);
}

static inline CURLcode gantry_curl_set_string(void *function, CURL *handle, CURLoption option, const char *value) {
    return ((gantry_curl_easy_setopt_function)function)(handle, option, value);
}

static inline CURLcode gantry_curl_set_pointer(void *function, CURL *handle, CURLoption option, void *value) {
    return ((gantry_curl_easy_setopt_function)function)(handle, option, value);
}

static inline CURLcode gantry_curl_set_offset(void *function, CURL *handle, CURLoption option, curl_off_t value) {
    return ((gantry_curl_easy_setopt_function)function)(handle, option, value);
}

typedef size_t (*gantry_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode gantry_curl_set_data_callback(void *function, CURL *handle, CURLoption option, gantry_curl_data_callback callback) {
    return ((gantry_curl_easy_setopt_function)function)(handle, option, callback);
}

static inline CURLcode gantry_curl_get_long(void *function, CURL *handle, CURLINFO info, long *value) {
    return ((gantry_curl_easy_getinfo_function)function)(handle, info, value);
}

static inline CURLcode gantry_curl_get_offset(void *function, CURL *handle, CURLINFO info, curl_off_t *value) {
    return ((gantry_curl_easy_getinfo_function)function)(handle, info, value);
}

// String results (CURLINFO_EFFECTIVE_URL, …) point into the handle and stay valid only until
// the next transfer or curl_easy_reset, so callers copy them at once.
static inline CURLcode gantry_curl_get_string(void *function, CURL *handle, CURLINFO info, char **value) {
    return ((gantry_curl_easy_getinfo_function)function)(handle, info, value);
}

static inline CURLMcode gantry_curl_multi_set_long(void *function, CURLM *handle, CURLMoption option, long value) {
    return ((gantry_curl_multi_setopt_function)function)(handle, option, value);
}
