internal import CSodium

/// Ed25519 signatures (RFC 8032): minisign keys, identity cards, signed notes.
public enum Ed25519 {
    public static let publicKeyByteCount = 32
    public static let seedByteCount = 32
    public static let signatureByteCount = 64

    public struct PublicKey: Sendable, Hashable {
        public let rawRepresentation: [UInt8]

        public init(rawRepresentation bytes: some ContiguousBytesView) throws(CryptoError) {
            let raw = bytes.withBytes { Array($0) }
            guard raw.count == Ed25519.publicKeyByteCount else {
                throw .invalidLength(what: "Ed25519 public key", expected: Ed25519.publicKeyByteCount, actual: raw.count)
            }
            rawRepresentation = raw
        }

        /// True only for a valid signature of exactly `message` under this key.
        /// libsodium rejects non-canonical encodings and small-order points.
        public func isValidSignature(_ signature: some ContiguousBytesView, for message: some ContiguousBytesView) -> Bool {
            Sodium.ready()
            return signature.withBytes { sig in
                guard sig.count == Ed25519.signatureByteCount else { return false }
                return message.withBytes { msg in
                    crypto_sign_verify_detached(address(sig), address(msg), UInt64(msg.count), rawRepresentation) == 0
                }
            }
        }
    }

    /// An Ed25519 signing key: the 32-byte seed and its expanded form, in secure memory.
    public struct PrivateKey: ~Copyable {
        /// libsodium's 64-byte secret key: seed ‖ public key.
        let expanded: SecureBytes
        public let publicKey: PublicKey

        /// A fresh random key.
        public init() {
            let secretKey = Self.expand(seed: SecureBytes.random(count: Ed25519.seedByteCount))
            let publicBytes = Self.publicBytes(of: secretKey)
            expanded = secretKey
            publicKey = try! PublicKey(rawRepresentation: publicBytes)
        }

        /// The key determined by a 32-byte seed.
        public init(seed: consuming SecureBytes) throws(CryptoError) {
            guard seed.count == Ed25519.seedByteCount else {
                throw .invalidLength(what: "Ed25519 seed", expected: Ed25519.seedByteCount, actual: seed.count)
            }
            let secretKey = Self.expand(seed: seed)
            let publicBytes = Self.publicBytes(of: secretKey)
            expanded = secretKey
            publicKey = try! PublicKey(rawRepresentation: publicBytes)
        }

        private static func expand(seed: borrowing SecureBytes) -> SecureBytes {
            Sodium.ready()
            var secretKey = SecureBytes(count: 64)
            var publicBytes = [UInt8](repeating: 0, count: Ed25519.publicKeyByteCount)
            seed.withUnsafeBytes { seedBytes in
                secretKey.withUnsafeMutableBytes { out in
                    _ = crypto_sign_seed_keypair(&publicBytes, out.baseAddress!.assumingMemoryBound(to: UInt8.self), address(seedBytes))
                }
            }
            return secretKey
        }

        /// libsodium's secret key carries the public key in its last 32 bytes.
        private static func publicBytes(of secretKey: borrowing SecureBytes) -> [UInt8] {
            secretKey.withUnsafeBytes { Array($0[Ed25519.seedByteCount...]) }
        }

        /// A detached signature of `message`.
        public func signature(for message: some ContiguousBytesView) -> [UInt8] {
            Sodium.ready()
            var signature = [UInt8](repeating: 0, count: Ed25519.signatureByteCount)
            expanded.withUnsafeBytes { secretKey in
                message.withBytes { msg in
                    _ = crypto_sign_detached(&signature, nil, address(msg), UInt64(msg.count), address(secretKey))
                }
            }
            return signature
        }

        /// Lends the 32-byte seed (for wrapping the key in the vault or a key file).
        public func withSeedBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            try expanded.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<Ed25519.seedByteCount])) }
        }
    }
}
