/// Recognises a secret later without keeping it: the HMAC-SHA-256 of the secret under a
/// random key that exists only in this process's secure memory. Casebook uses it to tell
/// whether a passphrase is the one that unlocked the vault after that passphrase is gone.
public struct SecretWitness: ~Copyable {
    private let key: SecureBytes
    private let code: [UInt8]

    public init(of secret: borrowing SecureBytes) {
        let key = SecureBytes.random(count: HMACSHA256.byteCount)
        code = secret.withUnsafeBytes { HMACSHA256.authenticationCode(for: $0, using: key) }
        self.key = key
    }

    /// True when `candidate` is the secret witnessed, compared in constant time.
    public func matches(_ candidate: borrowing SecureBytes) -> Bool {
        candidate.withUnsafeBytes { HMACSHA256.isValid(code, for: $0, using: key) }
    }
}
