internal import COpenSSL

/// A private key. Owns its OpenSSL handle, freed with the value.
package final class PrivateKey {
    let handle: OpaquePointer

    init(handle: OpaquePointer) { self.handle = handle }

    deinit { EVP_PKEY_free(handle) }

    /// A fresh EC key on P-256: as strong as RSA-3072 for a fraction of the time to generate.
    package static func generate() throws(TLSError) -> PrivateKey {
        _ = libraryInitialized
        return PrivateKey(handle: try created("generate an EC P-256 key", gantry_generate_p256_key()))
    }

    /// The key as unencrypted PKCS #8 PEM (`-----BEGIN PRIVATE KEY-----`), as servers read it.
    package func pem() throws(TLSError) -> String {
        try MemoryBIO.write("write the private key") { bio in PEM_write_bio_PrivateKey(bio, handle, nil, nil, 0, nil, nil) }
    }
}

/// OpenSSL writes PEM into a BIO and reads it from one: a memory BIO bridges to Swift strings.
enum MemoryBIO {
    /// What `body` writes into a fresh memory BIO, as text.
    static func write(_ operation: String, _ body: (OpaquePointer) -> Int32) throws(TLSError) -> String {
        let bio = try created(operation, BIO_new(BIO_s_mem()))
        defer { BIO_free(bio) }
        try check(.certificate, operation, body(bio))
        var data: UnsafeMutablePointer<CChar>?
        let length = gantry_bio_contents(bio, &data)
        guard let data, length > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }

    /// `body`'s result when it reads from a BIO over `text`.
    static func read<Result>(_ text: String, _ body: (OpaquePointer) -> Result) throws(TLSError) -> Result {
        let bytes = Array(text.utf8)
        let bio = try created("read PEM", BIO_new(BIO_s_mem()))
        defer { BIO_free(bio) }
        guard bytes.isEmpty || BIO_write(bio, bytes, Int32(bytes.count)) == Int32(bytes.count) else {
            throw TLSError(.certificate, failedTo: "read PEM")
        }
        return body(bio)
    }
}
