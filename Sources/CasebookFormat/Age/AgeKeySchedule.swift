import CasebookCrypto

/// The derivations age performs with a file key (C2SP age: "Header MAC",
/// "Payload") and the ChaCha20-Poly1305 wrapping of a file key in a stanza body.
enum AgeKeySchedule {
    static let fileKeyByteCount = 16
    static let payloadNonceByteCount = 16
    /// A wrapped file key: 16 bytes of key and a 16-byte tag.
    static let wrappedFileKeyByteCount = fileKeyByteCount + ChaCha20Poly1305.tagByteCount

    static func newFileKey() -> SecureBytes {
        SecureBytes.random(count: fileKeyByteCount)
    }

    /// HMAC-SHA-256 of the header (up to `---`) under HKDF(file key, "", "header").
    static func headerMAC(fileKey: borrowing SecureBytes, macInput: [UInt8]) -> [UInt8] {
        let macKey = derive(fileKey, salt: [], info: "header")
        return HMACSHA256.authenticationCode(for: macInput, using: macKey)
    }

    /// The STREAM key: HKDF(file key, nonce, "payload").
    static func payloadKey(fileKey: borrowing SecureBytes, nonce: [UInt8]) -> SymmetricKey {
        try! SymmetricKey(derive(fileKey, salt: nonce, info: "payload"))
    }

    /// A 32-byte HKDF-SHA-256 output.
    static func derive(_ inputKeyMaterial: borrowing SecureBytes, salt: [UInt8], info: String) -> SecureBytes {
        // Only the output length can make HKDF fail, and 32 is always allowed.
        try! HKDF.deriveKey(inputKeyMaterial: inputKeyMaterial, salt: salt, info: info.utf8, outputByteCount: 32)
    }

    /// ChaCha20-Poly1305 under `wrapKey` with the all-zero nonce, as the native stanzas use.
    static func wrap(fileKey: borrowing SecureBytes, with wrapKey: borrowing SecureBytes) -> [UInt8] {
        let key = try! SymmetricKey(wrapKey.duplicate())
        var body = [UInt8](repeating: 0, count: wrappedFileKeyByteCount)
        body.withUnsafeMutableBytes { output in
            fileKey.withUnsafeBytes { plaintext in
                try! ChaCha20Poly1305.encrypt(plaintext, using: key, nonce: zeroNonce, authenticating: [UInt8](), into: output)
            }
        }
        return body
    }

    /// The file key in `body`, or nil when it does not authenticate under `wrapKey`.
    /// Callers check the body length first (partitioning-oracle mitigation).
    static func unwrap(body: [UInt8], with wrapKey: borrowing SecureBytes) -> SecureBytes? {
        precondition(body.count == wrappedFileKeyByteCount)
        let key = try! SymmetricKey(wrapKey.duplicate())
        var fileKey = SecureBytes(count: fileKeyByteCount)
        let opened: Bool = fileKey.withUnsafeMutableBytes { output in
            body.withUnsafeBytes { input in
                (try? ChaCha20Poly1305.decrypt(input, using: key, nonce: zeroNonce, authenticating: [UInt8](), into: output)) != nil
            }
        }
        guard opened else { return nil }
        return fileKey
    }

    private static let zeroNonce = [UInt8](repeating: 0, count: ChaCha20Poly1305.nonceByteCount)
}
