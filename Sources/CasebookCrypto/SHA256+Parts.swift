internal import CSodium

extension SHA256 {
    /// SHA-256(`prefix` ‖ `first` ‖ `second`) written to the 32 bytes at `output`, with the
    /// hash state on the stack: no heap allocation, for hashing millions of Merkle nodes.
    /// `second` may be empty (a leaf hash: prefix 0x00 ‖ data).
    public static func hash(
        prefix: UInt8,
        _ first: UnsafeRawBufferPointer,
        _ second: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawPointer
    ) {
        Sodium.ready()
        var state = crypto_hash_sha256_state()
        var prefixByte = prefix
        _ = crypto_hash_sha256_init(&state)
        _ = crypto_hash_sha256_update(&state, &prefixByte, 1)
        _ = crypto_hash_sha256_update(&state, address(first), UInt64(first.count))
        _ = crypto_hash_sha256_update(&state, address(second), UInt64(second.count))
        _ = crypto_hash_sha256_final(&state, output.assumingMemoryBound(to: UInt8.self))
    }
}
