internal import CSodium

/// X25519 Diffie-Hellman (RFC 7748): age's recipient key agreement.
public enum X25519 {
    public static let keyByteCount = 32

    /// An X25519 public key (an age recipient's 32 bytes).
    public struct PublicKey: Sendable, Hashable {
        public let rawRepresentation: [UInt8]

        public init(rawRepresentation bytes: some ContiguousBytesView) throws(CryptoError) {
            let raw = bytes.withBytes { Array($0) }
            guard raw.count == X25519.keyByteCount else {
                throw .invalidLength(what: "X25519 public key", expected: X25519.keyByteCount, actual: raw.count)
            }
            rawRepresentation = raw
        }
    }

    /// An X25519 secret scalar, held in secure memory.
    public struct PrivateKey: ~Copyable {
        let secret: SecureBytes

        /// A fresh random key.
        public init() {
            secret = SecureBytes.random(count: X25519.keyByteCount)
        }

        /// Takes ownership of 32 secret bytes (clamping happens inside libsodium).
        public init(rawRepresentation bytes: consuming SecureBytes) throws(CryptoError) {
            guard bytes.count == X25519.keyByteCount else {
                throw .invalidLength(what: "X25519 private key", expected: X25519.keyByteCount, actual: bytes.count)
            }
            secret = bytes
        }

        /// The matching public key.
        public var publicKey: PublicKey {
            Sodium.ready()
            var output = [UInt8](repeating: 0, count: X25519.keyByteCount)
            secret.withUnsafeBytes { scalar in
                _ = crypto_scalarmult_base(&output, address(scalar))
            }
            return try! PublicKey(rawRepresentation: output)
        }

        /// The shared secret with `peer`. Rejects low-order points that would give the
        /// all-zero secret (libsodium checks this), which would let an attacker fix the key.
        public func sharedSecret(with peer: PublicKey) throws(CryptoError) -> SecureBytes {
            Sodium.ready()
            var shared = SecureBytes(count: X25519.keyByteCount)
            let status: Int32 = secret.withUnsafeBytes { scalar in
                shared.withUnsafeMutableBytes { out in
                    crypto_scalarmult(
                        out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        address(scalar), peer.rawRepresentation)
                }
            }
            guard status == 0 else { throw .invalidPublicKey }
            return shared
        }

        /// Lends the secret scalar (for encoding an age identity).
        public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            try secret.withUnsafeBytes(body)
        }
    }
}
