internal import CSodium

/// SHA-256: RFC 6962 Merkle hashing, content digests, the HMAC/HKDF of age.
public enum SHA256 {
    public static let byteCount = 32

    public static func hash(_ data: some ContiguousBytesView) -> [UInt8] {
        var hasher = Hasher()
        hasher.update(data)
        return hasher.finalize()
    }

    /// Incremental SHA-256 for data that arrives in pieces.
    public struct Hasher: ~Copyable {
        private let state: UnsafeMutableRawPointer

        public init() {
            Sodium.ready()
            state = UnsafeMutableRawPointer.allocate(byteCount: crypto_hash_sha256_statebytes(), alignment: 16)
            _ = crypto_hash_sha256_init(state.assumingMemoryBound(to: crypto_hash_sha256_state.self))
        }

        public mutating func update(_ data: some ContiguousBytesView) {
            data.withBytes { bytes in
                _ = crypto_hash_sha256_update(state.assumingMemoryBound(to: crypto_hash_sha256_state.self), address(bytes), UInt64(bytes.count))
            }
        }

        public consuming func finalize() -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: SHA256.byteCount)
            _ = crypto_hash_sha256_final(state.assumingMemoryBound(to: crypto_hash_sha256_state.self), &digest)
            return digest
        }

        deinit {
            sodium_memzero(state, crypto_hash_sha256_statebytes())
            state.deallocate()
        }
    }
}
