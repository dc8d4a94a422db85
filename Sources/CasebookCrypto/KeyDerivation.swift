internal import CSodium

/// Purpose keys from a master key (libsodium `crypto_kdf`, BLAKE2b based): one
/// master key, many independent subkeys, each named by a context and an id.
public enum KeyDerivation {
    /// Derives the 32-byte subkey `id` of `context` (exactly 8 ASCII characters).
    public static func deriveKey(
        from master: borrowing SymmetricKey, context: String, id: UInt64
    ) throws(CryptoError) -> SymmetricKey {
        Sodium.ready()
        let contextBytes = Array(context.utf8)
        guard contextBytes.count == Int(crypto_kdf_CONTEXTBYTES) else {
            throw .invalidLength(what: "key derivation context", expected: Int(crypto_kdf_CONTEXTBYTES), actual: contextBytes.count)
        }
        var subkey = SecureBytes(count: SymmetricKey.byteCount)
        master.withUnsafeBytes { masterBytes in
            subkey.withUnsafeMutableBytes { out in
                contextBytes.withUnsafeBufferPointer { ctx in
                    ctx.withMemoryRebound(to: CChar.self) { ctxChars in
                        _ = crypto_kdf_derive_from_key(
                            out.baseAddress!.assumingMemoryBound(to: UInt8.self), SymmetricKey.byteCount,
                            id, ctxChars.baseAddress!, address(masterBytes))
                    }
                }
            }
        }
        return try SymmetricKey(subkey)
    }
}
