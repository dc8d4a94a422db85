/// A 256-bit secret key for the AEADs, HMAC and key derivation.
public struct SymmetricKey: ~Copyable {
    public static let byteCount = 32
    let secret: SecureBytes

    /// A fresh random key.
    public init() {
        secret = SecureBytes.random(count: Self.byteCount)
    }

    /// Takes ownership of 32 secret bytes.
    public init(_ bytes: consuming SecureBytes) throws(CryptoError) {
        guard bytes.count == Self.byteCount else {
            throw .invalidLength(what: "symmetric key", expected: Self.byteCount, actual: bytes.count)
        }
        secret = bytes
    }

    /// Lends the key bytes (for wrapping the key under another key).
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try secret.withUnsafeBytes(body)
    }

    /// A copy of the key bytes as plain secret memory (for use as an HMAC key).
    public func secretBytes() -> SecureBytes {
        secret.duplicate()
    }

    /// A second owner of the same key.
    public func duplicate() -> SymmetricKey {
        try! SymmetricKey(secret.duplicate())
    }
}
