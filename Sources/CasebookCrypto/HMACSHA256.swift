internal import CSodium

/// HMAC-SHA-256 (RFC 2104) with keys of any length: age's header MAC and HKDF.
public enum HMACSHA256 {
    public static let byteCount = 32

    /// The MAC of `message` under a secret key.
    public static func authenticationCode(for message: some ContiguousBytesView, using key: borrowing SecureBytes) -> [UInt8] {
        key.withUnsafeBytes { mac(message, key: $0) }
    }

    /// The MAC of `message` under a non-secret key (test vectors, public salts).
    public static func authenticationCode(for message: some ContiguousBytesView, key: some ContiguousBytesView) -> [UInt8] {
        key.withBytes { mac(message, key: $0) }
    }

    /// Constant-time check of a full-length MAC.
    public static func isValid(
        _ code: some ContiguousBytesView, for message: some ContiguousBytesView, using key: borrowing SecureBytes
    ) -> Bool {
        ConstantTime.equals(authenticationCode(for: message, using: key), code)
    }

    static func mac(_ message: some ContiguousBytesView, key: UnsafeRawBufferPointer) -> [UInt8] {
        Sodium.ready()
        let state = UnsafeMutableRawPointer.allocate(byteCount: crypto_auth_hmacsha256_statebytes(), alignment: 16)
        defer {
            sodium_memzero(state, crypto_auth_hmacsha256_statebytes())
            state.deallocate()
        }
        let typed = state.assumingMemoryBound(to: crypto_auth_hmacsha256_state.self)
        var output = [UInt8](repeating: 0, count: byteCount)
        _ = crypto_auth_hmacsha256_init(typed, address(key), key.count)
        message.withBytes { bytes in
            _ = crypto_auth_hmacsha256_update(typed, address(bytes), UInt64(bytes.count))
        }
        _ = crypto_auth_hmacsha256_final(typed, &output)
        return output
    }
}
