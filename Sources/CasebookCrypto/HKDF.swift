/// HKDF-SHA-256 (RFC 5869), built on libsodium's HMAC-SHA-256 (libsodium 1.0.18,
/// Debian 12's version, has no HKDF of its own). age derives its header MAC key,
/// payload key and stanza wrap keys with it.
public enum HKDF {
    /// Largest output RFC 5869 allows for SHA-256: 255 blocks.
    public static let maximumOutputByteCount = 255 * HMACSHA256.byteCount

    /// Extract-then-expand: `outputByteCount` secret bytes from `inputKeyMaterial`.
    public static func deriveKey(
        inputKeyMaterial: borrowing SecureBytes,
        salt: some ContiguousBytesView,
        info: some ContiguousBytesView,
        outputByteCount: Int
    ) throws(CryptoError) -> SecureBytes {
        let prk = extract(inputKeyMaterial: inputKeyMaterial, salt: salt)
        return try expand(pseudorandomKey: prk, info: info, outputByteCount: outputByteCount)
    }

    /// HKDF-Extract: PRK = HMAC(salt, IKM); an empty salt means 32 zero bytes.
    public static func extract(inputKeyMaterial: borrowing SecureBytes, salt: some ContiguousBytesView) -> SecureBytes {
        let saltBytes: [UInt8] = salt.withBytes { $0.isEmpty ? [UInt8](repeating: 0, count: HMACSHA256.byteCount) : Array($0) }
        var prk = inputKeyMaterial.withUnsafeBytes { HMACSHA256.authenticationCode(for: $0, key: saltBytes) }
        return SecureBytes(consuming: &prk)
    }

    /// HKDF-Expand: T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i).
    public static func expand(
        pseudorandomKey prk: borrowing SecureBytes,
        info: some ContiguousBytesView,
        outputByteCount: Int
    ) throws(CryptoError) -> SecureBytes {
        guard outputByteCount >= 0, outputByteCount <= maximumOutputByteCount else {
            throw .invalidParameter("HKDF output length \(outputByteCount) exceeds \(maximumOutputByteCount)")
        }
        let infoBytes: [UInt8] = info.withBytes { Array($0) }
        var output = SecureBytes(count: outputByteCount)
        var previous: [UInt8] = []
        var offset = 0
        var counter: UInt8 = 1
        while offset < outputByteCount {
            var block = previous + infoBytes + [counter]
            var t = HMACSHA256.authenticationCode(for: block, using: prk)
            let take = min(t.count, outputByteCount - offset)
            output.withUnsafeMutableBytes { out in
                t.withUnsafeBytes { out.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: take) }
            }
            offset += take
            counter &+= 1
            wipe(&block)
            wipe(&previous)
            previous = t
            wipe(&t)
        }
        wipe(&previous)
        return output
    }
}

/// Overwrites a temporary array that held secret-derived bytes.
func wipe(_ bytes: inout [UInt8]) {
    Memory.wipe(&bytes)
}
