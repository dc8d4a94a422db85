/// Why a cryptographic operation failed. Messages never contain key material.
public enum CryptoError: Error, Equatable, Sendable {
    /// An AEAD tag or a signature did not verify: the data was altered, or the key is wrong.
    case authenticationFailed
    /// A key, nonce or input had the wrong length or form.
    case invalidLength(what: String, expected: Int, actual: Int)
    /// A public key was rejected (for example an X25519 point that gives an all-zero secret).
    case invalidPublicKey
    /// A key derivation could not run with the given parameters (memory, limits).
    case keyDerivationFailed
    /// An output length or parameter is outside what the primitive allows.
    case invalidParameter(String)
    /// Secure memory could not be allocated.
    case outOfSecureMemory
}
