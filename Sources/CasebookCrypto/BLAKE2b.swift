internal import CSodium

/// BLAKE2b (libsodium's generic hash): minisign's prehash, keyed lookups.
public enum BLAKE2b {
    public static let maximumByteCount = 64

    /// Unkeyed BLAKE2b with an output of `byteCount` (16…64) bytes.
    public static func hash(_ data: some ContiguousBytesView, byteCount: Int = 64) throws(CryptoError) -> [UInt8] {
        var hasher = try Hasher(byteCount: byteCount)
        hasher.update(data)
        return hasher.finalize()
    }

    /// Incremental BLAKE2b.
    public struct Hasher: ~Copyable {
        private let state: UnsafeMutableRawPointer
        private let byteCount: Int

        public init(byteCount: Int = 64) throws(CryptoError) {
            Sodium.ready()
            guard byteCount >= Int(crypto_generichash_BYTES_MIN), byteCount <= Int(crypto_generichash_BYTES_MAX) else {
                throw .invalidParameter("BLAKE2b output length \(byteCount)")
            }
            self.byteCount = byteCount
            state = UnsafeMutableRawPointer.allocate(byteCount: crypto_generichash_statebytes(), alignment: 64)
            _ = crypto_generichash_init(OpaquePointer(state), nil, 0, byteCount)
        }

        public mutating func update(_ data: some ContiguousBytesView) {
            data.withBytes { bytes in
                _ = crypto_generichash_update(OpaquePointer(state), address(bytes), UInt64(bytes.count))
            }
        }

        public consuming func finalize() -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: byteCount)
            _ = crypto_generichash_final(OpaquePointer(state), &digest, byteCount)
            return digest
        }

        deinit {
            sodium_memzero(state, crypto_generichash_statebytes())
            state.deallocate()
        }
    }
}
