/// How an `https://` server's certificate is checked.
package enum TLSVerification: Sendable, Hashable {
    /// Trusts the system's certificate authorities and checks that the certificate names the host.
    case verify
    /// Trusts only the certificate authorities in a PEM file, instead of the system's, and still
    /// checks the host name: for servers with a private or self-signed certificate.
    case verifyWith(certificateAuthorityFile: String)
    /// Checks nothing, so anyone on the network path can read and change the exchange. Only for
    /// tests and for servers reached over an already trusted channel.
    case insecure
}
