#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

// Macros and variadic functions, which Swift cannot call: one typed wrapper each.

static inline EVP_PKEY *gantry_generate_p256_key(void) { return EVP_EC_gen("P-256"); }

static inline int gantry_ssl_ctx_set_min_protocol(SSL_CTX *context, int version) {
    return (int)SSL_CTX_set_min_proto_version(context, version);
}

static inline int gantry_ssl_set_server_name(SSL *ssl, const char *name) { return (int)SSL_set_tlsext_host_name(ssl, name); }

static inline long gantry_bio_contents(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }

static inline void gantry_openssl_free(void *pointer) { OPENSSL_free(pointer); }

static inline unsigned long gantry_rfc2253_name_flags(void) { return XN_FLAG_RFC2253; }

static inline GENERAL_NAMES *gantry_subject_alternative_names(X509 *certificate) {
    return (GENERAL_NAMES *)X509_get_ext_d2i(certificate, NID_subject_alt_name, NULL, NULL);
}

static inline int gantry_general_names_count(const GENERAL_NAMES *names) { return sk_GENERAL_NAME_num(names); }

static inline const GENERAL_NAME *gantry_general_name(const GENERAL_NAMES *names, int index) {
    return sk_GENERAL_NAME_value(names, index);
}

static inline int gantry_certificates_count(const STACK_OF(X509) *certificates) { return sk_X509_num(certificates); }

static inline X509 *gantry_certificate(const STACK_OF(X509) *certificates, int index) {
    return sk_X509_value(certificates, index);
}

static inline void gantry_general_names_free(GENERAL_NAMES *names) { GENERAL_NAMES_free(names); }

static inline int gantry_general_name_type(const GENERAL_NAME *name) { return name->type; }

// A dNSName is an IA5String and an iPAddress an OCTET STRING: both are ASN1_STRINGs.
static inline const ASN1_STRING *gantry_general_name_value(const GENERAL_NAME *name) { return name->d.ia5; }
