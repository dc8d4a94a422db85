internal import CSodium

/// XChaCha20-Poly1305 (IETF construction, 24-byte nonce): the vault's record cipher.
/// Random nonces are safe at this nonce size, so `seal` draws one and prefixes it.
public enum XChaCha20Poly1305 {
    public static let nonceByteCount = 24
    public static let tagByteCount = 16

    /// Encrypts with a fresh random nonce. Output: nonce ‖ ciphertext ‖ tag.
    public static func seal(
        _ plaintext: some ContiguousBytesView,
        using key: borrowing SymmetricKey,
        authenticating associatedData: some ContiguousBytesView
    ) -> [UInt8] {
        let nonce = SecureRandom.bytes(nonceByteCount)
        return nonce + (try! encrypt(plaintext, using: key, nonce: nonce, authenticating: associatedData))
    }

    /// Opens `nonce ‖ ciphertext ‖ tag` produced by `seal`.
    public static func open(
        _ sealed: some ContiguousBytesView,
        using key: borrowing SymmetricKey,
        authenticating associatedData: some ContiguousBytesView
    ) throws(CryptoError) -> [UInt8] {
        let count = sealed.withBytes { $0.count }
        guard count >= nonceByteCount + tagByteCount else { throw .authenticationFailed }
        var output = [UInt8](repeating: 0, count: count - nonceByteCount - tagByteCount)
        let result: Result<Int, CryptoError> = output.withUnsafeMutableBytes { out in
            Result { () throws(CryptoError) in try open(sealed, using: key, authenticating: associatedData, into: out) }
        }
        _ = try result.get()
        return output
    }

    /// Opens `nonce ‖ ciphertext ‖ tag` into caller-owned memory (for example a
    /// `SecureBytes` scratch buffer), returning the plaintext length. `output`
    /// must hold at least `sealed.count - 40` bytes.
    public static func open(
        _ sealed: some ContiguousBytesView,
        using key: borrowing SymmetricKey,
        authenticating associatedData: some ContiguousBytesView,
        into output: UnsafeMutableRawBufferPointer
    ) throws(CryptoError) -> Int {
        Sodium.ready()
        let status: Int32 = key.withUnsafeBytes { keyBytes in
            sealed.withBytes { input in
                associatedData.withBytes { ad in
                    guard input.count >= nonceByteCount + tagByteCount else { return -1 }
                    let plainCount = input.count - nonceByteCount - tagByteCount
                    guard output.count >= plainCount else { return -2 }
                    var written: UInt64 = 0
                    let base = address(input)
                    return crypto_aead_xchacha20poly1305_ietf_decrypt(
                        output.baseAddress?.assumingMemoryBound(to: UInt8.self), &written, nil,
                        base + nonceByteCount, UInt64(input.count - nonceByteCount),
                        address(ad), UInt64(ad.count),
                        base, address(keyBytes))
                }
            }
        }
        if status == -2 { throw .invalidParameter("output buffer too small") }
        guard status == 0 else { throw .authenticationFailed }
        return sealed.withBytes { $0.count } - nonceByteCount - tagByteCount
    }

    /// Encrypts with an explicit nonce. Output: ciphertext ‖ tag (no nonce).
    public static func encrypt(
        _ plaintext: some ContiguousBytesView,
        using key: borrowing SymmetricKey,
        nonce: some ContiguousBytesView,
        authenticating associatedData: some ContiguousBytesView
    ) throws(CryptoError) -> [UInt8] {
        Sodium.ready()
        let nonceCount = nonce.withBytes { $0.count }
        guard nonceCount == nonceByteCount else {
            throw .invalidLength(what: "XChaCha20-Poly1305 nonce", expected: nonceByteCount, actual: nonceCount)
        }
        return key.withUnsafeBytes { keyBytes in
            plaintext.withBytes { input in
                nonce.withBytes { nonceBytes in
                    associatedData.withBytes { ad in
                        var output = [UInt8](repeating: 0, count: input.count + tagByteCount)
                        var written: UInt64 = 0
                        output.withUnsafeMutableBufferPointer { out in
                            _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                                out.baseAddress!, &written,
                                address(input), UInt64(input.count),
                                address(ad), UInt64(ad.count),
                                nil, address(nonceBytes), address(keyBytes))
                        }
                        return output
                    }
                }
            }
        }
    }

    /// Decrypts `ciphertext ‖ tag` with an explicit nonce.
    public static func decrypt(
        _ ciphertextAndTag: some ContiguousBytesView,
        using key: borrowing SymmetricKey,
        nonce: some ContiguousBytesView,
        authenticating associatedData: some ContiguousBytesView
    ) throws(CryptoError) -> [UInt8] {
        let nonceCount = nonce.withBytes { $0.count }
        guard nonceCount == nonceByteCount else {
            throw .invalidLength(what: "XChaCha20-Poly1305 nonce", expected: nonceByteCount, actual: nonceCount)
        }
        let sealed: [UInt8] = nonce.withBytes { Array($0) } + ciphertextAndTag.withBytes { Array($0) }
        return try open(sealed, using: key, authenticating: associatedData)
    }
}
