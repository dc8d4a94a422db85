internal import CSodium

/// scrypt (libsodium `crypto_pwhash_scryptsalsa208sha256_ll`, r = 8, p = 1):
/// age's passphrase recipient.
public enum Scrypt {
    /// Derives `outputByteCount` secret bytes with work factor N = 2^`logN`.
    public static func deriveKey(
        from passphrase: borrowing SecureBytes, salt: some ContiguousBytesView, logN: Int, outputByteCount: Int = 32
    ) throws(CryptoError) -> SecureBytes {
        Sodium.ready()
        guard logN >= 1, logN <= 30 else { throw .invalidParameter("scrypt work factor 2^\(logN)") }
        var output = SecureBytes(count: outputByteCount)
        let status: Int32 = passphrase.withUnsafeBytes { pass in
            salt.withBytes { saltBytes in
                output.withUnsafeMutableBytes { out in
                    crypto_pwhash_scryptsalsa208sha256_ll(
                        address(pass), pass.count, address(saltBytes), saltBytes.count,
                        UInt64(1) << UInt64(logN), 8, 1,
                        out.baseAddress!.assumingMemoryBound(to: UInt8.self), outputByteCount)
                }
            }
        }
        guard status == 0 else { throw .keyDerivationFailed }
        return output
    }
}
